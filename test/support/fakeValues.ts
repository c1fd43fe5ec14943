/**
 * Fake credentials built at run time from a seeded generator, so no credential-shaped literal
 * sits in the repository (secret scanners and push protection would rightly flag one).
 */
import { seededChars } from './seededChars';

export function fakeValues(seed: number) {
	const r = seededChars(seed);
	return {
		/** Matches the `github-pat` rule: the prefix and 36 alphanumerics. */
		githubPat: (): string => ['gh', 'p_', r('a', 36)].join(''),
		/** Matches `age-secret-key`, a rule whose action is `block`. */
		ageSecretKey: (): string => ['AGE-SECRET', '-KEY-1', r('c', 58)].join(''),
		/** Matches `email-address` (not a documentation or no-reply domain). */
		email: (): string => `${r('a', 6).toLowerCase()}.roe@mailhost.io`,
	};
}
