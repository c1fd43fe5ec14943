/**
 * The pure parts of Export Dataset: what each format and preset is for, the dataset's default
 * name and folder, the `tracemint.export.*` settings, and the progress and summary text. No
 * editor API, so the unit tests cover them directly.
 */
import * as path from 'node:path';
import { DEFAULT_DATASET_NAME, DEFAULT_DATASETS_DIR, isFormatName, type ExportProgress, type ExportReport, type ExportSettings, type FormatName, type TrainOn } from '../../../shared/dataset';
import type { PresetName, SplitName } from '../../../shared/quality';
import type { RawSettings } from '../../../shared/settings';
import { groupedNumber } from '../../../shared/training';

/** One line per format for the picker: what the rows are and which trainer reads them. */
export const FORMAT_DESCRIPTIONS: Record<FormatName, string> = {
	openai_chat: 'Chat messages with tool calls, trained turns weighted: OpenAI supervised fine-tuning',
	openai_dpo: 'Preference pairs (preferred / non-preferred output): OpenAI preference fine-tuning (DPO)',
	trl_messages: 'Conversational messages with tools: TRL SFTTrainer',
	trl_prompt_completion: 'Conversational prompt and completion: TRL SFTTrainer, loss on the completion',
	trl_preference: 'prompt / chosen / rejected pairs: TRL DPOTrainer (also ORPO, CPO, RewardTrainer)',
	trl_kto: 'Completions labelled desirable or not, from the pairs: TRL KTOTrainer',
	sharegpt: 'ShareGPT conversations with function calls: LLaMA-Factory',
	alpaca: 'instruction / input / output with history, text-only sessions: LLaMA-Factory',
	reward: 'Task, what the session did and its reward (0–1): reward-model regression',
};

export const PRESET_NAMES: readonly PresetName[] = ['strict', 'balanced', 'experimental'];


/** The preset texts of the `tracemint.gates.preset` setting, so the picker and the Settings editor say the same. */
export function presetDescriptions(packageJson: unknown): Partial<Record<PresetName, string>> {
	const setting = (packageJson as {
		contributes?: { configuration?: { properties?: Record<string, { enum?: unknown; enumDescriptions?: unknown }> } };
	} | undefined)?.contributes?.configuration?.properties?.['tracemint.gates.preset'];
	const names = Array.isArray(setting?.enum) ? setting.enum : [];
	const texts = Array.isArray(setting?.enumDescriptions) ? setting.enumDescriptions : [];
	const descriptions: Partial<Record<PresetName, string>> = {};
	names.forEach((name, i) => {
		if (isPresetName(name) && typeof texts[i] === 'string') {
			descriptions[name] = texts[i];
		}
	});
	return descriptions;
}

/**
 * The default dataset name: the workspace folder's name as it reads. The server makes any name
 * safe for a folder; a name with no letter or digit says nothing (and `..` would be refused), so it gets the default.
 */
export function datasetName(folderName: string): string {
	return /[\p{L}\p{N}]/u.test(folderName) ? folderName : DEFAULT_DATASET_NAME;
}

/**
 * The datasets folder: `tracemint.export.out` when set (absolute, `~/…`, or relative to the
 * workspace folder), else `.tracemint/datasets` in the workspace folder; undefined when neither
 * gives an absolute path (no workspace folder).
 */
export function datasetsFolder(setting: string, workspaceFolder: string | undefined, home: string): string | undefined {
	const value = setting.trim();
	if (value === '~' || value.startsWith('~/') || value.startsWith('~\\')) {
		return path.join(home, value.slice(1));
	}
	if (value && path.isAbsolute(value)) {
		return value;
	}
	return workspaceFolder ? path.resolve(workspaceFolder, value || DEFAULT_DATASETS_DIR) : undefined;
}

export type ExportSettingValues = Pick<ExportSettings, 'trainOn' | 'maxTokensPerSample' | 'minRewardMargin' | 'parquet'> & {
	/** `tracemint.export.out` as written (see datasetsFolder). */
	out: string;
};

const TRAIN_ON: readonly TrainOn[] = ['all', 'final'];

/** The `tracemint.export.*` settings; only valid values are sent, so the core's defaults cover the rest. */
export function exportSettingsFrom(raw: RawSettings): ExportSettingValues {
	const values: ExportSettingValues = { out: '' };
	const out = raw.get('export.out');
	if (typeof out === 'string') values.out = out;
	const trainOn = raw.get('export.trainOn');
	if (TRAIN_ON.includes(trainOn as TrainOn)) values.trainOn = trainOn as TrainOn;
	const maxTokens = raw.get('export.maxTokensPerSample');
	if (typeof maxTokens === 'number' && Number.isInteger(maxTokens) && maxTokens >= 0) values.maxTokensPerSample = maxTokens;
	const margin = raw.get('export.minRewardMargin');
	if (typeof margin === 'number' && Number.isFinite(margin) && margin >= 0 && margin <= 1) values.minRewardMargin = margin;
	const parquet = raw.get('export.parquet');
	if (typeof parquet === 'boolean') values.parquet = parquet;
	return values;
}

export function isPresetName(value: unknown): value is PresetName {
	return PRESET_NAMES.includes(value as PresetName);
}

/** Formats from automation or from workspaceState; an unknown name is an error for the caller, not a silent skip. */
export function formatsFrom(value: unknown): FormatName[] | undefined {
	if (value === undefined) {
		return undefined;
	}
	const list = Array.isArray(value) ? value : [value];
	const unknown = list.filter((name) => typeof name !== 'string' || !isFormatName(name));
	if (unknown.length > 0) {
		throw new Error(`unknown dataset format ${unknown.map((name) => JSON.stringify(name)).join(', ')}`);
	}
	return [...new Set(list as FormatName[])];
}

/** What workspaceState remembered, if it is still valid (a format may have been renamed since). */
export function rememberedFormats(value: unknown): FormatName[] | undefined {
	const list = Array.isArray(value) ? value.filter((name): name is FormatName => typeof name === 'string' && isFormatName(name)) : [];
	return list.length > 0 ? list : undefined;
}

/** `412 / 1,900 sessions, 3,120 rows`. */
export function progressText(progress: ExportProgress): string {
	const rows = count(progress.rows, 'row');
	switch (progress.phase) {
		case 'sessions': return `${groupedNumber(progress.done)} / ${groupedNumber(progress.total)} sessions, ${rows}`;
		case 'pairs': return `preference pairs: ${groupedNumber(progress.done)} / ${groupedNumber(progress.total)}, ${rows}`;
		case 'finishing': return `writing the manifest and dataset card, ${rows}`;
	}
}

const SPLITS: readonly SplitName[] = ['train', 'validation', 'test', 'holdout'];

/** `Exported v3 of NAME: 120 samples (96 train, 12 validation, 12 test), 14 pairs, 2 formats.` */
export function exportSummary(report: ExportReport): string {
	const splits = SPLITS.filter((split) => split !== 'holdout' || (report.counts[split] ?? 0) > 0);
	const samples = sum(splits.map((split) => report.counts[split] ?? 0));
	const perSplit = splits.map((split) => `${groupedNumber(report.counts[split] ?? 0)} ${split}`).join(', ');
	const pairs = sum(Object.values(report.pairs));
	return `Exported v${report.version} of ${report.name}: ${count(samples, 'sample')} (${perSplit}), `
		+ `${count(pairs, 'pair')}, ${count(report.formats.length, 'format')}.`;
}

/** One line per format that wrote nothing, dropped samples or pairs, or had rows its validator rejected. */
export function formatWarnings(report: ExportReport): string[] {
	const warnings: string[] = [];
	for (const format of report.formats) {
		const rows = sum(Object.values(format.rows));
		const dropped = sum(Object.values(format.dropped));
		const invalid = sum(Object.values(format.invalid));
		const parts: string[] = [];
		if (dropped > 0) parts.push(`dropped ${groupedNumber(dropped)} (${reasons(format.dropped)})`);
		if (invalid > 0) parts.push(`${count(invalid, 'invalid row')} not written (${reasons(format.invalid)})`);
		if (rows === 0) {
			warnings.push(`${format.format} wrote nothing${parts.length > 0 ? `: ${parts.join('; ')}` : ''}`);
		} else if (parts.length > 0) {
			warnings.push(`${format.format} ${parts.join('; ')}`);
		}
	}
	return warnings;
}

/** `no tool support 3, too long 1`, most frequent first. */
function reasons(byReason: Record<string, number>): string {
	return Object.entries(byReason).filter(([, n]) => n > 0).sort(([, a], [, b]) => b - a)
		.map(([reason, n]) => `${reason} ${groupedNumber(n)}`).join(', ');
}

function count(n: number, noun: string): string {
	return `${groupedNumber(n)} ${noun}${n === 1 ? '' : 's'}`;
}


function sum(values: number[]): number {
	return values.reduce((total, value) => total + value, 0);
}
