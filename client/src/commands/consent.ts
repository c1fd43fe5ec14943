/**
 * Opt sessions in to (or out of) datasets; only opted-in sessions are ever exported. Every change
 * is recorded with its time and origin (what made it: the tree, the status bar, a lens, the
 * `tracemint.optIn.default` setting).
 */
import * as vscode from 'vscode';
import type { SetConsent } from '../../../shared/protocol';
import { ListSessionsRequest, SetConsentRequest } from '../../../shared/lsp';
import type { CommandFactory, Ctx } from '../ctx';
import type { QualityReports } from '../quality/qualityReports';
import { qualityDecision } from '../quality/qualityText';
import { plural } from '../text';
import { changeSessions, pickSessions, sessionIdsFromArgs } from './pickSessions';

export type ConsentOrigin = 'editor' | 'status-bar' | 'codelens' | 'optIn.default=always' | 'optIn.default=ask';
const ORIGINS: readonly ConsentOrigin[] = ['editor', 'status-bar', 'codelens', 'optIn.default=always', 'optIn.default=ask'];

/** `(target, selected)` from a tree or ids; a third argument names the origin when it is not the tree or the palette. */
export const optIn: CommandFactory = (ctx) => (target?: unknown, selected?: unknown, origin?: unknown) =>
	consentCommand(ctx, true, target, selected, originOf(origin));
export const optOut: CommandFactory = (ctx) => (target?: unknown, selected?: unknown, origin?: unknown) =>
	consentCommand(ctx, false, target, selected, originOf(origin));

/**
 * "Opt In All Accepted": of the sessions under the chosen tree nodes (every session from the view
 * title), those the gates accept and that are not opted in yet, after one confirmation.
 */
export const optInAccepted = (quality: QualityReports): CommandFactory => (ctx) => async (target?: unknown, selected?: unknown): Promise<SetConsent.Result | undefined> => {
	const scope = sessionIdsFromArgs(target, selected);
	const [report, sessions] = await Promise.all([quality.gates(), ctx.request(ListSessionsRequest, {})]);
	if (!sessions) {
		return undefined;
	}
	if (!report) {
		void vscode.window.showWarningMessage('Tracemint: the gates could not be evaluated; Tracemint: Show Output says why.');
		return undefined;
	}
	const accepted = new Set(report.sessions.filter((gate) => qualityDecision(gate) === 'accepted').map((gate) => gate.sessionId));
	const inScope = scope && new Set(scope);
	const ids = sessions.filter((s) => (!inScope || inScope.has(s.id)) && !s.opted_in && accepted.has(s.id)).map((s) => s.id);
	if (ids.length === 0) {
		void vscode.window.showInformationMessage('Tracemint: no session the gates accept is waiting to be opted in.');
		return undefined;
	}
	const optInLabel = 'Opt In';
	const choice = await ctx.prompts.ask({
		message: `Opt in ${plural(ids.length, 'session')} that the gates accept?`,
		detail: 'Opted-in sessions go into the datasets you export (redacted). You can opt each one out again.',
		choices: [optInLabel],
		modal: true,
	});
	return choice === optInLabel ? setConsent(ctx, ids, true, 'editor') : undefined;
};

/** Records consent for `ids` and says so; undefined when the backend is down. */
export async function setConsent(ctx: Ctx, ids: string[], optedIn: boolean, origin: ConsentOrigin): Promise<SetConsent.Result | undefined> {
	const result = await changeSessions(ctx, ids, 'set consent', (ids) => ctx.request(SetConsentRequest, { ids, optedIn, origin }));
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

async function consentCommand(
	ctx: Ctx, optedIn: boolean, target: unknown, selected: unknown, origin: ConsentOrigin,
): Promise<SetConsent.Result | undefined> {
	const ids = sessionIdsFromArgs(target, selected) ?? await pickSessions(ctx, {
		title: optedIn ? 'Opt in sessions for export' : 'Opt out sessions',
		canPickMany: true,
		filter: (session) => session.opted_in !== optedIn,
		emptyMessage: optedIn ? 'Tracemint: every session is already opted in.' : 'Tracemint: no session is opted in.',
	});
	return ids ? setConsent(ctx, ids, optedIn, origin) : undefined;
}

function originOf(value: unknown): ConsentOrigin {
	return ORIGINS.includes(value as ConsentOrigin) ? value as ConsentOrigin : 'editor';
}
