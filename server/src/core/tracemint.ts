/**
 * The backend core as one object: everything the CLI and the LSP server do goes through
 * here, so both adapters run the same code. No editor or LSP imports below this folder.
 */
import * as fs from 'node:fs';
import { AGENT_NAMES, type AgentId, type Session, type SessionSummary } from '../../../shared/model';
import type {
	DecideFindings, ExportReport, FindingDecision, ForgetSessions, ImportReport, ListFindings, QualityParams, RateSession, ScoreSessions,
	SessionBlockState, SetSessionBlock, SourceStatus, StoreStatus,
} from '../../../shared/protocol';
import type { GateReport, Rating, RewardOverrides } from '../../../shared/quality';
import { importers } from './capture/registry';
import type { LocationEnv } from './capture/importer';
import { exportDataset, type ExportOptions } from './export/exportDataset';
import { decideFindings, setSessionBlock, type BlockDecision } from './findings/decisions';
import { listFindings } from './findings/listFindings';
import { titleRedactor } from './findings/publicTitles';
import { rescanIfStale, rescanStale, rescanStaleAsync, type RescanReport } from './findings/rescan';
import { reviewSession, type SessionReview } from './findings/sessionReview';
import { transcriptMarks, type TranscriptMark } from './findings/transcriptMarks';
import { ImportRunner, type ImportOptions } from './importing/importRunner';
import { LiveCapture, type LiveCaptureOptions } from './live/liveCapture';
import { gateReport } from './quality/gateReport';
import { scoreOf, warmQuality } from './quality/sessionScores';
import { resolveRewardConfig } from './reward';
import { currentLocationEnv, resolveStorePath } from './paths';
import { TraceStore } from './store/store';
import { renderTranscript } from './transcript';

export class UnknownSessionError extends Error {
	constructor(query: string, matches: string[]) {
		super(matches.length === 0
			? `No session matches "${query}". List them with: tracemint sessions`
			: `"${query}" matches ${matches.length} sessions (${matches.slice(0, 3).join(', ')}${matches.length > 3 ? ', …' : ''}); give more of the id.`);
		this.name = 'UnknownSessionError';
	}
}

export class Tracemint {
	private constructor(readonly store: TraceStore, private readonly loc: LocationEnv) {}

	/** Opens (creating if needed) the store at `storePath`, TRACEMINT_STORE, or the platform default. */
	static open(storePath?: string, loc: LocationEnv = currentLocationEnv()): Tracemint {
		return new Tracemint(TraceStore.open(resolveStorePath(storePath, loc)), loc);
	}

	/** Imports, then scans changed sessions for secrets unless `scan: false` (a server scans asynchronously itself). */
	importSessions(options: ImportOptions & { scan?: boolean } = {}): ImportReport & { changedSessionIds: string[] } {
		const report = new ImportRunner(this.store, importers, this.loc).run(options);
		if (options.scan === false) return report;
		const scan = this.rescan();
		return { ...report, scan: { sessions: scan.scanned, findings: scan.findings } };
	}

	/** Scans sessions that are new, changed, or were scanned by an older RULES_VERSION. */
	rescan(): RescanReport {
		return rescanStale(this.store);
	}

	rescanAsync(): Promise<RescanReport> {
		return rescanStaleAsync(this.store);
	}

	/** Titles are redacted: a title is the first user prompt, which may hold a pasted secret. */
	listSessions(filter: { agent?: AgentId; optedInOnly?: boolean } = {}): SessionSummary[] {
		const publicTitle = titleRedactor(this.store);
		return this.store.sessions.list(filter).map((s) => ({ ...s, title: publicTitle(s.id, s.title) }));
	}

	/** Resolves a full id, the agent's own id, or a unique prefix of either. */
	resolveSessionId(query: string): string {
		const matches = this.store.sessions.resolveId(query);
		if (matches.length !== 1) {
			throw new UnknownSessionError(query, matches);
		}
		return matches[0];
	}

	getSession(query: string): Session {
		return this.store.sessions.get(this.resolveSessionId(query))!;
	}

	isOptedIn(id: string): boolean {
		return this.store.sessions.isOptedIn(id);
	}

	/** Findings, the redacted session and its export block state; the only way sessions leave the store. */
	review(query: string): SessionReview {
		return this.reviewOf(this.getSession(query));
	}

	/** The session with every finding a person has not called a false positive replaced by its placeholder. */
	redactedSession(query: string): Session {
		return this.review(query).redacted.session;
	}

	/** A redacted Markdown transcript, with where each placeholder sits and the session's export block state, for diagnostics. */
	renderTranscript(query: string): { title: string; text: string; marks: TranscriptMark[]; block: SessionBlockState } {
		const original = this.getSession(query);
		const review = this.reviewOf(original);
		const session = review.redacted.session;
		const text = renderTranscript(session, this.isOptedIn(session.id), review);
		return { title: session.title ?? session.id, text, marks: transcriptMarks(text, review, original), block: review.block };
	}

	listFindings(params: ListFindings.Params = {}): ListFindings.Result {
		this.rescan();
		return listFindings(this.store, { ...params, sessionId: params.sessionId === undefined ? undefined : this.resolveSessionId(params.sessionId) });
	}

	decideFindings(ids: number[], decision: FindingDecision, origin: string): DecideFindings.Result {
		return decideFindings(this.store, ids, decision, origin);
	}

	/** `block` bars sessions from export, `release` lets a person's decision override a blocking finding, `clear` forgets both. */
	setSessionBlock(queries: string[], decision: BlockDecision, origin: string): SetSessionBlock.Result {
		const { ids, unknown } = this.resolveAll(queries);
		return { changed: setSessionBlock(this.store, ids, decision, origin), unknown };
	}

	/** Consent given to a session covers the subagent sessions it spawned. */
	setConsent(queries: string[], optedIn: boolean, origin: string): { changed: string[]; unknown: string[] } {
		const { ids, unknown } = this.resolveAll(queries);
		return { changed: this.store.consent.set([...new Set(ids.flatMap((id) => this.withDescendants(id)))], optedIn, origin), unknown };
	}

	/** Reward with breakdown and evidence, for the given sessions or all of them. */
	scoreSessions(queries?: string[], reward?: RewardOverrides): ScoreSessions.Result {
		const config = resolveRewardConfig(reward);
		const { ids, unknown } = queries ? this.resolveAll(queries) : { ids: this.store.sessions.list().map((s) => s.id), unknown: [] };
		return { scores: ids.map((id) => scoreOf(this.store, { id }, config)), unknown };
	}

	/** Every session's gate decision; the export applies exactly this report. */
	gate(params: QualityParams = {}): GateReport {
		this.rescan();
		return gateReport(this.store, params);
	}

	/**
	 * Fills the score and signal caches without blocking for long (see warmQuality); the server calls it
	 * before gating, after its background scan (a session still stale is scanned when it is scored).
	 */
	async prepareQuality(reward?: RewardOverrides): Promise<void> {
		await warmQuality(this.store, resolveRewardConfig(reward));
	}

	rate(queries: string[], rating: Rating | null, origin: string): RateSession.Result {
		const { ids, unknown } = this.resolveAll(queries);
		return { changed: this.store.ratings.set(ids, rating, origin), unknown };
	}

	/** Deletes sessions (with the subagents they spawned) and everything derived; they never come back on import. */
	forget(queries: string[], origin: string): ForgetSessions.Result {
		const { ids, unknown } = this.resolveAll(queries);
		const all = [...new Set(ids.flatMap((id) => this.withDescendants(id)))];
		return { forgotten: this.store.forgotten.forget(all, origin), unknown };
	}

	/** A new dataset version of the sessions the gates let through; see export/exportDataset.ts. */
	exportDataset(options: ExportOptions & QualityParams): Promise<ExportReport> {
		const { reward, preset, thresholds, split, ...rest } = options;
		return exportDataset(this.store, importers, this.gate({ reward, preset, thresholds, split }), rest);
	}

	/**
	 * Starts watching every agent location (plus `extraRoots`); files written there are imported
	 * as they grow. `onImported` gets each import's report (the LSP server tells the editor).
	 */
	async watch(options: Omit<LiveCaptureOptions, 'importers' | 'loc' | 'importFiles'> & {
		onImported?: (report: ImportReport & { changedSessionIds: string[] }) => void;
		scan?: boolean;
	} = {}): Promise<LiveCapture> {
		const live = new LiveCapture({
			...options, importers, loc: this.loc,
			importFiles: (agent, paths) => {
				const report = this.importSessions({ paths, agent, log: options.log, scan: options.scan });
				options.onImported?.(report);
			},
		});
		await live.start();
		return live;
	}

	/** Every source: its locations (watched or not), and what the store holds from it. */
	sources(live?: LiveCapture): SourceStatus[] {
		const sessions = this.store.sessions.countByAgent();
		const files = this.store.sourceFiles.statsByAgent();
		const watched = new Map(live?.status().map((s) => [s.agent, s]));
		return importers.map((importer) => {
			const w = watched.get(importer.agent);
			const locations = w?.roots ?? importer.defaultRoots(this.loc).map((dir) => ({ dir, state: fs.existsSync(dir) ? 'off' as const : 'absent' as const }));
			const stats = files.get(importer.agent);
			return {
				agent: importer.agent,
				name: AGENT_NAMES[importer.agent],
				enabled: w?.enabled ?? true,
				installed: locations.some((l) => l.state !== 'absent'),
				locations,
				sessions: sessions.get(importer.agent) ?? 0,
				files: stats?.files ?? 0,
				malformed: stats?.malformed ?? 0,
				lastImportAt: w?.lastImportAt ?? stats?.lastImportAt ?? null,
				lastError: w?.lastError ?? null,
			};
		});
	}

	status(): StoreStatus {
		const counts = this.store.sessions.counts();
		return { store: this.store.path, sessions: counts.sessions, optedIn: counts.optedIn, messages: counts.messages, schemaVersion: this.store.schemaVersion };
	}

	close(): void {
		this.store.close();
	}

	private reviewOf(session: Session): SessionReview {
		rescanIfStale(this.store, session);
		return reviewSession(this.store, session);
	}

	private resolveAll(queries: string[]): { ids: string[]; unknown: string[] } {
		const ids: string[] = [];
		const unknown: string[] = [];
		for (const query of queries) {
			const matches = this.store.sessions.resolveId(query);
			if (matches.length === 1) ids.push(matches[0]);
			else unknown.push(query);
		}
		return { ids, unknown };
	}

	private withDescendants(id: string): string[] {
		const all = [id];
		for (let i = 0; i < all.length; i++) {
			all.push(...this.store.sessions.childrenOf(all[i]).filter((child) => !all.includes(child)));
		}
		return all;
	}
}
