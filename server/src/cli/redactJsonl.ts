/**
 * `tracemint redact --jsonl`: batch redaction of `{"id","text"}` records, streamed line by line so a
 * multi-GB corpus runs in bounded memory. Each line is an independent record with its own placeholder
 * numbering. A bad line is reported by number and skipped (nothing written for it); the rest still comes out.
 */
import type { Readable, Writable } from 'node:stream';
import { redactStandalone } from '../core/redact/redactLine';
import { BufferedWriter, splitLines } from './io';
import { RedactionTally } from './redactTally';

/** Past this many, bad lines are only counted: a whole file of the wrong format should not flood stderr. */
const MAX_REPORTED_BAD_LINES = 100;
const EXPECTED = 'expected a JSON object {"id","text"} with a string "text"';

export interface JsonlReport {
	lines: number;
	badLines: number;
	tally: RedactionTally;
}

type ParsedRecord = { id: unknown; text: string } | { problem: string };

/** Never quotes the line or the JSON parser's message: both can contain the very values being redacted. */
function parseRecord(line: string): ParsedRecord {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch {
		return { problem: 'not valid JSON' };
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		return { problem: `got ${kindOf(value)}` };
	}
	const record = value as { id?: unknown; text?: unknown };
	if (typeof record.text !== 'string') {
		return { problem: record.text === undefined ? 'no "text"' : `"text" is ${kindOf(record.text)}` };
	}
	return { id: record.id, text: record.text };
}

/** `null`, `an array`, `a number`...: the JSON type of a value, never the value. */
function kindOf(value: unknown): string {
	return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

export async function redactJsonl(input: Readable, source: string, output: Writable, log: (line: string) => void): Promise<JsonlReport> {
	const writer = new BufferedWriter(output);
	const tally = new RedactionTally();
	let lineNumber = 0;
	let lines = 0;
	let badLines = 0;
	for await (const line of splitLines(input)) {
		lineNumber++;
		if (line.trim() === '') continue;
		const record = parseRecord(line);
		if ('problem' in record) {
			badLines++;
			if (badLines <= MAX_REPORTED_BAD_LINES) {
				log(`tracemint redact: ${source}:${lineNumber}: ${EXPECTED} (${record.problem})`);
			} else if (badLines === MAX_REPORTED_BAD_LINES + 1) {
				log(`tracemint redact: more than ${MAX_REPORTED_BAD_LINES} bad lines; the rest are only counted`);
			}
			continue;
		}
		const { text, findings } = redactStandalone(record.text);
		tally.add(findings);
		// Only id and text go out: any other field was never scanned, so passing it on could leak.
		await writer.write(`${JSON.stringify({ id: record.id ?? null, text })}\n`);
		lines++;
	}
	await writer.flush();
	return { lines, badLines, tally };
}
