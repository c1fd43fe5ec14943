/**
 * What the status bar item offers for the session the agent is writing now: opt in or out,
 * rate, open the transcript, show the reward. Consent given here is recorded as `status-bar`.
 */
import * as vscode from 'vscode';
import type { CommandFactory } from '../ctx';
import type { CurrentSessionStatus } from '../views/currentSessionStatus';
import { setConsent } from './consent';

export type CurrentSessionAction = 'opt-in' | 'opt-out' | 'rate-up' | 'rate-down' | 'open-transcript' | 'show-breakdown';

interface ActionItem extends vscode.QuickPickItem {
	action: CurrentSessionAction;
}

/**
 * `(sessionId?, action?)`: the status bar passes the session it showed; automation may name
 * the action, otherwise a quick pick asks.
 */
export const currentSessionActions = (status: CurrentSessionStatus): CommandFactory => (ctx) => async (sessionId?: unknown, action?: unknown): Promise<unknown> => {
	const facts = status.facts ?? await status.refresh();
	const id = typeof sessionId === 'string' && sessionId.length > 0 ? sessionId : facts?.session.id;
	if (id === undefined) {
		void vscode.window.showInformationMessage('Tracemint: no agent session of this workspace is in the store yet.');
		return undefined;
	}
	const optedIn = facts?.session.id === id ? facts.session.opted_in : undefined;
	const chosen = isAction(action) ? action : (await vscode.window.showQuickPick(actionItems(optedIn), { title: 'Tracemint: this workspace\'s agent session' }))?.action;
	switch (chosen) {
		case undefined: return undefined;
		case 'opt-in': return setConsent(ctx, [id], true, 'status-bar');
		case 'opt-out': return setConsent(ctx, [id], false, 'status-bar');
		case 'rate-up': return vscode.commands.executeCommand('tracemint.rateUp', id);
		case 'rate-down': return vscode.commands.executeCommand('tracemint.rateDown', id);
		case 'open-transcript': return vscode.commands.executeCommand('tracemint.openTranscript', id);
		case 'show-breakdown': return vscode.commands.executeCommand('tracemint.showRewardBreakdown', id);
	}
};

/** Opt In or Opt Out, whichever applies (both when the consent is not known), then the rest. */
function actionItems(optedIn: boolean | undefined): ActionItem[] {
	const items: ActionItem[] = [];
	if (optedIn !== true) items.push({ action: 'opt-in', label: '$(check) Opt In', description: 'include it in exported datasets' });
	if (optedIn !== false) items.push({ action: 'opt-out', label: '$(circle-slash) Opt Out', description: 'keep it out of exported datasets' });
	items.push(
		{ action: 'rate-up', label: '$(thumbsup) Rate 👍', description: 'a good session' },
		{ action: 'rate-down', label: '$(thumbsdown) Rate 👎', description: 'a poor session' },
		{ action: 'open-transcript', label: '$(go-to-file) Open Transcript' },
		{ action: 'show-breakdown', label: '$(graph) Show Reward Breakdown' },
	);
	return items;
}

const ACTIONS: readonly CurrentSessionAction[] = ['opt-in', 'opt-out', 'rate-up', 'rate-down', 'open-transcript', 'show-breakdown'];

function isAction(value: unknown): value is CurrentSessionAction {
	return ACTIONS.includes(value as CurrentSessionAction);
}
