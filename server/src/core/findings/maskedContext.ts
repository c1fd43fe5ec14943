/**
 * What a reviewer sees of a finding: a few characters of the value and its length, and the
 * text around it with every other finding in that window already replaced by its placeholder.
 */
import type { MaskedContext } from '../../../../shared/protocol';

const WINDOW = 48;

export interface Span {
	readonly start: number;
	readonly end: number;
}

/** Enough to recognise a key you know (`ghp_`, `sk-…`), never enough to use it. */
export function maskValue(value: string): string {
	const shown = Math.min(4, Math.floor(value.length / 5));
	return `${value.slice(0, shown)}…(${value.length} chars)`;
}

export function maskedContext(text: string, target: Span, others: readonly (Span & { placeholder: string })[]): MaskedContext {
	let from = Math.max(0, target.start - WINDOW);
	let to = Math.min(text.length, target.end + WINDOW);
	const inside: (Span & { placeholder: string })[] = [];
	for (const o of others) {
		if (o.start === target.start && o.end === target.end) continue;
		if (o.end <= from || o.start >= to) continue;
		// A finding cut by the window edge is left out of the window entirely.
		if (o.start < from) from = Math.min(o.end, target.start);
		else if (o.end > to) to = Math.max(o.start, target.end);
		else inside.push(o);
	}
	const piece = (a: number, b: number): string => {
		let out = '';
		let at = a;
		for (const o of inside.filter((x) => x.start >= a && x.end <= b).sort((x, y) => x.start - y.start)) {
			out += text.slice(at, o.start) + o.placeholder;
			at = o.end;
		}
		return (out + text.slice(at, b)).replace(/\s+/g, ' ');
	};
	return {
		before: (from > 0 ? '…' : '') + piece(from, target.start),
		masked: maskValue(text.slice(target.start, target.end)),
		after: piece(target.end, to) + (to < text.length ? '…' : ''),
	};
}
