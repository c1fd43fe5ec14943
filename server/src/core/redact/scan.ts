import { isFalsePositive, maskBlobs } from './filters';
import { RULES, type Rule, type RuleAction, type RuleKind, type Severity } from './rules';
import { fingerprint } from './redact';
import { shannonEntropy } from './validators';

export { RULES_VERSION } from './rules';

export interface Finding {
	readonly ruleId: string;
	readonly kind: RuleKind;
	readonly severity: Severity;
	readonly action: RuleAction;
	/** JavaScript string indices of the value only (not the `password=` before it). */
	readonly start: number;
	readonly end: number;
	/** 1-based. */
	readonly line: number;
	/** 1-based, in UTF-16 code units. */
	readonly column: number;
	/** HMAC of the value under the caller's key, when one is given; never the value itself. */
	readonly fingerprint?: string;
}

export interface ScanOptions {
	/** Defaults to every built-in rule. */
	readonly rules?: readonly Rule[];
	readonly kinds?: readonly RuleKind[];
	readonly disabledRules?: readonly string[];
	/** When set, each finding carries `fingerprint(value, fingerprintKey)`. */
	readonly fingerprintKey?: string | Buffer;
}

interface Candidate {
	readonly rule: Rule;
	readonly start: number;
	readonly end: number;
}

/** Offsets of the value: an explicit group, else the first group that took part in the match. */
function valueSpan(rule: Rule, m: RegExpExecArray): [number, number] | undefined {
	const indices = m.indices;
	if (!indices) return undefined;
	if (rule.group !== undefined) return indices[rule.group];
	for (let g = 1; g < indices.length; g++) if (indices[g]) return indices[g];
	return indices[0];
}

function runRule(rule: Rule, view: string, lower: string, out: Candidate[]): void {
	if (rule.keywords && !rule.keywords.some((k) => lower.includes(k))) return;
	const re = rule.pattern;
	re.lastIndex = 0;
	for (let m = re.exec(view); m; m = re.exec(view)) {
		if (m[0].length === 0) re.lastIndex++;
		const span = valueSpan(rule, m);
		if (!span) continue;
		const value = view.slice(span[0], span[1]);
		if (rule.entropy !== undefined && shannonEntropy(value) <= rule.entropy) continue;
		if (isFalsePositive(value, rule.filters ?? 'token')) continue;
		if (rule.validate && !rule.validate(value, view, span[0], m.index)) continue;
		out.push({ rule, start: span[0], end: span[1] });
	}
}

/** Higher priority wins, then the longer value, then the earlier one. */
function resolveOverlaps(candidates: Candidate[]): Candidate[] {
	const ranked = [...candidates].sort((a, b) =>
		(b.rule.priority ?? 2) - (a.rule.priority ?? 2) || (b.end - b.start) - (a.end - a.start) || a.start - b.start);
	const kept: Candidate[] = [];
	for (const c of ranked) {
		// kept stays sorted by start, so only the neighbours around c's insertion point can overlap it.
		let lo = 0;
		let hi = kept.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (kept[mid].start < c.start) lo = mid + 1;
			else hi = mid;
		}
		const before = kept[lo - 1];
		const after = kept[lo];
		if ((before && before.end > c.start) || (after && after.start < c.end)) continue;
		kept.splice(lo, 0, c);
	}
	return kept;
}

function lineStarts(text: string): number[] {
	const starts = [0];
	for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
	return starts;
}

function lineOf(starts: number[], index: number): number {
	let lo = 0;
	let hi = starts.length - 1;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (starts[mid] <= index) lo = mid;
		else hi = mid - 1;
	}
	return lo;
}

/** Finds credentials and personal data in `text`; findings are sorted by position and never overlap. */
export function scanText(text: string, options: ScanOptions = {}): Finding[] {
	const disabled = new Set(options.disabledRules ?? []);
	const kinds = options.kinds ? new Set(options.kinds) : undefined;
	const rules = (options.rules ?? RULES).filter((r) => !disabled.has(r.id) && (!kinds || kinds.has(r.kind)));
	const view = maskBlobs(text);
	const lower = view.toLowerCase();
	const candidates: Candidate[] = [];
	for (const rule of rules) runRule(rule, view, lower, candidates);
	if (!candidates.length) return [];
	const starts = lineStarts(text);
	return resolveOverlaps(candidates).map(({ rule, start, end }) => {
		const line = lineOf(starts, start);
		const finding: Finding = {
			ruleId: rule.id, kind: rule.kind, severity: rule.severity, action: rule.action,
			start, end, line: line + 1, column: start - starts[line] + 1,
		};
		return options.fingerprintKey === undefined ? finding : { ...finding, fingerprint: fingerprint(text.slice(start, end), options.fingerprintKey) };
	});
}
