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
	/** Cheap content check on a file's first valid JSON record, for format sniffing. */
	sniff(firstRecord: unknown): boolean;
	/**
	 * Files that must be parsed together (Claude Code resolves summaries and subagents across a
	 * project folder; a Codex rollout stands alone). All files with the same key go to one parse().
	 */
	groupKey(path: string): string;
	parse(files: RawFile[]): ParseResult;
}
