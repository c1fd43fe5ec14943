/** Deterministic train/validation/test assignment by a seeded hash of a group key. */
import { createHash } from 'node:crypto';
import type { SplitName } from '../../../../shared/protocol';

export interface SplitRatios { train: number; validation: number; test: number }
export const DEFAULT_RATIOS: SplitRatios = { train: 0.8, validation: 0.1, test: 0.1 };
export const DEFAULT_SEED = 1234;

/** The same group always lands in the same split, on every machine, for a given seed. */
export function splitFor(groupKey: string, seed: number, ratios: SplitRatios = DEFAULT_RATIOS): SplitName {
	const digest = createHash('sha256').update(`${seed}\u0000${groupKey}`).digest();
	const unit = digest.readUInt32BE(0) / 0x1_0000_0000;
	const total = ratios.train + ratios.validation + ratios.test;
	if (unit < ratios.train / total) return 'train';
	if (unit < (ratios.train + ratios.validation) / total) return 'validation';
	return 'test';
}
