/**
 * Keyword prefilter. A rule with keywords runs only when the lower-cased (masked) text contains one of them.
 * Asking `lower.includes(k)` for each of several hundred keywords reads the text once per absent keyword (most of
 * them, in a typical message) and needs a lower-cased copy of the text; instead one pass folds ASCII case on the fly.
 * Each character maps to a 6-bit symbol (a letter by its lower case, a digit, another character some keyword holds,
 * anything else 0), and the symbols of each position's last three characters index a 256 KB table of the codes of
 * one trigram of each keyword (its least common one by a letter-frequency estimate; for a two-character keyword,
 * its end under every possible character before it). A code that is set is checked character by character against
 * the keywords filed under it. The answer is the same as the `includes` test: only U+0130 and U+212A lower-case
 * to ASCII letters, and a text holding either falls back to it.
 *
 * The same pass can note where the keywords of rules with `keywordAt` start (every occurrence, not just the first),
 * so those rules try their pattern only there instead of reading the whole text again. A regex without the `u` flag
 * never matches U+0130 or U+212A to an ASCII letter, so the ASCII positions are all the ones a match can hold.
 */
import { MASK_HINTS } from '../filters';
import { RULES, type Rule } from '../rules';
import type { ScanOptions } from '../scan';
import { selectRules } from './selectRules';
import { SHAPE_BITS, SHAPE_CLASS, SHAPE_OTHER, shapeAutomaton, type ShapeAutomaton } from './shapeAutomaton';

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
/**
 * The walks read the text through this copy of its UTF-16 code units, CHUNK at a time, made by a native write: a
 * typed array reads the same whatever kind of string the text is (flat or sliced, one or two bytes per character), so
 * the hot loops always compile to the same fast code, which `charCodeAt` on a mix of string kinds does not.
 */
const CHUNK = 1 << 15;
const scratch = Buffer.alloc(CHUNK * 2);
const units = new Uint16Array(scratch.buffer, scratch.byteOffset, CHUNK);

/** Copies up to CHUNK code units of `view` from `at` (never past `to`) into `units`; returns how many. */
function load(view: string, at: number, to: number): number {
	const n = Math.min(CHUNK, to - at);
	scratch.write(at === 0 && n === view.length ? view : view.slice(at, at + n), 0, 'utf16le');
	return n;
}

/** The loops below shift by a literal 4 and mask with 15 (an imported or module binding would be read each time). */
if (SHAPE_BITS !== 4) throw new Error('the keyword walk assumes 4-bit shape classes');
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
 * digits with single separators). One automaton over those classes, stepped in the keyword pass, tells which of the
 * shapes occur in the text; a rule with a shape runs only when its own shape does. The automaton decides "contains
 * this shape" exactly, so a rule never skips a text it could match.
 */

class KeywordIndex {
	readonly keywords: string[] = [];
	/** Rule positions per keyword id. */
	readonly keywordRules: number[][] = [];
	/** Per UTF-16 code unit: its 6-bit symbol (0 for every character no fast-path keyword holds). */
	readonly symbol = new Uint8Array(65536);
	/** Per UTF-16 code unit: its symbol and shape class, `symbol << SHAPE_BITS | class`, so the walk reads one table. */
	readonly info = new Uint16Array(65536);
	/** One byte per 18-bit code of three symbols: 1 when some keyword starts (or, for two-character keywords, ends) there. */
	readonly codes = new Uint8Array(1 << 18);
	/** The keywords filed under each code: `lists[listOf[code]]` (list 0 is empty). */
	readonly listOf = new Uint16Array(1 << 18);
	readonly lists: PrefixItem[][] = [[]];
	/** Single-character keywords, found with indexOf, and the forms looked for (both cases of a letter). */
	readonly singles: number[] = [];
	readonly singleForms: string[][] = [];
	/** Keywords the fast path cannot decide (non-ASCII, upper case, empty): always asked of the lower-cased text. */
	readonly slow: number[] = [];
	maxLength = 1;
	/** 1 for each rule without keywords or shape; how many rules wait for a keyword or shape. */
	readonly alwaysActive: Uint8Array;
	readonly withKeywords: number;
	/** Rules (positions) that run when their shape occurs (shape k is the k-th), and the automaton that finds shapes. */
	readonly shapeRules: number[] = [];
	readonly automaton: ShapeAutomaton | undefined;
	/** The automaton's state, and the shapes found, after the "anything else" character read before a text. */
	readonly shapeStart: number = 0;
	readonly shapeStartFound: number = 0;
	/** Per rule position: its slot among the rules with `keywordAt`, else -1; per keyword id: the slots it anchors. */
	readonly anchorSlot: Int32Array;
	readonly slotsOf: number[][] = [];
	/** Per keyword id: 1 when some rule is anchored on it (its starts are noted). */
	readonly tracked: Uint8Array;
	slots = 0;
	/** Rule positions in the list. */
	readonly ruleAt = new Map<Rule, number>();
	/** Keyword ids of MASK_HINTS, looked for with the keywords (they enable no rule), and 1 per keyword id that is one. */
	readonly hints: number[];
	readonly isHint: Uint8Array;

	constructor(rules: readonly Rule[]) {
		this.alwaysActive = new Uint8Array(rules.length);
		this.anchorSlot = new Int32Array(rules.length).fill(-1);
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
				this.slotsOf.push([]);
			}
			return id;
		};
		const shapes: string[] = [];
		for (let r = 0; r < rules.length; r++) {
			this.ruleAt.set(rules[r], r);
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
			if (rules[r].keywordAt) {
				const slot = this.slots++;
				this.anchorSlot[r] = slot;
				for (const word of words) {
					// Noted by the code walk only: two or more characters, ASCII, no upper case.
					if (word.length < 2 || [...word].some((ch) => ch.charCodeAt(0) >= 128 || ch !== ch.toLowerCase())) {
						throw new Error(`redaction rule ${rules[r].id}: keywordAt needs lower-case ASCII keywords of two or more characters`);
					}
					this.slotsOf[idOf(word)].push(slot);
				}
			}
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
		for (let c = 0; c < 65536; c++) this.info[c] = (this.symbol[c] << SHAPE_BITS) | SHAPE_CLASS[c];
		this.keywords.forEach((word, id) => this.index(word, id, fast[id]));
		this.automaton = shapes.length ? shapeAutomaton(shapes) : undefined;
		if (this.automaton) {
			this.shapeStart = this.automaton.table[SHAPE_OTHER];
			this.shapeStartFound = this.automaton.found[this.shapeStart >> SHAPE_BITS];
		}
		this.tracked = Uint8Array.from(this.slotsOf, (slots) => (slots.length ? 1 : 0));
		this.isHint = new Uint8Array(this.keywords.length);
		for (const id of this.hints) this.isHint[id] = 1;
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
		this.codes[code] = 1;
		if (this.listOf[code] === 0) {
			this.listOf[code] = this.lists.length;
			this.lists.push([]);
		}
		this.lists[this.listOf[code]].push(item);
	}
}

const indexes = new WeakMap<readonly Rule[], KeywordIndex>();

function indexFor(rules: readonly Rule[]): KeywordIndex {
	let index = indexes.get(rules);
	if (!index) indexes.set(rules, (index = new KeywordIndex(rules)));
	return index;
}

/** Options of a gate. */
export interface GateOptions {
	/**
	 * Note where the keywords of rules with `keywordAt` start (see `keywordStarts`), in the coordinates `feed` is given
	 * (`offset` plus the index in its view). Every range must then be fed: the walk no longer stops once every rule runs.
	 */
	readonly starts?: boolean;
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
	/** `pending` before anything is fed. */
	private readonly initialPending: number;
	/** Per rule: selected by the options; undefined when all are. */
	private readonly chosen: Uint8Array | undefined;
	private pending = 0;
	/**
	 * What changed since the last reset, so a reset (once per text) touches only that: the keyword ids found and the
	 * rules activated (in the order found), with their counts.
	 */
	private readonly foundIds: Int32Array;
	private foundCount = 0;
	private readonly activated: Int32Array;
	private activatedCount = 0;
	/** Selected rules (positions) that run whatever the text holds. */
	private readonly always: number[] = [];
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
	/**
	 * The shape automaton's state and the shapes found so far (bit k: shape k), carried across ranges; it starts as if
	 * a character of class "anything else" came before the text, so a shape may begin with the one before a match.
	 */
	private shapeState = 0;
	private shapesFound = 0;
	/** Per keyword id: 1 when its starts are noted (all 0 unless the gate was asked for starts). */
	private readonly tracked: Uint8Array;
	/** Whether any starts are noted: the walk then reads the whole range even once every rule runs. */
	private readonly tracks: boolean;
	/** Per anchor slot: the keyword starts, ascending; and the slots written since the last reset. */
	private readonly starts: number[][];
	private readonly written: Int32Array;
	private writtenCount = 0;
	/** Where the current view starts in the coordinates of the starts noted. */
	private offset = 0;
	/**
	 * Set around the feed of a whole text: the walk stops at the first mask hint (`stoppedAtHint`), since the caller
	 * then masks the text and feeds the masked one after a reset; what the walk would find after the hint is not needed.
	 */
	stopAtHint = false;
	private stopped = false;

	/** The index is built once per rule list (`options.rules` or the built-in one); options only select from it. */
	constructor(options: ScanOptions = {}, gateOptions: GateOptions = {}) {
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
		this.initialPending = this.pending;
		for (let r = 0; r < this.rules.length; r++) if (this.index.alwaysActive[r] && (!this.chosen || this.chosen[r])) this.always.push(r);
		this.foundIds = new Int32Array(this.index.keywords.length);
		this.activated = new Int32Array(this.rules.length);
		this.shapeState = this.index.shapeStart;
		this.shapesFound = this.index.shapeStartFound;
		this.tracks = gateOptions.starts === true && this.index.slots > 0;
		this.tracked = this.tracks ? this.index.tracked : new Uint8Array(this.index.keywords.length);
		this.starts = Array.from({ length: this.index.slots }, () => []);
		this.written = new Int32Array(this.index.slots);
	}

	/** Back to the state before anything was fed, so one gate serves many texts. */
	reset(): void {
		for (let k = 0; k < this.foundCount; k++) this.found[this.foundIds[k]] = 0;
		this.foundCount = 0;
		for (let k = 0; k < this.activatedCount; k++) this.active[this.activated[k]] = 0;
		this.activatedCount = 0;
		this.pending = this.initialPending;
		this.carry = 0;
		this.tail = '';
		this.prevView = undefined;
		this.stopped = false;
		this.shapeState = this.index.shapeStart;
		this.shapesFound = this.index.shapeStartFound;
		// Fresh lists rather than `length = 0`, which is a runtime call.
		for (let k = 0; k < this.writtenCount; k++) this.starts[this.written[k]] = [];
		this.writtenCount = 0;
	}

	/**
	 * False when the text fed holds none of MASK_HINTS (ignoring case), so masking it would change nothing; true when
	 * it may (or the walk stopped early, every rule being in).
	 */
	get maskHint(): boolean {
		if (this.pending === 0) return true;
		for (const id of this.index.hints) if (this.found[id] === 1) return true;
		return false;
	}

	/** True when a feed with `stopAtHint` stopped at a mask hint, before the end of its range. */
	get stoppedAtHint(): boolean {
		return this.stopped;
	}

	/**
	 * For a rule with `keywordAt`, when the gate notes starts: where its keywords start in the text fed (ignoring
	 * ASCII case), ascending, with each view's `offset` added; undefined otherwise. Valid until the next reset.
	 */
	keywordStarts(rule: Rule): readonly number[] | undefined {
		if (!this.tracks) return undefined;
		const r = this.index.ruleAt.get(rule);
		const slot = r === undefined ? -1 : this.index.anchorSlot[r];
		return slot === -1 ? undefined : this.starts[slot];
	}

	private hit(id: number): void {
		if (this.found[id]) return;
		this.found[id] = 1;
		this.foundIds[this.foundCount++] = id;
		if (this.stopAtHint && this.index.isHint[id]) this.stopped = true;
		for (const r of this.index.keywordRules[id]) this.activate(r);
	}

	private activate(r: number): void {
		if (!this.active[r]) {
			this.active[r] = 1;
			this.activated[this.activatedCount++] = r;
			this.pending--;
		}
	}

	/** Notes that keyword `id` starts at `start`, keeping each list ascending (the walk finds keywords nearly in order). */
	private note(id: number, viewStart: number): void {
		const start = this.offset + viewStart;
		for (const slot of this.index.slotsOf[id]) {
			const list = this.starts[slot];
			if (list.length === 0) this.written[this.writtenCount++] = slot;
			insertSorted(list, start);
		}
	}

	/**
	 * Checks the keywords filed under the code completed at `i`; `units` holds `view[base, end)` (a keyword inside it
	 * is read there).
	 */
	private check(items: readonly PrefixItem[], view: string, i: number, from: number, base: number, end: number): void {
		const found = this.found;
		const tracked = this.tracked;
		const fold = FOLD;
		for (let n = 0; n < items.length; n++) {
			const item = items[n];
			const id = item.id;
			if (found[id] && !tracked[id]) continue;
			const word = item.word;
			const start = i - item.back;
			if (start < from) {
				if (this.crossing(word, view, start, from)) {
					if (!found[id]) this.hit(id);
					if (tracked[id]) this.note(id, start);
				}
				continue;
			}
			// Past the view's end the keyword cannot be whole (and reading there would return NaN).
			if (start + word.length > view.length) continue;
			let j = 0;
			if (start >= base && start + word.length <= end) {
				const at = start - base;
				while (j < word.length && fold[units[at + j]] === word.charCodeAt(j)) j++;
			} else {
				while (j < word.length && fold[view.charCodeAt(start + j)] === word.charCodeAt(j)) j++;
			}
			if (j === word.length) {
				if (!found[id]) this.hit(id);
				if (tracked[id]) this.note(id, start);
			}
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

	/**
	 * Scans `view[from, to)`; characters of `view` past `to` are only read to finish a keyword that starts before it.
	 * `offset`: where `view` starts in the coordinates of the starts noted (the whole text, for a window of it).
	 */
	feed(view: string, from: number, to: number, offset = 0): void {
		if (this.pending === 0 && !this.tracks) return;
		this.offset = offset;
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

	/**
	 * The code walk (and the shape automaton while a rule waits for its shape); returns the last code, or -1 once every
	 * rule runs and no starts are noted.
	 */
	private feedCodes(view: string, from: number, to: number): number {
		const wanted = this.pendingShapes();
		return wanted ? this.walkWithShapes(view, from, to, wanted) : this.walk(view, from, from, to);
	}

	/** `view[begin, to)` of the range that starts at `from`. */
	private walk(view: string, from: number, begin: number, to: number): number {
		const index = this.index;
		const info = index.info;
		const codes = index.codes;
		let h = this.carry;
		for (let base = begin; base < to; base += CHUNK) {
			const n = load(view, base, to);
			let j = 0;
			for (;;) {
				// The hot loop holds few values (so they stay in registers): it only runs to the next keyword code.
				for (; j < n; j++) {
					h = ((h << 6) | (info[units[j]] >>> 4)) & 0x3ffff;
					if (codes[h] !== 0) break;
				}
				if (j >= n) break;
				this.check(index.lists[index.listOf[h]], view, base + j, from, base, base + n);
				if (this.stopped || (this.pending === 0 && !this.tracks)) return -1;
				j++;
			}
		}
		return h;
	}

	/** `walk` that also steps the shape automaton, until every shape in `wanted` (bits) has occurred. */
	private walkWithShapes(view: string, from: number, to: number, wanted: number): number {
		const index = this.index;
		const info = index.info;
		const codes = index.codes;
		const { table, accepting, found } = index.automaton!;
		let h = this.carry;
		let state = this.shapeState;
		let shapes = this.shapesFound;
		let rest = to;
		chunks: for (let base = from; base < to; base += CHUNK) {
			const n = load(view, base, to);
			let j = 0;
			for (;;) {
				// As in `walk`: the hot loop only runs to the next keyword code or completed shape.
				for (; j < n; j++) {
					const x = info[units[j]];
					state = table[state | (x & 15)];
					h = ((h << 6) | (x >>> 4)) & 0x3ffff;
					if (state >= accepting || codes[h] !== 0) break;
				}
				if (j >= n) break;
				if (codes[h] !== 0) {
					this.check(index.lists[index.listOf[h]], view, base + j, from, base, base + n);
					if (this.stopped) return -1;
				}
				j++;
				if (state >= accepting && ((shapes |= found[state >> 4]) & wanted) === wanted) {
					rest = base + j;
					break chunks;
				}
			}
		}
		this.shapeState = state;
		this.shapesFound = shapes;
		const shapeRules = index.shapeRules;
		for (let k = 0; k < shapeRules.length; k++) if (shapes & (1 << k)) this.activate(shapeRules[k]);
		// Every wanted shape found before `rest`: the rest of the range without the automaton.
		this.carry = h;
		if (rest < to) return this.walk(view, from, rest, to);
		return this.pending === 0 && !this.tracks ? -1 : h;
	}

	/** Bits of the shapes whose rule still waits. */
	private pendingShapes(): number {
		const shapeRules = this.index.shapeRules;
		let wanted = 0;
		for (let k = 0; k < shapeRules.length; k++) if (!this.active[shapeRules[k]]) wanted |= 1 << k;
		return wanted;
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

	/** The selected rules that run, in rule order. */
	selected(): Rule[] {
		// The rules activated so far (a few, in the order their keywords came) and the ones that always run.
		const order: number[] = this.always.slice();
		for (let k = 0; k < this.activatedCount; k++) {
			const r = this.activated[k];
			if (this.chosen && this.chosen[r] !== 1) continue;
			insertSorted(order, r);
		}
		const out: Rule[] = [];
		for (const r of order) out.push(this.rules[r]);
		return out;
	}
}

/** Insertion into a sorted list: values mostly arrive in order, so this is usually one push. */
function insertSorted(list: number[], value: number): void {
	let at = list.length;
	list.push(value);
	while (at > 0 && list[at - 1] > value) {
		list[at] = list[at - 1];
		at--;
	}
	list[at] = value;
}
