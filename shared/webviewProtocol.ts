/**
 * Messages between a webview and the extension host (GitLens style): commands go
 * webview → host, notifications host → webview. The host sends state only after `ready`.
 */
import type { FindingDecision, FindingSeverity, FindingState, ListFindings, StoreStatus } from './protocol';
import type { RunMetricDto, TrainRunInfo } from './training';

export interface IpcMessage<M extends string = string, P = unknown> {
	method: M;
	params: P;
}

export interface IpcDefinition<M extends string, P> {
	readonly method: M;
	/** Builds a typed message; compare `msg.method === Def.method` to narrow on receipt. */
	message(params: P): IpcMessage<M, P>;
}

function define<P>() {
	return <M extends string>(method: M): IpcDefinition<M, P> => ({ method, message: (params: P) => ({ method, params }) });
}

export interface OverviewAgentRow { agent: string; sessions: number; optedIn: number; messages: number }
export interface OverviewState { status: StoreStatus; agents: OverviewAgentRow[] }

/** webview → host: scripts loaded; send the state. */
export const ReadyCommand = define<Record<string, never>>()('overview/ready');
/** webview → host: run an editor command (import now, export…). */
export const RunCommand = define<{ command: 'tracemint.importNow' | 'tracemint.exportDataset' | 'tracemint.refreshSessions' }>()('overview/run');
/** host → webview: the whole state to render. */
export const StateNotification = define<OverviewState>()('overview/state');

// ---- Review Secrets panel (client/src/webviews/reviewSecretsPanel.ts ↔ webview/src/review) ----
// Privacy: only FindingDto travels here (a mask plus context the server already redacted); a raw
// value never does, so nothing the webview holds, renders or saves with setState is a secret.

/** host → webview: every finding across sessions; `problem` says why the list is empty when the backend is down. */
export interface ReviewState extends ListFindings.Result {
	problem?: string;
}

/** The filters a reviewer sets; `all` switches one off. Filtering is done in the webview. */
export interface ReviewFilters {
	severity: FindingSeverity | 'all';
	ruleId: string;
	sessionId: string;
	state: FindingState | 'all';
}

/**
 * webview → host after every render: what the page shows now. `instance` changes when the page
 * reloads (the panel was hidden and shown), so the e2e suite can tell a fresh page from an old one.
 * `cspViolations` lists `directive blocked-uri [at file:line] sample` for each Content-Security-Policy violation seen.
 */
export interface ReviewRendered {
	instance: string;
	visibleIds: number[];
	selectedIds: number[];
	focusedId: number | null;
	filters: ReviewFilters;
	cspViolations: string[];
}

/** webview → host: scripts loaded; send the state (again after each reload). */
export const ReviewReadyCommand = define<Record<string, never>>()('review/ready');
/** webview → host: a review decision on findings (single or bulk). */
export const ReviewDecideCommand = define<{ ids: number[]; decision: FindingDecision }>()('review/decide');
/** webview → host: bar sessions from export, or release them despite a block finding. */
export const ReviewBlockCommand = define<{ sessionIds: string[]; decision: 'block' | 'release' }>()('review/block');
/** webview → host: open the session's (redacted) transcript beside the panel. */
export const ReviewOpenTranscriptCommand = define<{ sessionId: string }>()('review/openTranscript');
/** webview → host: the page rendered (see ReviewRendered). */
export const ReviewRenderedCommand = define<ReviewRendered>()('review/rendered');
/** host → webview: the whole state to render, after ready and after every store change. */
export const ReviewStateNotification = define<ReviewState>()('review/state');

// ---- Training run view (client/src/training/runPanel.ts ↔ webview/src/training) ----
// Only what the server already redacted travels here: the run record and its metrics, never log text.

/** host → webview: everything the page shows. `summary`: the config as label/value rows. */
export interface RunViewState {
	run: TrainRunInfo;
	metrics: RunMetricDto[];
	summary: [string, string][];
	/** Why the run's metrics may be incomplete (the backend is down, the host did not answer). */
	problem?: string;
}

export type RunViewAction = 'cancel' | 'fetch' | 'showLog' | 'revealAdapter';

/** webview → host after every render: what the chart shows, for tests (`cspViolations` as in ReviewRendered). */
export interface RunViewRendered {
	runId: string;
	state: string;
	lossPoints: number;
	evalLossPoints: number;
	cspViolations: string[];
}

/** webview → host: scripts loaded; send the state (again after each reload). */
export const RunViewReadyCommand = define<Record<string, never>>()('runView/ready');
/** webview → host: a button of the page (cancel the run, download or reveal the adapter, show the log). */
export const RunViewActionCommand = define<{ action: RunViewAction }>()('runView/action');
/** webview → host: the page rendered (see RunViewRendered). */
export const RunViewRenderedCommand = define<RunViewRendered>()('runView/rendered');
/** host → webview: the whole state, after ready. */
export const RunViewStateNotification = define<RunViewState>()('runView/state');
/** host → webview: new metrics lines of the run, to append. */
export const RunViewMetricsNotification = define<{ runId: string; metrics: RunMetricDto[] }>()('runView/metrics');
/** host → webview: the run record changed (state, last metric, adapter). */
export const RunViewRunNotification = define<{ run: TrainRunInfo; problem?: string }>()('runView/run');
