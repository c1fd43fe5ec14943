/**
 * The reward formula: its version, its configuration and how components combine.
 *
 * reward = Σ weight·value / Σ weight, rounded to 4 decimals. With the default weights (summing to
 * 1) that is the plain weighted sum; weights that do not sum to 1 are kept as configured, not
 * renormalised, and the division keeps the reward within 0..1. Component values are rounded to 4
 * decimals first, so the reward can be recomputed from the breakdown.
 */
import {
	defaultRewardConfig,
	type ComponentSource,
	type RewardComponent,
	type RewardComponentId,
	type RewardConfig,
	type RewardOverrides,
	type Verdict,
} from '../../../../shared/quality';

/** Bump whenever the same session and configuration could score differently. */
export const REWARD_FORMULA_VERSION = 1;

export const COMPONENT_IDS: readonly RewardComponentId[] = ['outcome', 'criteria', 'review', 'iterations'];
const SOURCES: readonly ComponentSource[] = ['auto', 'explicit', 'rating', 'derived'];

/** Review verdicts as values; the outcome gate is pass/fail (ADVISORY passes it). */
export const REVIEW_VALUE: Record<Verdict, number> = { SHIP: 1, ADVISORY: 0.7, HOLD: 0 };
export const GATE_VALUE: Record<Verdict, number> = { SHIP: 1, ADVISORY: 1, HOLD: 0 };

/**
 * Merges any subset over the defaults (weights and sources key by key) and validates; throws an
 * Error that names the bad setting. Values are checked at run time: settings arrive as JSON.
 */
export function resolveRewardConfig(partial?: RewardOverrides | Partial<RewardConfig> | null): RewardConfig {
	const input: RewardOverrides = partial ?? {};
	const config: RewardConfig = {
		weights: { ...defaultRewardConfig.weights },
		maxIterations: defaultRewardConfig.maxIterations,
		sources: { ...defaultRewardConfig.sources },
	};
	for (const [key, weight] of entriesOf(input.weights, 'weights')) {
		if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
			throw new Error(`Reward weight "${key}" must be a finite number ≥ 0, got ${String(weight)}.`);
		}
		config.weights[key] = weight;
	}
	if (COMPONENT_IDS.every((id) => config.weights[id] === 0)) {
		throw new Error('Reward weights are all 0: at least one component must have a weight above 0.');
	}
	if (input.maxIterations !== undefined) {
		const max = input.maxIterations;
		if (typeof max !== 'number' || !Number.isFinite(max) || max < 1) {
			throw new Error(`Reward maxIterations must be a number ≥ 1, got ${String(max)}.`);
		}
		config.maxIterations = max;
	}
	for (const [key, source] of entriesOf(input.sources, 'sources')) {
		if (!SOURCES.includes(source as ComponentSource)) {
			throw new Error(`Unknown reward source "${String(source)}" for "${key}"; use one of ${SOURCES.join(', ')}.`);
		}
		config.sources[key] = source as ComponentSource;
	}
	return config;
}

function entriesOf(value: unknown, what: 'weights' | 'sources'): Array<[RewardComponentId, unknown]> {
	if (value === undefined) {
		return [];
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new Error(`Reward ${what} must be an object keyed by component (${COMPONENT_IDS.join(', ')}).`);
	}
	return Object.entries(value).map(([key, entry]) => {
		if (!COMPONENT_IDS.includes(key as RewardComponentId)) {
			throw new Error(`Unknown reward component "${key}" in ${what}; use one of ${COMPONENT_IDS.join(', ')}.`);
		}
		return [key as RewardComponentId, entry];
	});
}

/** `max(0, 1 - iterations / maxIterations)` */
export function iterationsValue(iterations: number, maxIterations: number): number {
	return Math.max(0, 1 - iterations / maxIterations);
}

export function round4(value: number): number {
	return Math.round(value * 10_000) / 10_000;
}

export function rewardOf(components: readonly RewardComponent[]): number {
	let weighted = 0;
	let total = 0;
	for (const component of components) {
		weighted += component.weight * component.value;
		total += component.weight;
	}
	return total === 0 ? 0 : round4(weighted / total);
}
