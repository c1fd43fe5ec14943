/**
 * The CLI flags that override the reward formula, the gate thresholds and the split, shared by
 * `score`, `gate` and `export`. Only what is given is passed on; the core fills in the preset.
 */
import type { QualityParams } from '../../../shared/protocol';
import type { ComponentSource, GateThresholds, PresetName, RewardComponentId, RewardOverrides, SplitGroupBy, SplitOptions } from '../../../shared/quality';
import { UsageError, type CliOptions } from './command';

export const QUALITY_USAGE = `Reward, gates and split (score, gate, export):
  --preset strict|balanced|experimental          gate thresholds (default balanced)
  --floor X                                      reward floor, 0..1 (hard)
  --max-iterations N  --max-tokens N             soft limits (downgrade)
  --code-change required|optional                downgrade sessions that changed no file
  --provenance required|optional                 downgrade sessions with no known git commit
  --near-duplicate X                             MinHash Jaccard threshold for near duplicates, (0,1]
  --downgraded export|drop                       whether downgraded sessions are exported
  --group-by session|workspace|repository        what stays together in one split (default repository)
  --seed N  --ratios TRAIN,VAL,TEST  --holdout X split seed, ratios, holdout share
  --weights outcome=W,criteria=W,review=W,iterations=W
  --reward-max-iterations N                      the iterations component's max_iterations
  --sources COMPONENT=auto|explicit|rating|derived[,...]`;

/** String-valued flags parsed here (declared once for the argument parser). */
export const QUALITY_FLAGS = [
	'preset', 'floor', 'max-iterations', 'max-tokens', 'near-duplicate', 'code-change', 'provenance', 'downgraded',
	'seed', 'group-by', 'ratios', 'holdout', 'weights', 'reward-max-iterations', 'sources',
] as const;

const COMPONENTS: readonly RewardComponentId[] = ['outcome', 'criteria', 'review', 'iterations'];

export function qualityParamsOf(options: CliOptions): QualityParams {
	const thresholds: Partial<GateThresholds> = {};
	const split: Partial<SplitOptions> = {};
	const reward: RewardOverrides = {};
	if (options.floor !== undefined) thresholds.rewardFloor = numberOf('--floor', options.floor);
	if (options['max-iterations'] !== undefined) thresholds.maxIterations = wholeOf('--max-iterations', options['max-iterations']);
	if (options['max-tokens'] !== undefined) thresholds.maxTokens = wholeOf('--max-tokens', options['max-tokens']);
	if (options['near-duplicate'] !== undefined) thresholds.nearDuplicateThreshold = numberOf('--near-duplicate', options['near-duplicate']);
	if (options['code-change'] !== undefined) thresholds.requireCodeChange = choiceOf('--code-change', options['code-change'], ['required', 'optional']) === 'required';
	if (options.provenance !== undefined) thresholds.requireProvenance = choiceOf('--provenance', options.provenance, ['required', 'optional']) === 'required';
	if (options.downgraded !== undefined) thresholds.exportDowngraded = choiceOf('--downgraded', options.downgraded, ['export', 'drop']) === 'export';
	if (options.seed !== undefined) split.seed = wholeOf('--seed', options.seed);
	if (options['group-by'] !== undefined) split.groupBy = choiceOf<SplitGroupBy>('--group-by', options['group-by'], ['session', 'workspace', 'repository']);
	if (options.holdout !== undefined) split.holdout = numberOf('--holdout', options.holdout);
	if (options.ratios !== undefined) {
		const parts = options.ratios.split(',').map((part) => numberOf('--ratios', part));
		if (parts.length !== 3) throw new UsageError(`--ratios takes TRAIN,VALIDATION,TEST (got "${options.ratios}")`);
		split.ratios = { train: parts[0], validation: parts[1], test: parts[2] };
	}
	if (options.weights !== undefined) {
		reward.weights = Object.fromEntries(pairsOf('--weights', options.weights).map(([k, v]) => [k, numberOf(`--weights ${k}`, v)]));
	}
	if (options['reward-max-iterations'] !== undefined) reward.maxIterations = wholeOf('--reward-max-iterations', options['reward-max-iterations']);
	if (options.sources !== undefined) {
		reward.sources = Object.fromEntries(pairsOf('--sources', options.sources).map(([k, v]) =>
			[k, choiceOf<ComponentSource>(`--sources ${k}`, v, ['auto', 'explicit', 'rating', 'derived'])]));
	}
	return {
		...(options.preset !== undefined && { preset: choiceOf<PresetName>('--preset', options.preset, ['strict', 'balanced', 'experimental']) }),
		...(Object.keys(thresholds).length > 0 && { thresholds }),
		...(Object.keys(split).length > 0 && { split }),
		...(Object.keys(reward).length > 0 && { reward }),
	};
}

/** `a=1,b=2` with keys among the reward components. */
function pairsOf(flag: string, text: string): [RewardComponentId, string][] {
	return text.split(',').map((pair) => {
		const [key, value, ...rest] = pair.split('=');
		if (value === undefined || rest.length > 0 || !COMPONENTS.includes(key.trim() as RewardComponentId)) {
			throw new UsageError(`${flag} takes COMPONENT=VALUE pairs with COMPONENT one of ${COMPONENTS.join(', ')} (got "${pair}")`);
		}
		return [key.trim() as RewardComponentId, value.trim()];
	});
}

export function numberOf(flag: string, text: string): number {
	const value = Number(text);
	if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`${flag} must be a number (got "${text}")`);
	return value;
}

export function wholeOf(flag: string, text: string): number {
	if (!/^\d+$/.test(text)) throw new UsageError(`${flag} must be a whole number (got "${text}")`);
	return Number(text);
}

export function choiceOf<T extends string>(flag: string, text: string, choices: readonly T[]): T {
	if (!choices.includes(text as T)) throw new UsageError(`${flag} must be one of ${choices.join(', ')} (got "${text}")`);
	return text as T;
}
