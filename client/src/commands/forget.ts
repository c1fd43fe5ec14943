/**
 * Forgetting sessions: the store deletes them and everything derived from them, and keeps them
 * out of future imports. Not undoable, so it asks first, in a modal dialog that says so.
 */
import * as vscode from 'vscode';
import type { ForgetSessions } from '../../../shared/protocol';
import { ForgetSessionsRequest } from '../../../shared/lsp';
import type { CommandFactory } from '../ctx';
import { plural } from '../text';
import { changeSessions, pickSessions, sessionIdsFromArgs } from './pickSessions';

export const forgetSession: CommandFactory = (ctx) => async (target?: unknown, selected?: unknown): Promise<ForgetSessions.Result | undefined> => {
	const ids = sessionIdsFromArgs(target, selected) ?? await pickSessions(ctx, {
		title: 'Forget sessions',
		canPickMany: true,
		emptyMessage: 'Tracemint: the store has no sessions yet.',
	});
	if (!ids) {
		return undefined;
	}
	const forget = 'Forget';
	const choice = await ctx.prompts.ask({
		message: `Forget ${plural(ids.length, 'session')}?`,
		detail: 'This deletes the session and everything derived from it (findings, scores, rating, consent) from the Tracemint store, '
			+ 'and keeps it out of future imports. The agent\'s own log files are left as they are. This cannot be undone.',
		choices: [forget],
		modal: true,
		severity: 'warning',
	});
	if (choice !== forget) {
		return undefined;
	}
	const result = await changeSessions(ctx, ids, 'forget', async (ids) => {
		const answer = await ctx.request(ForgetSessionsRequest, { ids });
		return answer && { ...answer, changed: answer.forgotten };
	});
	if (result) {
		vscode.window.setStatusBarMessage(`Tracemint: forgot ${plural(result.forgotten.length, 'session')}.`, 4000);
	}
	return result;
};
