/**
 * A Gemini CLI conversation record, from either file layout, before it becomes a session.
 *
 * `.json` (older builds): one document `{sessionId, projectHash, startTime, lastUpdated, messages[]}`
 * rewritten on every update. `.jsonl` (newer builds, chatRecordingService.ts): a header line with the
 * same metadata, then one line per message write, `{"$set": {…}}` metadata updates and
 * `{"$rewindTo": <message id>}`. Replayed the way Gemini CLI loads it: a message written again under
 * the same id replaces the earlier copy in place (tool calls finishing, tokens arriving), a rewind
 * drops that message and everything after it, `$set` merges metadata, and a `$set` of `messages`
 * (the history re-synced after masking or compression) replaces the list. Gemini CLI then ignores
 * message lines after such a `$set`; here they are applied on top of it, so nothing written later
 * is lost.
 */
import type { ImportWarning, RawRecord } from '../importer';
import { asArray, asObject, asString, asText, type JsonObject } from '../json';
import { arrayElementLines } from '../elementLines';

export interface LocatedMessage {
	value: JsonObject;
	line: number;
}

export interface Conversation {
	sessionId?: string;
	startTime?: string;
	lastUpdated?: string;
	summary?: string;
	kind?: string;
	messages: LocatedMessage[];
}

const EXPECTED_DOCUMENT = 'a Gemini CLI session document {sessionId, projectHash, startTime, lastUpdated, messages[]}';

function metadataOf(value: JsonObject, into: Conversation): void {
	into.sessionId = asText(value.sessionId) ?? into.sessionId;
	into.startTime = asText(value.startTime) ?? into.startTime;
	into.lastUpdated = asText(value.lastUpdated) ?? into.lastUpdated;
	into.summary = asText(value.summary) ?? into.summary;
	into.kind = asText(value.kind) ?? into.kind;
}

/** Messages of a `messages` array; an element that is not an object is skipped with a warning. */
function locatedMessages(items: unknown[], lineOf: (index: number) => number, file: string, warnings: ImportWarning[]): LocatedMessage[] {
	const located: LocatedMessage[] = [];
	items.forEach((item, index) => {
		const value = asObject(item);
		if (value === undefined) {
			warnings.push({ file, line: lineOf(index), message: 'messages element is not an object (expected a Gemini CLI message {id, timestamp, type, content}); skipped' });
		} else {
			located.push({ value, line: lineOf(index) });
		}
	});
	return located;
}

export function readDocument(file: string, records: readonly RawRecord[], warnings: ImportWarning[]): Conversation | undefined {
	const record = records[0];
	if (record === undefined) {
		return undefined; // empty, or mid-write: the runner stores nothing until it parses
	}
	const document = asObject(record.value);
	if (document === undefined || asText(document.sessionId) === undefined || !Array.isArray(document.messages)) {
		warnings.push({ file, line: record.line, message: `not ${EXPECTED_DOCUMENT}; nothing imported` });
		return undefined;
	}
	const conversation: Conversation = { messages: [] };
	metadataOf(document, conversation);
	const lines = arrayElementLines(record.text, 'messages');
	conversation.messages = locatedMessages(document.messages, (index) => lines[index] ?? record.line, file, warnings);
	return conversation;
}

export function replayJsonl(file: string, records: readonly RawRecord[], warnings: ImportWarning[]): Conversation | undefined {
	const conversation: Conversation = { messages: [] };
	// Map order is first-write order, which is where Gemini CLI keeps a message it rewrites.
	let messages = new Map<string, LocatedMessage>();
	let header = false;
	let unknown: { count: number; line: number } | undefined;
	for (const record of records) {
		const value = asObject(record.value);
		if (value === undefined) {
			continue; // not JSON: the runner already reported the line
		}
		const id = asString(value.id);
		const set = asObject(value.$set);
		const rewindTo = asString(value.$rewindTo);
		if (rewindTo !== undefined) {
			messages = rewound(messages, rewindTo);
		} else if (id !== undefined) {
			messages.set(id, { value, line: record.line });
		} else if (set !== undefined) {
			metadataOf(set, conversation);
			if (Array.isArray(set.messages)) {
				messages = new Map();
				for (const message of locatedMessages(asArray(set.messages), () => record.line, file, warnings)) {
					messages.set(asString(message.value.id) ?? `${record.line}:${messages.size}`, message);
				}
			}
		} else if (asText(value.sessionId) !== undefined && asString(value.projectHash) !== undefined) {
			header = true;
			metadataOf(value, conversation);
		} else {
			unknown = { count: (unknown?.count ?? 0) + 1, line: unknown?.line ?? record.line };
		}
	}
	if (unknown !== undefined) {
		warnings.push({
			file,
			line: unknown.line,
			message: `skipped ${unknown.count} record(s) that are neither a session header, a message with an id, a $set nor a $rewindTo (first shown at this line)`,
		});
	}
	if (!header && conversation.sessionId === undefined) {
		if (records.length > 0) {
			warnings.push({ file, line: records[0].line, message: 'no Gemini CLI session header (expected a first line {sessionId, projectHash, startTime, …}); nothing imported' });
		}
		return undefined;
	}
	conversation.messages = [...messages.values()];
	return conversation;
}

/** Gemini CLI's rewind: the message and all after it go; an id it never saw clears everything. */
function rewound(messages: Map<string, LocatedMessage>, id: string): Map<string, LocatedMessage> {
	const kept = new Map<string, LocatedMessage>();
	for (const [key, message] of messages) {
		if (key === id) {
			return kept;
		}
		kept.set(key, message);
	}
	return new Map();
}
