/**
 * Replays a Copilot Chat `.jsonl` session: an append-only mutation log VS Code writes instead of
 * rewriting the whole `.json` document. Entry kinds, as VS Code's ObjectMutationLog defines them:
 *   0 Initial `{kind:0, v}`: the complete document (first line; a compaction rewrites the file
 *     starting with a new one)
 *   1 Set     `{kind:1, k, v}`: replace the value at key path `k`
 *   2 Push    `{kind:2, k, v?, i?}`: truncate the array at `k` to length `i` when `i` is given,
 *     then append the items of `v`
 *   3 Delete  `{kind:3, k}`: remove the property at `k`
 * A key path is a list of property names and array indexes from the document root. A line that
 * does not fit is skipped and reported; the rest of the log still replays.
 */
import type { ImportWarning, RawRecord } from '../importer';
import { asArray, asNumber, asObject, type JsonObject } from '../json';

export interface ReplayedLog {
	/** The reconstructed document; undefined when the log has no initial entry. */
	document?: JsonObject;
	/** For each request index, the line where that request was first added to the log. */
	requestLines: number[];
	warnings: ImportWarning[];
}

type Container = JsonObject | unknown[];

export function replayMutationLog(file: string, records: readonly RawRecord[]): ReplayedLog {
	const warnings: ImportWarning[] = [];
	let document: JsonObject | undefined;
	let requestLines: number[] = [];
	const skip = (line: number, why: string): void => {
		warnings.push({ file, line, message: `${why}; mutation skipped (expected a Copilot Chat log entry {kind: 0|1|2|3, k: key path, v: value})` });
	};
	for (const record of records) {
		if (record.value === undefined) {
			continue; // not JSON: the import runner already reported the line
		}
		const entry = asObject(record.value);
		const kind = asNumber(entry?.kind);
		if (entry === undefined || kind === undefined) {
			skip(record.line, 'line is not a mutation entry');
			continue;
		}
		if (kind === 0) {
			const initial = asObject(entry.v);
			if (initial === undefined) {
				skip(record.line, 'initial entry without a session object');
				continue;
			}
			document = structuredClone(initial);
			requestLines = asArray(document.requests).map(() => record.line);
			continue;
		}
		if (document === undefined) {
			skip(record.line, 'entry before the initial session entry');
			continue;
		}
		const path = keyPath(entry.k);
		if (path === undefined) {
			skip(record.line, `entry of kind ${kind} without a valid key path`);
			continue;
		}
		const applied = kind === 1 ? set(document, path, entry.v) && noteSet(requestLines, path, entry.v, record.line)
			: kind === 2 ? push(document, path, entry.v, entry.i) && notePush(requestLines, path, entry.v, entry.i, record.line)
				: kind === 3 ? remove(document, path)
					: undefined;
		if (applied === undefined) {
			skip(record.line, `unknown entry kind ${kind}`);
		} else if (!applied) {
			skip(record.line, `key path ${JSON.stringify(path)} does not lead into the session`);
		}
	}
	return { document, requestLines, warnings };
}

function keyPath(value: unknown): (string | number)[] | undefined {
	if (!Array.isArray(value)) {
		return undefined;
	}
	const path: (string | number)[] = [];
	for (const part of value) {
		if (typeof part === 'string' || (typeof part === 'number' && Number.isInteger(part) && part >= 0)) {
			path.push(part);
		} else {
			return undefined;
		}
	}
	return path;
}

/** The object or array that holds the last key of `path`, and that key; undefined when the path is empty or leads nowhere. */
function slotOf(root: JsonObject, path: readonly (string | number)[]): { parent: Container; key: string | number } | undefined {
	if (path.length === 0) {
		return undefined;
	}
	let current: unknown = root;
	for (const part of path.slice(0, -1)) {
		const container = current as Container;
		current = Array.isArray(container) ? (typeof part === 'number' ? container[part] : undefined) : (container as JsonObject)[part];
		if (typeof current !== 'object' || current === null) {
			return undefined;
		}
	}
	return { parent: current as Container, key: path[path.length - 1] };
}

function assign(container: Container, key: string | number, value: unknown): boolean {
	if (Array.isArray(container)) {
		if (typeof key !== 'number' || key > container.length) {
			return false;
		}
		container[key] = value;
		return true;
	}
	container[String(key)] = value;
	return true;
}

function set(root: JsonObject, path: readonly (string | number)[], value: unknown): boolean {
	if (path.length === 0) {
		// VS Code writes an empty path when a root key changes; the new value replaces the document.
		const replacement = asObject(value);
		if (replacement === undefined) {
			return false;
		}
		for (const key of Object.keys(root)) delete root[key];
		Object.assign(root, structuredClone(replacement));
		return true;
	}
	const slot = slotOf(root, path);
	return slot !== undefined && assign(slot.parent, slot.key, value === undefined ? undefined : structuredClone(value));
}

function push(root: JsonObject, path: readonly (string | number)[], values: unknown, truncateAt: unknown): boolean {
	const slot = slotOf(root, path);
	if (slot === undefined) {
		return false;
	}
	const { parent, key } = slot;
	const existing: unknown = Array.isArray(parent) ? (typeof key === 'number' ? parent[key] : undefined) : parent[String(key)];
	if (existing !== undefined && existing !== null && !Array.isArray(existing)) {
		return false;
	}
	const array: unknown[] = Array.isArray(existing) ? existing : [];
	const cut = asNumber(truncateAt);
	if (cut !== undefined && Number.isInteger(cut) && cut >= 0) {
		array.length = Math.min(array.length, cut);
	}
	if (values !== undefined && !Array.isArray(values)) {
		return false;
	}
	array.push(...structuredClone(values ?? []));
	return assign(parent, key, array);
}

function remove(root: JsonObject, path: readonly (string | number)[]): boolean {
	const slot = slotOf(root, path);
	if (slot === undefined) {
		return false;
	}
	const { parent, key } = slot;
	if (Array.isArray(parent)) {
		if (typeof key === 'number' && key < parent.length) {
			parent[key] = undefined;
		}
		return true;
	}
	delete parent[String(key)];
	return true;
}

/** A Set of the whole `requests` array re-adds every request at this line. */
function noteSet(lines: number[], path: readonly (string | number)[], value: unknown, line: number): true {
	if (path.length === 1 && path[0] === 'requests') {
		lines.length = 0;
		lines.push(...asArray(value).map(() => line));
	} else if (path.length === 2 && path[0] === 'requests' && typeof path[1] === 'number') {
		lines[path[1]] = line; // a request replaced whole (its key changed) is a new request
	} else if (path.length === 0) {
		lines.length = 0;
		lines.push(...asArray(asObject(value)?.requests).map(() => line));
	}
	return true;
}

function notePush(lines: number[], path: readonly (string | number)[], values: unknown, truncateAt: unknown, line: number): true {
	if (path.length === 1 && path[0] === 'requests') {
		const cut = asNumber(truncateAt);
		if (cut !== undefined) {
			lines.length = Math.min(lines.length, cut);
		}
		lines.push(...asArray(values).map(() => line));
	}
	return true;
}
