/** Rules without keywords name character-class shapes; one automaton tells, in the keyword pass, which of the shapes occur. */
/** Shape classes, in order: digit, space, `-`, `.`, A-Z, a-z, `_`, anything else, `:`. */
const SHAPE_CLASSES = 'DSHPULWOC';
/** Bits of a class in a transition index (`state << SHAPE_BITS | class`). */
export const SHAPE_BITS = 4;
/** The class of "anything else", which the automaton reads once before a text's first character. */
export const SHAPE_OTHER = 7;
/** Per UTF-16 code unit: its shape class. */
export const SHAPE_CLASS = new Uint8Array(65536).fill(SHAPE_OTHER);
for (let c = 48; c <= 57; c++) SHAPE_CLASS[c] = 0;
SHAPE_CLASS[32] = 1;
SHAPE_CLASS[45] = 2;
SHAPE_CLASS[46] = 3;
for (let c = 65; c <= 90; c++) SHAPE_CLASS[c] = 4;
for (let c = 97; c <= 122; c++) SHAPE_CLASS[c] = 5;
SHAPE_CLASS[95] = 6;
SHAPE_CLASS[58] = 8;
const MAX_SHAPE_STATES = 4096;

/** A node of a shape's NFA: `eps` edges, and one edge on the classes in `mask` to `next`. */
interface ShapeNode {
	readonly eps: number[];
	mask: number;
	next: number;
}

/** Adds `shape`'s NFA to `nodes`; returns its entry and exit nodes. */
function compileShape(shape: string, nodes: ShapeNode[]): [number, number] {
	let i = 0;
	const fail = (): never => {
		throw new Error(`bad rule shape ${JSON.stringify(shape)} at ${i}`);
	};
	const node = (): number => nodes.push({ eps: [], mask: 0, next: -1 }) - 1;
	const atom = (): [number, number] => {
		if (shape[i] === '(') {
			i++;
			const inner = sequence();
			if (shape[i++] !== ')') fail();
			return inner;
		}
		let mask = 0;
		if (shape[i] === '[') {
			for (i++; i < shape.length && shape[i] !== ']'; i++) mask |= classBit(shape[i]);
			if (shape[i++] !== ']') fail();
		} else {
			mask = classBit(shape[i++]);
		}
		const a = node();
		const b = node();
		nodes[a].mask = mask;
		nodes[a].next = b;
		return [a, b];
	};
	const classBit = (ch: string | undefined): number => {
		const k = ch === undefined ? -1 : SHAPE_CLASSES.indexOf(ch);
		return k < 0 ? fail() : 1 << k;
	};
	const repeated = (): [number, number] => {
		const from = i;
		const [a, first] = atom();
		let b = first;
		for (;;) {
			if (shape[i] === '?') {
				i++;
				nodes[a].eps.push(b);
			} else if (shape[i] === '{') {
				const close = shape.indexOf('}', i);
				const n = Number(shape.slice(i + 1, close));
				if (close < 0 || !Number.isInteger(n) || n < 1) fail();
				const after = close + 1;
				for (let k = 1; k < n; k++) {
					i = from;
					const [c, d] = atom();
					nodes[b].eps.push(c);
					b = d;
				}
				i = after;
			} else {
				return [a, b];
			}
		}
	};
	const sequence = (): [number, number] => {
		const [a, first] = repeated();
		let b = first;
		while (i < shape.length && shape[i] !== ')') {
			const [c, d] = repeated();
			nodes[b].eps.push(c);
			b = d;
		}
		return [a, b];
	};
	const whole = sequence();
	if (i !== shape.length) fail();
	return whole;
}

/**
 * The automaton "which shapes have occurred", built by subset construction over all shapes at once. A state is held
 * as its offset in `table` (its number << SHAPE_BITS), and `table[state | class]` is the next one, so a step is one
 * load; 0 is the start. A state at or past `accepting` is entered by the character that completes one or more shapes,
 * and `found[state >> SHAPE_BITS]` has bit k set for shape k among them (0 below `accepting`). The automaton keeps
 * running after a shape is found, so every shape is found exactly, wherever its runs overlap another's.
 */
export interface ShapeAutomaton {
	/** 16-bit offsets: at most 4096 states, a table of 128 KB at most (a few KB are hot). */
	readonly table: Uint16Array;
	readonly accepting: number;
	readonly found: Int32Array;
}

export function shapeAutomaton(shapes: readonly string[]): ShapeAutomaton {
	if (shapes.length > 30) throw new Error('at most 30 rule shapes');
	const nodes: ShapeNode[] = [];
	const starts: number[] = [];
	/** Shape bit per exit node. */
	const exits = new Map<number, number>();
	shapes.forEach((shape, k) => {
		const [a, b] = compileShape(shape, nodes);
		starts.push(a);
		exits.set(b, (exits.get(b) ?? 0) | (1 << k));
	});
	// Node sets as bitsets of `words` 32-bit words. `reach[n]`: n and what its epsilon edges lead to; `step[n * C + c]`:
	// where reading class c from n leads, closed the same way (empty when n has no edge on c).
	const words = (nodes.length + 31) >>> 5;
	const C = SHAPE_CLASSES.length;
	const reach = nodes.map((_, n) => {
		const set = new Int32Array(words);
		const stack = [n];
		set[n >>> 5] |= 1 << (n & 31);
		while (stack.length) {
			for (const e of nodes[stack.pop()!].eps) {
				if (!(set[e >>> 5] & (1 << (e & 31)))) {
					set[e >>> 5] |= 1 << (e & 31);
					stack.push(e);
				}
			}
		}
		return set;
	});
	const empty = new Int32Array(words);
	const step = nodes.flatMap((node) => Array.from({ length: C }, (_, c) => (node.mask & (1 << c) ? reach[node.next] : empty)));
	const startSet = new Int32Array(words);
	for (const a of starts) for (let w = 0; w < words; w++) startSet[w] |= reach[a][w];
	const bitsOf = (set: Int32Array): number => {
		let bits = 0;
		for (const [n, b] of exits) if (set[n >>> 5] & (1 << (n & 31))) bits |= b;
		return bits;
	};
	const ids = new Map<string, number>();
	const sets: Int32Array[] = [startSet];
	if (bitsOf(startSet)) throw new Error('a rule shape must not match an empty run');
	ids.set(startSet.join(), 0);
	const raw: number[] = [];
	for (let state = 0; state < sets.length; state++) {
		const set = sets[state];
		const members: number[] = [];
		for (let n = 0; n < nodes.length; n++) if (set[n >>> 5] & (1 << (n & 31))) members.push(n);
		for (let c = 0; c < C; c++) {
			// A search: a shape may start at every character, so the start set is always in.
			const next = startSet.slice();
			for (const n of members) {
				const to = step[n * C + c];
				if (to !== empty) for (let w = 0; w < words; w++) next[w] |= to[w];
			}
			const key = next.join();
			let id = ids.get(key);
			if (id === undefined) {
				id = sets.push(next) - 1;
				ids.set(key, id);
				if (id >= MAX_SHAPE_STATES) throw new Error('rule shapes need too large an automaton');
			}
			raw[(state << SHAPE_BITS) | c] = id;
		}
	}
	// Renumber so the accepting states come last: the walk then tests one comparison per character.
	const bits = sets.map(bitsOf);
	const order = [...sets.keys()].sort((x, y) => Number(bits[x] !== 0) - Number(bits[y] !== 0) || x - y);
	const renamed = new Int32Array(sets.length);
	order.forEach((old, id) => (renamed[old] = id));
	const table = new Uint16Array(sets.length << SHAPE_BITS);
	const found = new Int32Array(sets.length);
	for (let old = 0; old < sets.length; old++) {
		for (let c = 0; c < SHAPE_CLASSES.length; c++) table[(renamed[old] << SHAPE_BITS) | c] = renamed[raw[(old << SHAPE_BITS) | c]] << SHAPE_BITS;
		found[renamed[old]] = bits[old];
	}
	const accepting = bits.filter((b) => b === 0).length << SHAPE_BITS;
	return { table, accepting, found };
}
