/**
 * The training requests of shared/lsp.ts over the core's Training (server/src/core/train): one
 * Training per workspace folder (config, datasets and `.tracemint/runs/` are found from it), one
 * follower per followed run pushing its log, metrics and state to the editor.
 *
 * Errors the editor acts on come back as typed results, not failures: an unknown host key (with
 * the fingerprint the host presents, read by a probe that records nothing), a changed host key,
 * a config with field messages. A new host key is recorded only when the user answered with the
 * fingerprint the host still presents. Everything from the host (log lines, failure details,
 * preflight problems, error messages) is redacted before it is sent.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import {
	TrainCancelRequest, TrainFetchRequest, TrainFollowRequest, TrainLaunchRequest, TrainLogNotification, TrainMetricsNotification,
	TrainPreflightRequest, TrainRunsRequest, TrainStateNotification, TrainUnfollowRequest,
} from '../../../shared/lsp';
import type { TrainCancel, TrainFetch, TrainFollow, TrainLaunch, TrainLog, TrainMetrics, TrainPreflight, TrainRequestParams, TrainRuns, TrainState, TrainUnfollow } from '../../../shared/protocol';
import type { PreflightReportDto, RunMetricDto, TrainChecked, TrainDatasetDto, TrainProblem, TrainRunInfo } from '../../../shared/training';
import { redactLine } from '../core/redact/redactLine';
import type { Db } from '../core/store/db';
import { resolveDataset, TrainConfigError, type TrainConfig } from '../core/train/config';
import { probeHostKey, type HostKey } from '../core/train/hostKey';
import { parseMetrics, type RunMetric } from '../core/train/monitor';
import { describePreflight, type PreflightReport } from '../core/train/preflight';
import { isFinal, type TrainingRun } from '../core/train/runs';
import type { SshClient, SshTarget } from '../core/train/ssh';
import { ChangedHostKeyError, UnknownHostKeyError } from '../core/train/sshErrors';
import { PreflightFailedError, sleep, Training } from '../core/train/training';

/** Where a follower's findings go; the LSP connection's notifications in the server. */
export interface TrainingNotifier {
	log(params: TrainLog.Params): void;
	metrics(params: TrainMetrics.Params): void;
	state(params: TrainState.Params): void;
}

export interface TrainingHandlerOptions {
	/** The store's database; throws while the backend cannot run. */
	db: () => Db;
	notify: TrainingNotifier;
	/** Progress lines for the backend's log (launch steps). */
	log?: (line: string) => void;
	/** The folder holding tracemint_train.py; default: the one shipped with Tracemint. */
	trainerDir?: string;
	/** Makes the SSH client for a target (tests). */
	sshClient?: (target: SshTarget) => SshClient;
	/** Reads the key a host presents without trusting it; default probeHostKey. */
	probeHostKey?: (target: SshTarget) => Promise<HostKey>;
	/** Between a followed run's polls; default 2 s. */
	followIntervalMs?: number;
	/** Waits before following again after a lost connection; the last one repeats. */
	retryDelaysMs?: readonly number[];
}

/** A passing preflight is reused by a launch of the same config for this long. */
const PREFLIGHT_REUSE_MS = 10 * 60_000;
const DEFAULT_RETRY_DELAYS_MS = [2_000, 5_000, 15_000, 30_000, 60_000];
/** A log line longer than this is sent in pieces rather than held back. */
const MAX_HELD_LOG = 64 * 1024;

interface Follower {
	abort: AbortController;
	done: Promise<void>;
}

export class TrainingHandlers {
	private readonly trainings = new Map<string, Training>();
	private readonly followers = new Map<string, Follower>();
	private readonly lastMetrics = new Map<string, RunMetricDto>();
	private readonly planned = new Map<string, number | undefined>();
	private readonly preflights = new Map<string, { report: PreflightReport; at: number }>();
	private closed = false;

	constructor(private readonly options: TrainingHandlerOptions) {}

	async preflight(params: TrainPreflight.Params, token?: CancellationToken): Promise<TrainPreflight.Result> {
		const prepared = this.prepare(params);
		if ('kind' in prepared) return prepared;
		const { training, config, file, dataset } = prepared;
		try {
			const trusted = await this.trusted(params, config);
			if (typeof trusted === 'object') return trusted;
			const report = await training.preflight(config, { dryRun: params.dryRun, acceptNewHostKey: trusted });
			if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'Preflight cancelled.');
			this.preflights.set(preflightKey(params, config), { report, at: Date.now() });
			return checked(report, config, file, dataset);
		} catch (error) {
			return await this.hostKeyProblem(error, config) ?? rethrow(error);
		}
	}

	async launch(params: TrainLaunch.Params): Promise<TrainLaunch.Result> {
		const prepared = this.prepare(params);
		if ('kind' in prepared) return prepared;
		const { training, config, file, dataset } = prepared;
		const key = preflightKey(params, config);
		try {
			let report = this.reusablePreflight(key);
			if (!report) {
				const trusted = await this.trusted(params, config);
				if (typeof trusted === 'object') return trusted;
				report = await training.preflight(config, { dryRun: params.dryRun, acceptNewHostKey: trusted });
			}
			if (!report.ok) return checked(report, config, file, dataset);
			const { run } = await training.launch(config, { dryRun: params.dryRun, preflight: report });
			this.preflights.delete(key);
			return { kind: 'launched', run: this.info(run), report: redactReport(report) };
		} catch (error) {
			if (error instanceof PreflightFailedError) return checked(error.report, config, file, dataset);
			if (error instanceof TrainConfigError) return configProblem(error);
			return await this.hostKeyProblem(error, config) ?? rethrow(error);
		}
	}

	/** Newest first; unfinished runs nobody follows are asked for their state when `refresh` is set. */
	async runs(params: TrainRuns.Params = {}): Promise<TrainRuns.Result> {
		const lookup = this.lookup();
		const runs = lookup.list().filter((run) => !params.workspaces || params.workspaces.some((ws) => isInside(run.localDir, ws)));
		return Promise.all(runs.map(async (run) => {
			if (!params.refresh || isFinal(run.state) || this.followers.has(run.id)) return this.info(run);
			try {
				return this.info(await this.trainingOf(run).refresh(run.id));
			} catch (error) {
				return { ...this.info(run), unreachable: redactLine(messageOf(error)) };
			}
		}));
	}

	async cancel(params: TrainCancel.Params): Promise<TrainCancel.Result> {
		const run = this.lookup().get(params.run);
		const { run: after, outcome } = await this.trainingOf(run).cancel(run.id, { graceSeconds: params.graceSeconds });
		return { run: this.info(after), outcome };
	}

	async fetch(params: TrainFetch.Params): Promise<TrainFetch.Result> {
		const run = this.lookup().get(params.run);
		const { run: after, dir, files } = await this.trainingOf(run).fetch(run.id);
		return { run: this.info(after), dir, adapterDir: path.join(dir, 'adapter'), files };
	}

	follow(params: TrainFollow.Params): TrainFollow.Result {
		const run = this.lookup().get(params.run);
		if (!this.followers.has(run.id) && !this.closed) {
			const abort = new AbortController();
			const follower: Follower = { abort, done: Promise.resolve() };
			this.followers.set(run.id, follower);
			follower.done = this.followLoop(run, params.from ?? 'last', abort.signal)
				.catch((error: unknown) => this.options.log?.(`following run ${run.id} stopped: ${messageOf(error)}`))
				.finally(() => {
					if (this.followers.get(run.id) === follower) this.followers.delete(run.id);
				});
		}
		return this.info(this.lookup().get(run.id));
	}

	unfollow(params: TrainUnfollow.Params): TrainUnfollow.Result {
		const run = this.lookup().get(params.run);
		const follower = this.followers.get(run.id);
		follower?.abort.abort();
		this.followers.delete(run.id);
		return { following: false };
	}

	/** Stops every follower and closes the SSH connections; the runs on the hosts go on. */
	async close(): Promise<void> {
		this.closed = true;
		const followers = [...this.followers.values()];
		this.followers.clear();
		followers.forEach((f) => f.abort.abort());
		// A poll in flight finishes first; do not hold a shutdown for longer than a few seconds.
		await Promise.race([Promise.allSettled(followers.map((f) => f.done)), new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
		const trainings = [...this.trainings.values()];
		this.trainings.clear();
		await Promise.allSettled(trainings.map((t) => t.close()));
	}

	private async followLoop(first: TrainingRun, from: 'start' | 'last', signal: AbortSignal): Promise<void> {
		const id = first.id;
		const training = this.trainingOf(first);
		const lines = new LineBuffer();
		const sendLog = (text: string) => {
			if (text) this.options.notify.log({ run: id, text: redactLine(text) });
		};
		const delays = this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
		let failures = 0;
		let start = from;
		while (!signal.aborted) {
			try {
				const run = await training.follow(id, {
					from: start, signal, intervalMs: this.options.followIntervalMs,
					onLog: (text) => sendLog(lines.push(text)),
					onMetrics: (metrics) => {
						const dtos = metrics.map(metricDto);
						const last = dtos.findLast((m) => m.loss !== undefined);
						if (last) this.lastMetrics.set(id, last);
						this.options.notify.metrics({ run: id, metrics: dtos });
					},
					onState: () => {
						failures = 0;
						this.options.notify.state({ run: this.info(training.get(id)) });
					},
				});
				if (isFinal(run.state)) {
					sendLog(lines.flush());
					this.followers.delete(id);
					this.options.notify.state({ run: this.info(run) });
					return;
				}
			} catch (error) {
				if (signal.aborted) break;
				// A host whose key is unknown or changed will not get better by asking again; a run that
				// has ended (replayed for its log and chart) is not worth waiting for a host that is gone.
				const hopeless = error instanceof UnknownHostKeyError || error instanceof ChangedHostKeyError || isFinal(training.get(id).state);
				const wait = delays[Math.min(failures, delays.length - 1)];
				failures++;
				if (hopeless) this.followers.delete(id);
				this.options.notify.state({
					run: this.info(training.get(id)),
					error: redactLine(hopeless ? messageOf(error) : `${messageOf(error)}; trying again in ${Math.round(wait / 1000)} s`),
				});
				if (hopeless) return;
				await sleep(wait, signal);
				// Offsets are recorded after every poll, so this goes on exactly where the lost one stopped.
				start = 'last';
			}
		}
		sendLog(lines.flush());
	}

	/** Config, dataset and the workspace's Training, or the config problem that stops it. */
	private prepare(params: TrainRequestParams): { training: Training; config: TrainConfig; file: string | null; dataset: TrainDatasetDto } | TrainProblem {
		if (typeof params.workspace !== 'string' || !path.isAbsolute(params.workspace) || !fs.existsSync(params.workspace)) {
			return { kind: 'config', source: String(params.workspace), message: 'training needs a workspace folder on this machine', fields: [] };
		}
		const training = this.trainingFor(params.workspace);
		try {
			const { config, file } = training.loadConfig(params.configFile, params.settings);
			const resolved = resolveDataset(config, params.workspace);
			const dataset: TrainDatasetDto = { dir: resolved.dir, name: resolved.name, version: resolved.version, format: resolved.format, trainRows: trainRows(resolved.dir, resolved.format) ?? 0 };
			return { training, config, file: file ?? null, dataset };
		} catch (error) {
			if (error instanceof TrainConfigError) return configProblem(error);
			throw error;
		}
	}

	/**
	 * Whether a new host key may be recorded: only when the user answered the question and the
	 * host still presents the key whose fingerprint they were shown. A different key is an alarm.
	 */
	private async trusted(params: TrainRequestParams, config: TrainConfig): Promise<boolean | TrainProblem> {
		if (!params.acceptNewHostKey || !params.expectedFingerprint) return false;
		let key: HostKey;
		try {
			key = await this.probe(targetOf(config));
		} catch {
			// Unreachable now: the preflight without acceptance reports why.
			return false;
		}
		if (key.fingerprint === params.expectedFingerprint) return true;
		return {
			kind: 'changedHostKey', host: config.host,
			message: `${config.host} now presents the ${key.keyType} key ${key.fingerprint}, not ${params.expectedFingerprint} that you trusted; nothing was recorded. `
				+ 'Someone may be intercepting the connection: check the key with the host\'s administrator before connecting.',
		};
	}

	private async hostKeyProblem(error: unknown, config: TrainConfig): Promise<TrainProblem | undefined> {
		if (error instanceof ChangedHostKeyError) {
			return { kind: 'changedHostKey', host: config.host, message: redactLine(error.message) };
		}
		if (!(error instanceof UnknownHostKeyError)) return undefined;
		try {
			const key = await this.probe(targetOf(config));
			return { kind: 'unknownHostKey', host: config.host, fingerprint: key.fingerprint, keyType: key.keyType, message: redactLine(error.message) };
		} catch (probeError) {
			return { kind: 'unknownHostKey', host: config.host, message: redactLine(`${error.message} (its key could not be read here: ${messageOf(probeError)})`) };
		}
	}

	private probe(target: SshTarget): Promise<HostKey> {
		return (this.options.probeHostKey ?? probeHostKey)(target);
	}

	private reusablePreflight(key: string): PreflightReport | undefined {
		const cached = this.preflights.get(key);
		return cached && cached.report.ok && Date.now() - cached.at < PREFLIGHT_REUSE_MS ? cached.report : undefined;
	}

	private info(run: TrainingRun): TrainRunInfo {
		const adapter = path.join(run.localDir, 'adapter');
		const info: TrainRunInfo = {
			...run,
			detail: run.detail === null ? null : redactLine(run.detail),
			following: this.followers.has(run.id),
			lastMetric: this.lastMetric(run),
			plannedSteps: this.plannedSteps(run),
		};
		if (fs.existsSync(path.join(adapter, 'adapter_config.json'))) info.adapterDir = adapter;
		return info;
	}

	/** What was streamed last, else the last line of a downloaded metrics.jsonl. */
	private lastMetric(run: TrainingRun): RunMetricDto | undefined {
		const seen = this.lastMetrics.get(run.id);
		if (seen) return seen;
		const file = path.join(run.localDir, 'metrics.jsonl');
		if (!fs.existsSync(file)) return undefined;
		const last = parseMetrics(fs.readFileSync(file, 'utf8')).findLast((m) => m.loss !== undefined);
		if (!last) return undefined;
		const dto = metricDto(last);
		this.lastMetrics.set(run.id, dto);
		return dto;
	}

	private plannedSteps(run: TrainingRun): number | undefined {
		if (!this.planned.has(run.id)) {
			const rows = trainRows(run.datasetDir, run.config.dataset.format);
			this.planned.set(run.id, rows === undefined ? undefined : plannedSteps(rows, run.config.training, run.launcher));
		}
		return this.planned.get(run.id);
	}

	private trainingFor(workspace: string): Training {
		const key = path.resolve(workspace);
		let training = this.trainings.get(key);
		if (!training) {
			training = new Training(this.options.db(), { workspace: key, trainerDir: this.options.trainerDir, sshClient: this.options.sshClient, log: this.options.log });
			this.trainings.set(key, training);
		}
		return training;
	}

	/** The Training of the workspace a run was launched from (its SSH connections are shared with that workspace's other runs). */
	private trainingOf(run: TrainingRun): Training {
		return this.trainingFor(workspaceOfRun(run.localDir));
	}

	/** Any Training reads the store's runs; this one is only used for that. */
	private lookup(): Training {
		return this.trainings.values().next().value ?? this.trainingFor(process.cwd());
	}
}

/** Registers the training requests on the connection; the returned handlers are closed on shutdown. */
export function registerTrainingHandlers(connection: Connection, options: Omit<TrainingHandlerOptions, 'notify'>): TrainingHandlers {
	const handlers = new TrainingHandlers({
		...options,
		notify: {
			log: (params) => void connection.sendNotification(TrainLogNotification, params),
			metrics: (params) => void connection.sendNotification(TrainMetricsNotification, params),
			state: (params) => void connection.sendNotification(TrainStateNotification, params),
		},
	});
	connection.onRequest(TrainPreflightRequest, (params, token) => answer(() => handlers.preflight(params, token)));
	connection.onRequest(TrainLaunchRequest, (params) => answer(() => handlers.launch(params)));
	connection.onRequest(TrainRunsRequest, (params) => answer(() => handlers.runs(params)));
	connection.onRequest(TrainCancelRequest, (params) => answer(() => handlers.cancel(params)));
	connection.onRequest(TrainFetchRequest, (params) => answer(() => handlers.fetch(params)));
	connection.onRequest(TrainFollowRequest, (params) => answer(async () => handlers.follow(params)));
	connection.onRequest(TrainUnfollowRequest, (params) => answer(async () => handlers.unfollow(params)));
	return handlers;
}

/** A failure reaches the editor as its message, redacted (it may quote the host's output). */
async function answer<T>(body: () => Promise<T>): Promise<T> {
	try {
		return await body();
	} catch (error) {
		if (error instanceof ResponseError) throw error;
		throw new ResponseError(LSPErrorCodes.RequestFailed, redactLine(messageOf(error)));
	}
}

function checked(report: PreflightReport, config: TrainConfig, file: string | null, dataset: TrainDatasetDto): TrainChecked {
	return { kind: 'report', report: redactReport(report), text: redactLine(describePreflight(report)), config, configFile: file, dataset };
}

/** Problems quote the host's answers (ssh's stderr, import errors): redacted like log lines. */
export function redactReport(report: PreflightReport): PreflightReportDto {
	return { ...report, problems: report.problems.map((p) => ({ ...p, message: redactLine(p.message), fix: redactLine(p.fix) })) };
}

function configProblem(error: TrainConfigError): TrainProblem {
	const fields = configErrorFields(error.message);
	const message = fields.length > 0 ? `${error.source} is not a valid training config` : error.message;
	return { kind: 'config', source: error.source, message: redactLine(message), fields: fields.map(redactLine) };
}

/** zod's pretty error (`✖ message` then `→ at path`) as `path: message` lines. */
export function configErrorFields(message: string): string[] {
	const fields: string[] = [];
	let pending: string | undefined;
	for (const line of message.split('\n').map((l) => l.trim())) {
		if (line.startsWith('✖')) {
			if (pending !== undefined) fields.push(pending);
			pending = line.slice(1).trim();
		} else if (line.startsWith('→ at ') && pending !== undefined) {
			fields.push(`${line.slice('→ at '.length)}: ${pending}`);
			pending = undefined;
		}
	}
	if (pending !== undefined) fields.push(pending);
	return fields;
}

/** The trainer's own count (tracemint_train.py planned_steps); unknown when several processes share the rows. */
export function plannedSteps(trainRows: number, training: TrainConfig['training'], launcher: TrainingRun['launcher']): number | undefined {
	if (launcher !== 'python' || trainRows <= 0) return training.maxSteps;
	const perEpoch = Math.max(1, Math.ceil(Math.ceil(trainRows / training.batchSize) / training.gradAccum));
	return training.maxSteps ?? Math.ceil(perEpoch * training.epochs);
}

function trainRows(datasetDir: string, format: string): number | undefined {
	try {
		return fs.readFileSync(path.join(datasetDir, format, 'train.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '').length;
	} catch {
		return undefined;
	}
}

function metricDto(metric: RunMetric): RunMetricDto {
	const { raw: _raw, ...fields } = metric;
	return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as RunMetricDto;
}

/** What Training uses to reach the host, for the key probe. */
function targetOf(config: TrainConfig): SshTarget {
	return { host: config.host, configFile: config.ssh.configFile, identityFile: config.ssh.identityFile, connectTimeoutSeconds: config.ssh.connectTimeoutSeconds };
}

/** Preflights are reused only for the same workspace, config and mode. */
function preflightKey(params: TrainRequestParams, config: TrainConfig): string {
	return JSON.stringify([path.resolve(params.workspace), config, params.dryRun === true]);
}

/** `<workspace>/.tracemint/runs/<id>` → `<workspace>`. */
export function workspaceOfRun(localDir: string): string {
	return path.dirname(path.dirname(path.dirname(localDir)));
}

function isInside(file: string, folder: string): boolean {
	const relative = path.relative(path.resolve(folder), path.resolve(file));
	return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * Holds back a log's unfinished last line, so a secret is never split across two redacted
 * pieces; a line longer than MAX_HELD_LOG goes out as it is.
 */
export class LineBuffer {
	private held = '';

	push(text: string): string {
		const all = this.held + text;
		const end = all.lastIndexOf('\n') + 1;
		if (end === 0 && all.length < MAX_HELD_LOG) {
			this.held = all;
			return '';
		}
		const cut = end === 0 ? all.length : end;
		this.held = all.slice(cut);
		return all.slice(0, cut);
	}

	flush(): string {
		const rest = this.held;
		this.held = '';
		return rest;
	}
}

function rethrow(error: unknown): never {
	throw error;
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

