/**
 * Reward commands: the developer's thumbs up / down (it feeds the reward's review component)
 * and the breakdown of a session's reward.
 */
import * as vscode from 'vscode';
import type { RateSession } from '../../../shared/protocol';
import type { Rating } from '../../../shared/quality';
import { RateSessionRequest } from '../../../shared/lsp';
import type { CommandFactory, Ctx } from '../ctx';
import { breakdownUri } from '../editor/rewardBreakdown';
import { plural } from '../text';
import { changeSessions, pickSessions, sessionIdsFromArgs } from './pickSessions';

export const rateUp: CommandFactory = (ctx) => (target?: unknown, selected?: unknown) => rate(ctx, 'up', target, selected);
export const rateDown: CommandFactory = (ctx) => (target?: unknown, selected?: unknown) => rate(ctx, 'down', target, selected);

/** Opens the breakdown in the Markdown preview (the document itself where there is no preview); resolves with the document. */
export const showRewardBreakdown: CommandFactory = (ctx) => async (target?: unknown): Promise<vscode.TextDocument | undefined> => {
	const id = (sessionIdsFromArgs(target, undefined) ?? await pickSessions(ctx, {
		title: 'Show the reward breakdown of a session',
		canPickMany: false,
		emptyMessage: 'Tracemint: the store has no sessions yet.',
	}))?.[0];
	if (id === undefined) {
		return undefined;
	}
	const document = await vscode.workspace.openTextDocument(breakdownUri(id));
	try {
		await vscode.commands.executeCommand('markdown.showPreviewToSide', document.uri);
	} catch {
		await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
	}
	return document;
};

async function rate(ctx: Ctx, rating: Rating, target: unknown, selected: unknown): Promise<RateSession.Result | undefined> {
	const ids = sessionIdsFromArgs(target, selected) ?? await pickSessions(ctx, {
		title: rating === 'up' ? 'Rate sessions 👍' : 'Rate sessions 👎',
		canPickMany: true,
		emptyMessage: 'Tracemint: the store has no sessions yet.',
	});
	const result = await changeSessions(ctx, ids, 'rate', (ids) => ctx.request(RateSessionRequest, { ids, rating }));
	if (result) {
		vscode.window.setStatusBarMessage(`Tracemint: rated ${plural(result.changed.length, 'session')} $(${rating === 'up' ? 'thumbsup' : 'thumbsdown'}).`, 4000);
	}
	return result;
}
