/** Opt sessions in to (or out of) datasets; only opted-in sessions are ever exported. */
import * as vscode from 'vscode';
import type { SetConsent } from '../../../shared/protocol';
import { SetConsentRequest } from '../../../shared/lsp';
import { plural, type CommandFactory, type Ctx } from '../ctx';
import { changeSessions, pickSessions, sessionIdsFromArgs } from './pickSessions';

export const optIn: CommandFactory = (ctx) => (target?: unknown, selected?: unknown) => setConsent(ctx, true, target, selected);
export const optOut: CommandFactory = (ctx) => (target?: unknown, selected?: unknown) => setConsent(ctx, false, target, selected);

async function setConsent(ctx: Ctx, optedIn: boolean, target: unknown, selected: unknown): Promise<SetConsent.Result | undefined> {
	const ids = sessionIdsFromArgs(target, selected) ?? await pickSessions(ctx, {
		title: optedIn ? 'Opt in sessions for export' : 'Opt out sessions',
		canPickMany: true,
		filter: (session) => session.opted_in !== optedIn,
		emptyMessage: optedIn ? 'Tracemint: every session is already opted in.' : 'Tracemint: no session is opted in.',
	});
	const result = await changeSessions(ctx, ids, 'set consent', (ids) => ctx.request(SetConsentRequest, { ids, optedIn }));
	if (!result) {
		return undefined;
	}
	const verb = optedIn ? 'Opted in' : 'Opted out';
	const summary = `${verb} ${plural(result.changed.length, 'session')}.`;
	if (result.unknown.length > 0) {
		void vscode.window.showWarningMessage(`Tracemint: ${summary} ${plural(result.unknown.length, 'session')} not found in the store.`);
	} else {
		vscode.window.setStatusBarMessage(`Tracemint: ${summary}`, 4000);
	}
	return result;
}
