/** Running rules over a text: keyword-selected rules, anchored or whole-text, each match through its checks. */
import { isFalsePositive } from '../filters';
import type { Rule } from '../rules';
import type { Candidate } from '../scan';
import { shannonEntropy } from '../validators';

/** Offsets of the value: the first group that took part in the match, else the whole match. `shift`: groups added in front. */
function valueSpan(m: RegExpExecArray, shift: number, matchStart: number): readonly [number, number] | undefined {
	const indices = m.indices;
	if (!indices) return undefined;
	for (let g = 1 + shift; g < indices.length; g++) if (indices[g]) return indices[g];
	return shift ? [matchStart, m.index + m[0].length] : indices[0];
}

/** Runs a match's checks and keeps it when its value starts in `view[from, to)`. */
function consider(rule: Rule, m: RegExpExecArray, shift: number, matchStart: number, view: string, out: Candidate[], offset: number, from: number, to: number): void {
	const span = valueSpan(m, shift, matchStart);
	if (!span || span[0] < from || span[0] >= to) return;
	const value = view.slice(span[0], span[1]);
	// Three pure tests, cheapest first: a rule's own check usually rejects sooner than the shared filters.
	if (rule.entropy !== undefined && shannonEntropy(value) <= rule.entropy) return;
	if (rule.validate && !rule.validate(value, view, span[0], matchStart)) return;
	if (isFalsePositive(value, rule.filters ?? 'token')) return;
	out.push({ rule, start: offset + span[0], end: offset + span[1] });
}

/** A rule's anchor, with the sticky pattern that tries the starts `min`..`max` characters before an occurrence. */
interface AnchorPlan {
	readonly literal: string;
	readonly min: number;
	readonly max: number;
	/** Look the literal up in the lower-cased text. */
	readonly fold: boolean;
	/** `([\s\S]{0,max-min}?)(?:pattern)`, sticky: the first group ends where the pattern's match starts. */
	readonly window: RegExp;
}

const anchorPlans = new WeakMap<Rule, AnchorPlan | null>();

function anchorPlan(rule: Rule): AnchorPlan | undefined {
	let plan = anchorPlans.get(rule);
	if (plan === undefined) {
		plan = null;
		const anchor = rule.anchor;
		if (anchor) {
			const { literal, min, max } = anchor;
			const { source, flags } = rule.pattern;
			if (!literal || !Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min || /[uv]/.test(flags) || /\\[1-9]|\\k</.test(source)) {
				throw new Error(`redaction rule ${rule.id}: unusable anchor`);
			}
			const fold = flags.includes('i') && /[A-Za-z]/.test(literal);
			if (fold && literal !== literal.toLowerCase()) throw new Error(`redaction rule ${rule.id}: anchor literal must be lower case`);
			const window = new RegExp(`([\\s\\S]{0,${max - min}}?)(?:${source})`, `${flags.replace(/[gyd]/g, '')}yd`);
			plan = { literal, min, max, fold, window };
		}
		anchorPlans.set(rule, plan);
	}
	return plan ?? undefined;
}

/**
 * The matches of an anchored rule, found from the occurrences of its literal. A match starting at `s` holds the
 * literal at some `q` in [s + min, s + max], so with `cur` where the global scan would resume, the first occurrence
 * at or after `cur + min` bounds the next match's start from below by `q - max`: the window regex tries each start
 * from there (in order, as the global scan would) up to `max - min` further, and when none matches, the scan
 * resumes past them.
 */
function collectAnchored(rule: Rule, plan: AnchorPlan, view: string, hay: string, out: Candidate[], offset: number, from: number, to: number): void {
	const re = plan.window;
	const width = plan.max - plan.min;
	let cur = 0;
	for (;;) {
		const q = hay.indexOf(plan.literal, cur + plan.min);
		if (q === -1) return;
		const at = Math.max(cur, q - plan.max);
		re.lastIndex = at;
		const m = re.exec(view);
		if (!m) {
			cur = at + width + 1;
			continue;
		}
		const start = m.indices![1][1];
		const end = m.index + m[0].length;
		consider(rule, m, 1, start, view, out, offset, from, to);
		cur = end === start ? end + 1 : end;
	}
}

/**
 * Runs `rules` over `view` (the masked text, or a window of it that starts at `offset` in the whole text) and
 * appends the candidates whose value starts in `view[from, to)`, with offsets into the whole text.
 */
export function collectCandidates(rules: readonly Rule[], view: string, out: Candidate[], offset = 0, from = 0, to = view.length): void {
	/** The lower-cased view, for anchors that ignore case; null when lower-casing moved characters (then no anchor). */
	let lower: string | null | undefined;
	for (const rule of rules) {
		if (rule.prefilter && !rule.prefilter(view)) continue;
		const plan = rule.anchor ? anchorPlan(rule) : undefined;
		if (plan) {
			let hay: string | null = view;
			if (plan.fold) {
				if (lower === undefined) {
					lower = view.toLowerCase();
					if (lower.length !== view.length) lower = null;
				}
				hay = lower;
			}
			if (hay !== null) {
				collectAnchored(rule, plan, view, hay, out, offset, from, to);
				continue;
			}
		}
		const re = rule.pattern;
		re.lastIndex = 0;
		for (let m = re.exec(view); m; m = re.exec(view)) {
			if (m[0].length === 0) re.lastIndex++;
			consider(rule, m, 0, m.index, view, out, offset, from, to);
		}
	}
}

