/**
 * Gate presets and the resolution of user overrides (settings, CLI flags) into checked thresholds
 * and split options. Every threshold of a preset can be overridden one by one.
 *
 * | preset       | reward floor | max iterations | max tokens | code change | provenance | near-dup Jaccard | exports downgraded |
 * |--------------|--------------|----------------|------------|-------------|------------|------------------|--------------------|
 * | strict       | 0.75         | 6              | 16 384     | required    | required   | 0.80             | no                 |
 * | balanced     | 0.60         | 10             | 32 768     | required    | required   | 0.85             | yes                |
 * | experimental | 0.25         | 25             | 131 072    | no          | no         | 0.90             | yes                |
 *
 * Why these numbers:
 * - The floor of `balanced` is the default (0.6). `strict` keeps only sessions whose
 *   pipeline mostly agreed (0.75). `experimental` (0.25) keeps sessions nothing verified: under the
 *   default formula a session with no test run, no task list and no pushback scores 0.29 (review
 *   ADVISORY 0.14 + iterations up to 0.15), and one the user had to correct or interrupt scores less.
 * - Iterations: the reward's own scale treats 10 as "used up" (defaultRewardConfig.maxIterations),
 *   so `balanced` downgrades past it, `strict` earlier, `experimental` only runaway loops.
 * - Tokens: 16k/32k/128k follow common fine-tuning context lengths; past them a trainer truncates.
 * - The near-duplicate threshold is lower (more aggressive clustering) the stricter the preset:
 *   a cluster only keeps its members in one split, so clustering too much costs little.
 * - `strict` exports accepted sessions only; soft reasons in the other presets are labels.
 */
import type { GateThresholds, PresetName, SplitGroupBy, SplitOptions } from '../../../../shared/quality';
import { DEFAULT_RATIOS, DEFAULT_SEED } from '../export/split';

export const PRESETS: Readonly<Record<PresetName, Readonly<GateThresholds>>> = {
	strict: {
		rewardFloor: 0.75, maxIterations: 6, maxTokens: 16_384,
		requireCodeChange: true, requireProvenance: true, nearDuplicateThreshold: 0.8, exportDowngraded: false,
	},
	balanced: {
		rewardFloor: 0.6, maxIterations: 10, maxTokens: 32_768,
		requireCodeChange: true, requireProvenance: true, nearDuplicateThreshold: 0.85, exportDowngraded: true,
	},
	experimental: {
		rewardFloor: 0.25, maxIterations: 25, maxTokens: 131_072,
		requireCodeChange: false, requireProvenance: false, nearDuplicateThreshold: 0.9, exportDowngraded: true,
	},
};

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];
export const DEFAULT_PRESET: PresetName = 'balanced';

export const DEFAULT_SPLIT: Readonly<SplitOptions> = { seed: DEFAULT_SEED, groupBy: 'repository', ratios: DEFAULT_RATIOS, holdout: 0 };
const GROUP_BY: readonly SplitGroupBy[] = ['session', 'workspace', 'repository'];

export function isPresetName(name: string): name is PresetName {
	return (PRESET_NAMES as string[]).includes(name);
}

/** The preset (default `balanced`) with the overrides applied; undefined overrides are ignored. Throws on bad values. */
export function resolveThresholds(preset?: string, overrides: Partial<GateThresholds> = {}): GateThresholds {
	const name = preset ?? DEFAULT_PRESET;
	if (!isPresetName(name)) {
		throw new Error(`Unknown gate preset "${name}": expected one of ${PRESET_NAMES.join(', ')}.`);
	}
	const t: GateThresholds = { ...PRESETS[name], ...definedOnly(overrides) };
	if (!isFiniteNumber(t.rewardFloor) || t.rewardFloor < 0 || t.rewardFloor > 1) {
		throw new Error(`rewardFloor must be a number from 0 to 1, got ${String(t.rewardFloor)}.`);
	}
	if (!isFiniteNumber(t.nearDuplicateThreshold) || t.nearDuplicateThreshold <= 0 || t.nearDuplicateThreshold > 1) {
		throw new Error(`nearDuplicateThreshold must be a number above 0 and at most 1, got ${String(t.nearDuplicateThreshold)}.`);
	}
	for (const key of ['maxIterations', 'maxTokens'] as const) {
		if (!Number.isSafeInteger(t[key]) || t[key] <= 0) {
			throw new Error(`${key} must be a positive whole number, got ${String(t[key])}.`);
		}
	}
	for (const key of ['requireCodeChange', 'requireProvenance', 'exportDowngraded'] as const) {
		if (typeof t[key] !== 'boolean') {
			throw new Error(`${key} must be true or false, got ${String(t[key])}.`);
		}
	}
	return t;
}

/** Partial split options; ratios may be given one by one, missing ones keep their defaults. */
export type SplitOptionsInput = Partial<Omit<SplitOptions, 'ratios'>> & { ratios?: Partial<SplitOptions['ratios']> };

/** Defaults: seed 1234, by repository, 0.8/0.1/0.1, no holdout. Ratios are weights (normalised by their sum). Throws on bad values. */
export function resolveSplitOptions(partial: SplitOptionsInput = {}): SplitOptions {
	const given = definedOnly(partial);
	const options: SplitOptions = {
		...DEFAULT_SPLIT,
		...given,
		ratios: { ...DEFAULT_SPLIT.ratios, ...definedOnly(given.ratios ?? {}) },
	};
	if (!Number.isSafeInteger(options.seed)) {
		throw new Error(`The split seed must be a whole number, got ${String(options.seed)}.`);
	}
	if (!GROUP_BY.includes(options.groupBy)) {
		throw new Error(`Unknown split grouping "${String(options.groupBy)}": expected one of ${GROUP_BY.join(', ')}.`);
	}
	const { train, validation, test } = options.ratios;
	for (const [name, value] of Object.entries({ train, validation, test })) {
		if (!isFiniteNumber(value) || value < 0) {
			throw new Error(`The ${name} ratio must be a number of at least 0, got ${String(value)}.`);
		}
	}
	if (train + validation + test <= 0) {
		throw new Error('The split ratios must not all be 0.');
	}
	if (!isFiniteNumber(options.holdout) || options.holdout < 0 || options.holdout >= 1) {
		throw new Error(`The holdout share must be a number from 0 up to (not including) 1, got ${String(options.holdout)}.`);
	}
	return options;
}

function isFiniteNumber(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value);
}

/** Drops keys whose value is undefined, so `{ ...defaults, ...definedOnly(flags) }` keeps the defaults for flags not given. */
function definedOnly<T extends object>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
