/**
 * Fake credentials built at run time from a seeded generator, so no credential-shaped literal
 * sits in the repository (secret scanners and push protection would rightly flag one).
 */
import { seededRandom } from '../support/seededChars';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BECH32 = 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L';

export function fakeValues(seed: number) {
	const next = seededRandom(seed);
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
