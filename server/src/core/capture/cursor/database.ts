/**
 * Reads the conversation rows of a Cursor `state.vscdb` (table `cursorDiskKV`) as raw records:
 * `composerData:<composerId>` (one conversation) and `bubbleId:<composerId>:<bubbleId>` (one
 * message). Nothing else is read: `ItemTable` holds Cursor's auth tokens, and the other key
 * families (checkpoints, diffs) are not conversation. Each record's text is the JSON of
 * `{key, value}`, with the value parsed when it is JSON (it is stored as TEXT or BLOB).
 */
import type { RawRecord, ReadOnlyDatabase } from '../importer';
import { asObject } from '../json';

export const COMPOSER_PREFIX = 'composerData:';
export const BUBBLE_PREFIX = 'bubbleId:';

/** Encryption keys Cursor keeps in composer rows: never copied into the store. */
const SECRET_FIELDS = ['blobEncryptionKey', 'speculativeSummarizationEncryptionKey'];

interface Row {
	key: unknown;
	value: unknown;
}

export function readCursorRows(db: ReadOnlyDatabase): RawRecord[] {
	const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'cursorDiskKV'").all();
	if (table.length === 0) {
		return [];
	}
	const rows = db.prepare(`SELECT key, value FROM cursorDiskKV WHERE key LIKE '${COMPOSER_PREFIX}%' OR key LIKE '${BUBBLE_PREFIX}%' ORDER BY key`).all() as Row[];
	const records: RawRecord[] = [];
	let offset = 0;
	for (const row of rows) {
		if (typeof row.key !== 'string') continue;
		const value = { key: row.key, value: withoutSecrets(row.key, decode(row.value)) };
		const text = JSON.stringify(value);
		records.push({ line: records.length + 1, offset, text, value: JSON.parse(text) as unknown });
		offset += Buffer.byteLength(text) + 1;
	}
	return records;
}

/** TEXT or BLOB to the parsed JSON value; text that is not JSON is kept as a string. */
function decode(value: unknown): unknown {
	const text = Buffer.isBuffer(value) ? value.toString('utf8') : value;
	if (typeof text !== 'string') {
		return text ?? null;
	}
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

function withoutSecrets(key: string, value: unknown): unknown {
	const object = asObject(value);
	if (!key.startsWith(COMPOSER_PREFIX) || object === undefined || !SECRET_FIELDS.some((field) => field in object)) {
		return value;
	}
	return Object.fromEntries(Object.entries(object).filter(([field]) => !SECRET_FIELDS.includes(field)));
}
