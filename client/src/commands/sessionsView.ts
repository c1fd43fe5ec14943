/**
 * The Sessions view's sort and filter (view title buttons). Automation may pass the sort or the
 * filter; otherwise a quick pick asks, showing the current choice.
 */
import * as vscode from 'vscode';
import type { GateDecision } from '../../../shared/quality';
import type { CommandFactory } from '../ctx';
import { DECISION_ORDER } from '../quality/qualityText';
import {
	CONSENT_STATES, consentLabel, defaultViewState, SORTS, viewStateFrom, type ConsentState, type SessionFilter, type SessionSort,
} from '../views/sessionOrder';
import type { SessionsTree } from '../views/sessionsTree';

const SORT_LABELS: Record<SessionSort, string> = {
	time: 'Time (newest first)',
	reward: 'Reward (highest first)',
	gate: 'Gate decision (accepted, downgraded, rejected)',
};

export const sortSessions = (tree: SessionsTree): CommandFactory => () => async (sort?: unknown): Promise<SessionSort | undefined> => {
	let chosen = SORTS.includes(sort as SessionSort) ? sort as SessionSort : undefined;
	if (!chosen) {
		const items = SORTS.map((value) => ({ value, label: SORT_LABELS[value], description: value === tree.state.sort ? 'current' : undefined }));
		chosen = (await vscode.window.showQuickPick(items, { title: 'Sort sessions by' }))?.value;
	}
	if (chosen) {
		await tree.sortBy(chosen);
	}
	return chosen;
};

type FilterItem = vscode.QuickPickItem & ({ decision: GateDecision } | { consent: ConsentState });

export const filterSessions = (tree: SessionsTree): CommandFactory => () => async (filter?: unknown): Promise<SessionFilter | undefined> => {
	let chosen = filter !== undefined ? viewStateFrom({ filter }).filter : undefined;
	if (!chosen) {
		const current = tree.state.filter;
		const items: FilterItem[] = [
			{ label: 'Gate decision', kind: vscode.QuickPickItemKind.Separator } as FilterItem,
			...DECISION_ORDER.map((decision) => ({ decision, label: decision, picked: current.decisions.includes(decision) })),
			{ label: 'Consent', kind: vscode.QuickPickItemKind.Separator } as FilterItem,
			...CONSENT_STATES.map((consent) => ({ consent, label: consentLabel(consent), picked: current.consent.includes(consent) })),
		];
		const picked = await vscode.window.showQuickPick(items, {
			title: 'Show only sessions that are… (nothing checked: all)', canPickMany: true,
		});
		if (!picked) {
			return undefined;
		}
		chosen = {
			decisions: picked.flatMap((item) => 'decision' in item ? [item.decision] : []),
			consent: picked.flatMap((item) => 'consent' in item ? [item.consent] : []),
		};
	}
	await tree.filterBy(chosen);
	return chosen;
};

export const clearSessionsFilter = (tree: SessionsTree): CommandFactory => () => () => tree.filterBy(defaultViewState.filter);
