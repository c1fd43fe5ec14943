/**
 * Entry point: wires the Ctx, the Sessions view, transcripts (with their lenses), the current
 * session's status bar item, consent defaults, the background import and commands, then starts
 * the backend without blocking activation (views and commands explain a backend still starting).
 */
import * as vscode from 'vscode';
import { RequestType, type RequestParam } from 'vscode-languageclient/node';
import * as lsp from '../../shared/lsp';
import { BackgroundImport } from './backgroundImport';
import { allCommands } from './commands';
import { OptInDefaultWatcher } from './consent/optInDefault';
import { Ctx, type BackendState } from './ctx';
import { BREAKDOWN_SCHEME, RewardBreakdownProvider } from './editor/rewardBreakdown';
import { TRANSCRIPT_SCHEME, TranscriptProvider } from './editor/transcriptDocument';
import { TranscriptLenses } from './editor/transcriptLenses';
import type { Prompts } from './prompts';
import { QualityReports } from './quality/qualityReports';
import { registerTraining } from './training';
import type { RunsTree } from './training/runsTree';
import { CurrentSessionStatus } from './views/currentSessionStatus';
import { SESSIONS_VIEW, SessionsTree, type SessionsNode } from './views/sessionsTree';
import { SOURCES_VIEW, SourcesTree, type SourcesNode } from './views/sourcesTree';

/** What activate() returns: a small surface for tests and other extensions. */
export interface TracemintApi {
	readonly sessionsTree: SessionsTree;
	readonly sourcesTree: SourcesTree;
	/** The Training Runs view's data. */
	readonly trainingRunsTree: RunsTree;
	/** What VS Code calls to bring a run view back after a window reload. */
	readonly runViewSerializer: vscode.WebviewPanelSerializer;
	/** The status bar item for the session the agent is writing now; `refresh()` resolves with what it shows. */
	readonly currentSession: CurrentSessionStatus;
	/** Consent and deletion questions as they are asked (`onDidShow`); `respondWith` answers them instead of the user. */
	readonly prompts: Pick<Prompts, 'onDidShow' | 'respondWith'>;
	/** Resolves once `tracemint.optIn.default` has handled the store changes reported so far. */
	optInDefaultSettled(): Promise<void>;
	/** Waits for a start in progress; true when the backend is running. */
	ready(): Promise<boolean>;
	/** Where the backend is now: running, starting, stopped, failed, or unavailable (it said it cannot run). */
	backendState(): BackendState;
	/** One of the typed requests of shared/lsp.ts; rejects when the backend is down. */
	sendRequest<P, R>(type: RequestType<P, R, void>, params: RequestParam<P>): Promise<R>;
}

/**
 * Our own request objects by method. A caller's RequestType comes from its own bundle, whose
 * copy of jsonrpc's ParameterStructures this client's copy does not recognise, so requests
 * from the API are re-typed with ours; that also limits the API to the shared protocol.
 */
const requestTypes = new Map((Object.values(lsp) as unknown[])
	.filter((value): value is RequestType<unknown, unknown, void> => value instanceof RequestType)
	.map((type) => [type.method, type]));

let ctx: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): TracemintApi {
	const current = new Ctx(context);
	ctx = current;
	context.subscriptions.push(current);

	const quality = new QualityReports(current);
	const sessionsTree = new SessionsTree(current, quality);
	const view = vscode.window.createTreeView<SessionsNode>(SESSIONS_VIEW, {
		treeDataProvider: sessionsTree,
		canSelectMany: true,
		showCollapseAll: true,
	});
	sessionsTree.attach(view);
	const sourcesTree = new SourcesTree(current);
	const sourcesView = vscode.window.createTreeView<SourcesNode>(SOURCES_VIEW, { treeDataProvider: sourcesTree });
	sourcesTree.attach(sourcesView);
	current.push(sourcesTree, sourcesView);
	const transcripts = new TranscriptProvider(current);
	const breakdowns = new RewardBreakdownProvider(current, quality);
	const currentSession = new CurrentSessionStatus(current, quality);
	const optInDefault = new OptInDefaultWatcher(current);
	const backgroundImport = new BackgroundImport(current);
	current.push(
		quality, view, sessionsTree, transcripts, breakdowns, currentSession, optInDefault, backgroundImport,
		new TranscriptLenses(current, quality),
		vscode.workspace.registerTextDocumentContentProvider(TRANSCRIPT_SCHEME, transcripts),
		vscode.workspace.registerTextDocumentContentProvider(BREAKDOWN_SCHEME, breakdowns),
	);
	current.registerCommands(allCommands({ sessionsTree, sourcesTree, quality, currentSession }));

	// Training runs: the view, the commands, and reattaching to unfinished runs once the backend is up.
	const training = registerTraining(current);

	void current.start();

	return {
		sessionsTree,
		sourcesTree,
		trainingRunsTree: training.tree,
		runViewSerializer: training.serializer,
		currentSession,
		prompts: current.prompts,
		optInDefaultSettled: () => optInDefault.settled(),
		ready: async () => (await current.runningClient()) !== undefined,
		backendState: () => current.state,
		sendRequest: async <P, R>(type: RequestType<P, R, void>, params: RequestParam<P>): Promise<R> => {
			const own = requestTypes.get(type.method) as RequestType<P, R, void> | undefined;
			if (!own) {
				throw new Error(`${type.method} is not a Tracemint request`);
			}
			const client = await current.runningClient();
			if (!client) {
				throw new Error(`the Tracemint backend is ${current.state}`);
			}
			return client.sendRequest(own, params);
		},
	};
}

export async function deactivate(): Promise<void> {
	await ctx?.stop();
	ctx = undefined;
}
