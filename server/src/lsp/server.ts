/**
 * The LSP adapter: a thin layer that maps the typed requests of shared/lsp.ts onto the core.
 * The transport comes from argv (--node-ipc from the extension, --stdio for other editors).
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConnection, LSPErrorCodes, ProposedFeatures, ResponseError, TextDocumentSyncKind } from 'vscode-languageserver/node';
import type { ExportProgress } from '../../../shared/dataset';
import {
	BackendUnavailableNotification, DecideFindingsRequest, EvaluateGatesRequest, ExportDatasetRequest, ExportProgressNotification, ForgetSessionsRequest, GetSessionRequest,
	GetStatusRequest, ImportSessionsRequest, ListFindingsRequest, ListSessionsRequest, RateSessionRequest, RenderTranscriptRequest,
	ScoreSessionsRequest, SetConsentRequest, SetSessionBlockRequest, StoreChangedNotification,
	ListSourcesRequest, SetDisabledSourcesRequest,
} from '../../../shared/lsp';
import type { BackendUnavailable } from '../../../shared/protocol';
import type { AgentId } from '../../../shared/model';
import type { RewardOverrides } from '../../../shared/quality';
import { defaultSettings, disabledSourcesFrom, type Settings } from '../../../shared/settings';
import { redactLine } from '../core/redact/redactLine';
import { NativeModuleError } from '../core/store/db';
import type { LiveCapture } from '../core/live/liveCapture';
import { Tracemint, UnknownSessionError } from '../core/tracemint';
import { FindingDiagnostics } from './diagnostics';
import { registerTrainingHandlers } from './trainingHandlers';

const connection = createConnection(ProposedFeatures.all);
let core: Tracemint | undefined;
let settings: Settings = defaultSettings;
let unavailable: BackendUnavailable.Params | undefined;

/** Log lines may carry parser errors quoting a session line, so they are redacted too. */
const log = (line: string): void => connection.console.log(redactLine(line));
const diagnostics = new FindingDiagnostics(connection, { core: () => core, scanning: () => scanning, log });
// Training (issue 7): one Training per workspace folder; followers stop and SSH connections close on shutdown.
const training = registerTrainingHandlers(connection, { db: () => ready().store.db, log });

connection.onInitialize((params) => {
	const given = (params.initializationOptions as { settings?: Partial<Settings> } | undefined)?.settings;
	settings = { ...defaultSettings, ...given };
	workspaceFolders = (params.workspaceFolders ?? []).filter((f) => f.uri.startsWith('file:')).map((f) => fileURLToPath(f.uri));
	try {
		core = Tracemint.open(settings.storePath || undefined);
		log(`store: ${core.store.path}`);
	} catch (error) {
		unavailable = error instanceof NativeModuleError
			? { reason: error.reason, fix: error.fix, setting: 'tracemint.server.runtime' }
			: { reason: `The trace store could not be opened: ${(error as Error).message}.`, fix: 'Check "tracemint.store.path" (or TRACEMINT_STORE) and that the folder is writable.', setting: 'tracemint.store.path' };
	}
	return { capabilities: { textDocumentSync: TextDocumentSyncKind.None, ...diagnostics.initialize(params) } };
});

connection.onInitialized(() => {
	if (unavailable) {
		void connection.sendNotification(BackendUnavailableNotification, unavailable);
		return;
	}
	// Let the client finish starting before the (synchronous) first import runs; without one, still
	// re-scan what a newer RULES_VERSION or an import by the CLI left stale.
	setTimeout(() => {
		if (settings.importOnStartup) {
			runImport({});
		} else {
			void scanInBackground();
		}
		if (settings.captureLive) void startLiveCapture();
	}, 50);
	diagnostics.start();
});

function ready(): Tracemint {
	if (!core) {
		throw new Error(unavailable ? `${unavailable.reason} ${unavailable.fix}` : 'The backend is not initialised yet.');
	}
	return core;
}

function storeChanged(sessionIds: string[]): void {
	diagnostics.sessionsChanged(sessionIds);
	if (sessionIds.length > 0) {
		void connection.sendNotification(StoreChangedNotification, { sessionIds });
	}
}

/** Imports now; the secret scan of what changed runs after, yielding between sessions so requests are still answered. */
function runImport(params: { paths?: string[]; agent?: AgentId }) {
	const report = ready().importSessions({ ...params, skip: settings.disabledSources, log, scan: false });
	imported(report);
	const { changedSessionIds: _ids, ...rest } = report;
	return rest;
}

function imported(report: { changedSessionIds: string[] }): void {
	storeChanged(report.changedSessionIds);
	void scanInBackground();
}

let live: LiveCapture | undefined;
let workspaceFolders: string[] = [];

/** Watches every agent location, plus `.tracemint/traces/` and Aider histories in the workspace folders. */
async function startLiveCapture(): Promise<void> {
	try {
		live = await ready().watch({
			mode: settings.capturePolling ? 'polling' : 'auto',
			disabled: settings.disabledSources,
			extraRoots: workspaceFolders.flatMap((folder) => [
				{ dir: path.join(folder, '.tracemint', 'traces'), agents: ['tracemint', 'otel'] },
				{ dir: folder, agents: ['aider'], maxDepth: 2 },
			]),
			scan: false,
			log,
			onImported: imported,
		});
		log(`live capture: watching ${live.status().flatMap((s) => s.roots).filter((r) => r.state === 'events' || r.state === 'polling').length} folders`);
	} catch (error) {
		log(`live capture could not start: ${(error as Error).message}`);
	}
}

let scanning: Promise<void> | undefined;
async function scanInBackground(): Promise<void> {
	if (scanning) return scanning;
	scanning = (async () => {
		try {
			const report = await ready().rescanAsync();
			if (report.scanned > 0) {
				log(`secrets: scanned ${report.scanned} sessions, ${report.findings} findings`);
				storeChanged(report.sessionIds);
			}
		} catch (error) {
			log(`secrets: scan failed: ${(error as Error).message}`);
		} finally {
			scanning = undefined;
		}
	})();
	return scanning;
}

async function prepareQuality(reward: RewardOverrides | undefined): Promise<void> {
	await scanInBackground();
	await ready().prepareQuality(reward);
}

/** Unknown ids are a normal answer (null), not an error the client must catch. */
function orNull<T>(fn: () => T): T | null {
	try {
		return fn();
	} catch (error) {
		if (error instanceof UnknownSessionError) {
			return null;
		}
		throw error;
	}
}

connection.onRequest(ListSessionsRequest, (params) => ready().listSessions({ agent: params.agent }));
// Nothing leaves the store unredacted: sessions and transcripts go out with placeholders.
connection.onRequest(GetSessionRequest, (params) => orNull(() => ready().redactedSession(params.id)));
connection.onRequest(RenderTranscriptRequest, (params) => orNull(() => {
	const { title, text } = ready().renderTranscript(params.id);
	return { title, text };
}));
connection.onRequest(ImportSessionsRequest, (params) => runImport(params));
connection.onRequest(SetConsentRequest, (params) => {
	const result = ready().setConsent(params.ids, params.optedIn, params.origin ?? 'editor');
	storeChanged(result.changed);
	return result;
});
// Wait for the background scan rather than letting listFindings finish it synchronously, which would
// hold every other request for as long as the remaining sessions take.
connection.onRequest(ListFindingsRequest, async (params) => {
	await scanInBackground();
	return ready().listFindings(params);
});
connection.onRequest(DecideFindingsRequest, (params) => {
	const result = ready().decideFindings(params.ids, params.decision, 'editor');
	storeChanged(result.sessionIds);
	return result;
});
connection.onRequest(SetSessionBlockRequest, (params) => {
	const result = ready().setSessionBlock(params.ids, params.decision, 'editor');
	storeChanged(result.changed);
	return result;
});
// Scores and gates read findings and cached scores; both are brought up to date without holding other requests.
connection.onRequest(ScoreSessionsRequest, async (params) => {
	await prepareQuality(params.reward);
	return ready().scoreSessions(params.ids, params.reward);
});
connection.onRequest(EvaluateGatesRequest, async (params) => {
	await prepareQuality(params.reward);
	return ready().gate(params);
});
connection.onRequest(RateSessionRequest, (params) => {
	const result = ready().rate(params.ids, params.rating, 'editor');
	storeChanged(result.changed);
	return result;
});
connection.onRequest(ForgetSessionsRequest, (params) => {
	const result = ready().forget(params.ids, 'editor');
	storeChanged(result.forgotten);
	return result;
});
// Cancelling the request ($/cancelRequest) aborts the export, which then leaves no version behind.
connection.onRequest(ExportDatasetRequest, async ({ progressToken, ...params }, token) => {
	await prepareQuality(params.reward);
	const abort = new AbortController();
	const onCancel = token.onCancellationRequested(() => abort.abort());
	const progress = progressToken === undefined ? undefined
		: throttled(100, (update: ExportProgress) => void connection.sendNotification(ExportProgressNotification, { token: progressToken, ...update }));
	try {
		if (token.isCancellationRequested) {
			abort.abort();
		}
		const report = await ready().exportDataset({ ...params, log, signal: abort.signal, onProgress: progress?.push });
		progress?.flush();
		return report;
	} catch (error) {
		if ((error as Error | undefined)?.name === 'AbortError') {
			throw new ResponseError(LSPErrorCodes.RequestCancelled, 'Export cancelled; nothing was written.');
		}
		throw error;
	} finally {
		progress?.stop();
		onCancel.dispose();
	}
});

/**
 * Sends at most one value per `ms` (the latest; the core reports after every session), plus the
 * last one on flush so the client ends on the exact count.
 */
function throttled<T>(ms: number, send: (value: T) => void): { push(value: T): void; flush(): void; stop(): void } {
	let last = 0;
	let pending: { value: T } | undefined;
	let timer: NodeJS.Timeout | undefined;
	const fire = (): void => {
		clearTimeout(timer);
		timer = undefined;
		if (pending) {
			last = Date.now();
			send(pending.value);
			pending = undefined;
		}
	};
	return {
		push(value) {
			pending = { value };
			const wait = last + ms - Date.now();
			if (wait <= 0) {
				fire();
			} else {
				timer ??= setTimeout(fire, wait);
			}
		},
		flush: fire,
		stop() {
			clearTimeout(timer);
			pending = undefined;
		},
	};
}
connection.onRequest(GetStatusRequest, () => ready().status());

connection.onRequest(ListSourcesRequest, () => ready().sources(live));
connection.onRequest(SetDisabledSourcesRequest, async ({ agents }) => {
	settings = { ...settings, disabledSources: disabledSourcesFrom(agents) };
	await live?.setDisabled(settings.disabledSources);
	return ready().sources(live);
});

connection.onShutdown(async () => {
	await training.close();
	await live?.close();
	core?.close();
});
connection.listen();
