/**
 * Training as the CLI and the editor use it: config, preflight, launch, and the runs recorded in
 * the store (list, follow, cancel, fetch). Any instance can pick up any recorded run, which is
 * what reattaching after an editor restart is: read the row, poll from its offsets.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Db } from '../store/db';
import { TrainingRunsRepo } from '../store/repos/trainingRuns';
import { loadTrainConfig, resolveDataset, type LoadedTrainConfig, type TrainConfig } from './config';
import { launchRun } from './launch';
import { cancelRemote, failureDetail, fetchAdapter, parseMetrics, pollRun, type PollResult, type RunMetric } from './monitor';
import { preflight, type PreflightReport } from './preflight';
import { isFinal, runFromRow, type RunState, type TrainingRun } from './runs';
import { SshClient, type SshTarget } from './ssh';

export interface TrainingOptions {
	/** The workspace folder: config files, datasets and `.tracemint/runs/` are found from here. */
	workspace: string;
	/** The folder holding tracemint_train.py; default: the one shipped with Tracemint. */
	trainerDir?: string;
	/** Makes the SSH client for a target (tests pass their own options). */
	sshClient?: (target: SshTarget) => SshClient;
	/** Progress lines for a person. */
	log?: (line: string) => void;
}

export interface FollowOptions {
	/** `last` (default) goes on from what was last delivered, as a reattaching editor wants; `start` replays everything. */
	from?: 'start' | 'last';
	/** Between polls; default 2 s. */
	intervalMs?: number;
	/** Aborting stops following (the run goes on). */
	signal?: AbortSignal;
	onLog?: (text: string) => void;
	onMetrics?: (metrics: RunMetric[]) => void;
	onState?: (state: RunState) => void;
}

export class UnknownRunError extends Error {
	constructor(query: string, matches: number) {
		super(matches === 0 ? `no training run "${query}" (tracemint runs lists them)` : `"${query}" matches several runs: give more of the id`);
		this.name = 'UnknownRunError';
	}
}

/** Preflight found errors; `report` says which and how to fix them. */
export class PreflightFailedError extends Error {
	constructor(readonly report: PreflightReport) {
		super(`${report.host} is not ready to train: ${report.problems.filter((p) => p.severity === 'error').map((p) => p.message).join('; ')}`);
		this.name = 'PreflightFailedError';
	}
}

export class Training {
	private readonly repo: TrainingRunsRepo;
	private readonly clients = new Map<string, SshClient>();

	constructor(db: Db, private readonly options: TrainingOptions) {
		this.repo = new TrainingRunsRepo(db);
	}

	/** The config from settings and/or the workspace file; relative ssh file paths are made absolute against the workspace. */
	loadConfig(file?: string, settings?: Record<string, unknown>): LoadedTrainConfig {
		const loaded = loadTrainConfig(this.options.workspace, { file, settings });
		const ssh = { ...loaded.config.ssh };
		for (const key of ['configFile', 'knownHostsFile', 'identityFile'] as const) {
			if (ssh[key] && !ssh[key].startsWith('~')) ssh[key] = path.resolve(this.options.workspace, ssh[key]);
		}
		return { ...loaded, config: { ...loaded.config, ssh } };
	}

	/** `acceptNewHostKey` only after the user answered the unknown-host question. */
	preflight(config: TrainConfig, options: { dryRun?: boolean; acceptNewHostKey?: boolean } = {}): Promise<PreflightReport> {
		return preflight(this.ssh(config, options.acceptNewHostKey), config, options);
	}

	/** Preflight (unless a passing report is given), upload and start. Throws PreflightFailedError. */
	async launch(config: TrainConfig, options: { dryRun?: boolean; preflight?: PreflightReport; acceptNewHostKey?: boolean } = {}): Promise<{ run: TrainingRun; preflight: PreflightReport }> {
		const dataset = resolveDataset(config, this.options.workspace);
		const report = options.preflight ?? await this.preflight(config, options);
		if (!report.ok) throw new PreflightFailedError(report);
		const run = await launchRun(this.ssh(config), this.repo, config, {
			workspace: this.options.workspace, dataset, preflight: report, dryRun: options.dryRun, trainerDir: this.options.trainerDir, log: this.options.log,
		});
		return { run, preflight: report };
	}

	/** Newest first, as last recorded. */
	list(): TrainingRun[] {
		return this.repo.list().map(runFromRow);
	}

	/** A run by id or unique id prefix. */
	get(query: string): TrainingRun {
		const ids = this.repo.resolveId(query);
		if (ids.length !== 1) throw new UnknownRunError(query, ids.length);
		return runFromRow(this.repo.get(ids[0])!);
	}

	/** Asks the host for the run's state now (no log or metrics) and records it. */
	async refresh(query: string): Promise<TrainingRun> {
		const run = this.get(query);
		if (isFinal(run.state)) return run;
		const poll = await pollRun(this.ssh(run.config), run, { log: run.logOffset, metrics: run.metricsOffset }, 0);
		return this.record(run, poll, run.logOffset, run.metricsOffset);
	}

	/**
	 * Streams the log and metrics until the run ends (or `signal` aborts); returns the run as
	 * recorded last. A run that ended and was fetched is replayed from its downloaded copies, so
	 * its log and chart can be seen with the host switched off or gone.
	 */
	async follow(query: string, options: FollowOptions = {}): Promise<TrainingRun> {
		let run = this.get(query);
		let logAt = options.from === 'start' ? 0 : run.logOffset;
		let metricsAt = options.from === 'start' ? 0 : run.metricsOffset;
		if (replayFetched(run, logAt, metricsAt, options)) return run;
		const ssh = this.ssh(run.config);
		let lastState: RunState | undefined;
		while (!options.signal?.aborted) {
			const poll = await pollRun(ssh, run, { log: logAt, metrics: metricsAt });
			if (poll.log) options.onLog?.(poll.log);
			if (poll.metrics.length > 0) options.onMetrics?.(poll.metrics);
			logAt = poll.logEnd;
			metricsAt = poll.metricsEnd;
			run = this.record(run, poll, logAt, metricsAt);
			if (run.state !== lastState) {
				lastState = run.state;
				options.onState?.(run.state);
			}
			if (isFinal(run.state) && !poll.more) break;
			if (!poll.more) await sleep(options.intervalMs ?? 2000, options.signal);
		}
		return run;
	}

	/** The whole log so far. */
	async logText(query: string): Promise<string> {
		const run = this.get(query);
		const ssh = this.ssh(run.config);
		let text = '';
		for (let at = 0; ;) {
			const poll = await pollRun(ssh, run, { log: at, metrics: 0 });
			text += poll.log;
			at = poll.logEnd;
			if (!poll.more) return text;
		}
	}

	/** SIGTERM to the run's process group, SIGKILL after `graceSeconds` (default 30); slurm: scancel. */
	async cancel(query: string, options: { graceSeconds?: number } = {}): Promise<{ run: TrainingRun; outcome: string }> {
		const run = this.get(query);
		if (isFinal(run.state)) return { run, outcome: `already ${run.state}` };
		const ssh = this.ssh(run.config);
		const outcome = await cancelRemote(ssh, run, options.graceSeconds ?? 30);
		const poll = await pollRun(ssh, run, { log: run.logOffset, metrics: run.metricsOffset }, 0);
		// scancel returns before the job is gone; the next poll sees it end.
		const recorded = this.record(run, poll, run.logOffset, run.metricsOffset);
		return { run: outcome === 'scancelled' || isFinal(recorded.state) ? recorded : runFromRow(this.repo.update(run.id, { state: 'cancelled' })!), outcome };
	}

	/** Downloads the adapter (and config, log, metrics) to `to`, default `<workspace>/.tracemint/runs/<id>/`. */
	async fetch(query: string, options: { to?: string } = {}): Promise<{ run: TrainingRun; dir: string; files: string[] }> {
		const recorded = this.get(query);
		const ssh = this.ssh(recorded.config);
		// One poll both brings an unfinished run's state up to date and says whether the adapter is there.
		const poll = await pollRun(ssh, recorded, { log: recorded.logOffset, metrics: recorded.metricsOffset }, 0);
		const run = isFinal(recorded.state) ? recorded : this.record(recorded, poll, recorded.logOffset, recorded.metricsOffset);
		if (!poll.adapter) {
			throw new Error(isFinal(run.state)
				? `run ${run.id} ended ${run.state} without an adapter${run.detail ? `: ${run.detail}` : ''}`
				: `run ${run.id} is ${run.state}: its adapter is written when training ends (tracemint runs logs ${run.id} --follow)`);
		}
		const dir = options.to ? path.resolve(this.options.workspace, options.to) : run.localDir;
		const files = await fetchAdapter(ssh, run, dir);
		return { run, dir, files };
	}

	/** Ends the SSH master connections; runs on the hosts go on. */
	async close(): Promise<void> {
		const clients = [...this.clients.values()];
		this.clients.clear();
		await Promise.all(clients.map((client) => client.close()));
	}

	private record(run: TrainingRun, poll: PollResult, logAt: number, metricsAt: number): TrainingRun {
		const row = this.repo.update(run.id, {
			state: poll.state,
			log_offset: Math.max(run.logOffset, logAt),
			metrics_offset: Math.max(run.metricsOffset, metricsAt),
			detail: failureDetail(poll) ?? run.detail ?? undefined,
		});
		return runFromRow(row!);
	}

	private ssh(config: TrainConfig, acceptNewHostKey = false): SshClient {
		const target: SshTarget = {
			host: config.host, configFile: config.ssh.configFile, knownHostsFile: config.ssh.knownHostsFile,
			identityFile: config.ssh.identityFile, connectTimeoutSeconds: config.ssh.connectTimeoutSeconds, acceptNewHostKey,
		};
		const key = JSON.stringify(target);
		let client = this.clients.get(key);
		if (!client) {
			client = this.options.sshClient?.(target) ?? new SshClient(target);
			this.clients.set(key, client);
		}
		return client;
	}
}

/** Waits `ms`, or less when `signal` aborts (a follower being stopped). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		const timer = setTimeout(done, ms);
		signal?.addEventListener('abort', done, { once: true });
		function done() {
			clearTimeout(timer);
			signal?.removeEventListener('abort', done);
			resolve();
		}
	});
}

/**
 * Replays an ended run from the files fetch downloaded (train.log and metrics.jsonl beside the
 * adapter), when they hold at least what was streamed from the host; false when they do not.
 */
function replayFetched(run: TrainingRun, logAt: number, metricsAt: number, options: FollowOptions): boolean {
	if (!isFinal(run.state)) return false;
	const read = (name: string) => {
		try {
			return fs.readFileSync(path.join(run.localDir, name));
		} catch {
			return undefined;
		}
	};
	const log = read('train.log');
	const metrics = read('metrics.jsonl');
	if (!log || !metrics || log.length < run.logOffset || metrics.length < run.metricsOffset) return false;
	const text = log.subarray(logAt).toString('utf8');
	if (text) options.onLog?.(text);
	const parsed = parseMetrics(metrics.subarray(metricsAt).toString('utf8'));
	if (parsed.length > 0) options.onMetrics?.(parsed);
	options.onState?.(run.state);
	return true;
}
