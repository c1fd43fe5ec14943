/**
 * MinHash over word shingles. Everything is 32-bit integer arithmetic (Math.imul, >>> 0) on
 * fixed seeds, so a signature is the same on every machine and can be stored as JSON.
 */

export const PERMUTATIONS = 128;
/** Words per shingle: long enough that shared boilerplate phrases don't make sessions alike. */
export const SHINGLE_WORDS = 5;

const WORD_SEED = 0x2f1c_a3b5;
const SHINGLE_SEED = 0x6d2b_79f5;
const STEP_SALT = 0x9e37_79b9;
const EMPTY = 0xffff_ffff;
const WORD = /[\p{L}\p{N}_]+/gu;

/** Words are letter/digit/underscore runs: punctuation and layout don't change what a session says. */
export function wordsOf(text: string): string[] {
	return text.match(WORD) ?? [];
}

/**
 * The signature of a text's set of word shingles: for each of the permutations, the smallest
 * hash over the set. Permutation i of shingle hash h is fmix32(h + i·step(h)) (double hashing
 * through a bijective mixer), which is cheap and behaves like independent hash functions here.
 * A text shorter than a shingle is one shingle; an empty text has the all-empty signature.
 */
export function minhashSignature(words: readonly string[], permutations = PERMUTATIONS, shingleWords = SHINGLE_WORDS): number[] {
	const signature = new Uint32Array(permutations).fill(EMPTY);
	const wordHashes = words.map((w) => hashString(w, WORD_SEED));
	const shingles = new Set<number>();
	const last = Math.max(0, wordHashes.length - shingleWords);
	for (let start = 0; start <= last && wordHashes.length > 0; start++) {
		shingles.add(hashInts(wordHashes, start, Math.min(wordHashes.length, start + shingleWords), SHINGLE_SEED));
	}
	for (const h of shingles) {
		const step = (fmix32((h ^ STEP_SALT) >>> 0) | 1) >>> 0;
		for (let i = 0; i < permutations; i++) {
			const value = fmix32((h + Math.imul(i, step)) >>> 0);
			if (value < signature[i]) {
				signature[i] = value;
			}
		}
	}
	return Array.from(signature);
}

/** The share of equal positions: an unbiased estimate of the Jaccard similarity of the shingle sets. */
export function estimateJaccard(a: readonly number[], b: readonly number[]): number {
	if (a.length !== b.length || a.length === 0) {
		throw new Error(`MinHash signatures must have the same, non-zero length (got ${a.length} and ${b.length}).`);
	}
	let equal = 0;
	for (let i = 0; i < a.length; i++) {
		if (a[i] === b[i]) {
			equal++;
		}
	}
	return equal / a.length;
}

/** MurmurHash3's finaliser: a bijection on 32-bit integers with full avalanche. */
export function fmix32(h: number): number {
	h ^= h >>> 16;
	h = Math.imul(h, 0x85eb_ca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2_ae35);
	h ^= h >>> 16;
	return h >>> 0;
}

/** FNV-1a over UTF-16 code units, then mixed. */
export function hashString(text: string, seed: number): number {
	let h = (0x811c_9dc5 ^ seed) >>> 0;
	for (let i = 0; i < text.length; i++) {
		h = Math.imul(h ^ text.charCodeAt(i), 0x0100_0193);
	}
	return fmix32(h >>> 0);
}

/** MurmurHash3 (x86, 32-bit) over 32-bit words [from, to) of `values`. */
export function hashInts(values: ArrayLike<number>, from: number, to: number, seed: number): number {
	let h = seed >>> 0;
	for (let i = from; i < to; i++) {
		let k = Math.imul(values[i], 0xcc9e_2d51);
		k = (k << 15) | (k >>> 17);
		k = Math.imul(k, 0x1b87_3593);
		h ^= k;
		h = (h << 13) | (h >>> 19);
		h = (Math.imul(h, 5) + 0xe654_6b64) | 0;
	}
	return fmix32((h ^ ((to - from) * 4)) >>> 0);
}
