/**
 * The pure parts of the editor's Export Dataset command, without an editor: the picker texts,
 * the default name and folder, the `tracemint.export.*` settings, and the progress and summary
 * text built from the core's report.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_DATASET_NAME, FORMAT_NAMES, type ExportReport, type FormatReport } from '../../shared/dataset';
import {
	datasetName, datasetsFolder, exportSettingsFrom, exportSummary, FORMAT_DESCRIPTIONS, formatsFrom,
	formatWarnings, PRESET_NAMES, presetDescriptions, progressText, rememberedFormats,
} from '../../client/src/commands/exportDatasetText';
import { REPO } from '../support/fixtures';

/** A configuration section that holds only `values`. */
function raw(values: Record<string, unknown>): { get<T>(key: string): T | undefined } {
	return { get: <T>(key: string) => values[key] as T | undefined };
}

function formatReport(format: FormatReport['format'], fields: Partial<FormatReport> = {}): FormatReport {
	return {
		format, files: [], rows: { train: 8, validation: 1, test: 1, holdout: 0 }, dropped: {}, fixed: {}, invalid: {}, ...fields,
	};
}

function report(fields: Partial<ExportReport> = {}): ExportReport {
	return {
		out: '/data/app/v3', name: 'app', version: 3,
		formats: [formatReport('openai_chat'), formatReport('trl_messages')],
		counts: { train: 1200, validation: 150, test: 150, holdout: 0 },
		sessions: { exported: 1500, skippedNotOptedIn: 12, skippedEmpty: 0, blocked: 1 },
		pairs: { repair: 10, rejection: 3, rollout: 1 },
		manifest: '/data/app/v3/manifest.json', card: '/data/app/v3/README.md',
		...fields,
	};
}

void describe('export picker texts', () => {
	void it('describes every format on one line', () => {
		assert.deepEqual(Object.keys(FORMAT_DESCRIPTIONS).sort(), [...FORMAT_NAMES].sort());
		for (const text of Object.values(FORMAT_DESCRIPTIONS)) {
			assert.ok(text.length > 0 && !text.includes('\n'), text);
		}
	});

	void it('takes the preset texts from the tracemint.gates.preset setting', () => {
		const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
			contributes: { configuration: { properties: Record<string, { enum: string[]; enumDescriptions: string[] }> } };
		};
		const setting = manifest.contributes.configuration.properties['tracemint.gates.preset'];
		const texts = presetDescriptions(manifest);
		assert.deepEqual(Object.keys(texts).sort(), [...PRESET_NAMES].sort());
		for (const name of PRESET_NAMES) {
			assert.equal(texts[name], setting.enumDescriptions[setting.enum.indexOf(name)]);
		}
		assert.deepEqual(presetDescriptions(undefined), {});
		assert.deepEqual(presetDescriptions({ contributes: { configuration: { properties: { 'tracemint.gates.preset': { enum: ['loose'], enumDescriptions: ['x'] } } } } }), {});
	});
});

void describe('dataset name and folder', () => {
	void it('names the dataset after the workspace folder as it reads (the server makes it safe)', () => {
		assert.equal(datasetName('spotter'), 'spotter');
		assert.equal(datasetName('My Project (old)'), 'My Project (old)');
		assert.equal(datasetName('café_v2.1'), 'café_v2.1');
		assert.equal(datasetName('数据'), '数据');
		assert.equal(datasetName('.hidden'), '.hidden');
		assert.equal(datasetName('..'), DEFAULT_DATASET_NAME);
		assert.equal(datasetName('-_-'), DEFAULT_DATASET_NAME);
		assert.equal(datasetName(''), DEFAULT_DATASET_NAME);
	});

	void it('puts datasets in the workspace folder unless tracemint.export.out says otherwise', () => {
		const folder = path.resolve('/work/app');
		const home = path.resolve('/home/me');
		assert.equal(datasetsFolder('', folder, home), path.join(folder, '.tracemint', 'datasets'));
		assert.equal(datasetsFolder('  ', folder, home), path.join(folder, '.tracemint', 'datasets'));
		assert.equal(datasetsFolder('data/sets', folder, home), path.join(folder, 'data', 'sets'));
		assert.equal(datasetsFolder(path.resolve('/srv/datasets'), folder, home), path.resolve('/srv/datasets'));
		assert.equal(datasetsFolder('~/datasets', folder, home), path.join(home, 'datasets'));
		assert.equal(datasetsFolder('~', undefined, home), home);
		assert.equal(datasetsFolder('', undefined, home), undefined, 'no folder: the command asks');
		assert.equal(datasetsFolder('data', undefined, home), undefined);
	});
});

void describe('tracemint.export.* settings', () => {
	void it('keeps the valid values only, so the core defaults the rest', () => {
		assert.deepEqual(exportSettingsFrom(raw({})), { out: '' });
		assert.deepEqual(
			exportSettingsFrom(raw({ 'export.out': 'sets', 'export.trainOn': 'final', 'export.maxTokensPerSample': 8192, 'export.minRewardMargin': 0.2, 'export.parquet': true })),
			{ out: 'sets', trainOn: 'final', maxTokensPerSample: 8192, minRewardMargin: 0.2, parquet: true },
		);
		assert.deepEqual(
			exportSettingsFrom(raw({ 'export.out': 3, 'export.trainOn': 'some', 'export.maxTokensPerSample': -1, 'export.minRewardMargin': 2, 'export.parquet': 'yes' })),
			{ out: '' },
		);
		assert.deepEqual(exportSettingsFrom(raw({ 'export.maxTokensPerSample': 0 })), { out: '', maxTokensPerSample: 0 });
		assert.deepEqual(exportSettingsFrom(raw({ 'export.maxTokensPerSample': 1.5 })), { out: '' });
	});

	void it('checks formats from automation and what workspaceState remembered', () => {
		assert.equal(formatsFrom(undefined), undefined);
		assert.deepEqual(formatsFrom('trl_messages'), ['trl_messages']);
		assert.deepEqual(formatsFrom(['openai_chat', 'trl_kto', 'openai_chat']), ['openai_chat', 'trl_kto']);
		assert.throws(() => formatsFrom(['openai_chat', 'jsonl']), /unknown dataset format "jsonl"/);
		assert.deepEqual(rememberedFormats(['sharegpt', 'gone', 4]), ['sharegpt']);
		assert.equal(rememberedFormats(['gone']), undefined);
		assert.equal(rememberedFormats('openai_chat'), undefined);
	});
});

void describe('export progress and summary', () => {
	void it('counts sessions and rows with grouped digits', () => {
		assert.equal(progressText({ phase: 'sessions', done: 412, total: 1900, rows: 3120 }), '412 / 1,900 sessions, 3,120 rows');
		assert.equal(progressText({ phase: 'sessions', done: 1, total: 1, rows: 1 }), '1 / 1 sessions, 1 row');
		assert.equal(progressText({ phase: 'pairs', done: 3, total: 7, rows: 0 }), 'preference pairs: 3 / 7, 0 rows');
		assert.match(progressText({ phase: 'finishing', done: 5, total: 5, rows: 12 }), /12 rows$/);
	});

	void it('sums samples per split, pairs and formats', () => {
		assert.equal(exportSummary(report()), 'Exported v3 of app: 1,500 samples (1,200 train, 150 validation, 150 test), 14 pairs, 2 formats.');
		assert.equal(
			exportSummary(report({ version: 1, counts: { train: 1, validation: 0, test: 0, holdout: 2 }, pairs: { repair: 1, rejection: 0, rollout: 0 }, formats: [formatReport('openai_chat')] })),
			'Exported v1 of app: 3 samples (1 train, 0 validation, 0 test, 2 holdout), 1 pair, 1 format.',
		);
	});

	void it('warns about formats that wrote nothing, dropped samples or had invalid rows', () => {
		assert.deepEqual(formatWarnings(report()), []);
		const warnings = formatWarnings(report({
			formats: [
				formatReport('openai_chat', { fixed: { 'merged turns': 4 } }),
				formatReport('alpaca', { dropped: { 'has tool calls': 30, 'no final answer': 2 } }),
				formatReport('trl_preference', { rows: { train: 0, validation: 0, test: 0, holdout: 0 } }),
				formatReport('sharegpt', { invalid: { 'empty turn': 1 } }),
				formatReport('trl_kto', { rows: { train: 0, validation: 0, test: 0, holdout: 0 }, dropped: { 'no pairs': 1 } }),
			],
		}));
		assert.deepEqual(warnings, [
			'alpaca dropped 32 (has tool calls 30, no final answer 2)',
			'trl_preference wrote nothing',
			'sharegpt 1 invalid row not written (empty turn 1)',
			'trl_kto wrote nothing: dropped 1 (no pairs 1)',
		]);
	});
});
