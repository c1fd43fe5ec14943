/**
 * Findings as diagnostics: on each session's transcript (one per placeholder: the rule, why it
 * matched, a mask of the value, the review state), and on workspace files that hold a value a
 * session sent to an agent. Rounds are debounced, wait for the background secret scan rather
 * than scanning synchronously, and yield between sessions so requests are still answered.
 * Messages carry masks and placeholders only, never a value.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
	DiagnosticSeverity, DidChangeWatchedFilesNotification, type Connection, type Diagnostic, type Disposable, type InitializeParams,
	type ServerCapabilities, type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DIAGNOSTIC_SOURCE, type FindingDiagnosticData } from '../../../shared/findingActions';
import type { SessionBlockState } from '../../../shared/protocol';
import { transcriptUriString } from '../../../shared/transcriptUri';
import type { TranscriptMark } from '../core/findings/transcriptMarks';
import {
	DEFAULT_EXPOSURE_LIMITS, exposureMessage, findWorkspaceExposure, NamedPathsCache, type ExposedValue,
} from '../core/findings/workspaceExposure';
import { UnknownSessionError, type Tracemint } from '../core/tracemint';
import { CODE_ACTION_CAPABILITY, registerFindingCodeActions } from './codeActions';

/** Transcripts (re)published per round; the newest sessions win. */
const MAX_SESSIONS_PER_ROUND = 1000;
/** Store changes come in bursts (an import, then its scan); one round covers a burst. */
const DEBOUNCE_MS = 150;

export interface DiagnosticsDeps {
	core(): Tracemint | undefined;
	/** The background secret scan in flight, if any. */
	scanning(): Promise<void> | undefined;
	log(line: string): void;
}

interface Folder {
	uri: string;
	path: string;
}

export class FindingDiagnostics {
	private folders: Folder[] = [];
	private readonly pending = new Set<string>();
	private everySession = false;
	private timer: NodeJS.Timeout | undefined;
	private rounds: Promise<void> = Promise.resolve();
	/** Sessions and files that have diagnostics now, so a round can clear what no longer applies. */
	private readonly transcripts = new Set<string>();
	private exposedFiles = new Set<string>();
	private readonly namedPaths = new NamedPathsCache();
	private watchedNames = '';
	private watcher: Promise<Disposable> | undefined;

	constructor(private readonly connection: Connection, private readonly deps: DiagnosticsDeps) {
		registerFindingCodeActions(connection);
		connection.onDidChangeWatchedFiles(() => this.schedule([]));
	}

	/** From onInitialize: the workspace folders, and the capabilities diagnostics add. */
	initialize(params: InitializeParams): ServerCapabilities {
		this.setFolders(params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []));
		return { codeActionProvider: CODE_ACTION_CAPABILITY, workspace: { workspaceFolders: { supported: true, changeNotifications: true } } };
	}

	/**
	 * Publishes everything after the startup import and scan (the round starts DEBOUNCE_MS from now,
	 * after the server's 50 ms startup timer began them, and waits for the scan), then follows folder changes.
	 */
	start(): void {
		try {
			this.connection.workspace.onDidChangeWorkspaceFolders(({ added, removed }) => {
				const gone = new Set(removed.map((f) => trimSlash(f.uri)));
				this.setFolders([...this.folders.filter((f) => !gone.has(f.uri)), ...added]);
				this.schedule([]);
			});
		} catch {
			// The client cannot change folders (or has none); the ones from initialize stay.
		}
		this.schedule(undefined);
	}

	/** Hooked to every StoreChanged the server sends; `undefined` re-publishes every session. */
	sessionsChanged(sessionIds: readonly string[] | undefined): void {
		if (sessionIds?.length !== 0) this.schedule(sessionIds);
	}

	private setFolders(folders: readonly Pick<WorkspaceFolder, 'uri'>[]): void {
		// Folders elsewhere (a virtual file system) have no files this process can read.
		this.folders = folders.filter((f) => f.uri.startsWith('file:')).map((f) => ({ uri: trimSlash(f.uri), path: fileURLToPath(f.uri) }));
	}

	private schedule(sessionIds: readonly string[] | undefined): void {
		if (sessionIds === undefined) this.everySession = true;
		else sessionIds.forEach((id) => this.pending.add(id));
		this.timer ??= setTimeout(() => {
			this.timer = undefined;
			this.rounds = this.rounds.then(() => this.round()).catch((error: unknown) => this.deps.log(`diagnostics: ${(error as Error).message}`));
		}, DEBOUNCE_MS);
	}

	private async round(): Promise<void> {
		await this.deps.scanning();
		const core = this.deps.core();
		if (!core) return;
		for (const id of this.takeSessions(core)) {
			await yieldToRequests();
			let diagnostics: Diagnostic[];
			try {
				diagnostics = this.transcriptDiagnostics(core, id);
			} catch (error) {
				// One session that cannot be rendered must not keep the others' diagnostics stale.
				this.deps.log(`diagnostics: ${id}: ${(error as Error).message}`);
				continue;
			}
			if (diagnostics.length === 0 && !this.transcripts.has(id)) continue;
			void this.connection.sendDiagnostics({ uri: transcriptUriString(id), diagnostics });
			if (diagnostics.length > 0) this.transcripts.add(id);
			else this.transcripts.delete(id);
		}
		await yieldToRequests();
		this.publishExposure(core);
	}

	/** What this round re-publishes: changed sessions that have (or had) applied findings. */
	private takeSessions(core: Tracemint): string[] {
		const withFindings = core.store.findings.sessionTotals().filter((t) => t.open + t.confirmed > 0).map((t) => t.sessionId);
		const wanted = this.everySession ? [...new Set([...withFindings, ...this.transcripts])] : [...this.pending];
		this.everySession = false;
		this.pending.clear();
		// Newest first (sessionTotals' order); sessions whose findings are gone only need clearing, so they go first.
		const rank = new Map(withFindings.map((id, i) => [id, i]));
		const ids = wanted.filter((id) => rank.has(id) || this.transcripts.has(id)).sort((a, b) => (rank.get(a) ?? -1) - (rank.get(b) ?? -1));
		if (ids.length > MAX_SESSIONS_PER_ROUND) {
			this.deps.log(`diagnostics: ${ids.length} sessions have findings; publishing the newest ${MAX_SESSIONS_PER_ROUND}`);
		}
		return ids.slice(0, MAX_SESSIONS_PER_ROUND);
	}

	private transcriptDiagnostics(core: Tracemint, sessionId: string): Diagnostic[] {
		let rendered: ReturnType<Tracemint['renderTranscript']>;
		try {
			rendered = core.renderTranscript(sessionId);
		} catch (error) {
			if (error instanceof UnknownSessionError) return [];
			throw error;
		}
		if (rendered.marks.length === 0) return [];
		// The client shows exactly this text, so offsets convert to the positions it will see.
		const document = TextDocument.create(transcriptUriString(sessionId), 'markdown', 0, rendered.text);
		return rendered.marks.map((mark) => findingDiagnostic(mark, document, sessionId, rendered.block));
	}

	private publishExposure(core: Tracemint): void {
		const exposures = this.folders.length === 0 ? [] : findWorkspaceExposure(core.store, this.folders.map((f) => f.path), DEFAULT_EXPOSURE_LIMITS, this.namedPaths);
		const now = new Map(exposures.map((e) => [this.fileUri(e.file), e.values.map(exposureDiagnostic)]));
		for (const uri of this.exposedFiles) if (!now.has(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
		for (const [uri, diagnostics] of now) void this.connection.sendDiagnostics({ uri, diagnostics });
		this.exposedFiles = new Set(now.keys());
		this.watch(['.env*', ...exposures.map((e) => path.basename(e.file))]);
	}

	/** A rotated key or an edited `.env` changes what is exposed: re-check when such files change on disk. */
	private watch(names: string[]): void {
		const key = [...new Set(names)].sort().join('/');
		if (key === this.watchedNames) return;
		this.watchedNames = key;
		const previous = this.watcher;
		this.watcher = this.connection.client.register(DidChangeWatchedFilesNotification.type, {
			watchers: key.split('/').map((name) => ({ globPattern: `**/${name.replace(/[[\]{}?]/g, '[$&]')}` })),
		});
		void previous?.then((registration) => registration.dispose());
		this.watcher.catch((error: unknown) => this.deps.log(`diagnostics: cannot watch files: ${(error as Error).message}`));
	}

	/** Below the folder's own URI, so the client matches it to the document it has open (drive-letter case and all). */
	private fileUri(file: string): string {
		const folder = this.folders.find((f) => {
			const relative = path.relative(f.path, file);
			return relative.split(path.sep)[0] !== '..' && !path.isAbsolute(relative);
		});
		if (!folder) return pathToFileURL(file).href;
		return `${folder.uri}/${path.relative(folder.path, file).split(path.sep).map(encodeURIComponent).join('/')}`;
	}
}

function findingDiagnostic(mark: TranscriptMark, document: TextDocument, sessionId: string, block: SessionBlockState): Diagnostic {
	const data: FindingDiagnosticData = { sessionId, findingIds: mark.findingIds, state: mark.state, block };
	const blocks = mark.action === 'block' && block !== 'released';
	return {
		range: { start: document.positionAt(mark.start), end: document.positionAt(mark.end) },
		severity: blocks ? DiagnosticSeverity.Error : mark.state === 'confirmed' ? DiagnosticSeverity.Information : DiagnosticSeverity.Warning,
		source: DIAGNOSTIC_SOURCE,
		code: mark.ruleId,
		message: findingMessage(mark, blocks),
		data,
	};
}

/** `GitHub classic personal access token… (github-pat, critical). Value: ghp_…(40 chars). Redacted in exports as [REDACTED:github-pat#1]. Not reviewed yet.` */
function findingMessage(mark: TranscriptMark, blocks: boolean): string {
	const why = mark.description.replace(/\.\s*$/, '');
	const state = mark.state === 'confirmed' ? 'Confirmed as sensitive.' : 'Not reviewed yet.';
	const blocking = blocks ? ' Blocks export of this session until a person releases it.' : '';
	return `${why} (${mark.ruleId}, ${mark.severity}). Value: ${mark.mask}. Redacted in exports as ${mark.placeholder}. ${state}${blocking}`;
}

function exposureDiagnostic(value: ExposedValue): Diagnostic {
	return {
		range: { start: { line: value.line - 1, character: value.column - 1 }, end: { line: value.endLine - 1, character: value.endColumn - 1 } },
		severity: DiagnosticSeverity.Warning,
		source: DIAGNOSTIC_SOURCE,
		code: value.ruleId,
		message: exposureMessage(value),
	};
}

function trimSlash(uri: string): string {
	return uri.replace(/\/$/, '');
}

function yieldToRequests(): Promise<void> {
	return new Promise((resolve) => setImmediate(resolve));
}
