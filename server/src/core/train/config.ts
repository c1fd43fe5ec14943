/**
 * The training config: where to train (host, folder, Python), what (base model, dataset version,
 * format) and how (LoRA, optimiser, launcher). It comes from the `tracemint.train` settings
 * section and/or `.tracemint/train.yaml` (or `.json`) in the workspace; the file wins field by
 * field. Names are camelCase in both places; the trainer gets its own snake_case JSON.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { DEFAULT_DATASET_NAME, DEFAULT_DATASETS_DIR } from '../../../../shared/dataset';
import { newestVersion } from '../export/datasetVersions';
import { parseYamlSubset } from './yamlSubset';

/** What the CLI and the editor look for when no file is named. */
export const CONFIG_FILES = ['.tracemint/train.yaml', '.tracemint/train.yml', '.tracemint/train.json'];
/** The export formats the trainer reads: conversations with the loss on assistant turns, or prompt/completion. */
export const TRAINABLE_FORMATS = ['trl_messages', 'trl_prompt_completion'] as const;

const hostSpec = z.string().trim().min(1)
	.refine((h) => !h.startsWith('-') && !/\s/.test(h), 'a host is an ~/.ssh/config alias or user@host:port, with no spaces and no leading "-"');

const remotePath = z.string().trim().min(1)
	.refine((p) => !p.startsWith('~') || p === '~' || p.startsWith('~/'), 'only "~" and "~/…" are expanded (not ~user)');

const DatasetSchema = z.strictObject({
	/** Folder that holds datasets, `<root>/<name>/v<N>/`; relative to the workspace. Default `.tracemint/datasets`. */
	root: z.string().min(1).default(DEFAULT_DATASETS_DIR),
	/** Dataset name (the export's `--name`). */
	name: z.string().min(1).default(DEFAULT_DATASET_NAME),
	/** `latest` (the highest `vN`) or a version number. */
	version: z.union([z.literal('latest'), z.int().positive()]).default('latest'),
	/** A version folder given directly; overrides root, name and version. */
	path: z.string().min(1).optional(),
	/** The export format to train on (`<version>/<format>/train.jsonl`): trl_messages or trl_prompt_completion. */
	format: z.enum(TRAINABLE_FORMATS).default('trl_messages'),
});

const LoraSchema = z.strictObject({
	/** Rank of the update matrices (1–1024). */
	r: z.int().min(1).max(1024).default(16),
	/** Scale numerator: the update is scaled by alpha / r. */
	alpha: z.number().positive().default(32),
	/** Dropout on the LoRA input, 0 to below 1. */
	dropout: z.number().min(0).lt(1).default(0.05),
	/** Modules that get adapters: `all-linear`, or names such as q_proj, v_proj. */
	targetModules: z.union([z.literal('all-linear'), z.array(z.string().min(1)).min(1)]).default('all-linear'),
});

const TrainingSchema = z.strictObject({
	/** Passes over the train split (may be fractional; at most 100). */
	epochs: z.number().positive().max(100).default(1),
	/** Per-device batch size. */
	batchSize: z.int().positive().default(1),
	/** Steps whose gradients add up before one optimiser step (effective batch = batchSize × gradAccum × GPUs). */
	gradAccum: z.int().positive().default(8),
	/** Peak learning rate (below 1). */
	learningRate: z.number().positive().lt(1).default(2e-4),
	/** Share of the steps spent warming the learning rate up, 0 to below 1. */
	warmupRatio: z.number().min(0).lt(1).default(0.03),
	/** Learning-rate schedule after warm-up (transformers' names). */
	scheduler: z.enum(['linear', 'cosine', 'cosine_with_restarts', 'polynomial', 'constant', 'constant_with_warmup', 'inverse_sqrt']).default('cosine'),
	/** AdamW weight decay. */
	weightDecay: z.number().min(0).default(0),
	/** Seed of shuffling and LoRA initialisation. */
	seed: z.int().min(0).default(1234),
	/** Longer samples are truncated to this many tokens (at least 32). */
	maxSeqLength: z.int().min(32).default(2048),
	/** Load the base model in 4 bits (QLoRA; needs bitsandbytes on the host). */
	loadIn4bit: z.boolean().default(false),
	/** Stop after this many optimiser steps (a smoke run); default: the epochs decide. */
	maxSteps: z.int().positive().optional(),
	/** Checkpoint every this many steps; a rerun in the same output folder resumes from the newest. */
	saveSteps: z.int().positive().default(50),
	/** Checkpoints kept on the host. */
	saveTotalLimit: z.int().positive().default(2),
	/** A metrics line (loss, tokens/s, GPU memory) every this many steps. */
	loggingSteps: z.int().positive().default(1),
});

const SlurmSchema = z.strictObject({
	/** sbatch --partition. */
	partition: z.string().min(1).optional(),
	/** sbatch --account. */
	account: z.string().min(1).optional(),
	/** Wall-clock limit in sbatch's syntax, e.g. `12:00:00`. */
	time: z.string().min(1).optional(),
	/** sbatch --cpus-per-task. */
	cpusPerTask: z.int().positive().optional(),
	/** Memory per node in sbatch's syntax, e.g. `64G`. */
	mem: z.string().min(1).optional(),
	/** More sbatch arguments, each one word (`--qos=high`). */
	extraArgs: z.array(z.string().min(1)).default([]),
});

const SshSchema = z.strictObject({
	/** A client config to use instead of ~/.ssh/config. */
	configFile: z.string().min(1).optional(),
	/** A known_hosts file to use instead of the user's. */
	knownHostsFile: z.string().min(1).optional(),
	/** The one key to offer; default: what ~/.ssh/config and the agent offer. */
	identityFile: z.string().min(1).optional(),
	/** Give up connecting after this many seconds. */
	connectTimeoutSeconds: z.int().positive().default(15),
});

export const TrainConfigSchema = z.strictObject({
	/** The GPU host: an alias from ~/.ssh/config (its User, Port, IdentityFile and ProxyJump apply), or `user@host:port`. */
	host: hostSpec,
	/** Folder on the host for runs (`runs/<id>/`) and the venv; `~/` is the remote home. */
	remoteDir: remotePath.default('~/tracemint'),
	/**
	 * Python on the host: the interpreter of an existing environment (`python3`, `~/venvs/lora/bin/python`),
	 * or `create-venv`: the run creates `<remoteDir>/venv` and installs the trainer's requirements.txt first.
	 */
	python: z.string().trim().min(1).refine((p) => !p.startsWith('-'), 'python is a command or a path, not an option').default('python3'),
	/** A Hugging Face model id, or a model folder on the host. */
	baseModel: z.string().min(1),
	/** Which export to train on. */
	dataset: DatasetSchema.prefault({}),
	/** The adapter's shape (PEFT LoraConfig). */
	lora: LoraSchema.prefault({}),
	/** Optimiser and schedule (TRL SFTConfig). */
	training: TrainingSchema.prefault({}),
	/**
	 * How the trainer starts: `auto` (accelerate data-parallel when preflight finds several GPUs, else
	 * plain python), `python`, `accelerate`, `torchrun`, or `slurm` (submitted with sbatch).
	 */
	launcher: z.enum(['auto', 'python', 'accelerate', 'torchrun', 'slurm']).default('auto'),
	/** GPUs one run uses. Default: every GPU preflight finds (slurm: 1 per job). */
	gpus: z.int().positive().optional(),
	/** Job options for `launcher: slurm`. */
	slurm: SlurmSchema.prefault({}),
	/** Client options beyond ~/.ssh/config; relative files are resolved against the workspace. */
	ssh: SshSchema.prefault({}),
	/** Preflight wants this much free disk in remoteDir (model weights, checkpoints). */
	minFreeDiskGb: z.number().min(0).default(20),
});

export type TrainConfig = z.infer<typeof TrainConfigSchema>;
export type TrainConfigInput = z.input<typeof TrainConfigSchema>;
export type Launcher = TrainConfig['launcher'];
export type TrainableFormat = typeof TRAINABLE_FORMATS[number];

/** A config that failed validation, with one line per problem. */
export class TrainConfigError extends Error {
	constructor(readonly source: string, detail: string) {
		super(`${source}: ${detail}`);
		this.name = 'TrainConfigError';
	}
}

export interface LoadedTrainConfig {
	config: TrainConfig;
	/** The file read, if any. */
	file?: string;
}

/**
 * Settings (the editor's `tracemint.train` section) overlaid with the config file: `file` when
 * given, else the first of CONFIG_FILES in the workspace. Throws TrainConfigError.
 */
export function loadTrainConfig(workspace: string, options: { file?: string; settings?: Record<string, unknown> } = {}): LoadedTrainConfig {
	const file = options.file ? path.resolve(workspace, options.file) : CONFIG_FILES.map((f) => path.join(workspace, f)).find((f) => fs.existsSync(f));
	let fromFile: Record<string, unknown> = {};
	if (file) {
		let text: string;
		try {
			text = fs.readFileSync(file, 'utf8');
		} catch (error) {
			throw new TrainConfigError(file, `cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
		}
		fromFile = parseConfigText(text, file);
	}
	const merged = deepMerge(dropNulls(options.settings ?? {}), fromFile);
	if (!file && Object.keys(merged).length === 0) {
		throw new TrainConfigError(workspace, `no training config: write ${CONFIG_FILES[0]} (host, baseModel, dataset) or fill the tracemint.train settings`);
	}
	return { config: parseTrainConfig(merged, file ?? 'tracemint.train settings'), file };
}

export function parseTrainConfig(value: unknown, source = 'training config'): TrainConfig {
	const parsed = TrainConfigSchema.safeParse(value);
	if (!parsed.success) {
		throw new TrainConfigError(source, `\n${z.prettifyError(parsed.error)}`);
	}
	return parsed.data;
}

/** JSON when the file is `.json` or starts with `{`; otherwise the YAML subset. */
function parseConfigText(text: string, file: string): Record<string, unknown> {
	try {
		if (file.endsWith('.json') || text.trimStart().startsWith('{')) {
			const value: unknown = JSON.parse(text);
			if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('expected an object');
			return value as Record<string, unknown>;
		}
		return parseYamlSubset(text);
	} catch (error) {
		throw new TrainConfigError(file, (error as Error).message);
	}
}

/** Settings use `null` for "not set". */
function dropNulls(value: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)
		.map(([k, v]) => [k, isPlainObject(v) ? dropNulls(v) : v]));
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
	const out = { ...base };
	for (const [key, value] of Object.entries(over)) {
		out[key] = isPlainObject(value) && isPlainObject(out[key]) ? deepMerge(out[key], value) : value;
	}
	return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export interface ResolvedDataset {
	/** The version folder that is uploaded. */
	dir: string;
	name: string;
	version: number;
	format: TrainableFormat;
}

/** Finds the version folder to train on and checks it holds the chosen format's train split. */
export function resolveDataset(config: TrainConfig, workspace: string): ResolvedDataset {
	const { dataset } = config;
	let dir: string;
	let version: number;
	if (dataset.path) {
		dir = path.resolve(workspace, dataset.path);
		version = Number(/^v(\d+)$/.exec(path.basename(dir))?.[1] ?? 0);
	} else {
		const root = path.resolve(workspace, dataset.root, dataset.name);
		version = dataset.version === 'latest' ? newestVersion(root) : dataset.version;
		if (version === 0) {
			throw new TrainConfigError('dataset', `no versions of "${dataset.name}" under ${path.dirname(root)}: export one first (tracemint export --out ${dataset.root} --name ${dataset.name} --format ${dataset.format})`);
		}
		dir = path.join(root, `v${version}`);
	}
	if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
		throw new TrainConfigError('dataset', `${dir} is not a dataset version folder`);
	}
	if (!fs.existsSync(path.join(dir, dataset.format, 'train.jsonl'))) {
		const present = TRAINABLE_FORMATS.filter((f) => fs.existsSync(path.join(dir, f, 'train.jsonl')));
		throw new TrainConfigError('dataset', `${dir} has no ${dataset.format}/train.jsonl` +
			(present.length > 0 ? `; it has ${present.join(', ')}: set dataset.format to one of them` : ''));
	}
	return { dir, name: path.basename(path.dirname(dir)), version, format: dataset.format };
}

/** The JSON the trainer reads (`--config`); its field names are the trainer's. */
export function trainerConfig(config: TrainConfig, remote: { datasetDir: string; outputDir: string }): Record<string, unknown> {
	const { lora, training } = config;
	return {
		base_model: config.baseModel,
		dataset_dir: remote.datasetDir,
		format: config.dataset.format,
		output_dir: remote.outputDir,
		lora: { r: lora.r, alpha: lora.alpha, dropout: lora.dropout, target_modules: lora.targetModules },
		training: {
			epochs: training.epochs, batch_size: training.batchSize, grad_accum: training.gradAccum, learning_rate: training.learningRate,
			warmup_ratio: training.warmupRatio, scheduler: training.scheduler, weight_decay: training.weightDecay, seed: training.seed,
			max_seq_length: training.maxSeqLength, load_in_4bit: training.loadIn4bit, max_steps: training.maxSteps ?? null,
			save_steps: training.saveSteps, save_total_limit: training.saveTotalLimit, logging_steps: training.loggingSteps,
		},
	};
}
