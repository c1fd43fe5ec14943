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

/** A match that passed its rule's checks, before overlaps are resolved; offsets are into the whole text. */
export interface Candidate {
	readonly rule: Rule;
	readonly start: number;
	readonly end: number;
}

/** The rules `options` selects, in rule order. */
export function selectRules(options: ScanOptions): readonly Rule[] {
	const base = options.rules ?? RULES;
	if (!options.disabledRules?.length && !options.kinds) return base;
	const disabled = new Set(options.disabledRules ?? []);
	const kinds = options.kinds ? new Set(options.kinds) : undefined;
	return base.filter((r) => !disabled.has(r.id) && (!kinds || kinds.has(r.kind)));
}

/*
 * Keyword prefilter. A rule with keywords runs only when the lower-cased (masked) text contains one of them.
 * Asking `lower.includes(k)` for each of ~150 keywords reads the text once per absent keyword (most of them, in a
 * typical message) and needs a lower-cased copy of the text; instead one pass folds ASCII case on the fly and looks
 * each position's last three characters up in a bitmap of keyword prefixes. The answer is the same as the
 * `includes` test: only U+0130 and U+212A lower-case to ASCII letters, and a text holding either falls back to it.
 */

interface PrefixItem {
	/** Keyword id. */
	readonly id: number;
	/** Characters after the indexed prefix that must follow (ASCII, lower-case). */
	readonly rest: string;
}

/** Per UTF-16 code unit: ASCII lower-cased, anything else 0, which no fast-path keyword contains. */
const FOLD = new Uint8Array(65536);
for (let c = 1; c < 128; c++) FOLD[c] = c >= 65 && c <= 90 ? c + 32 : c;
/** The only characters outside ASCII whose lower case holds an ASCII letter (İ to i + U+0307, the Kelvin sign to k). */
const UNUSUAL = ['\u0130', '\u212a'];

class KeywordIndex {
	readonly keywords: string[] = [];
	/** Keyword ids per rule (by position in the rule list); undefined when the rule has none and always runs. */
	readonly ruleKeywords: (number[] | undefined)[] = [];
	/** Rule positions per keyword id. */
	readonly keywordRules: number[][] = [];
	/** One bit per 21-bit code of three folded ASCII characters: some keyword starts (or, for two-character keywords, ends) there. */
	readonly bitmap = new Uint8Array(1 << 18);
	readonly entries = new Map<number, PrefixItem[]>();
	/** Single-character keywords, found with indexOf (both cases of a letter). */
	readonly singles: number[] = [];
	/** Keywords the fast path cannot decide (non-ASCII, upper case, empty): always asked of the lower-cased text. */
	readonly slow: number[] = [];
	maxLength = 1;
	/** 1 for each rule without keywords; how many rules have some. */
	readonly alwaysActive: Uint8Array;
	readonly withKeywords: number;

	constructor(rules: readonly Rule[]) {
		this.alwaysActive = new Uint8Array(rules.length);
		this.withKeywords = 0;
		const ids = new Map<string, number>();
		for (let r = 0; r < rules.length; r++) {
			const words = rules[r].keywords;
			if (!words) {
				this.ruleKeywords.push(undefined);
				this.alwaysActive[r] = 1;
				continue;
			}
			this.withKeywords++;
			const mine: number[] = [];
			for (const word of words) {
				let id = ids.get(word);
				if (id === undefined) {
					id = this.keywords.length;
					ids.set(word, id);
					this.keywords.push(word);
					this.keywordRules.push([]);
					this.index(word, id);
				}
				if (!mine.includes(id)) mine.push(id);
				this.keywordRules[id].push(r);
			}
			this.ruleKeywords.push(mine);
		}
	}

	private index(word: string, id: number): void {
		this.maxLength = Math.max(this.maxLength, word.length);
		const fast = word.length > 0 && [...word].every((ch) => {
			const c = ch.charCodeAt(0);
			return c > 0 && c < 128 && !(c >= 65 && c <= 90);
		});
		if (!fast) {
			this.slow.push(id);
		} else if (word.length === 1) {
			this.singles.push(id);
		} else if (word.length === 2) {
			// Indexed under every possible character before it, so the lookup stays one trigram per position.
			const tail = (word.charCodeAt(0) << 7) | word.charCodeAt(1);
			for (let c = 0; c < 128; c++) this.add((c << 14) | tail, { id, rest: '' });
		} else {
			this.add((word.charCodeAt(0) << 14) | (word.charCodeAt(1) << 7) | word.charCodeAt(2), { id, rest: word.slice(3) });
		}
	}

	private add(code: number, item: PrefixItem): void {
		this.bitmap[code >>> 3] |= 1 << (code & 7);
		const list = this.entries.get(code);
		if (list) list.push(item);
		else this.entries.set(code, [item]);
	}
}

const indexes = new WeakMap<readonly Rule[], KeywordIndex>();

function indexFor(rules: readonly Rule[]): KeywordIndex {
	let index = indexes.get(rules);
	if (!index) indexes.set(rules, (index = new KeywordIndex(rules)));
	return index;
}

/**
 * Decides which rules run on a text. `feed` takes the masked text in consecutive ranges (one range for a whole
 * text, or the slices of a long one; `view` may be a longer window around the range so keywords that cross its end
 * are seen). The result is the same as testing every keyword against the whole lower-cased masked text.
 */
export class KeywordGate {
	private readonly rules: readonly Rule[];
	private readonly index: KeywordIndex;
	private readonly found: Uint8Array;
	/** Per rule: 1 once it runs (or is not selected, so nothing waits for it). */
	private readonly active: Uint8Array;
	/** Per rule: selected by the options; undefined when all are. */
	private readonly chosen: Uint8Array | undefined;
	private pending = 0;
	/** The last two folded characters fed, carried across ranges. */
	private carry = 0;

	/** The index is built once per rule list (`options.rules` or the built-in one); options only select from it. */
	constructor(options: ScanOptions = {}) {
		this.rules = options.rules ?? RULES;
		this.index = indexFor(this.rules);
		this.found = new Uint8Array(this.index.keywords.length);
		this.active = this.index.alwaysActive.slice();
		this.pending = this.index.withKeywords;
		const selected = selectRules(options);
		if (selected !== this.rules) {
			const keep = new Set(selected);
			this.chosen = new Uint8Array(this.rules.length);
			for (let r = 0; r < this.rules.length; r++) {
				if (keep.has(this.rules[r])) {
					this.chosen[r] = 1;
				} else if (!this.active[r]) {
					this.active[r] = 1;
					this.pending--;
				}
			}
		}
	}

	/** True once every rule is known to run; later ranges need not be fed. */
	get complete(): boolean {
		return this.pending === 0;
	}

	private hit(id: number): void {
		if (this.found[id]) return;
		this.found[id] = 1;
		for (const r of this.index.keywordRules[id]) {
			if (!this.active[r]) {
				this.active[r] = 1;
				this.pending--;
			}
		}
	}

	/** Scans `view[from, to)`; characters of `view` past `to` are only read to finish a keyword that starts before it. */
	feed(view: string, from: number, to: number): void {
		if (this.pending === 0) {
			this.carry = 0;
			return;
		}
		const index = this.index;
		for (const id of index.singles) {
			if (this.found[id]) continue;
			const word = index.keywords[id];
			for (const form of word === word.toUpperCase() ? [word] : [word, word.toUpperCase()]) {
				const at = view.indexOf(form, from);
				if (at !== -1 && at < to) this.hit(id);
			}
		}
		const bitmap = index.bitmap;
		let h = this.carry;
		for (let i = from; i < to; i++) {
			h = ((h << 7) | FOLD[view.charCodeAt(i)]) & 0x1fffff;
			if ((bitmap[h >>> 3] & (1 << (h & 7))) === 0) continue;
			const items = index.entries.get(h);
			if (!items) continue;
			for (const item of items) {
				if (this.found[item.id]) continue;
				const rest = item.rest;
				let ok = true;
				for (let j = 0; j < rest.length; j++) {
					if (FOLD[view.charCodeAt(i + 1 + j)] !== rest.charCodeAt(j)) {
						ok = false;
						break;
					}
				}
				if (ok) this.hit(item.id);
			}
			if (this.pending === 0) break;
		}
		this.carry = h & 0x3fff;
		if (this.pending === 0) return;
		const unusual = UNUSUAL.some((ch) => {
			const at = view.indexOf(ch, from);
			return at !== -1 && at < to;
		});
		if (!unusual && index.slow.length === 0) return;
		// The exact test on the lower-cased range, widened so keywords crossing either end are seen.
		const lower = view.slice(Math.max(0, from - index.maxLength + 1), Math.min(view.length, to + index.maxLength - 1)).toLowerCase();
		const ids = unusual ? index.keywords.keys() : index.slow.values();
		for (const id of ids) {
			if (!this.found[id] && lower.includes(index.keywords[id])) this.hit(id);
		}
	}

	/** The selected rules that run, in rule order. */
	selected(): Rule[] {
		const out: Rule[] = [];
		for (let r = 0; r < this.rules.length; r++) {
			if (this.active[r] === 1 && (!this.chosen || this.chosen[r] === 1)) out.push(this.rules[r]);
		}
		return out;
	}
}

/** Offsets of the value: an explicit group, else the first group that took part in the match. */
function valueSpan(rule: Rule, m: RegExpExecArray): [number, number] | undefined {
	const indices = m.indices;
	if (!indices) return undefined;
	if (rule.group !== undefined) return indices[rule.group];
	for (let g = 1; g < indices.length; g++) if (indices[g]) return indices[g];
	return indices[0];
}

/**
 * Runs `rules` over `view` (the masked text, or a window of it that starts at `offset` in the whole text) and
 * appends the candidates whose value starts in `view[from, to)`, with offsets into the whole text.
 */
export function collectCandidates(rules: readonly Rule[], view: string, out: Candidate[], offset = 0, from = 0, to = view.length): void {
	for (const rule of rules) {
		const re = rule.pattern;
		re.lastIndex = 0;
		for (let m = re.exec(view); m; m = re.exec(view)) {
			if (m[0].length === 0) re.lastIndex++;
			const span = valueSpan(rule, m);
			if (!span || span[0] < from || span[0] >= to) continue;
			const value = view.slice(span[0], span[1]);
			if (rule.entropy !== undefined && shannonEntropy(value) <= rule.entropy) continue;
			if (isFalsePositive(value, rule.filters ?? 'token')) continue;
			if (rule.validate && !rule.validate(value, view, span[0], m.index)) continue;
			out.push({ rule, start: offset + span[0], end: offset + span[1] });
		}
	}
}

/** Candidate indices by start, ties in input order. Sorted as packed numbers when they fit (no comparator calls). */
function startOrder(candidates: readonly Candidate[]): number[] {
	const n = candidates.length;
	if (n < PACK && candidates.every((c) => c.start < 2 ** 30)) {
		const keys = new Float64Array(n);
		for (let i = 0; i < n; i++) keys[i] = candidates[i].start * PACK + i;
		keys.sort();
		return Array.from(keys, (k) => k % PACK);
	}
	return Array.from({ length: n }, (_, i) => i).sort((a, b) => candidates[a].start - candidates[b].start || a - b);
}

/** Candidate indices by priority (high first), then length (long first), then start order. */
function rankOrder(candidates: readonly Candidate[], place: Int32Array): number[] {
	const n = candidates.length;
	const fits = n < PACK && candidates.every((c) => {
		const priority = c.rule.priority ?? 2;
		return Number.isInteger(priority) && priority >= 0 && priority < 16 && c.end - c.start < 2 ** 24 && c.end >= c.start;
	});
	if (fits) {
		const keys = new Float64Array(n);
		for (let i = 0; i < n; i++) {
			const c = candidates[i];
			keys[i] = ((15 - (c.rule.priority ?? 2)) * 2 ** 24 + (2 ** 24 - 1 - (c.end - c.start))) * PACK + place[i];
		}
		keys.sort();
		const byPlace = new Int32Array(n);
		for (let i = 0; i < n; i++) byPlace[place[i]] = i;
		return Array.from(keys, (k) => byPlace[k % PACK]);
	}
	return Array.from({ length: n }, (_, i) => i).sort((a, b) => {
		const x = candidates[a];
		const y = candidates[b];
		return (y.rule.priority ?? 2) - (x.rule.priority ?? 2) || (y.end - y.start) - (x.end - x.start) || place[a] - place[b];
	});
}

/** The place (0-based) of the k-th marked one (1-based k) in a Fenwick tree of marks; `high` is the top power of two ≤ n. */
function kthPlace(tree: Int32Array, high: number, n: number, k: number): number {
	let at = 0;
	for (let step = high; step > 0; step >>= 1) {
		if (at + step <= n && tree[at + step] < k) {
			at += step;
			k -= tree[at];
		}
	}
	return at;
}

/** Room for a candidate index in a packed sort key. */
const PACK = 2 ** 22;

/**
 * Higher priority wins, then the longer value, then the earlier one. Returns the kept candidates sorted by start.
 * Kept values are marked in a Fenwick tree over the candidates' start order, so each "does it overlap a kept
 * neighbour" costs O(log n) and a text with many candidates stays O(n log n) (a sorted array with insertions was
 * quadratic there).
 */
export function resolveOverlaps(candidates: readonly Candidate[]): Candidate[] {
	const n = candidates.length;
	if (n < 2) return [...candidates];
	const byStart = startOrder(candidates);
	/** Each candidate's place in start order, and the first place with the same start. */
	const place = new Int32Array(n);
	const firstPlace = new Int32Array(n);
	for (let p = 0; p < n; p++) {
		const i = byStart[p];
		place[i] = p;
		firstPlace[i] = p > 0 && candidates[byStart[p - 1]].start === candidates[i].start ? firstPlace[byStart[p - 1]] : p;
	}
	const ranked = rankOrder(candidates, place);
	const starts = new Float64Array(n);
	const ends = new Float64Array(n);
	for (let p = 0; p < n; p++) {
		starts[p] = candidates[byStart[p]].start;
		ends[p] = candidates[byStart[p]].end;
	}
	const tree = new Int32Array(n + 1);
	let high = 1;
	while (high * 2 <= n) high *= 2;
	const kept = new Uint8Array(n);
	let total = 0;
	for (const i of ranked) {
		const start = starts[place[i]];
		const end = ends[place[i]];
		// `before`: kept values that start before this one; the last of them and the next kept one are its only
		// possible overlaps (kept values never overlap each other).
		let before = 0;
		for (let j = firstPlace[i]; j > 0; j -= j & -j) before += tree[j];
		if (before > 0 && ends[kthPlace(tree, high, n, before)] > start) continue;
		if (before < total && starts[kthPlace(tree, high, n, before + 1)] < end) continue;
		kept[place[i]] = 1;
		total++;
		for (let j = place[i] + 1; j <= n; j += j & -j) tree[j]++;
	}
	const out: Candidate[] = [];
	for (let p = 0; p < n; p++) if (kept[p]) out.push(candidates[byStart[p]]);
	return out;
}

/** Walks a text forward, counting lines, so positions in increasing order get their line and column in one pass. */
export class LineCursor {
	private line = 0;
	private lineStart = 0;
	/** The first newline not yet counted; -1 when there is none left. */
	private next: number;

	constructor(private readonly text: string) {
		this.next = text.indexOf('\n');
	}

	/** Moves forward to `index` and returns its 0-based line and the index that line starts at. */
	seek(index: number): { line: number; lineStart: number } {
		while (this.next !== -1 && this.next < index) {
			this.line++;
			this.lineStart = this.next + 1;
			this.next = this.text.indexOf('\n', this.lineStart);
		}
		return { line: this.line, lineStart: this.lineStart };
	}
}

/** Turns resolved candidates (sorted by start) into findings; `cursor` must not be past the first one. */
export function toFinding(text: string, { rule, start, end }: Candidate, cursor: LineCursor, options: ScanOptions): Finding {
	const { line, lineStart } = cursor.seek(start);
	const finding: Finding = {
		ruleId: rule.id, kind: rule.kind, severity: rule.severity, action: rule.action,
		start, end, line: line + 1, column: start - lineStart + 1,
	};
	return options.fingerprintKey === undefined ? finding : { ...finding, fingerprint: fingerprint(text.slice(start, end), options.fingerprintKey) };
}

/**
 * Finds credentials and personal data in `text`; findings are sorted by position and never overlap.
 * Synchronous and linear in the text; for multi-megabyte texts in the editor's backend see `scanTextSliced`.
 */
export function scanText(text: string, options: ScanOptions = {}): Finding[] {
	const view = maskBlobs(text);
	const gate = new KeywordGate(options);
	gate.feed(view, 0, view.length);
	const candidates: Candidate[] = [];
	collectCandidates(gate.selected(), view, candidates);
	if (!candidates.length) return [];
	const cursor = new LineCursor(text);
	return resolveOverlaps(candidates).map((c) => toFinding(text, c, cursor, options));
}
