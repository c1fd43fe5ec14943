/** LoRA training on the user's own GPU host over SSH: `train` and `runs`. The workspace is the current folder. */
import * as path from 'node:path';
import { describePreflight } from '../core/train/preflight';
import { isFinal, type TrainingRun } from '../core/train/runs';
import { Training } from '../core/train/training';
import { UsageError, type Command, type CommandContext, type CommandResult } from './command';

export const TRAIN_USAGE = `Training (LoRA on your own CUDA host over ssh; config: .tracemint/train.yaml or --config FILE):
  train [--config FILE] [--dry-run] [--detach]   preflight the host, upload the newest dataset version and the trainer,
                                                 start the run detached, follow its log until it ends and download
                                                 the adapter into .tracemint/runs/RUN/ (--detach: return once started;
                                                 --dry-run: the real pipeline, the trainer only checks, no GPU needed)
  runs                                           training runs with their state (running ones are asked again)
  runs logs RUN [--follow]                       the run's log (--follow: until it ends)
  runs cancel RUN                                stop the run: SIGTERM to its process group, SIGKILL 30 s later
  runs fetch RUN [--to DIR]                      download the adapter (default .tracemint/runs/RUN/)`;

interface TrainFlags {
	config?: string;
	'dry-run'?: boolean;
	detach?: boolean;
	follow?: boolean;
	to?: string;
}

export const trainCommands: Record<string, Command> = {
	train: (ctx) => withTraining(ctx, async (training) => {
		const flags = ctx.options as TrainFlags;
		const dryRun = flags['dry-run'] === true;
		const { config, file } = training.loadConfig(flags.config);
		ctx.log(`config: ${file ?? 'tracemint.train settings'}`);
		const report = await training.preflight(config, { dryRun });
		say(ctx, describePreflight(report));
		if (!report.ok) {
			return { json: { preflight: report, run: null }, text: `Not started. Fix the problems above, then run tracemint train${dryRun ? ' --dry-run' : ''} again.`, exitCode: 1 };
		}
		let { run } = await training.launch(config, { dryRun, preflight: report });
		say(ctx, `run ${run.id} started on ${run.host} (${run.remoteDir})`);
		if (flags.detach) {
			return { json: { preflight: report, run, fetched: null }, text: `Detached. Follow it with: tracemint runs logs ${run.id} --follow` };
		}
		run = await followWithInterrupt(ctx, training, run.id, 'last');
		// A dry run trains nothing, so there is no adapter to download.
		const fetched = run.state === 'done' && !run.dryRun ? await training.fetch(run.id) : null;
		return {
			json: { preflight: report, run, fetched },
			text: describeEnd(run, fetched?.dir),
			exitCode: endCode(run),
		};
	}),

	runs: (ctx) => withTraining(ctx, async (training) => {
		const [sub, query, ...extra] = ctx.args;
		const flags = ctx.options as TrainFlags;
		if (sub !== undefined && (query === undefined || extra.length > 0)) {
			throw new UsageError('usage: runs [logs RUN [--follow] | cancel RUN | fetch RUN [--to DIR]]');
		}
		switch (sub) {
			case undefined: {
				const runs = await Promise.all(training.list().map(async (run) => {
					if (isFinal(run.state)) return { ...run, unreachable: null };
					try {
						return { ...await training.refresh(run.id), unreachable: null };
					} catch (error) {
						return { ...run, unreachable: (error as Error).message };
					}
				}));
				return { json: runs, text: runs.length === 0 ? 'No training runs yet. Start one with: tracemint train' : runs.map(describeRun).join('\n') };
			}
			case 'logs': {
				if (flags.follow) {
					let log = '';
					const run = await followWithInterrupt(ctx, training, query, 'start', (text) => { log += text; });
					return { json: { run, log }, text: describeEnd(run), exitCode: endCode(run) };
				}
				const log = await training.logText(query);
				if (!ctx.options.json) {
					ctx.stdout.write(log);
					return { streamed: true };
				}
				return { json: { run: training.get(query), log } };
			}
			case 'cancel': {
				const { run, outcome } = await training.cancel(query);
				return { json: { run, outcome }, text: `run ${run.id}: ${outcome} (${run.state})` };
			}
			case 'fetch': {
				const { run, dir, files } = await training.fetch(query, { to: flags.to });
				return { json: { run, dir, files }, text: `run ${run.id}: ${files.length} files in ${dir}\n${files.map((f) => `  ${path.relative(dir, f)}`).join('\n')}` };
			}
			default:
				throw new UsageError(`unknown runs subcommand "${sub}": use logs, cancel or fetch`);
		}
	}),
};

async function withTraining(ctx: CommandContext, body: (training: Training) => Promise<CommandResult>): Promise<CommandResult> {
	const training = new Training(ctx.core.store.db, { workspace: process.cwd(), log: ctx.log });
	try {
		return await body(training);
	} finally {
		await training.close();
	}
}

/** Text mode streams to stdout; with --json, stdout holds only the final document. */
function say(ctx: CommandContext, text: string): void {
	if (ctx.options.json) ctx.log(text);
	else ctx.stdout.write(`${text}\n`);
}

/**
 * Follows a run until it ends; Ctrl-C stops following, not the run. The log goes to stdout (text)
 * or line by line to stderr (--json).
 */
async function followWithInterrupt(ctx: CommandContext, training: Training, id: string, from: 'start' | 'last', collect?: (text: string) => void): Promise<TrainingRun> {
	const stop = new AbortController();
	const interrupt = () => stop.abort();
	process.once('SIGINT', interrupt);
	let partial = '';
	try {
		const run = await training.follow(id, {
			from, signal: stop.signal,
			onLog: (text) => {
				collect?.(text);
				if (!ctx.options.json) {
					ctx.stdout.write(text);
					return;
				}
				const lines = (partial + text).split('\n');
				partial = lines.pop() ?? '';
				lines.forEach((line) => ctx.log(line));
			},
			onState: (state) => ctx.log(`run ${id}: ${state}`),
		});
		if (partial) ctx.log(partial);
		if (stop.signal.aborted) ctx.log(`Stopped following; the run goes on. Reattach with: tracemint runs logs ${id} --follow`);
		return run;
	} finally {
		process.removeListener('SIGINT', interrupt);
	}
}

function describeRun(run: TrainingRun & { unreachable: string | null }): string {
	const dataset = `${path.basename(path.dirname(run.datasetDir))}/${path.basename(run.datasetDir)} ${run.config.dataset.format}`;
	const where = run.jobId ? `slurm job ${run.jobId}` : run.pid ? `pgid ${run.pid}` : run.launcher;
	const lines = [`${run.id}  ${run.state.padEnd(9)}  ${run.host}  ${where}  ${run.config.baseModel}  ${dataset}${run.dryRun ? '  (dry run)' : ''}`];
	if (run.detail) lines.push(`    ${run.detail}`);
	if (run.unreachable) lines.push(`    state as last seen; the host did not answer: ${run.unreachable}`);
	return lines.join('\n');
}

function describeEnd(run: TrainingRun, fetchedTo?: string): string {
	if (!isFinal(run.state)) return `run ${run.id} is ${run.state}; follow it with: tracemint runs logs ${run.id} --follow`;
	const lines = [`run ${run.id} ${run.state}${run.detail ? `: ${run.detail}` : ''}`];
	if (fetchedTo) lines.push(`adapter: ${fetchedTo}`);
	else if (run.state === 'done' && !run.dryRun) lines.push(`download the adapter with: tracemint runs fetch ${run.id}`);
	return lines.join('\n');
}

/** 0 when the run is done or still going (detached or no longer followed), 1 when it ended otherwise. */
function endCode(run: TrainingRun): number {
	return isFinal(run.state) && run.state !== 'done' ? 1 : 0;
}
