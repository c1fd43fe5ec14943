/**
 * Every custom request and notification between the extension and the backend: a literal
 * method name plus its Params/Result types. Plain types only (no LSP runtime), so the
 * webview bundle can import it too; `lsp.ts` turns these into RequestType objects.
 */
import type { AgentId, Session, SessionSummary } from './model';
import type { ExportProgress, ExportReport, ExportSettings } from './dataset';
import type { GateReport, GateThresholds, PresetName, Rating, RewardOverrides, SessionScore, SplitOptions } from './quality';
import type { PreflightReportDto, RunMetricDto, TrainChecked, TrainProblem, TrainRunInfo, TrainSettingsObject } from './training';

export type { SplitName } from './quality';
export type { ExportReport } from './dataset';

export interface ImportWarningDto {
	file: string;
	line?: number;
	message: string;
}

export interface ImportReport {
	store: string;
	files: { scanned: number; read: number; unchanged: number; rewritten: number };
	bytes: number;
	records: number;
	malformed: number;
	torn: number;
	sessions: { added: number; updated: number; unchanged: number };
	messages: number;
	warnings: ImportWarningDto[];
	/** Sessions that were opted in by this import (only the sample import does this). */
	optedIn?: string[];
	/** Sessions (re)scanned for secrets after the import, and the findings they hold. */
	scan?: { sessions: number; findings: number };
}

export interface StoreStatus {
	store: string;
	sessions: number;
	optedIn: number;
	messages: number;
	schemaVersion: number;
}

/** client → server: every session without messages. */
export namespace ListSessions {
	export const method = 'traces/listSessions' as const;
	export type Params = { agent?: AgentId };
	export type Result = SessionSummary[];
}

/** client → server: one canonical session with its messages, or null. */
export namespace GetSession {
	export const method = 'traces/getSession' as const;
	export type Params = { id: string };
	export type Result = Session | null;
}

/** client → server: a session rendered as a readable Markdown transcript. */
export namespace RenderTranscript {
	export const method = 'traces/renderTranscript' as const;
	export type Params = { id: string };
	export type Result = { title: string; text: string } | null;
}

/** client → server: import the given paths, or every agent's default locations. */
export namespace ImportSessions {
	export const method = 'traces/importSessions' as const;
	export type Params = { paths?: string[]; agent?: AgentId };
	export type Result = ImportReport;
}

/** client → server: record consent for sessions. */
export namespace SetConsent {
	export const method = 'traces/setConsent' as const;
	/** origin: what made the change, kept in the consent log (`editor`, `status-bar`, `codelens`, `optIn.default=always`, `optIn.default=ask`). */
	export type Params = { ids: string[]; optedIn: boolean; origin?: string };
	export type Result = { changed: string[]; unknown: string[] };
}

/**
 * client → server: export the sessions the gates let through as a new dataset version. Cancelling
 * the request ($/cancelRequest) stops it and leaves no version behind. With `progressToken`, the
 * server sends ExportProgressNotification with that token while it runs.
 */
export namespace ExportDataset {
	export const method = 'traces/exportDataset' as const;
	export type Params = QualityParams & ExportSettings & { progressToken?: string };
	export type Result = ExportReport;
}

/** server → client: how far the export with this token is. */
export namespace ExportProgressNotification {
	export const method = 'traces/exportProgress' as const;
	export type Params = ExportProgress & { token: string };
}

/** client → server: where the store is and how much it holds. */
export namespace GetStatus {
	export const method = 'traces/status' as const;
	export type Params = Record<string, never>;
	export type Result = StoreStatus;
}

// ---- Sources (live capture) ----

/** One agent as a source of sessions: where its logs are, whether they are watched, what came of them. */
export interface SourceStatus {
	agent: AgentId;
	name: string;
	/** Switched on in `tracemint.capture.disabledSources` (off = neither watched nor imported). */
	enabled: boolean;
	/** At least one of its locations exists on this machine. */
	installed: boolean;
	/** `events`: native file events; `polling`: the fallback; `absent`: not on this machine; `off`: not watched. */
	locations: { dir: string; state: 'events' | 'polling' | 'absent' | 'error' | 'off'; error?: string }[];
	sessions: number;
	files: number;
	malformed: number;
	lastImportAt: string | null;
	lastError: string | null;
}

/** client → server: every known source with its locations and counts. */
export namespace ListSources {
	export const method = 'traces/listSources' as const;
	export type Params = Record<string, never>;
	export type Result = SourceStatus[];
}

/** client → server: switch sources off (the rest on); live capture follows at once. */
export namespace SetDisabledSources {
	export const method = 'traces/setDisabledSources' as const;
	export type Params = { agents: AgentId[] };
	export type Result = SourceStatus[];
}

// ---- end Sources ----

/** server → client: sessions were added, changed or removed; views should refresh. */
export namespace StoreChanged {
	export const method = 'traces/storeChanged' as const;
	export type Params = { sessionIds: string[] };
}

/**
 * server → client, once, when the backend cannot run (e.g. the native SQLite module does not
 * load under the chosen runtime). The client shows the message and does not restart the server.
 */
export namespace BackendUnavailable {
	export const method = 'traces/backendUnavailable' as const;
	/** `setting`: the setting that fixes it, for the client's button. */
	export type Params = { reason: string; fix: string; setting: 'tracemint.server.runtime' | 'tracemint.store.path' };
}

// ---- Secrets and PII findings (issue: redaction) ----

export type FindingKind = 'secret' | 'pii';
export type FindingSeverity = 'critical' | 'high' | 'medium' | 'low';
/** `redact`: the value is replaced in every output; `block`: the session is barred from export until a person decides. */
export type FindingAction = 'redact' | 'block';
/**
 * `open`: found, not reviewed (still redacted everywhere); `confirmed`: a person agreed it is sensitive;
 * `false-positive`: allowlisted by fingerprint for this user, so no longer redacted anywhere.
 */
export type FindingState = 'open' | 'confirmed' | 'false-positive';
export type FindingDecision = 'confirm' | 'false-positive' | 'reopen';

/** The value is never sent: only a mask and the (already redacted) text around it. */
export interface MaskedContext {
	before: string;
	/** e.g. `ghp_…` + length; never the whole value. */
	masked: string;
	after: string;
}

export interface FindingDto {
	/** Stable while the session's content and the rules do not change. */
	id: number;
	sessionId: string;
	ruleId: string;
	kind: FindingKind;
	severity: FindingSeverity;
	action: FindingAction;
	/** Why the rule matched (the rule's description). */
	description: string;
	/** null for the session title. */
	messageIndex: number | null;
	/** Where in the message: `content`, `reasoning`, `title`, `tool_calls[0].function.arguments`, or a JSON path below it (`tool_calls[0].function.arguments.command`). */
	field: string;
	/** JavaScript string indices into that field's text; line and column are 1-based. */
	start: number;
	end: number;
	line: number;
	column: number;
	/** Keyed HMAC of the value (per-user key); never the value. */
	fingerprint: string;
	state: FindingState;
	/** What replaces the value in exports and transcripts, e.g. `[REDACTED:github-pat#1]`. */
	placeholder: string;
	context: MaskedContext;
}

/** Why a session may not be exported; `released`: a person allowed it despite a block finding (the value is still redacted). */
export type SessionBlockState = 'none' | 'blocked-by-finding' | 'blocked-by-user' | 'released';

/** The one test of "may not be exported", shared by the export, the tree and the review webview. */
export function isExportBlocked(state: SessionBlockState | undefined): boolean {
	return state === 'blocked-by-user' || state === 'blocked-by-finding';
}

export interface SessionFindingsSummary {
	sessionId: string;
	title: string | null;
	agent: AgentId;
	startedAt: string | null;
	open: number;
	confirmed: number;
	falsePositive: number;
	block: SessionBlockState;
}

/** client → server: stored findings, filtered; sessions lists every session that has any. */
export namespace ListFindings {
	export const method = 'traces/listFindings' as const;
	export type Params = { sessionId?: string; states?: FindingState[]; severities?: FindingSeverity[]; ruleIds?: string[] };
	export type Result = { findings: FindingDto[]; sessions: SessionFindingsSummary[]; rulesVersion: number };
}

/** client → server: review decisions; `false-positive` allowlists the value's fingerprint for every session. */
export namespace DecideFindings {
	export const method = 'traces/decideFindings' as const;
	export type Params = { ids: number[]; decision: FindingDecision };
	/** changed: distinct values whose verdict changed; sessionIds: sessions holding them. */
	export type Result = { changed: number; sessionIds: string[] };
}

/** client → server: bar sessions from export (`block`) or let a person's decision release a block finding (`release`). */
export namespace SetSessionBlock {
	export const method = 'traces/setSessionBlock' as const;
	export type Params = { ids: string[]; decision: 'block' | 'release' | 'clear' };
	export type Result = { changed: string[]; unknown: string[] };
}

// ---- Reward, gates, consent (issue: reward and gates) ----

/** What decides scores and gates; each part falls back to the defaults (balanced preset, default formula). */
export interface QualityParams {
	reward?: RewardOverrides;
	preset?: PresetName;
	thresholds?: Partial<GateThresholds>;
	split?: Partial<SplitOptions>;
}

/** client → server: reward with breakdown and evidence; every session when ids is absent. */
export namespace ScoreSessions {
	export const method = 'traces/scoreSessions' as const;
	export type Params = { ids?: string[]; reward?: RewardOverrides };
	export type Result = { scores: SessionScore[]; unknown: string[] };
}

/** client → server: the gate decision of every session (the same report an export writes). */
export namespace EvaluateGates {
	export const method = 'traces/evaluateGates' as const;
	export type Params = QualityParams;
	export type Result = GateReport;
}

/** client → server: the developer's thumbs up / down (null clears it); feeds the reward. */
export namespace RateSession {
	export const method = 'traces/rateSession' as const;
	export type Params = { ids: string[]; rating: Rating | null };
	export type Result = { changed: string[]; unknown: string[] };
}

/** client → server: delete sessions and everything derived from them, and keep them out of future imports. */
export namespace ForgetSessions {
	export const method = 'traces/forgetSessions' as const;
	export type Params = { ids: string[] };
	export type Result = { forgotten: string[]; unknown: string[] };
}

// ---- Training (issue 7: LoRA runs on the developer's own host over SSH) ----
// Shapes in training.ts. Every text that comes from the host (log, failure detail, problems) is
// redacted by the server before it is sent.

/**
 * What preflight and launch are given: the workspace folder (config file, datasets, `.tracemint/runs/`),
 * its `tracemint.train.*` settings, and the answer to an unknown-host question: `acceptNewHostKey`
 * with the `expectedFingerprint` the user was shown. The server records the key only if the host
 * still presents that one.
 */
export interface TrainRequestParams {
	workspace: string;
	settings?: TrainSettingsObject;
	/** A config file (relative to the workspace); default: the first of `.tracemint/train.yaml|yml|json`. */
	configFile?: string;
	dryRun?: boolean;
	acceptNewHostKey?: boolean;
	expectedFingerprint?: string;
}

/** client → server: check the host (SSH, GPUs, Python and packages, disk) for the config; nothing is started. */
export namespace TrainPreflight {
	export const method = 'traces/trainPreflight' as const;
	export type Params = TrainRequestParams;
	export type Result = TrainChecked | TrainProblem;
}

/**
 * client → server: upload the dataset version and the trainer and start the run detached. Uses the
 * passing preflight of the same config from the last minutes, else runs one; a failing one comes
 * back as the report (`kind: 'report'`), nothing started.
 */
export namespace TrainLaunch {
	export const method = 'traces/trainLaunch' as const;
	export type Params = TrainRequestParams;
	export type Result = { kind: 'launched'; run: TrainRunInfo; report: PreflightReportDto } | TrainChecked | TrainProblem;
}

/** client → server: recorded runs, newest first, of these workspace folders (all when absent); `refresh` asks the hosts of unfinished runs. */
export namespace TrainRuns {
	export const method = 'traces/trainRuns' as const;
	export type Params = { workspaces?: string[]; refresh?: boolean };
	export type Result = TrainRunInfo[];
}

/** client → server: stop a run (SIGTERM to its process group, SIGKILL after the grace period; slurm: scancel). */
export namespace TrainCancel {
	export const method = 'traces/trainCancel' as const;
	export type Params = { run: string; graceSeconds?: number };
	/** outcome: `terminated`, `killed`, `gone`, `scancelled` or `already <state>`. */
	export type Result = { run: TrainRunInfo; outcome: string };
}

/** client → server: download a finished run's adapter (with config, log and metrics) into `.tracemint/runs/<run>/`. */
export namespace TrainFetch {
	export const method = 'traces/trainFetch' as const;
	export type Params = { run: string };
	export type Result = { run: TrainRunInfo; dir: string; adapterDir: string; files: string[] };
}

/**
 * client → server: stream a run's log and metrics (TrainLog, TrainMetrics) and its state changes
 * (TrainState) until it ends or TrainUnfollow. `start` replays everything (a window that has
 * shown nothing of the run yet); `last` goes on from what was delivered last. Following a run
 * already followed changes nothing. Lost connections are retried.
 */
export namespace TrainFollow {
	export const method = 'traces/trainFollow' as const;
	export type Params = { run: string; from?: 'start' | 'last' };
	export type Result = TrainRunInfo;
}

/** client → server: stop streaming a run (the run goes on). */
export namespace TrainUnfollow {
	export const method = 'traces/trainUnfollow' as const;
	export type Params = { run: string };
	export type Result = { following: boolean };
}

/** server → client: new log text of a followed run, whole lines, redacted. */
export namespace TrainLog {
	export const method = 'traces/trainLog' as const;
	export type Params = { run: string; text: string };
}

/** server → client: new metrics lines of a followed run. */
export namespace TrainMetrics {
	export const method = 'traces/trainMetrics' as const;
	export type Params = { run: string; metrics: RunMetricDto[] };
}

/** server → client: a followed run changed state, ended (`following: false`), or lost its connection (`error`, retried). */
export namespace TrainState {
	export const method = 'traces/trainState' as const;
	export type Params = { run: TrainRunInfo; error?: string };
}

// ---- end Training ----
