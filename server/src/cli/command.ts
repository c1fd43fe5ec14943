/** What a CLI command receives and returns; main.ts owns parsing, the store and printing. */
import type { Readable, Writable } from 'node:stream';
import type { Tracemint } from '../core/tracemint';
import type { EXPORT_FLAGS } from './exportOptions';
import type { QUALITY_FLAGS } from './qualityOptions';

/** A bad invocation: exit code 2, message on stderr. */
export class UsageError extends Error {}

interface BaseCliOptions {
	agent?: string;
	'opted-in'?: boolean;
	markdown?: boolean;
	out?: string;
	parquet?: boolean;
	json?: boolean;
	jsonl?: boolean;
	state?: string[];
	severity?: string[];
	rule?: string[];
	confirm?: boolean;
	'false-positive'?: boolean;
	reopen?: boolean;
	polling?: boolean;
}

export type CliOptions = BaseCliOptions & Partial<Record<(typeof QUALITY_FLAGS)[number] | (typeof EXPORT_FLAGS)[number], string>>;

/** For commands that need no store (scan, redact): they never open or create one. */
export interface CommandIo {
	args: string[];
	options: CliOptions;
	log: (line: string) => void;
	stdin: Readable;
	stdout: Writable;
}

export interface CommandContext extends CommandIo {
	core: Tracemint;
}

/** main.ts prints `json` (with --json) or `text`. */
export interface DocumentResult {
	json: unknown;
	text?: string;
	exitCode?: number;
}

/** The command wrote stdout itself (byte-exact or streamed output); main.ts prints nothing. */
export interface StreamedResult {
	streamed: true;
	exitCode?: number;
}

export type CommandResult = DocumentResult | StreamedResult;

export type Command = (ctx: CommandContext) => CommandResult | Promise<CommandResult>;
export type StorelessCommand = (ctx: CommandIo) => CommandResult | Promise<CommandResult>;
