/**
 * Splits a chunk of an append-only JSONL file into raw records. A last line without a
 * newline is taken only when it is complete JSON; otherwise it is a torn write and is left
 * for the next import (the returned `consumed` stops before it).
 */
import type { RawRecord } from '../capture/importer';

export interface SplitResult {
	records: RawRecord[];
	/** Bytes of `chunk` that were turned into records (always ends on a line boundary). */
	consumed: number;
	/** True when a trailing partial line was left unconsumed. */
	torn: boolean;
	/** Lines consumed, blank ones included (so line numbers stay true on the next read). */
	lines: number;
}

const NEWLINE = 0x0a;

/**
 * @param chunk bytes read from the file starting at `baseOffset`
 * @param baseOffset byte offset of `chunk[0]` in the file
 * @param baseLine number of lines before `baseOffset` (so the first record is line baseLine+1)
 */
export function splitJsonLines(chunk: Buffer, baseOffset: number, baseLine: number): SplitResult {
	const records: RawRecord[] = [];
	let start = 0;
	let line = baseLine;
	while (start < chunk.length) {
		const end = chunk.indexOf(NEWLINE, start);
		const last = end === -1;
		const stop = last ? chunk.length : end;
		const text = stripCarriageReturn(chunk.toString('utf8', start, stop));
		const value = parseOrUndefined(text);
		if (last && value === undefined) {
			return { records, consumed: start, torn: text.trim().length > 0, lines: line - baseLine };
		}
		line++;
		if (text.trim().length > 0) {
			records.push({ line, offset: baseOffset + start, text, value });
		}
		start = last ? chunk.length : end + 1;
	}
	return { records, consumed: start, torn: false, lines: line - baseLine };
}

/**
 * Splits append-only text that is not JSON (Aider's markdown history) into one record per line,
 * blank lines included (they separate blocks there). A last line without a newline may still
 * be being written, so it waits.
 */
export function splitTextLines(chunk: Buffer, baseOffset: number, baseLine: number): SplitResult {
	const records: RawRecord[] = [];
	let start = 0;
	let line = baseLine;
	for (let end = chunk.indexOf(NEWLINE, start); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
		line++;
		records.push({ line, offset: baseOffset + start, text: stripCarriageReturn(chunk.toString('utf8', start, end)), value: undefined });
		start = end + 1;
	}
	return { records, consumed: start, torn: start < chunk.length, lines: line - baseLine };
}

function stripCarriageReturn(text: string): string {
	return text.endsWith('\r') ? text.slice(0, -1) : text;
}

function parseOrUndefined(text: string): unknown {
	if (text.trim().length === 0) {
		return undefined;
	}
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

/** Test and tooling helper: every record of a whole file's bytes. */
export function recordsOf(bytes: Buffer): RawRecord[] {
	return splitJsonLines(bytes, 0, 0).records;
}
