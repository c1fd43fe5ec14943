/**
 * Every custom request and notification between the extension and the backend: a literal
 * method name plus its Params/Result types. Plain types only (no LSP runtime), so the
 * webview bundle can import it too; `lsp.ts` turns these into RequestType objects.
 */
import type { AgentId, Session, SessionSummary } from './model';

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
}

export type SplitName = 'train' | 'validation' | 'test';

export interface ExportReport {
	out: string;
	format: string;
	files: { path: string; split: SplitName; lines: number; sha256: string }[];
	counts: Record<SplitName, number>;
	/** blocked: sessions barred by a blocking finding (a private key). */
	sessions: { exported: number; skippedNotOptedIn: number; skippedEmpty: number; blocked: number };
	manifest: string;
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
	export type Params = { ids: string[]; optedIn: boolean };
	export type Result = { changed: string[]; unknown: string[] };
}

/** client → server: export the opted-in sessions as a dataset. */
export namespace ExportDataset {
	export const method = 'traces/exportDataset' as const;
	export type Params = { out: string; format?: 'openai_chat'; seed?: number };
	export type Result = ExportReport;
}

/** client → server: where the store is and how much it holds. */
export namespace GetStatus {
	export const method = 'traces/status' as const;
	export type Params = Record<string, never>;
	export type Result = StoreStatus;
}

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
