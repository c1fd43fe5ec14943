/** Overlap resolution in O(n log n): higher priority, then longer, then earlier wins. */
import type { Candidate } from '../scan';

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

