/**
 * The `tracemint.train.*` settings → the training config's own shape, without an editor API so
 * the unit tests cover it. Only what the user set is sent: the server lays the workspace's
 * `.tracemint/train.yaml` over it field by field, and the core's defaults fill the rest (the
 * defaults package.json shows are the same values). No setting holds a credential: the host is
 * reached through the user's own ssh config and agent.
 */
import * as path from 'node:path';
import type { TrainSettingsObject } from '../../../shared/training';
import { datasetName, datasetsFolder } from '../commands/exportDatasetText';

export type TrainSettingKind = 'string' | 'integer' | 'number' | 'boolean' | 'strings' | 'datasetVersion' | 'targetModules';

/** Every `tracemint.train.<key>` setting, with the config field it sets (the same dotted name). */
export const TRAIN_SETTINGS: readonly { key: string; kind: TrainSettingKind }[] = [
	{ key: 'host', kind: 'string' },
	{ key: 'remoteDir', kind: 'string' },
	{ key: 'python', kind: 'string' },
	{ key: 'baseModel', kind: 'string' },
	{ key: 'dataset.name', kind: 'string' },
	{ key: 'dataset.version', kind: 'datasetVersion' },
	{ key: 'dataset.format', kind: 'string' },
	{ key: 'lora.r', kind: 'integer' },
	{ key: 'lora.alpha', kind: 'number' },
	{ key: 'lora.dropout', kind: 'number' },
	{ key: 'lora.targetModules', kind: 'targetModules' },
	{ key: 'training.epochs', kind: 'number' },
	{ key: 'training.batchSize', kind: 'integer' },
	{ key: 'training.gradAccum', kind: 'integer' },
	{ key: 'training.learningRate', kind: 'number' },
	{ key: 'training.warmupRatio', kind: 'number' },
	{ key: 'training.scheduler', kind: 'string' },
	{ key: 'training.weightDecay', kind: 'number' },
	{ key: 'training.seed', kind: 'integer' },
	{ key: 'training.maxSeqLength', kind: 'integer' },
	{ key: 'training.loadIn4bit', kind: 'boolean' },
	{ key: 'training.maxSteps', kind: 'integer' },
	{ key: 'training.saveSteps', kind: 'integer' },
	{ key: 'training.saveTotalLimit', kind: 'integer' },
	{ key: 'training.loggingSteps', kind: 'integer' },
	{ key: 'launcher', kind: 'string' },
	{ key: 'gpus', kind: 'integer' },
	{ key: 'slurm.partition', kind: 'string' },
	{ key: 'slurm.account', kind: 'string' },
	{ key: 'slurm.time', kind: 'string' },
	{ key: 'slurm.cpusPerTask', kind: 'integer' },
	{ key: 'slurm.mem', kind: 'string' },
	{ key: 'slurm.extraArgs', kind: 'strings' },
	{ key: 'ssh.configFile', kind: 'string' },
	{ key: 'ssh.connectTimeoutSeconds', kind: 'integer' },
	{ key: 'minFreeDiskGb', kind: 'number' },
];

export const TRAIN_SECTION = 'tracemint.train';

/** What the CLI and the server look for in a workspace folder when no file is named (the core's CONFIG_FILES). */
export const TRAIN_CONFIG_FILES = ['.tracemint/train.yaml', '.tracemint/train.yml', '.tracemint/train.json'] as const;

export interface TrainSettingsContext {
	/** The workspace folder's path and name: the dataset Export Dataset writes is named after it. */
	workspaceFolder: string;
	folderName: string;
	/** `tracemint.export.out` as written: where Export Dataset puts datasets. */
	exportOut: string;
	home: string;
}

/**
 * The config object from the settings the user set (`explicit` returns undefined for the rest).
 * Empty strings and empty lists count as unset. Values of the wrong type are passed on, so the
 * server's validation names the setting instead of the value silently disappearing.
 *
 * The dataset defaults follow Export Dataset, not the CLI: the dataset named after the workspace
 * folder, in `tracemint.export.out` when that is set, so what the editor exported is what it trains on.
 */
export function trainSettingsObject(explicit: (key: string) => unknown, context: TrainSettingsContext): TrainSettingsObject {
	const out: TrainSettingsObject = {};
	for (const { key, kind } of TRAIN_SETTINGS) {
		const value = normalise(explicit(key), kind);
		if (value !== undefined) setPath(out, key, value);
	}
	const dataset = (out.dataset ?? {}) as Record<string, unknown>;
	dataset.name ??= datasetName(context.folderName);
	const root = context.exportOut.trim() ? datasetsFolder(context.exportOut, context.workspaceFolder, context.home) : undefined;
	if (root) dataset.root = root;
	out.dataset = dataset;
	return out;
}

/** True when nothing but the derived dataset defaults would be sent: the user configured nothing in settings. */
export function hasExplicitTrainSettings(explicit: (key: string) => unknown): boolean {
	return TRAIN_SETTINGS.some(({ key, kind }) => normalise(explicit(key), kind) !== undefined);
}

/** `lora.r: Too small…` (a field of a config error) → `tracemint.train.lora.r`, when that is a setting. */
export function settingOfField(field: string): string | undefined {
	const key = field.split(':')[0].trim();
	return TRAIN_SETTINGS.some((s) => s.key === key) ? `${TRAIN_SECTION}.${key}` : undefined;
}

/** A starting `.tracemint/train.yaml` (in the YAML subset the core reads), for a workspace with no config. */
export function trainYamlTemplate(folderName: string): string {
	return [
		'# LoRA training for this workspace (Tracemint: Train LoRA Adapter…). Fields here win over the',
		'# tracemint.train.* settings. No password or key goes here: ssh uses your ~/.ssh/config and agent.',
		'host: gpu-box                     # an alias from ~/.ssh/config, or user@host:port',
		'baseModel: Qwen/Qwen2.5-0.5B-Instruct',
		'python: create-venv               # or the interpreter of an environment on the host',
		'remoteDir: ~/tracemint',
		'dataset:',
		`  name: ${yamlScalar(datasetName(folderName))}`,
		'  version: latest',
		'  format: trl_messages',
		'lora:',
		'  r: 16',
		'  alpha: 32',
		'training:',
		'  epochs: 1',
		'  learningRate: 2e-4',
		'launcher: auto',
		'',
	].join('\n');
}

/** The config file to open or create: the first that exists, else train.yaml. */
export function trainConfigFile(workspaceFolder: string, exists: (file: string) => boolean): { file: string; exists: boolean } {
	const found = TRAIN_CONFIG_FILES.map((f) => path.join(workspaceFolder, f)).find(exists);
	return found ? { file: found, exists: true } : { file: path.join(workspaceFolder, TRAIN_CONFIG_FILES[0]), exists: false };
}

function normalise(value: unknown, kind: TrainSettingKind): unknown {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'string' && value.trim() === '') return undefined;
	switch (kind) {
		case 'string':
			return typeof value === 'string' ? value.trim() : value;
		case 'datasetVersion':
			return typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
		case 'strings':
			return Array.isArray(value) && value.length === 0 ? undefined : value;
		case 'targetModules':
			if (!Array.isArray(value)) return value;
			if (value.length === 0) return undefined;
			return value.length === 1 && value[0] === 'all-linear' ? 'all-linear' : value;
		default:
			return value;
	}
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
	const parts = dotted.split('.');
	let at = target;
	for (const part of parts.slice(0, -1)) {
		at[part] ??= {};
		at = at[part] as Record<string, unknown>;
	}
	at[parts.at(-1)!] = value;
}

/** Quotes a name the YAML subset would misread (a leading digit, `#`, `:` and the like). */
function yamlScalar(text: string): string {
	return /^[A-Za-z_][\w .-]*$/.test(text) && !/\s$/.test(text) ? text : JSON.stringify(text);
}
