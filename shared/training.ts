/**
 * Training runs as they travel between the backend, the extension and the run view. Run states,
 * launchers and the preflight report are defined here and the core (server/src/core/train) uses
 * them as they are; the run, config and metric shapes are plain copies of the core's (which are
 * built from zod schemas and store rows the webview bundle cannot import), and the server hands
 * its core objects over as these types, so the compiler checks they still match.
 */

/** `starting` until the trainer's first heartbeat (or while slurm keeps the job pending); the last four are final. */
export type RunState = 'starting' | 'running' | 'saving' | 'done' | 'failed' | 'crashed' | 'cancelled';
export type RunLauncher = 'python' | 'accelerate' | 'torchrun' | 'slurm';
export type TrainableFormat = 'trl_messages' | 'trl_prompt_completion';
export type TrainScheduler = 'linear' | 'cosine' | 'cosine_with_restarts' | 'polynomial' | 'constant' | 'constant_with_warmup' | 'inverse_sqrt';

export const FINAL_RUN_STATES: readonly RunState[] = ['done', 'failed', 'crashed', 'cancelled'];

export function isFinalRunState(state: RunState): boolean {
	return FINAL_RUN_STATES.includes(state);
}

/** A loss with four significant digits, in plain notation for ordinary values: `1.235`, `0.08123`, `12.35`. */
export function formatLoss(loss: number): string {
	if (!Number.isFinite(loss)) return String(loss);
	if (loss === 0) return '0';
	return Math.abs(loss) >= 1e-4 && Math.abs(loss) < 1e6 ? String(Number(loss.toPrecision(4))) : loss.toPrecision(4);
}

/** `Qwen2.5-0.5B-Instruct`: the part after the organisation, or the folder name of a model path. */
export function modelName(baseModel: string): string {
	return baseModel.split(/[\\/]/).filter((p) => p !== '').at(-1) ?? baseModel;
}

/** `sessions v3`: the dataset version folder a run trained on (either separator: the path comes from the backend's OS). */
export function datasetLabel(datasetDir: string): string {
	return datasetDir.split(/[\\/]/).filter((p) => p !== '').slice(-2).join(' ');
}

/** Grouped the same on every locale, like the rest of the extension's text: `12,345`. */
export function groupedNumber(n: number): string {
	return n.toLocaleString('en-US');
}

/** The training config after defaults (the core's TrainConfig). */
export interface TrainConfigDto {
	host: string;
	remoteDir: string;
	/** An interpreter on the host, or `create-venv`. */
	python: string;
	baseModel: string;
	dataset: { root: string; name: string; version: 'latest' | number; path?: string; format: TrainableFormat };
	lora: { r: number; alpha: number; dropout: number; targetModules: 'all-linear' | string[] };
	training: {
		epochs: number; batchSize: number; gradAccum: number; learningRate: number; warmupRatio: number; scheduler: TrainScheduler;
		weightDecay: number; seed: number; maxSeqLength: number; loadIn4bit: boolean; maxSteps?: number; saveSteps: number;
		saveTotalLimit: number; loggingSteps: number;
	};
	launcher: 'auto' | RunLauncher;
	gpus?: number;
	slurm: { partition?: string; account?: string; time?: string; cpusPerTask?: number; mem?: string; extraArgs: string[] };
	ssh: { configFile?: string; knownHostsFile?: string; identityFile?: string; connectTimeoutSeconds: number };
	minFreeDiskGb: number;
}

/** One metrics line of a run: what the chart and the progress notification show. */
export interface RunMetricDto {
	step?: number;
	epoch?: number;
	loss?: number;
	evalLoss?: number;
	learningRate?: number;
	tokensPerSecond?: number;
	/** Peak GPU memory allocated, GB (10^9 bytes). */
	gpuMemoryGb?: number;
}

/** A run as the store records it. */
export interface TrainingRunDto {
	id: string;
	host: string;
	/** The run's folder on the host. */
	remoteDir: string;
	launcher: RunLauncher;
	/** Process group id of the detached run (python, accelerate, torchrun). */
	pid: number | null;
	/** Slurm job id. */
	jobId: string | null;
	state: RunState;
	config: TrainConfigDto;
	/** The dataset version folder that was uploaded. */
	datasetDir: string;
	datasetSha256: string;
	dryRun: boolean;
	/** `<workspace>/.tracemint/runs/<id>`: where the adapter is downloaded. */
	localDir: string;
	logOffset: number;
	metricsOffset: number;
	/** Why a run failed, in one line (redacted). */
	detail: string | null;
	createdAt: string;
	updatedAt: string;
}

/** A run with what the editor shows beside it. */
export interface TrainRunInfo extends TrainingRunDto {
	/** The backend is streaming this run's log and metrics to the editor. */
	following: boolean;
	/** The newest metrics line with a train loss, when one has been seen (or downloaded). */
	lastMetric?: RunMetricDto;
	/** Optimiser steps the run will take, from the dataset's row count and the config; absent when it cannot be known (several processes). */
	plannedSteps?: number;
	/** The downloaded adapter's folder, once fetched. */
	adapterDir?: string;
	/** Asked for its state, the host did not answer: the state is as last recorded. */
	unreachable?: string;
}

export interface GpuDto {
	name: string;
	memoryMiB: number;
}

export interface PreflightProblemDto {
	severity: 'error' | 'warning';
	check: 'ssh' | 'gpu' | 'python' | 'packages' | 'disk' | 'tools' | 'launcher';
	message: string;
	fix: string;
}

/** What preflight found on the host; the core's PreflightReport is this type. */
export interface PreflightReportDto {
	host: string;
	/** No problem of severity error. */
	ok: boolean;
	connected: boolean;
	dryRun: boolean;
	home?: string;
	/** remoteDir made absolute. */
	workDir?: string;
	gpus: GpuDto[];
	/** The interpreter checked: the venv's when it exists, else the configured one. */
	python?: { path: string; version: string; canCreateVenv: boolean; cuda?: { available: boolean; version: string | null; devices: number } };
	/** With `python: create-venv`: whether `<workDir>/venv` exists yet. */
	venvExists?: boolean;
	packages: Record<string, { version?: string; error?: string }>;
	freeDiskBytes?: number;
	tools: string[];
	/** How the run will start, and how many processes (GPUs) it uses. */
	launcher: RunLauncher;
	processes: number;
	problems: PreflightProblemDto[];
}

/** The dataset version a run would train on. */
export interface TrainDatasetDto {
	dir: string;
	name: string;
	version: number;
	format: TrainableFormat;
	/** Rows of its train split. */
	trainRows: number;
}

/**
 * Why training could not even be checked: the host's key is not known yet (a question for the
 * user, with the fingerprint to compare), the host's key changed (an alarm, never bypassed), or
 * the config is wrong (one line per field).
 */
export type TrainProblem =
	| {
		kind: 'unknownHostKey';
		host: string;
		/** `SHA256:…` of the key the host presents; absent when it could not be read (then nothing may be trusted from here). */
		fingerprint?: string;
		/** `ssh-ed25519`, `ecdsa-sha2-nistp256`, … */
		keyType?: string;
		message: string;
	}
	| { kind: 'changedHostKey'; host: string; message: string }
	| {
		kind: 'config';
		/** The file, `tracemint.train settings`, `dataset`, or the workspace. */
		source: string;
		message: string;
		/** `lora.r: Too small: expected number to be >=1`, one per problem. */
		fields: string[];
	};

/** A preflight that ran: the report (which may hold errors), the config it checked and where it came from. */
export interface TrainChecked {
	kind: 'report';
	report: PreflightReportDto;
	/** The report as a person reads it (what was found, each problem with its fix), as the CLI prints it. */
	text: string;
	config: TrainConfigDto;
	/** The config file read, if any (else only settings). */
	configFile: string | null;
	dataset: TrainDatasetDto;
}

/** The editor's `tracemint.train.*` settings as one object in the config's own shape (only what is set). */
export type TrainSettingsObject = Record<string, unknown>;
