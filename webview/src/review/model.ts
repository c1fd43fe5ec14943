/**
 * The Review Secrets page's logic without the DOM: which findings a filter shows and in what
 * order, what an action applies to, and the UI state that survives a reload of the page.
 */
import type { FindingDto, FindingSeverity, FindingState, SessionBlockState, SessionFindingsSummary } from '../../../shared/protocol';
import type { ReviewFilters, ReviewState } from '../../../shared/webviewProtocol';

export const ALL = 'all';
export const SEVERITIES: readonly FindingSeverity[] = ['critical', 'high', 'medium', 'low'];
export const STATES: readonly FindingState[] = ['open', 'confirmed', 'false-positive'];

/**
 * What vscode.setState keeps while the panel is hidden (its page is thrown away and rebuilt) or
 * the webview reloads: filters, selection and the focused row. Never findings: the page asks
 * the host for fresh ones after every load.
 */
export interface UiState {
	filters: ReviewFilters;
	selected: number[];
	focusedId: number | null;
}

export function emptyUiState(): UiState {
	return { filters: { severity: ALL, ruleId: ALL, sessionId: ALL, state: ALL }, selected: [], focusedId: null };
}

/** Reads what getState returned, which may come from an older version of this page: keep what is valid. */
export function restoreUiState(saved: unknown): UiState {
	const state = emptyUiState();
	if (typeof saved !== 'object' || saved === null) return state;
	const { filters, selected, focusedId } = saved as Partial<Record<keyof UiState, unknown>>;
	if (typeof filters === 'object' && filters !== null) {
		const f = filters as Partial<Record<keyof ReviewFilters, unknown>>;
		if (f.severity === ALL || SEVERITIES.includes(f.severity as FindingSeverity)) state.filters.severity = f.severity as ReviewFilters['severity'];
		if (f.state === ALL || STATES.includes(f.state as FindingState)) state.filters.state = f.state as ReviewFilters['state'];
		if (typeof f.ruleId === 'string') state.filters.ruleId = f.ruleId;
		if (typeof f.sessionId === 'string') state.filters.sessionId = f.sessionId;
	}
	if (Array.isArray(selected)) state.selected = selected.filter((id): id is number => Number.isInteger(id));
	if (Number.isInteger(focusedId)) state.focusedId = focusedId as number;
	return state;
}

/** Drops what fresh data no longer has: selected or focused findings that are gone, a filter on a rule or session that is gone. */
export function pruneUiState(ui: UiState, data: ReviewState): UiState {
	const ids = new Set(data.findings.map((f) => f.id));
	const filters = { ...ui.filters };
	if (filters.ruleId !== ALL && !data.findings.some((f) => f.ruleId === filters.ruleId)) filters.ruleId = ALL;
	if (filters.sessionId !== ALL && !data.findings.some((f) => f.sessionId === filters.sessionId)) filters.sessionId = ALL;
	return {
		filters,
		selected: ui.selected.filter((id) => ids.has(id)),
		focusedId: ui.focusedId !== null && ids.has(ui.focusedId) ? ui.focusedId : null,
	};
}

const severityRank = (s: FindingSeverity) => SEVERITIES.indexOf(s);

/** The rows to show: filtered, most severe first, then by session and position, so the order is stable across refreshes. */
export function visibleFindings(findings: readonly FindingDto[], filters: ReviewFilters): FindingDto[] {
	return findings
		.filter((f) => (filters.severity === ALL || f.severity === filters.severity)
			&& (filters.state === ALL || f.state === filters.state)
			&& (filters.ruleId === ALL || f.ruleId === filters.ruleId)
			&& (filters.sessionId === ALL || f.sessionId === filters.sessionId))
		.sort((a, b) => severityRank(a.severity) - severityRank(b.severity)
			|| a.sessionId.localeCompare(b.sessionId)
			|| (a.messageIndex ?? -1) - (b.messageIndex ?? -1)
			|| a.start - b.start
			|| a.id - b.id);
}

/**
 * What a key or a bulk button acts on. Keys follow file lists: the whole selection when the
 * focused row is in it, else the focused row alone. Only visible findings are ever acted on,
 * so a filter never hides what an action changes.
 */
export function keyTargets(visible: readonly FindingDto[], selected: readonly number[], focusedId: number | null): FindingDto[] {
	const focused = visible.find((f) => f.id === focusedId);
	if (!focused) return [];
	return selected.includes(focused.id) ? selectedVisible(visible, selected) : [focused];
}

export function selectedVisible(visible: readonly FindingDto[], selected: readonly number[]): FindingDto[] {
	const chosen = new Set(selected);
	return visible.filter((f) => chosen.has(f.id));
}

export function sessionIdsOf(findings: readonly FindingDto[]): string[] {
	return [...new Set(findings.map((f) => f.sessionId))];
}

/** `false-positive` reads better with a space on screen; the data keeps the protocol's value. */
export function stateLabel(state: FindingState): string {
	return state === 'false-positive' ? 'false positive' : state;
}

export function blockLabel(block: SessionBlockState | undefined): string {
	switch (block) {
		case 'blocked-by-finding': return 'export blocked by a finding';
		case 'blocked-by-user': return 'export blocked by you';
		case 'released': return 'released for export';
		default: return '';
	}
}

export function sessionLabel(session: SessionFindingsSummary | undefined, sessionId: string): string {
	const title = session?.title?.trim();
	return title ? title : sessionId;
}

/** The row that should hold focus after a refresh: the same finding, else the one now at its old position. */
export function focusAfterRefresh(visible: readonly FindingDto[], focusedId: number | null, previousIndex: number): number | null {
	if (visible.length === 0) return null;
	if (focusedId !== null && visible.some((f) => f.id === focusedId)) return focusedId;
	return visible[Math.min(Math.max(previousIndex, 0), visible.length - 1)].id;
}
