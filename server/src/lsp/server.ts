/**
 * The LSP adapter: a thin layer that maps the typed requests of shared/lsp.ts onto the core.
 * The transport comes from argv (--node-ipc from the extension, --stdio for other editors).
 */
import { createConnection, ProposedFeatures, TextDocumentSyncKind } from 'vscode-languageserver/node';
import {
	BackendUnavailableNotification, ExportDatasetRequest, GetSessionRequest, GetStatusRequest, ImportSessionsRequest, ListSessionsRequest,
	RenderTranscriptRequest, SetConsentRequest, StoreChangedNotification,
} from '../../../shared/lsp';
import type { BackendUnavailable } from '../../../shared/protocol';
import { defaultSettings, type Settings } from '../../../shared/settings';
import { NativeModuleError } from '../core/store/db';
import { Tracemint, UnknownSessionError } from '../core/tracemint';

const connection = createConnection(ProposedFeatures.all);
let core: Tracemint | undefined;
let settings: Settings = defaultSettings;
let unavailable: BackendUnavailable.Params | undefined;

const log = (line: string): void => connection.console.log(line);

connection.onInitialize((params) => {
	const given = (params.initializationOptions as { settings?: Partial<Settings> } | undefined)?.settings;
	settings = { ...defaultSettings, ...given };
	try {
		core = Tracemint.open(settings.storePath || undefined);
		log(`store: ${core.store.path}`);
	} catch (error) {
		unavailable = error instanceof NativeModuleError
			? { reason: error.reason, fix: error.fix, setting: 'tracemint.server.runtime' }
			: { reason: `The trace store could not be opened: ${(error as Error).message}.`, fix: 'Check "tracemint.store.path" (or TRACEMINT_STORE) and that the folder is writable.', setting: 'tracemint.store.path' };
	}
	return { capabilities: { textDocumentSync: TextDocumentSyncKind.None } };
});

connection.onInitialized(() => {
	if (unavailable) {
		void connection.sendNotification(BackendUnavailableNotification, unavailable);
		return;
	}
	if (settings.importOnStartup) {
		// Let the client finish starting before the (synchronous) first import runs.
		setTimeout(() => runImport({}), 50);
	}
});

function ready(): Tracemint {
	if (!core) {
		throw new Error(unavailable ? `${unavailable.reason} ${unavailable.fix}` : 'The backend is not initialised yet.');
	}
	return core;
}

function runImport(params: { paths?: string[]; agent?: 'claude-code' | 'codex' }) {
	const report = ready().importSessions({ ...params, log });
	if (report.changedSessionIds.length > 0) {
		void connection.sendNotification(StoreChangedNotification, { sessionIds: report.changedSessionIds });
	}
	const { changedSessionIds: _ids, ...rest } = report;
	return rest;
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
connection.onRequest(GetSessionRequest, (params) => orNull(() => ready().getSession(params.id)));
connection.onRequest(RenderTranscriptRequest, (params) => orNull(() => ready().renderTranscript(params.id)));
connection.onRequest(ImportSessionsRequest, (params) => runImport(params));
connection.onRequest(SetConsentRequest, (params) => {
	const result = ready().setConsent(params.ids, params.optedIn, 'editor');
	if (result.changed.length > 0) {
		void connection.sendNotification(StoreChangedNotification, { sessionIds: result.changed });
	}
	return result;
});
connection.onRequest(ExportDatasetRequest, (params) => ready().exportDataset({ out: params.out, format: params.format, seed: params.seed, log }));
connection.onRequest(GetStatusRequest, () => ready().status());

connection.onShutdown(() => core?.close());
connection.listen();
