/**
 * A training run: its record in the store, and the fixed layout of its folder on the host.
 * Every name inside that folder is chosen here (never from a dataset or model name), so only
 * the user's remoteDir can hold unusual characters, and it is always quoted.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { RunLauncher, RunState, TrainingRunRow } from '../store/repos/trainingRuns';
import type { TrainingRunDto } from '../../../../shared/training';
import type { TrainConfig } from './config';

export type { RunLauncher, RunState };

/** A run as the store records it, with its config as the core reads it. */
export interface TrainingRun extends Omit<TrainingRunDto, 'config'> {
	config: TrainConfig;
}

/** Done, failed, crashed or cancelled: the states a run never leaves. */
export { isFinalRunState as isFinal } from '../../../../shared/training';

/** Sortable and safe as a folder name on every OS and in every shell: `20260301-142233-9f3a`. */
export function newRunId(now = new Date()): string {
	const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
	return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/** Local folder of a run's downloads. */
export function localRunDir(workspace: string, id: string): string {
	return path.join(workspace, '.tracemint', 'runs', id);
}

/** The files of a run on the host; `dir` is `<remoteDir>/runs/<id>`. */
export function remoteRunLayout(dir: string) {
	const at = (name: string) => `${dir}/${name}`;
	return {
		dir,
		/** The trainer's JSON config. */
		config: at('config.json'),
		/** The script the detached process runs (venv setup, launcher, exit code). */
		script: at('run.sh'),
		/** stdout and stderr of the whole run. */
		log: at('train.log'),
		/** Process group id, written by run.sh itself. */
		pid: at('pid'),
		/** The launcher's exit status, written when it ends. */
		exitCode: at('exit_code'),
		/** Present once a cancel was requested. */
		cancelled: at('cancelled'),
		trainerDir: at('trainer'),
		trainer: at('trainer/tracemint_train.py'),
		requirements: at('trainer/requirements.txt'),
		datasetDir: at('dataset'),
		/** The trainer's output_dir: heartbeat.json, metrics.jsonl, status.json, adapter/. */
		outputDir: at('out'),
	};
}

export type RemoteRunLayout = ReturnType<typeof remoteRunLayout>;

export function runFromRow(row: TrainingRunRow): TrainingRun {
	return {
		id: row.id, host: row.host, remoteDir: row.remote_dir, launcher: row.launcher, pid: row.pid, jobId: row.job_id, state: row.state,
		config: JSON.parse(row.config) as TrainConfig, datasetDir: row.dataset_dir, datasetSha256: row.dataset_sha256, dryRun: row.dry_run === 1,
		localDir: row.local_dir, logOffset: row.log_offset, metricsOffset: row.metrics_offset, detail: row.detail,
		createdAt: row.created_at, updatedAt: row.updated_at,
	};
}
