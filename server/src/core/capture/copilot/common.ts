/** Small facts both Copilot importers derive the same way: titles, tool arguments, skipped-element tallies. */
import type { MessageInput } from '../../../../../shared/model';
import type { ImportWarning } from '../importer';
import { titleFrom, titleLine } from '../canonical';
import { asObject, parseJson } from '../json';

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
	return custom !== undefined ? titleLine(custom) : titleFrom(messages);
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
