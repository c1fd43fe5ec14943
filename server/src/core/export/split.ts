/** Deterministic train/validation/test(/holdout) assignment by a seeded hash of a group key. */
import { createHash } from 'node:crypto';
import type { Session } from '../../../../shared/model';
import type { SplitGroupBy, SplitName, SplitOptions } from '../../../../shared/quality';

export interface SplitRatios { train: number; validation: number; test: number }
export const DEFAULT_RATIOS: SplitRatios = { train: 0.8, validation: 0.1, test: 0.1 };
export const DEFAULT_SEED = 1234;

/**
 * The same group always lands in the same split, on every machine, for a given seed.
 * Ratios are weights, normalised by their sum.
 *
 * Holdout draws from its own seeded hash rather than from the split's unit interval, so turning
 * a holdout on (or raising it) only takes groups out of their split: every group left keeps the
 * split it had, and `holdout = 0` gives exactly the assignments of earlier versions.
 */
export function splitFor(groupKey: string, seed: number, ratios: SplitRatios = DEFAULT_RATIOS, holdout = 0): SplitName {
	if (holdout > 0 && unitOf(`holdout\u0000${seed}\u0000${groupKey}`) < holdout) {
		return 'holdout';
	}
	const unit = unitOf(`${seed}\u0000${groupKey}`);
	const total = ratios.train + ratios.validation + ratios.test;
	if (unit < ratios.train / total) return 'train';
	if (unit < (ratios.train + ratios.validation) / total) return 'validation';
	return 'test';
}

/** `splitFor` with resolved split options. */
export function assignSplit(groupKey: string, options: Pick<SplitOptions, 'seed' | 'ratios' | 'holdout'>): SplitName {
	return splitFor(groupKey, options.seed, options.ratios, options.holdout);
}

export type GroupedSession = Pick<Session, 'id' | 'cwd' | 'repository_url' | 'parent_session_id'>;

/**
 * The key a session is split by. A subagent session follows its parent wherever its own
 * workspace or repository is unknown, so a parent and its subagents never straddle splits.
 * Keys are the raw values (no prefixes), so `repository` matches what earlier exports used.
 */
export function groupKeyFor(session: GroupedSession, groupBy: SplitGroupBy): string {
	const owner = session.parent_session_id ?? session.id;
	switch (groupBy) {
		case 'session': return owner;
		case 'workspace': return session.cwd ?? owner;
		case 'repository': return session.repository_url ?? session.cwd ?? owner;
	}
}

/** First 32 bits of sha256 as a number in [0, 1). */
function unitOf(input: string): number {
	return createHash('sha256').update(input).digest().readUInt32BE(0) / 0x1_0000_0000;
}
