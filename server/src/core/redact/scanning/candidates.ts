/** Running rules over a text: keyword-selected rules, anchored or whole-text, each match through its checks. */
import { isFalsePositive } from '../filters';
import type { Rule } from '../rules';
import type { Candidate } from '../scan';
import { shannonEntropy } from '../validators';
import { nextIn, nextOf, scanAnchored, windowRegExp } from './anchored';

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
	/** The literal; undefined for `keywordAt` (any of the rule's keywords). */
	readonly literal: string | undefined;
	readonly min: number;
	readonly max: number;
	/** Look the literal (or the keywords) up in the lower-cased text. */
	readonly fold: boolean;
	/** windowRegExp(pattern, max - min). */
	readonly window: RegExp;
}

const anchorPlans = new WeakMap<Rule, AnchorPlan | null>();

function anchorPlan(rule: Rule): AnchorPlan | undefined {
	let plan = anchorPlans.get(rule);
	if (plan === undefined) {
		plan = null;
		const anchor = rule.anchor ?? rule.keywordAt;
		if (anchor) {
			const literal = rule.anchor?.literal;
			const { min, max } = anchor;
			const { source, flags } = rule.pattern;
			if ((rule.anchor && rule.keywordAt) || (rule.anchor ? !literal : !rule.keywords?.length) || !Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min || /[uv]/.test(flags) || /\\[1-9]|\\k</.test(source)) {
				throw new Error(`redaction rule ${rule.id}: unusable anchor`);
			}
			// Keywords are lower case and compared ignoring ASCII case, whatever the pattern's flags.
			const fold = literal === undefined || (flags.includes('i') && /[A-Za-z]/.test(literal));
			if (literal !== undefined && fold && literal !== literal.toLowerCase()) throw new Error(`redaction rule ${rule.id}: anchor literal must be lower case`);
			plan = { literal, min, max, fold, window: windowRegExp(rule.pattern, max - min) };
		}
		anchorPlans.set(rule, plan);
	}
	return plan ?? undefined;
}

/** The matches of an anchored rule (see scanAnchored), through their checks into `out`. */
function collectAnchored(rule: Rule, plan: AnchorPlan, view: string, next: (at: number) => number, out: Candidate[], offset: number, from: number, to: number): void {
	scanAnchored(plan.window, plan.min, plan.max, view, next, (m, start) => consider(rule, m, 1, start, view, out, offset, from, to));
}

/** Where the rule's keywords start in `hay` (the lower-cased view), ascending. */
function keywordStartsIn(rule: Rule, hay: string): number[] {
	const list: number[] = [];
	for (const word of rule.keywords!) for (let at = hay.indexOf(word); at !== -1; at = hay.indexOf(word, at + 1)) list.push(at);
	return list.sort((a, b) => a - b);
}

/** Where the keyword pass found the keywords of rules with `keywordAt` (see KeywordGate.keywordStarts), in the whole text. */
export interface KeywordStarts {
	keywordStarts(rule: Rule): readonly number[] | undefined;
}

/**
 * Runs `rules` over `view` (the masked text, or a window of it that starts at `offset` in the whole text) and
 * appends the candidates whose value starts in `view[from, to)`, with offsets into the whole text. `starts`, when
 * given, tells where the keywords of the rules with `keywordAt` start in the whole text; otherwise they are looked up.
 */
export function collectCandidates(rules: readonly Rule[], view: string, out: Candidate[], offset = 0, from = 0, to = view.length, starts?: KeywordStarts): void {
	/** The lower-cased view, for anchors that ignore case; null when lower-casing moved characters (then no anchor). */
	let lower: string | null | undefined;
	for (const rule of rules) {
		if (rule.prefilter && !rule.prefilter(view)) continue;
		const plan = rule.anchor || rule.keywordAt ? anchorPlan(rule) : undefined;
		if (plan) {
			const known = plan.literal === undefined ? starts?.keywordStarts(rule) : undefined;
			if (known) {
				collectAnchored(rule, plan, view, nextIn(known, offset, view.length), out, offset, from, to);
				continue;
			}
			let hay: string | null = view;
			if (plan.fold) {
				if (lower === undefined) {
					lower = view.toLowerCase();
					if (lower.length !== view.length) lower = null;
				}
				hay = lower;
			}
			if (hay !== null) {
				const literal = plan.literal;
				const found = hay;
				collectAnchored(rule, plan, view, literal === undefined ? nextIn(keywordStartsIn(rule, found)) : nextOf(found, literal), out, offset, from, to);
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
