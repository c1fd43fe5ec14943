/**
 * Fake credentials are built at run time from a seeded generator, so no credential-shaped literal
 * sits in the repository (secret scanners and push protection would rightly flag one) and every
 * run builds the same values.
 */
export function seededRandom(seed: number): () => number {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export const CHARSETS = {
	a: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
	l: 'abcdefghijklmnopqrstuvwxyz0123456789',
	u: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
	h: '0123456789abcdef',
	w: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-',
	b: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
	z: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
	lower: 'abcdefghijklmnopqrstuvwxyz',
	d: '0123456789',
	A: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567',
	c: 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L',
} as const;

export type Charset = keyof typeof CHARSETS;

/** `r('a', 36)`: 36 characters of charset `a`, from a generator seeded with `seed` (or one shared with the caller). */
export function seededChars(seed: number | (() => number)): (set: Charset, n: number) => string {
	const rand = typeof seed === 'number' ? seededRandom(seed) : seed;
	return (set, n) => Array.from({ length: n }, () => CHARSETS[set][Math.floor(rand() * CHARSETS[set].length)]).join('');
}
