import { createHmac, randomBytes } from 'node:crypto';

/** Keyed fingerprint of a secret, so findings can be matched across sessions without storing the value. */
export function fingerprint(value: string, key: string | Buffer): string {
	return createHmac('sha256', key).update(value, 'utf8').digest('hex');
}

/**
 * Numbers placeholders per rule so one value keeps one placeholder across a whole session (a model trained on it
 * still sees that two tool calls used the same token). Values are kept only as HMACs under a per-map random key.
 */
export class PlaceholderMap {
	private readonly key = randomBytes(32);
	private readonly numbers = new Map<string, number>();
	private readonly counters = new Map<string, number>();

	placeholderFor(ruleId: string, value: string): string {
		const id = `${ruleId}\u0000${fingerprint(value, this.key)}`;
		let n = this.numbers.get(id);
		if (n === undefined) {
			n = (this.counters.get(ruleId) ?? 0) + 1;
			this.counters.set(ruleId, n);
			this.numbers.set(id, n);
		}
		return `[REDACTED:${ruleId}#${n}]`;
	}

	get size(): number {
		return this.numbers.size;
	}
}

export interface RedactableFinding {
	readonly ruleId: string;
	readonly start: number;
	readonly end: number;
}

/** Replaces each finding's value with its placeholder; everything between findings is copied unchanged. */
export function redactText(text: string, findings: readonly RedactableFinding[], placeholders: PlaceholderMap): string {
	const ordered = [...findings].sort((a, b) => a.start - b.start);
	const parts: string[] = [];
	let at = 0;
	for (const f of ordered) {
		if (f.start < at || f.end <= f.start || f.end > text.length) continue;
		parts.push(text.slice(at, f.start), placeholders.placeholderFor(f.ruleId, text.slice(f.start, f.end)));
		at = f.end;
	}
	parts.push(text.slice(at));
	return parts.join('');
}
