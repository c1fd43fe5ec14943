/**
 * How session commands find their targets: tree items (with multi-select), ids passed by
 * other commands or tests, or, from the palette, a quick pick.
 */
import * as vscode from 'vscode';
import type { SessionSummary } from '../../../shared/model';
import { ListSessionsRequest } from '../../../shared/lsp';
import type { Ctx } from '../ctx';
import { agentName, sessionLabel } from '../text';
import { isSessionsNode, sessionsIn } from '../views/sessionsTree';

/**
 * Session ids named by a command's arguments: VS Code passes `(clicked, selected[])` from a
 * tree, so a multi-selection wins over the clicked item. Undefined when the arguments name none.
 */
export function sessionIdsFromArgs(target: unknown, selected: unknown): string[] | undefined {
	const nodes = Array.isArray(selected) && selected.some(isSessionsNode) ? selected.filter(isSessionsNode) : [];
	if (nodes.length > 0) {
		return unique(nodes.flatMap(sessionsIn).map((session) => session.id));
	}
	if (isSessionsNode(target)) {
		return unique(sessionsIn(target).map((session) => session.id));
	}
	if (typeof target === 'string' && target.length > 0) {
		return [target];
	}
	if (Array.isArray(target) && target.length > 0 && target.every((id) => typeof id === 'string')) {
		return unique(target as string[]);
	}
	return undefined;
}

export interface PickOptions {
	title: string;
	canPickMany: boolean;
	/** Which sessions to offer; all when omitted. */
	filter?: (session: SessionSummary) => boolean;
	/** Shown instead of an empty quick pick. */
	emptyMessage: string;
}

/** Asks the user for sessions; undefined when cancelled or the backend is down. */
export async function pickSessions(ctx: Ctx, options: PickOptions): Promise<string[] | undefined> {
	const sessions = await ctx.request(ListSessionsRequest, {});
	if (!sessions) {
		return undefined;
	}
	const offered = options.filter ? sessions.filter(options.filter) : sessions;
	if (offered.length === 0) {
		void vscode.window.showInformationMessage(options.emptyMessage);
		return undefined;
	}
	const items = offered
		.sort((a, b) => (b.started_at ?? '').localeCompare(a.started_at ?? ''))
		.map((session) => ({
			label: sessionLabel(session),
			description: [agentName(session.agent), session.started_at?.slice(0, 10)].filter(Boolean).join(' · '),
			detail: session.workspace ?? session.cwd ?? undefined,
			id: session.id,
		}));
	if (options.canPickMany) {
		const picked = await vscode.window.showQuickPick(items, { title: options.title, canPickMany: true, matchOnDetail: true });
		return picked && picked.length > 0 ? picked.map((item) => item.id) : undefined;
	}
	const picked = await vscode.window.showQuickPick(items, { title: options.title, matchOnDetail: true });
	return picked ? [picked.id] : undefined;
}

/** What a request that changes sessions answers (SetConsent, SetSessionBlock). */
export interface SessionsChange {
	changed: string[];
	unknown: string[];
}

/**
 * The common tail of the session commands: sends the request for `ids` (nothing when there are
 * none) and logs ids the store does not know as `what`. The views refresh on the server's
 * StoreChanged, which arrives before the answer. Undefined when there were no ids or the backend is down.
 */
export async function changeSessions<R extends SessionsChange>(
	ctx: Ctx, ids: string[] | undefined, what: string, send: (ids: string[]) => Promise<R | undefined>,
): Promise<R | undefined> {
	if (!ids) {
		return undefined;
	}
	const result = await send(ids);
	if (!result) {
		return undefined;
	}
	if (result.unknown.length > 0) {
		ctx.output.warn(`${what}: unknown sessions ${result.unknown.join(', ')}`);
	}
	return result;
}

function unique(ids: string[]): string[] {
	return [...new Set(ids)];
}
