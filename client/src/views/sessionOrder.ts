/**
 * How the Sessions view sorts and filters: by time, reward or gate decision, and by gate
 * decision and consent. Pure (no editor API); the state is remembered per workspace.
 */
import type { SessionSummary } from '../../../shared/model';
import type { GateDecision } from '../../../shared/quality';
import { DECISION_ORDER } from '../quality/qualityText';
import { plural } from '../text';

export type SessionSort = 'time' | 'reward' | 'gate';
export type ConsentState = 'optedIn' | 'notOptedIn';

export interface SessionFilter {
	/** Sessions with one of these decisions (see qualityDecision); empty: any. */
	decisions: GateDecision[];
	/** Empty: any. */
	consent: ConsentState[];
}

export interface SessionsViewState {
	sort: SessionSort;
	filter: SessionFilter;
}

/** What the view knows about a session's quality (from the gate report). */
export interface SessionQuality {
	reward: number | null;
	decision: GateDecision;
}

export type QualityOf = (sessionId: string) => SessionQuality | undefined;

export const SORTS: readonly SessionSort[] = ['time', 'reward', 'gate'];
export const CONSENT_STATES: readonly ConsentState[] = ['optedIn', 'notOptedIn'];
export const defaultViewState: SessionsViewState = { sort: 'time', filter: { decisions: [], consent: [] } };

const CONSENT_LABELS: Record<ConsentState, string> = { optedIn: 'opted in', notOptedIn: 'not opted in' };

export function consentLabel(state: ConsentState): string {
	return CONSENT_LABELS[state];
}

/** Whatever workspaceState held (an older shape, nothing) as a valid state. */
export function viewStateFrom(raw: unknown): SessionsViewState {
	const value = (typeof raw === 'object' && raw !== null ? raw : {}) as { sort?: unknown; filter?: { decisions?: unknown; consent?: unknown } };
	const listOf = <T>(list: unknown, allowed: readonly T[]): T[] => Array.isArray(list) ? allowed.filter((item) => list.includes(item)) : [];
	return {
		sort: SORTS.includes(value.sort as SessionSort) ? value.sort as SessionSort : defaultViewState.sort,
		filter: {
			decisions: listOf(value.filter?.decisions, DECISION_ORDER),
			consent: listOf(value.filter?.consent, CONSENT_STATES),
		},
	};
}

export function isFiltered(filter: SessionFilter): boolean {
	return filter.decisions.length > 0 || filter.consent.length > 0;
}

/** The sessions the filter lets through; a decision filter drops sessions the gates have not judged. */
export function filterSessions(sessions: readonly SessionSummary[], filter: SessionFilter, qualityOf: QualityOf): SessionSummary[] {
	return sessions.filter((session) => {
		if (filter.consent.length > 0 && !filter.consent.includes(session.opted_in ? 'optedIn' : 'notOptedIn')) {
			return false;
		}
		if (filter.decisions.length > 0) {
			const decision = qualityOf(session.id)?.decision;
			return decision !== undefined && filter.decisions.includes(decision);
		}
		return true;
	});
}

/**
 * Newest first by time; highest reward first; accepted, downgraded, rejected (best reward
 * first within each). Sessions without a score go last; ties fall back to time, then id.
 */
export function sessionComparator(sort: SessionSort, qualityOf: QualityOf): (a: SessionSummary, b: SessionSummary) => number {
	const byTime = (a: SessionSummary, b: SessionSummary): number =>
		(b.started_at ?? '').localeCompare(a.started_at ?? '') || a.id.localeCompare(b.id);
	const reward = (session: SessionSummary): number => qualityOf(session.id)?.reward ?? -1;
	const byReward = (a: SessionSummary, b: SessionSummary): number => reward(b) - reward(a);
	const rank = (session: SessionSummary): number => {
		const decision = qualityOf(session.id)?.decision;
		return decision === undefined ? DECISION_ORDER.length : DECISION_ORDER.indexOf(decision);
	};
	switch (sort) {
		case 'time': return byTime;
		case 'reward': return (a, b) => byReward(a, b) || byTime(a, b);
		case 'gate': return (a, b) => rank(a) - rank(b) || byReward(a, b) || byTime(a, b);
	}
}

/**
 * The view's message while a filter is on (a single view's title bar has no room for its
 * description): `Filter accepted, opted in: 3 of 12 sessions.`; undefined without a filter.
 */
export function filterMessage(filter: SessionFilter, shown: number, total: number): string | undefined {
	if (!isFiltered(filter)) {
		return undefined;
	}
	const what = [...filter.decisions, ...filter.consent.map(consentLabel)].join(', ');
	return shown === 0 ? `No session matches the filter (${what}).` : `Filter ${what}: ${shown} of ${plural(total, 'session')}.`;
}

/** The view's subtitle: `by reward · accepted, downgraded · opted in`; undefined for the default. */
export function viewDescription(state: SessionsViewState): string | undefined {
	const parts = state.sort === 'time' ? [] : [`by ${state.sort}`];
	if (state.filter.decisions.length > 0) parts.push(state.filter.decisions.join(', '));
	if (state.filter.consent.length > 0) parts.push(state.filter.consent.map(consentLabel).join(', '));
	return parts.length > 0 ? parts.join(' · ') : undefined;
}
