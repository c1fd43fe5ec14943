/** Training runs as recorded at launch and updated by each poll (see migration 0004). */
import type { Db } from '../db';
import { nowIso } from './sourceFiles';

import type { RunLauncher, RunState } from '../../../../../shared/training';

export type { RunLauncher, RunState };

export interface TrainingRunRow {
	id: string;
	host: string;
	remote_dir: string;
	launcher: RunLauncher;
	pid: number | null;
	job_id: string | null;
	state: RunState;
	config: string;
	dataset_dir: string;
	dataset_sha256: string;
	dry_run: 0 | 1;
	local_dir: string;
	log_offset: number;
	metrics_offset: number;
	detail: string | null;
	created_at: string;
	updated_at: string;
}

export type NewTrainingRun = Omit<TrainingRunRow, 'log_offset' | 'metrics_offset' | 'detail' | 'created_at' | 'updated_at'>;
export type TrainingRunChange = Partial<Pick<TrainingRunRow, 'state' | 'pid' | 'job_id' | 'log_offset' | 'metrics_offset' | 'detail'>>;

const CHANGEABLE = ['state', 'pid', 'job_id', 'log_offset', 'metrics_offset', 'detail'] as const;

export class TrainingRunsRepo {
	private readonly insertRow;
	private readonly one;
	private readonly all;
	private readonly byPrefix;

	constructor(private readonly db: Db) {
		this.insertRow = db.prepare(`INSERT INTO training_runs
			(id, host, remote_dir, launcher, pid, job_id, state, config, dataset_dir, dataset_sha256, dry_run, local_dir, created_at, updated_at)
			VALUES (@id, @host, @remote_dir, @launcher, @pid, @job_id, @state, @config, @dataset_dir, @dataset_sha256, @dry_run, @local_dir, @now, @now)`);
		this.one = db.prepare<[string], TrainingRunRow>('SELECT * FROM training_runs WHERE id = ?');
		this.all = db.prepare<[], TrainingRunRow>('SELECT * FROM training_runs ORDER BY created_at DESC, id DESC');
		this.byPrefix = db.prepare<[{ prefix: string }], { id: string }>('SELECT id FROM training_runs WHERE substr(id, 1, length(@prefix)) = @prefix ORDER BY id LIMIT 2');
	}

	insert(run: NewTrainingRun): TrainingRunRow {
		this.insertRow.run({ ...run, now: nowIso() });
		return this.get(run.id)!;
	}

	get(id: string): TrainingRunRow | undefined {
		return this.one.get(id);
	}

	list(): TrainingRunRow[] {
		return this.all.all();
	}

	/** A full id, or a prefix that names exactly one run. */
	resolveId(query: string): string[] {
		return this.get(query) ? [query] : this.byPrefix.all({ prefix: query }).map((r) => r.id);
	}

	/** Writes only the given fields (and updated_at); returns the row as it is now. */
	update(id: string, change: TrainingRunChange): TrainingRunRow | undefined {
		const fields = CHANGEABLE.filter((field) => change[field] !== undefined);
		if (fields.length > 0) {
			const assignments = fields.map((field) => `${field} = @${field}`).join(', ');
			this.db.prepare(`UPDATE training_runs SET ${assignments}, updated_at = @now WHERE id = @id`)
				.run({ ...Object.fromEntries(fields.map((field) => [field, change[field]])), id, now: nowIso() });
		}
		return this.get(id);
	}
}
