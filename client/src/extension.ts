/**
 * Entry point: wires the Ctx, the Sessions view, transcripts and commands, then starts the
 * backend without blocking activation (views and commands explain a backend still starting).
 */
import * as vscode from 'vscode';
import type { RequestParam, RequestType } from 'vscode-languageclient/node';
import { allCommands } from './commands';
import { Ctx } from './ctx';
import { TRANSCRIPT_SCHEME, TranscriptProvider } from './editor/transcriptDocument';
import { SESSIONS_VIEW, SessionsTree, type SessionsNode } from './views/sessionsTree';

/** What activate() returns: a small surface for tests and other extensions. */
export interface TracemintApi {
	readonly sessionsTree: SessionsTree;
	/** Waits for a start in progress; true when the backend is running. */
	ready(): Promise<boolean>;
	/** A typed request to the backend; rejects when it is down. */
	sendRequest<P, R>(type: RequestType<P, R, void>, params: RequestParam<P>): Promise<R>;
}

let ctx: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): TracemintApi {
	const current = new Ctx(context);
	ctx = current;
	context.subscriptions.push(current);

	const sessionsTree = new SessionsTree(current);
	const view = vscode.window.createTreeView<SessionsNode>(SESSIONS_VIEW, {
		treeDataProvider: sessionsTree,
		canSelectMany: true,
		showCollapseAll: true,
	});
	sessionsTree.attach(view);
	const transcripts = new TranscriptProvider(current);
	current.push(view, sessionsTree, transcripts, vscode.workspace.registerTextDocumentContentProvider(TRANSCRIPT_SCHEME, transcripts));
	current.registerCommands(allCommands());

	void current.start();

	return {
		sessionsTree,
		ready: async () => (await current.runningClient()) !== undefined,
		sendRequest: async (type, params) => {
			const client = await current.runningClient();
			if (!client) {
				throw new Error(`Tracemint backend is ${current.state}`);
			}
			return client.sendRequest(type, params);
		},
	};
}

export async function deactivate(): Promise<void> {
	await ctx?.stop();
	ctx = undefined;
}
