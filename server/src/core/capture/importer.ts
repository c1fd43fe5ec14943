/**
 * The contract every agent importer implements. Parsing is a pure function from raw
 * records to canonical sessions: the import runner owns all file and store I/O, so an
 * importer can be re-run over stored raw records when its parser version changes.
 */
import type { AgentId, SessionInput } from '../../../../shared/model';

/** One line of a source file, kept verbatim. */
export interface RawRecord {
	/** 1-based line number in the file. */
	line: number;
	/** Byte offset of the line's first byte. */
	offset: number;
	/** The line's text without the newline. */
	text: string;
	/** `JSON.parse(text)`, or undefined when the line is not valid JSON. */
	value: unknown;
}

export interface RawFile {
	path: string;
	records: RawRecord[];
}

export interface ImportWarning {
	file: string;
	line?: number;
	message: string;
}

export interface ParseResult {
	sessions: SessionInput[];
	warnings: ImportWarning[];
}

/**
 * How the import runner turns a file into raw records, which also fixes how growth is handled:
 * - `jsonl`: append-only, one JSON value per line. Read on from the last consumed byte; a torn
 *   last line waits for the next import; a line that is not JSON is counted malformed and kept.
 * - `json`: one JSON document rewritten whole on every save (Cline, Copilot Chat `.json`, Gemini
 *   `.json`, Continue). One record holds the whole text; the file is re-read when its content hash
 *   changes; a document that does not parse is mid-write and waits (counted torn).
 * - `text`: append-only text that is not JSON (Aider markdown). One record per line, `value`
 *   undefined; a last line without a newline waits.
 * - `sqlite`: a database updated in place (Cursor `state.vscdb`). The runner copies it (and its
 *   `-wal`) to a temporary folder, opens the copy read-only and hands it to `readDatabase`.
 */
export type FileLayout = 'jsonl' | 'json' | 'text' | 'sqlite';

/** What format sniffing may look at: the start of a file, never the whole of a large one. */
export interface FileHead {
	path: string;
	/** The first 256 KB as UTF-8 (a document larger than that is cut). */
	text: string;
	/** The first line of `text` that parses as a JSON object, or undefined. */
	firstRecord: unknown;
}

/** The read-only handle `readDatabase` gets (better-sqlite3's Database, kept structural here). */
export interface ReadOnlyDatabase {
	prepare(sql: string): { all(...params: unknown[]): unknown[] };
}

/** Where an agent keeps its logs, resolved against an environment. */
export interface LocationEnv {
	home: string;
	env: Record<string, string | undefined>;
	platform: NodeJS.Platform;
}

export interface AgentImporter {
	readonly agent: AgentId;
	/** Bump whenever parse() would derive different sessions from the same records. */
	readonly parserVersion: number;
	/** Candidate root folders on this machine, whether or not they exist. */
	defaultRoots(loc: LocationEnv): string[];
	/** True for files under a root that this importer reads (by name). */
	isSessionFile(path: string): boolean;
	/** How this file is read (an importer may read several layouts, e.g. Gemini `.json` and `.jsonl`). */
	layoutOf(path: string): FileLayout;
	/** Cheap content check on a file's head, for format sniffing when the agent is not given. */
	sniff(head: FileHead): boolean;
	/**
	 * Only for `sqlite` files: the rows that make up sessions, as records whose `text` is the JSON
	 * of the row (so the store keeps them losslessly like any other line). Must not write.
	 */
	readDatabase?(db: ReadOnlyDatabase, path: string): RawRecord[];
	/**
	 * Files that must be parsed together (Claude Code resolves summaries and subagents across a
	 * project folder; a Codex rollout stands alone). All files with the same key go to one parse().
	 */
	groupKey(path: string): string;
	parse(files: RawFile[]): ParseResult;
}
