/** Rules without keywords name character-class shapes; one automaton tells, in the keyword pass, whether any shape occurs. */
/** Shape classes, in order: digit, space, `-`, `.`, A-Z, a-z, `_`, anything else. */
const SHAPE_CLASSES = 'DSHPULWO';
/** Per UTF-16 code unit: its shape class. */
export const SHAPE_CLASS = new Uint8Array(65536).fill(7);
for (let c = 48; c <= 57; c++) SHAPE_CLASS[c] = 0;
SHAPE_CLASS[32] = 1;
SHAPE_CLASS[45] = 2;
SHAPE_CLASS[46] = 3;
for (let c = 65; c <= 90; c++) SHAPE_CLASS[c] = 4;
for (let c = 97; c <= 122; c++) SHAPE_CLASS[c] = 5;
SHAPE_CLASS[95] = 6;
/** The automaton's state once some shape has occurred (it stays there). */
export const SHAPE_FOUND = 1;
const MAX_SHAPE_STATES = 20_000;

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
 * The automaton "some shape has occurred", built by subset construction: transitions at `state << 3 | class`.
 * State 0 is the start, SHAPE_FOUND the end.
 */
export function shapeAutomaton(shapes: readonly string[]): Int32Array {
	const nodes: ShapeNode[] = [];
	const starts: number[] = [];
	const exits = new Set<number>();
	for (const shape of shapes) {
		const [a, b] = compileShape(shape, nodes);
		starts.push(a);
		exits.add(b);
	}
	const closure = (set: readonly number[]): number[] => {
		const seen = new Set(set);
		const stack = [...set];
		while (stack.length) {
			for (const e of nodes[stack.pop()!].eps) {
				if (!seen.has(e)) {
					seen.add(e);
					stack.push(e);
				}
			}
		}
		return [...seen].sort((x, y) => x - y);
	};
	const ids = new Map<string, number>();
	const sets: number[][] = [closure(starts), []];
	ids.set(sets[0].join(), 0);
	const table: number[] = [];
	for (let state = 0; state < sets.length; state++) {
		for (let c = 0; c < 8; c++) {
			if (state === SHAPE_FOUND) {
				table[state * 8 + c] = SHAPE_FOUND;
				continue;
			}
			const moved: number[] = [...starts];
			for (const n of sets[state]) if (nodes[n].mask & (1 << c)) moved.push(nodes[n].next);
			const next = closure(moved);
			if (next.some((n) => exits.has(n))) {
				table[state * 8 + c] = SHAPE_FOUND;
				continue;
			}
			const key = next.join();
			let id = ids.get(key);
			if (id === undefined) {
				id = sets.push(next) - 1;
				ids.set(key, id);
				if (id >= MAX_SHAPE_STATES) throw new Error('rule shapes need too large an automaton');
			}
			table[state * 8 + c] = id;
		}
	}
	return Int32Array.from(table);
}

