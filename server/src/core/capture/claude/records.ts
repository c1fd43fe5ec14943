/**
 * Turns the raw lines of a project folder into Claude Code records, each kept once.
 * The same record can sit in several files (a live file captured twice, a resumed session
 * repeating history), so records are deduplicated by `uuid` (exact text for records without
 * one) and the copy in the preferred file wins: the file with the most records, then the
 * smaller path. That order does not depend on the order files were handed in, and it makes a
 * byte prefix of a file contribute nothing beside the whole file.
 */
import type { RawFile } from '../importer';
import { asId, asObject, asString, isoTimestamp, type JsonObject } from '../json';

export interface ClaudeRecord {
	value: JsonObject;
	file: string;
	line: number;
	/** Preference of the record's file; 0 is the preferred file. Orders records across files. */
	rank: number;
	type: string;
	uuid: string | undefined;
	parentUuid: string | undefined;
	sessionId: string | undefined;
	/** UTC ISO, or undefined when absent or unparseable. */
	timestamp: string | undefined;
	isSidechain: boolean;
}

/** The records one session is derived from: a main session's, or one subagent transcript's. */
export interface SessionSource {
	sessionId: string;
	/** Set for a subagent transcript. */
	agentId?: string;
	records: ClaudeRecord[];
}

export interface RecordFile {
	path: string;
	rank: number;
	/** The file's records in line order, duplicates of records kept elsewhere removed. */
	records: ClaudeRecord[];
}

export function collectRecords(files: RawFile[]): RecordFile[] {
	const ranked = files
		.map((file) => ({ file, valid: file.records.filter((r) => asObject(r.value) !== undefined).length }))
		.sort((a, b) => b.valid - a.valid || compareText(a.file.path, b.file.path));
	const seen = new Set<string>();
	return ranked.map(({ file }, rank) => {
		const records: ClaudeRecord[] = [];
		for (const raw of file.records) {
			const value = asObject(raw.value);
			if (!value) {
				continue; // malformed lines are reported by the import runner
			}
			const uuid = asId(value.uuid);
			const key = uuid !== undefined ? `u:${uuid}` : `t:${raw.text}`;
			if (seen.has(key)) {
				continue;
			}
			seen.add(key);
			records.push({
				value,
				file: file.path,
				line: raw.line,
				rank,
				type: asString(value.type) ?? '',
				uuid,
				parentUuid: asId(value.parentUuid),
				sessionId: asId(value.sessionId),
				timestamp: isoTimestamp(value.timestamp),
				isSidechain: value.isSidechain === true,
			});
		}
		return { path: file.path, rank, records };
	});
}

/** File order across files: preferred file first, then line. */
export function compareRecords(a: ClaudeRecord, b: ClaudeRecord): number {
	return a.rank - b.rank || a.line - b.line;
}

/** Code-unit order, independent of the machine's locale. */
export function compareText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

export function timeOf(record: ClaudeRecord): number {
	return record.timestamp === undefined ? Number.NEGATIVE_INFINITY : Date.parse(record.timestamp);
}

export function messageOf(record: ClaudeRecord): JsonObject | undefined {
	return asObject(record.value.message);
}

/** `message.id` of an assistant line: every line of one streamed response shares it. */
export function messageIdOf(record: ClaudeRecord): string | undefined {
	return record.type === 'assistant' ? asId(messageOf(record)?.id) ?? record.uuid : undefined;
}

export function subtypeOf(record: ClaudeRecord): string | undefined {
	return asString(record.value.subtype);
}
