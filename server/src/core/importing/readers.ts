/**
 * Bytes to raw records, per file layout (see FileLayout). Append-only layouts are split by
 * line from where the last import stopped; a JSON document is taken whole or not at all (or by
 * line, when it turns out to be JSON Lines).
 */
import type { FileLayout, RawRecord } from '../capture/importer';
import { splitJsonLines, splitTextLines, type SplitResult } from './lines';

/** Reads `chunk` (the file's bytes from `baseOffset`) as the given layout. */
export function splitRecords(layout: Exclude<FileLayout, 'sqlite'>, chunk: Buffer, baseOffset: number, baseLine: number): SplitResult {
	switch (layout) {
		case 'jsonl':
			return splitJsonLines(chunk, baseOffset, baseLine);
		case 'text':
			return splitTextLines(chunk, baseOffset, baseLine);
		case 'json':
			return wholeDocument(chunk);
	}
}

/**
 * A document that does not parse is being rewritten right now: nothing is consumed, and it is
 * torn. Unless it is JSON Lines under a `.json` name (the OpenTelemetry Collector's file exporter
 * is configured as `path: ./traces.json` and writes a line per batch): then it is read by line.
 */
function wholeDocument(chunk: Buffer): SplitResult {
	const text = chunk.toString('utf8').replace(/^\uFEFF/, '');
	if (text.trim().length === 0) {
		return { records: [], consumed: 0, torn: false, lines: 0 };
	}
	let value: unknown;
	try {
		value = JSON.parse(text) as unknown;
	} catch {
		return firstLineIsWholeValue(text) ? splitJsonLines(chunk, 0, 0) : { records: [], consumed: 0, torn: true, lines: 0 };
	}
	const record: RawRecord = { line: 1, offset: 0, text, value };
	return { records: [record], consumed: chunk.length, torn: false, lines: 1 };
}

/** A document being written, pretty-printed or compact, has no complete JSON value on a line of its own before more lines. */
function firstLineIsWholeValue(text: string): boolean {
	const end = text.indexOf('\n');
	if (end === -1) return false;
	try {
		JSON.parse(text.slice(0, end));
		return true;
	} catch {
		return false;
	}
}

/** What a test or tool gets for a whole file, exactly as the import runner would store it. */
export function recordsOfLayout(layout: Exclude<FileLayout, 'sqlite'>, bytes: Buffer): RawRecord[] {
	return splitRecords(layout, bytes, 0, 0).records;
}
