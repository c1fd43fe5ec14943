import type { Db } from '../db';

/**
 * LoRA training runs on the user's own hosts. A row is written when a run is launched and
 * updated as it is polled, so a run outlives the editor: reattaching reads it back and goes on
 * from the recorded log and metrics offsets.
 */
export function updateToSchemaVersion0004(db: Db): void {
	db.exec(`
		CREATE TABLE training_runs (
			id TEXT PRIMARY KEY,
			-- The host as configured (ssh alias or user@host:port) and the run's folder there.
			host TEXT NOT NULL,
			remote_dir TEXT NOT NULL,
			launcher TEXT NOT NULL CHECK (launcher IN ('python', 'accelerate', 'torchrun', 'slurm')),
			-- Process group id of the detached run (its session leader), or the slurm job id.
			pid INTEGER,
			job_id TEXT,
			state TEXT NOT NULL CHECK (state IN ('starting', 'running', 'saving', 'done', 'failed', 'crashed', 'cancelled')),
			-- The validated training config, as JSON.
			config TEXT NOT NULL,
			dataset_dir TEXT NOT NULL,
			dataset_sha256 TEXT NOT NULL,
			dry_run INTEGER NOT NULL CHECK (dry_run IN (0, 1)),
			-- Where the adapter is (or will be) downloaded.
			local_dir TEXT NOT NULL,
			-- Bytes of train.log and metrics.jsonl already delivered to a follower.
			log_offset INTEGER NOT NULL DEFAULT 0,
			metrics_offset INTEGER NOT NULL DEFAULT 0,
			-- Why a run failed or crashed, when known.
			detail TEXT,
			created_at TEXT NOT NULL,
			updated_at TEXT NOT NULL
		) STRICT;
		CREATE INDEX training_runs_created ON training_runs (created_at);
	`);
}
