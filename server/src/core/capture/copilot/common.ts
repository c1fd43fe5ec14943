/** Small facts both Copilot importers derive the same way: times, titles, models, tool arguments. */
import type { MessageInput } from '../../../../../shared/model';
import type { ImportWarning } from '../importer';
import { asObject, parseJson } from '../json';

const TITLE_MAX = 80;

/** Epoch milliseconds (how VS Code stores chat times) to UTC ISO; anything else is dropped. */
export function isoFromMillis(value: unknown): string | undefined {
	if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
		return undefined;
	}
	const date = new Date(value);
	return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Tool-call arguments as a JSON string of an object (the OpenAI shape); anything else is wrapped as `{input}`. */
export function argumentsJson(raw: unknown): { json: string; wrapped: boolean } {
	if (typeof raw === 'string') {
		if (raw.trim().length === 0) {
			return { json: '{}', wrapped: false }; // some models send "" for a call without parameters
		}
		return asObject(parseJson(raw)) !== undefined ? { json: raw, wrapped: false } : { json: JSON.stringify({ input: raw }), wrapped: true };
	}
	if (raw === undefined || raw === null) {
		return { json: '{}', wrapped: false };
	}
	return asObject(raw) !== undefined ? { json: JSON.stringify(raw), wrapped: false } : { json: JSON.stringify({ input: raw }), wrapped: true };
}

/** A one-line title from the first human message, at most 80 characters. */
export function titleOf(messages: readonly MessageInput[], custom?: string): string | null {
	const line = (custom ?? messages.find((m) => m.role === 'user' && (m.context ?? null) === null)?.content ?? '').replace(/\s+/g, ' ').trim();
	if (line.length === 0) {
		return null;
	}
	return line.length <= TITLE_MAX ? line : `${line.slice(0, TITLE_MAX - 1)}…`;
}

/** The model that answered most assistant messages (ties: the first seen), and every model in order of first use. */
export function modelsOf(messages: readonly MessageInput[], extra: readonly string[] = []): { model: string | null; models: string[] } {
	const counts = new Map<string, number>();
	for (const message of messages) {
		if (message.role === 'assistant' && message.model !== undefined) {
			counts.set(message.model, (counts.get(message.model) ?? 0) + 1);
		}
	}
	let best: string | null = null;
	let bestCount = 0;
	for (const [model, count] of counts) {
		if (count > bestCount) {
			best = model;
			bestCount = count;
		}
	}
	const models = [...counts.keys()];
	for (const model of extra) {
		if (!models.includes(model)) {
			models.push(model);
		}
	}
	return { model: best ?? models[0] ?? null, models };
}

/** Earliest and latest of some ISO timestamps (ISO strings compare in time order). */
export function timeBounds(times: Iterable<string | undefined>): { first: string | null; last: string | null } {
	let first: string | null = null;
	let last: string | null = null;
	for (const time of times) {
		if (time === undefined) continue;
		if (first === null || time < first) first = time;
		if (last === null || time > last) last = time;
	}
	return { first, last };
}

/**
 * Counts repeated problems of one kind and reports each kind once, at the first line it was
 * seen, so a damaged file gives a short warning list instead of one warning per element.
 */
export class SkipTally {
	private readonly seen = new Map<string, { count: number; line?: number }>();

	constructor(private readonly file: string) {}

	add(what: string, line: number | undefined): void {
		const known = this.seen.get(what);
		this.seen.set(what, { count: (known?.count ?? 0) + 1, line: known?.line ?? line });
	}

	report(warnings: ImportWarning[]): void {
		for (const [what, { count, line }] of this.seen) {
			const message = `skipped ${count} ${what}`;
			warnings.push(line === undefined ? { file: this.file, message } : { file: this.file, line, message: `${message} (first shown at this line)` });
		}
	}
}
