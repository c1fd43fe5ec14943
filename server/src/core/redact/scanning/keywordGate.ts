/**
 * Keyword prefilter. A rule with keywords runs only when the lower-cased (masked) text contains one of them.
 * Asking `lower.includes(k)` for each of several hundred keywords reads the text once per absent keyword (most of
 * them, in a typical message) and needs a lower-cased copy of the text; instead one pass folds ASCII case on the fly.
 * Each character maps to a 6-bit symbol (a letter by its lower case, a digit, another character some keyword holds,
 * anything else 0), and the symbols of each position's last three characters index a 32 KB bitmap of the codes of
 * one trigram of each keyword (its least common one by a letter-frequency estimate; for a two-character keyword,
 * its end under every possible character before it). A set bit is checked character by character against the
 * keywords filed under that code. The answer is the same as the `includes` test: only U+0130 and U+212A lower-case
 * to ASCII letters, and a text holding either falls back to it.
 */
import { MASK_HINTS } from '../filters';
import { RULES, type Rule } from '../rules';
import type { ScanOptions } from '../scan';
import { selectRules } from './selectRules';
import { SHAPE_CLASS, SHAPE_FOUND, shapeAutomaton } from './shapeAutomaton';

interface PrefixItem {
	/** Keyword id. */
	readonly id: number;
	/** The keyword (ASCII, lower-case). */
	readonly word: string;
	/** How far before the position that completes the code the keyword starts. */
	readonly back: number;
}

/** Per UTF-16 code unit: ASCII lower-cased, anything else 0, which no fast-path keyword contains. */
const FOLD = new Uint8Array(65536);
for (let c = 1; c < 128; c++) FOLD[c] = c >= 65 && c <= 90 ? c + 32 : c;
/** The only characters outside ASCII whose lower case holds an ASCII letter (İ to i + U+0307, the Kelvin sign to k). */
const UNUSUAL = ['\u0130', '\u212a'];
/** Symbols: 1-26 the letters a-z, 27-36 the digits, then each other character keywords hold (the last one shared). */
const FIRST_PUNCT = 37;
const LAST_SYMBOL = 63;
/**
 * Rough frequency of a (folded) character in logs and prose, to file each keyword under its rarest trigram: English
 * letter frequencies, digits, and a guess for punctuation. Only speed depends on it.
 */
function commonness(c: number): number {
	const letters = 'etaoinshrdlcumfpgwybvkxjqz';
	const rank = letters.indexOf(String.fromCharCode(c));
	if (rank >= 0) return 12 / (1 + rank * 0.6);
	if (c >= 48 && c <= 57) return 1;
	return ({ ' ': 15, ':': 3, '/': 2, '.': 1.5, '-': 1.5, '"': 3, ',': 2, '=': 0.5, _: 0.6 } as Record<string, number>)[String.fromCharCode(c)] ?? 0.3;
}

/*
 * Shapes. A rule without keywords may give a run of character classes that all its matches hold (credit cards: 13
 * digits with single separators). One automaton over those classes, stepped in the keyword pass, tells whether any
 * of the shapes occurs in the text; the rules with shapes run only then. The automaton decides "contains one of the
 * shapes" exactly, so a rule never skips a text it could match.
 */

class KeywordIndex {
	readonly keywords: string[] = [];
	/** Rule positions per keyword id. */
	readonly keywordRules: number[][] = [];
	/** Per UTF-16 code unit: its 6-bit symbol (0 for every character no fast-path keyword holds). */
	readonly symbol = new Uint8Array(65536);
	/** Per UTF-16 code unit: its symbol and shape class, `symbol << 3 | class`, so the walk reads one table. */
	readonly info = new Uint16Array(65536);
	/** One bit per 18-bit code of three symbols: some keyword starts (or, for two-character keywords, ends) there. */
	readonly bitmap = new Uint8Array(1 << 15);
	readonly entries = new Map<number, PrefixItem[]>();
	/** Single-character keywords, found with indexOf, and the forms looked for (both cases of a letter). */
	readonly singles: number[] = [];
	readonly singleForms: string[][] = [];
	/** Keywords the fast path cannot decide (non-ASCII, upper case, empty): always asked of the lower-cased text. */
	readonly slow: number[] = [];
	maxLength = 1;
	/** 1 for each rule without keywords or shape; how many rules wait for a keyword or shape. */
	readonly alwaysActive: Uint8Array;
	readonly withKeywords: number;
	/** Rules (positions) that run when a shape occurs, and the automaton that finds one; none without such rules. */
	readonly shapeRules: number[] = [];
	readonly automaton: Int32Array | undefined;
	/** Keyword ids of MASK_HINTS, looked for with the keywords (they enable no rule). */
	readonly hints: number[];

	constructor(rules: readonly Rule[]) {
		this.alwaysActive = new Uint8Array(rules.length);
		this.withKeywords = 0;
		const ids = new Map<string, number>();
		/** The keyword's id, given on first sight. */
		const idOf = (word: string): number => {
			let id = ids.get(word);
			if (id === undefined) {
				id = this.keywords.length;
				ids.set(word, id);
				this.keywords.push(word);
				this.keywordRules.push([]);
			}
			return id;
		};
		const shapes: string[] = [];
		for (let r = 0; r < rules.length; r++) {
			const words = rules[r].keywords;
			if (!words) {
				const shape = rules[r].shape;
				if (shape === undefined) {
					this.alwaysActive[r] = 1;
				} else {
					this.shapeRules.push(r);
					shapes.push(shape);
					this.withKeywords++;
				}
				continue;
			}
			this.withKeywords++;
			for (const word of words) this.keywordRules[idOf(word)].push(r);
		}
		this.hints = MASK_HINTS.map(idOf);
		const fast = this.keywords.map((word) => word.length > 0 && [...word].every((ch) => {
			const c = ch.charCodeAt(0);
			return c > 0 && c < 128 && !(c >= 65 && c <= 90);
		}));
		for (let c = 1; c < 128; c++) {
			const f = FOLD[c];
			if (f >= 97 && f <= 122) this.symbol[c] = f - 96;
			else if (f >= 48 && f <= 57) this.symbol[c] = f - 48 + 27;
		}
		let next = FIRST_PUNCT;
		this.keywords.forEach((word, id) => {
			if (!fast[id]) return;
			for (const ch of word) {
				if (this.symbol[ch.charCodeAt(0)] !== 0) continue;
				this.symbol[ch.charCodeAt(0)] = next;
				if (next < LAST_SYMBOL) next++;
			}
		});
		for (let c = 0; c < 65536; c++) this.info[c] = (this.symbol[c] << 3) | SHAPE_CLASS[c];
		this.keywords.forEach((word, id) => this.index(word, id, fast[id]));
		this.automaton = shapes.length ? shapeAutomaton(shapes) : undefined;
	}

	private index(word: string, id: number, fast: boolean): void {
		this.maxLength = Math.max(this.maxLength, word.length);
		const s = (k: number): number => this.symbol[word.charCodeAt(k)];
		if (!fast) {
			this.slow.push(id);
		} else if (word.length === 1) {
			this.singles.push(id);
			this.singleForms.push(word === word.toUpperCase() ? [word] : [word, word.toUpperCase()]);
		} else if (word.length === 2) {
			// Filed under every possible symbol before it, so the lookup stays one code per position.
			for (let c = 0; c <= LAST_SYMBOL; c++) this.add((c << 12) | (s(0) << 6) | s(1), { id, word, back: 1 });
		} else {
			let best = 0;
			let bestScore = Infinity;
			for (let k = 0; k + 3 <= word.length; k++) {
				const score = commonness(word.charCodeAt(k)) * commonness(word.charCodeAt(k + 1)) * commonness(word.charCodeAt(k + 2));
				if (score < bestScore) {
					best = k;
					bestScore = score;
				}
			}
			this.add((s(best) << 12) | (s(best + 1) << 6) | s(best + 2), { id, word, back: best + 2 });
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
	/** `active` and `pending` before anything is fed. */
	private readonly initialActive: Uint8Array;
	private readonly initialPending: number;
	/** Per rule: selected by the options; undefined when all are. */
	private readonly chosen: Uint8Array | undefined;
	private pending = 0;
	/** The symbols of the last two characters fed, carried across ranges. */
	private carry = 0;
	/**
	 * The characters just before the current range (up to the longest keyword), for keywords that start in an earlier
	 * range: kept as the previous range (`prev*`) and folded into `tail` only when another range comes.
	 */
	private tail = '';
	private prevView: string | undefined;
	private prevFrom = 0;
	private prevTo = 0;
	/** The shape automaton's state, carried across ranges. */
	private shapeState = 0;

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
		this.initialActive = this.active.slice();
		this.initialPending = this.pending;
	}

	/** Back to the state before anything was fed, so one gate serves many texts. */
	reset(): void {
		this.found.fill(0);
		this.active.set(this.initialActive);
		this.pending = this.initialPending;
		this.carry = 0;
		this.tail = '';
		this.prevView = undefined;
		this.shapeState = 0;
	}

	/**
	 * False when the text fed holds none of MASK_HINTS (ignoring case), so masking it would change nothing; true when
	 * it may (or the walk stopped early, every rule being in).
	 */
	get maskHint(): boolean {
		return this.pending === 0 || this.index.hints.some((id) => this.found[id] === 1);
	}

	/** True once every rule is known to run; later ranges need not be fed. */
	get complete(): boolean {
		return this.pending === 0;
	}

	private hit(id: number): void {
		if (this.found[id]) return;
		this.found[id] = 1;
		for (const r of this.index.keywordRules[id]) this.activate(r);
	}

	private activate(r: number): void {
		if (!this.active[r]) {
			this.active[r] = 1;
			this.pending--;
		}
	}

	/** Checks the keywords filed under the code completed at `i`. */
	private check(items: readonly PrefixItem[], view: string, i: number, from: number): void {
		const found = this.found;
		for (let n = 0; n < items.length; n++) {
			const item = items[n];
			if (found[item.id]) continue;
			const word = item.word;
			const start = i - item.back;
			if (start < from) {
				if (this.crossing(word, view, start, from)) this.hit(item.id);
				continue;
			}
			// Past the view's end the keyword cannot be whole (and reading there would return NaN).
			if (start + word.length > view.length) continue;
			let j = 0;
			while (j < word.length && FOLD[view.charCodeAt(start + j)] === word.charCodeAt(j)) j++;
			if (j === word.length) this.hit(item.id);
		}
	}

	/** Whether `word` starts at `start`, before `from`: the characters before `from` are the carried ones. */
	private crossing(word: string, view: string, start: number, from: number): boolean {
		const tail = this.tail;
		for (let j = 0; j < word.length; j++) {
			const k = start + j;
			const c = k >= from ? (k < view.length ? FOLD[view.charCodeAt(k)] : -1) : tail.length - (from - k) >= 0 ? FOLD[tail.charCodeAt(tail.length - (from - k))] : -1;
			if (c !== word.charCodeAt(j)) return false;
		}
		return true;
	}

	/** Scans `view[from, to)`; characters of `view` past `to` are only read to finish a keyword that starts before it. */
	feed(view: string, from: number, to: number): void {
		if (this.pending === 0) return;
		if (this.prevView !== undefined) {
			const keep = this.index.maxLength - 1;
			this.tail = (this.tail + this.prevView.slice(Math.max(this.prevFrom, this.prevTo - keep), this.prevTo)).slice(-keep);
		}
		this.prevView = view;
		this.prevFrom = from;
		this.prevTo = to;
		this.feedSingles(view, from, to);
		// The hot loop and the exact fallback are separate functions, so each is optimized on its own.
		const h = this.feedCodes(view, from, to);
		if (h < 0) return;
		this.carry = h & 0xfff;
		this.feedUnusual(view, from, to);
	}

	private feedSingles(view: string, from: number, to: number): void {
		const index = this.index;
		const singles = index.singles;
		for (let s = 0; s < singles.length; s++) {
			if (this.found[singles[s]]) continue;
			const forms = index.singleForms[s];
			for (let f = 0; f < forms.length; f++) {
				const at = view.indexOf(forms[f], from);
				if (at !== -1 && at < to) {
					this.hit(singles[s]);
					break;
				}
			}
		}
	}

	/** The code walk (and the shape automaton while a rule waits for it); returns the last code, or -1 once every rule runs. */
	private feedCodes(view: string, from: number, to: number): number {
		if (this.index.automaton && this.shapeState !== SHAPE_FOUND && this.shapesPending()) return this.walkWithShapes(view, from, to);
		return this.walk(view, from, to);
	}

	private walk(view: string, from: number, to: number): number {
		const index = this.index;
		const info = index.info;
		const bitmap = index.bitmap;
		const entries = index.entries;
		let h = this.carry;
		for (let i = from; i < to; i++) {
			h = ((h << 6) | (info[view.charCodeAt(i)] >>> 3)) & 0x3ffff;
			if ((bitmap[h >>> 3] & (1 << (h & 7))) === 0) continue;
			this.check(entries.get(h)!, view, i, from);
			if (this.pending === 0) return -1;
		}
		return h;
	}

	/** `walk` that also steps the shape automaton (it runs to the range's end: the shape rules are still pending). */
	private walkWithShapes(view: string, from: number, to: number): number {
		const index = this.index;
		const info = index.info;
		const bitmap = index.bitmap;
		const entries = index.entries;
		const automaton = index.automaton!;
		let h = this.carry;
		let state = this.shapeState;
		for (let i = from; i < to; i++) {
			const x = info[view.charCodeAt(i)];
			state = automaton[(state << 3) | (x & 7)];
			h = ((h << 6) | (x >>> 3)) & 0x3ffff;
			if ((bitmap[h >>> 3] & (1 << (h & 7))) === 0) continue;
			this.check(entries.get(h)!, view, i, from);
		}
		this.shapeState = state;
		if (state === SHAPE_FOUND) for (const r of index.shapeRules) this.activate(r);
		return this.pending === 0 ? -1 : h;
	}

	private shapesPending(): boolean {
		for (const r of this.index.shapeRules) if (!this.active[r]) return true;
		return false;
	}

	private feedUnusual(view: string, from: number, to: number): void {
		const index = this.index;
		let unusual = false;
		for (let u = 0; u < UNUSUAL.length && !unusual; u++) {
			const at = view.indexOf(UNUSUAL[u], from);
			unusual = at !== -1 && at < to;
		}
		if (!unusual && index.slow.length === 0) return;
		// The exact test on the lower-cased range, widened so keywords crossing either end are seen.
		const lower = view.slice(Math.max(0, from - index.maxLength + 1), Math.min(view.length, to + index.maxLength - 1)).toLowerCase();
		const ids = unusual ? index.keywords.keys() : index.slow.values();
		for (const id of ids) {
			if (!this.found[id] && lower.includes(index.keywords[id])) this.hit(id);
		}
	}

	/** The selected rules that run, in rule order (into `out` when given, which is emptied first). */
	selected(out: Rule[] = []): Rule[] {
		out.length = 0;
		for (let r = 0; r < this.rules.length; r++) {
			if (this.active[r] === 1 && (!this.chosen || this.chosen[r] === 1)) out.push(this.rules[r]);
		}
		return out;
	}
}

