/**
 * Dataset export settings and report, shared by the core, the CLI, the LSP server and the client.
 * Plain types and constants only.
 */
import type { GateReport, SplitName } from './quality';

/** The dataset name when none is given (and the fallback for a folder name with no letters or digits). */
export const DEFAULT_DATASET_NAME = 'tracemint-dataset';

/** Where the editor exports (and training looks) when no folder is configured, relative to the workspace folder. */
export const DEFAULT_DATASETS_DIR = '.tracemint/datasets';

export const FORMAT_NAMES = [
	'openai_chat', 'openai_dpo', 'trl_messages', 'trl_prompt_completion', 'trl_preference', 'trl_kto', 'sharegpt', 'alpaca', 'reward',
] as const;
export type FormatName = typeof FORMAT_NAMES[number];

export function isFormatName(value: string): value is FormatName {
	return (FORMAT_NAMES as readonly string[]).includes(value);
}

/** Which assistant turns are trained where a format can say so: every one, or only the session's last. */
export type TrainOn = 'all' | 'final';

export interface ExportSettings {
	/** The datasets folder: the export goes to `<out>/<name>/v<N>/`, N one more than the newest version there. */
	out: string;
	/** Dataset name (a folder name); default `tracemint-dataset`. */
	name?: string;
	/** Default `['openai_chat']`. */
	formats?: FormatName[];
	/** Default `all`. */
	trainOn?: TrainOn;
	/** Split a longer session into samples at turn boundaries (o200k tokens); 0 or absent: no limit. */
	maxTokensPerSample?: number;
	/** Rollout pairs need chosen's reward to beat rejected's by at least this much (default 0.1). */
	minRewardMargin?: number;
	/** Also write each split as Parquet beside the JSONL. */
	parquet?: boolean;
}

export interface FormatReport {
	format: FormatName;
	files: { path: string; split: SplitName; rows: number; bytes: number; sha256: string }[];
	rows: Record<SplitName, number>;
	/** Samples or pairs the format could not express, by reason. */
	dropped: Record<string, number>;
	/** Changes made so rows fit the format, by reason. */
	fixed: Record<string, number>;
	/** Rows the format's validator rejected (never written), by problem. */
	invalid: Record<string, number>;
}

export interface ExportReport {
	/** The version folder written, `<out>/<name>/v<N>`. */
	out: string;
	name: string;
	version: number;
	formats: FormatReport[];
	/** Chat samples per split (a long session split in parts counts each part). */
	counts: Record<SplitName, number>;
	/** blocked: opted-in sessions barred by a blocking finding (a private key). */
	sessions: { exported: number; skippedNotOptedIn: number; skippedEmpty: number; blocked: number };
	/** Preference pairs mined, by kind. */
	pairs: Record<'repair' | 'rejection' | 'rollout', number>;
	manifest: string;
	/** The dataset card, `README.md`. */
	card: string;
	/** The gate report the export applied (the same document `tracemint gate --json` prints). */
	gates?: GateReport;
}

/** How far an export is; sent while it runs. */
export interface ExportProgress {
	phase: 'sessions' | 'pairs' | 'finishing';
	done: number;
	total: number;
	/** Rows written so far, all formats. */
	rows: number;
}
