/**
 * The `tracemint.*` settings as one normalised object. The client computes it from the
 * configuration; the server receives it at start (store path, runtime need a restart).
 * The quality settings (gates, reward, split) are not part of it: the client sends them as
 * QualityParams with each request that scores, gates or exports (see qualityParamsFrom).
 */
import { AgentId } from './model';
import type { QualityParams } from './protocol';
import type {
	ComponentSource, GateThresholds, PresetName, RewardComponentId, RewardOverrides, SplitGroupBy, SplitOptions,
} from './quality';

/** What to do when a session without a consent decision appears in the workspace. */
export type OptInDefault = 'never' | 'ask' | 'always';

export interface Settings {
	/** Store file; empty = the platform default (or TRACEMINT_STORE). */
	storePath: string;
	/** Node executable for the backend; empty = `node` on PATH, else the editor's own runtime. */
	serverRuntime: string;
	/** Import every agent's default locations when the backend starts. */
	importOnStartup: boolean;
	/** Re-import the default locations this often while the window is focused; 0 = never. */
	importIntervalSeconds: number;
	/** Consent for new sessions of this workspace (a resource setting: each folder may differ). */
	optInDefault: OptInDefault;
	/** Watch every agent location and import what is written there as it is written. */
	captureLive: boolean;
	/** Poll instead of native file events (network or remote file systems where events are lost). */
	capturePolling: boolean;
	/** Sources switched off: neither watched nor imported. */
	disabledSources: AgentId[];
}

export const defaultSettings: Settings = {
	storePath: '', serverRuntime: '', importOnStartup: true, importIntervalSeconds: 30, optInDefault: 'never',
	captureLive: true, capturePolling: false, disabledSources: [],
};

/** Settings that only take effect after the backend restarts. */
export const restartRequiredSettings = ['tracemint.store.path', 'tracemint.server.runtime'] as const;

/** Reads settings from a `tracemint` configuration section (or anything with the same `get`). */
export interface RawSettings {
	get<T>(key: string): T | undefined;
}

const OPT_IN_DEFAULTS: readonly OptInDefault[] = ['never', 'ask', 'always'];

export function settingsFrom(raw: RawSettings): Settings {
	const interval = raw.get<number>('import.intervalSeconds');
	return {
		storePath: stringOr(raw.get<string>('store.path'), defaultSettings.storePath).trim(),
		serverRuntime: stringOr(raw.get<string>('server.runtime'), defaultSettings.serverRuntime).trim(),
		importOnStartup: raw.get<boolean>('import.onStartup') ?? defaultSettings.importOnStartup,
		importIntervalSeconds: isNumber(interval) && interval >= 0 ? interval : defaultSettings.importIntervalSeconds,
		optInDefault: oneOf(raw.get('optIn.default'), OPT_IN_DEFAULTS) ?? defaultSettings.optInDefault,
		captureLive: raw.get<boolean>('capture.live') ?? defaultSettings.captureLive,
		capturePolling: raw.get<boolean>('capture.polling') ?? defaultSettings.capturePolling,
		disabledSources: disabledSourcesFrom(raw.get('capture.disabledSources')),
	};
}

/** Known agent ids only, each once (a hand-edited list may hold anything). */
export function disabledSourcesFrom(value: unknown): AgentId[] {
	return Array.isArray(value) ? [...new Set(value.filter((v): v is AgentId => AgentId.safeParse(v).success))] : [];
}

// ---- Quality parameters ----

/** The settings under `tracemint.` that make up QualityParams; a change to any of them re-scores. */
export const qualitySettingSections = ['tracemint.gates', 'tracemint.reward', 'tracemint.split'] as const;

const PRESETS: readonly PresetName[] = ['strict', 'balanced', 'experimental'];
const GROUP_BY: readonly SplitGroupBy[] = ['session', 'workspace', 'repository'];
const COMPONENTS: readonly RewardComponentId[] = ['outcome', 'criteria', 'review', 'iterations'];
const SOURCES: readonly ComponentSource[] = ['auto', 'explicit', 'rating', 'derived'];
const SPLITS = ['train', 'validation', 'test'] as const;

/** Threshold overrides: setting key → (type check, field). Unset (null) keeps the preset's value. */
const THRESHOLDS: { key: string; field: keyof GateThresholds; valid(value: unknown): boolean }[] = [
	{ key: 'gates.rewardFloor', field: 'rewardFloor', valid: (v) => isNumber(v) && v >= 0 && v <= 1 },
	{ key: 'gates.maxIterations', field: 'maxIterations', valid: isPositiveInteger },
	{ key: 'gates.maxTokens', field: 'maxTokens', valid: isPositiveInteger },
	{ key: 'gates.requireCodeChange', field: 'requireCodeChange', valid: isBoolean },
	{ key: 'gates.requireProvenance', field: 'requireProvenance', valid: isBoolean },
	{ key: 'gates.nearDuplicateThreshold', field: 'nearDuplicateThreshold', valid: (v) => isNumber(v) && v > 0 && v <= 1 },
	{ key: 'gates.exportDowngraded', field: 'exportDowngraded', valid: isBoolean },
];

/**
 * The reward, gate and split settings as QualityParams. Only what is set (and valid) is
 * included, so the server's defaults apply to everything else and a part left empty is omitted.
 */
export function qualityParamsFrom(raw: RawSettings): QualityParams {
	const params: QualityParams = {};

	const preset = oneOf(raw.get('gates.preset'), PRESETS);
	if (preset) params.preset = preset;

	const thresholds: Partial<GateThresholds> = {};
	for (const { key, field, valid } of THRESHOLDS) {
		const value = raw.get(key);
		if (valid(value)) (thresholds as Record<string, unknown>)[field] = value;
	}
	if (Object.keys(thresholds).length > 0) params.thresholds = thresholds;

	// Weights and sources may name some components only; the server keeps the defaults for the rest.
	const reward: RewardOverrides = {};
	const weights = pick(raw.get('reward.weights'), COMPONENTS, isWeight);
	if (weights) reward.weights = weights;
	const maxIterations = raw.get('reward.maxIterations');
	if (isPositiveInteger(maxIterations)) reward.maxIterations = maxIterations;
	const sources = pick(raw.get('reward.sources'), COMPONENTS, (v): v is ComponentSource => oneOf(v, SOURCES) !== undefined);
	if (sources) reward.sources = sources;
	if (Object.keys(reward).length > 0) params.reward = reward;

	const split: Partial<SplitOptions> = {};
	const groupBy = oneOf(raw.get('split.groupBy'), GROUP_BY);
	if (groupBy) split.groupBy = groupBy;
	const seed = raw.get('split.seed');
	if (isNumber(seed) && Number.isSafeInteger(seed)) split.seed = seed;
	const ratios = pick(raw.get('split.ratios'), SPLITS, isWeight);
	// Ratios are weights of each other, so only a whole set means anything.
	if (ratios?.train !== undefined && ratios.validation !== undefined && ratios.test !== undefined && ratios.train + ratios.validation + ratios.test > 0) {
		split.ratios = { train: ratios.train, validation: ratios.validation, test: ratios.test };
	}
	const holdout = raw.get('split.holdout');
	if (isNumber(holdout) && holdout >= 0 && holdout < 1) split.holdout = holdout;
	if (Object.keys(split).length > 0) params.split = split;

	return params;
}

/** The valid entries of an object setting, keyed by `keys`; undefined when there are none. */
function pick<K extends string, V>(value: unknown, keys: readonly K[], valid: (entry: unknown) => entry is V): Partial<Record<K, V>> | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return undefined;
	}
	const record = value as Record<string, unknown>;
	const entries = keys.filter((key) => valid(record[key])).map((key) => [key, record[key]] as const);
	return entries.length > 0 ? Object.fromEntries(entries) as Partial<Record<K, V>> : undefined;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
	return allowed.includes(value as T) ? value as T : undefined;
}

function isNumber(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value);
}

function isPositiveInteger(value: unknown): value is number {
	return isNumber(value) && Number.isInteger(value) && value > 0;
}

function isWeight(value: unknown): value is number {
	return isNumber(value) && value >= 0;
}

function isBoolean(value: unknown): value is boolean {
	return typeof value === 'boolean';
}

function stringOr(value: unknown, fallback: string): string {
	return typeof value === 'string' ? value : fallback;
}
