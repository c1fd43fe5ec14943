/**
 * Export Dataset as automation runs it: `tracemint.exportDataset` with an options object, which
 * skips every prompt. Runs after tracemint.test.ts, which leaves one session (phoenix) opted in;
 * the fixtures score below every preset's reward floor, so each test lowers it to 0 for the
 * workspace. Versions go to the default datasets folder of the (fresh) e2e workspace.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExportProgress, ExportReport, FormatName } from '../../../shared/dataset';
import { datasetName } from '../../../client/src/commands/exportDatasetText';
import { tracemintConfig } from './helpers';
import type { TestCase } from './index';

const FORMATS: FormatName[] = ['openai_chat', 'trl_messages'];

export function exportDatasetTests(): TestCase[] {
	const folder = (): vscode.WorkspaceFolder => {
		const first = vscode.workspace.workspaceFolders?.[0];
		assert.ok(first, 'the e2e workspace folder is open');
		return first;
	};
	const datasetRoot = (): string => path.join(folder().uri.fsPath, '.tracemint', 'datasets', datasetName(folder().name));
	const options = (extra: Record<string, unknown> = {}) => ({ folder: folder().uri, formats: FORMATS, preset: 'experimental', ...extra });

	return [
		{
			name: 'tracemint.exportDataset writes v1 of the workspace\'s dataset: card, manifest and every format\'s splits',
			async run() {
				const report = await withRewardFloor0(() => vscode.commands.executeCommand<ExportReport | undefined>('tracemint.exportDataset', options()));
				assert.ok(report, 'exportDataset returned no report');
				const v1 = path.join(datasetRoot(), 'v1');
				assert.equal(path.resolve(report.out), path.resolve(v1));
				assert.equal(report.version, 1);
				assert.equal(report.sessions.exported, 1, 'the one opted-in session');
				assert.equal(report.gates?.preset, 'experimental');
				assert.equal(path.resolve(report.card), path.join(v1, 'README.md'));
				assert.equal(path.resolve(report.manifest), path.join(v1, 'manifest.json'));
				assert.ok(fs.existsSync(report.card), 'the dataset card was written');
				const manifest = JSON.parse(fs.readFileSync(report.manifest, 'utf8')) as { name: string; version: number };
				assert.deepEqual({ name: manifest.name, version: manifest.version }, { name: report.name, version: 1 });
				assert.deepEqual(report.formats.map((format) => format.format).sort(), [...FORMATS].sort());
				for (const format of report.formats) {
					const written = Object.entries(format.rows).filter(([, rows]) => rows > 0);
					assert.ok(written.length > 0, `${format.format} wrote rows`);
					for (const [split, rows] of written) {
						const file = path.join(v1, format.format, `${split}.jsonl`);
						assert.ok(fs.existsSync(file), `${file} exists`);
						assert.equal(fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.length > 0).length, rows, `${file} lines`);
					}
				}
			},
		},
		{
			name: 'a second export of the same dataset is v2, and v1 stays',
			async run() {
				const report = await withRewardFloor0(() => vscode.commands.executeCommand<ExportReport | undefined>('tracemint.exportDataset', options()));
				assert.ok(report, 'exportDataset returned no report');
				assert.equal(report.version, 2);
				assert.equal(path.resolve(report.out), path.join(datasetRoot(), 'v2'));
				assert.ok(fs.existsSync(report.manifest));
				assert.ok(fs.existsSync(path.join(datasetRoot(), 'v1', 'manifest.json')), 'v1 is still there');
			},
		},
		{
			name: 'an export cancelled right away answers undefined and writes no v3',
			async run() {
				const source = new vscode.CancellationTokenSource();
				source.cancel();
				const report = await withRewardFloor0(() => vscode.commands.executeCommand<ExportReport | undefined>('tracemint.exportDataset', options({ token: source.token })));
				assert.equal(report, undefined);
				assert.deepEqual(versionsOf(datasetRoot()), ['v1', 'v2']);
			},
		},
		{
			name: 'an export cancelled from its progress leaves no partial version behind',
			async run() {
				const source = new vscode.CancellationTokenSource();
				const updates: ExportProgress[] = [];
				const onProgress = (progress: ExportProgress): void => {
					updates.push(progress);
					source.cancel();
				};
				const report = await withRewardFloor0(() => vscode.commands.executeCommand<ExportReport | undefined>('tracemint.exportDataset', options({ token: source.token, onProgress })));
				assert.ok(updates.length > 0, 'progress was reported');
				// The cancel races the server, which on these few sessions may finish first; either way
				// no staging folder or half-written version may stay behind.
				if (report === undefined) {
					assert.deepEqual(versionsOf(datasetRoot()), ['v1', 'v2']);
				} else {
					assert.equal(report.version, 3);
					assert.ok(fs.existsSync(report.manifest) && fs.existsSync(report.card), 'a finished v3 is whole');
					assert.deepEqual(versionsOf(datasetRoot()), ['v1', 'v2', 'v3']);
				}
			},
		},
	];
}

/** Every entry of the dataset folder (versions, and any staging folder a failed export left), sorted. */
function versionsOf(root: string): string[] {
	return fs.readdirSync(root).sort();
}

async function withRewardFloor0<T>(run: () => Thenable<T>): Promise<T> {
	await tracemintConfig().update('gates.rewardFloor', 0, vscode.ConfigurationTarget.Workspace);
	try {
		return await run();
	} finally {
		await tracemintConfig().update('gates.rewardFloor', undefined, vscode.ConfigurationTarget.Workspace);
		// The export summary has buttons, so its toast stays on screen and would cover the next tests' webviews.
		await vscode.commands.executeCommand('notifications.clearAll');
	}
}
