/**
 * Fake credentials built at run time from a seeded generator, so no credential-shaped literal
 * sits in the repository (secret scanners and push protection would rightly flag one).
 */
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BECH32 = 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L';

export function fakeValues(seed: number) {
	const next = (): number => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const pick = (set: string, n: number): string => Array.from({ length: n }, () => set[Math.floor(next() * set.length)]).join('');
	const alnum = (n: number): string => pick(ALNUM, n);
	return {
		/** Matches the `github-pat` rule: the prefix and 36 alphanumerics. */
		githubPat: (): string => ['gh', 'p_', alnum(36)].join(''),
		/** Matches `age-secret-key`, a rule whose action is `block`. */
		ageSecretKey: (): string => ['AGE-SECRET', '-KEY-1', pick(BECH32, 58)].join(''),
		/** Matches `email-address` (not a documentation or no-reply domain). */
		email: (): string => `${alnum(6).toLowerCase()}.roe@mailhost.io`,
	};
}
