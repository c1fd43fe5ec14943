/**
 * The editor side of training without an editor: the `tracemint.train.*` settings and the config
 * object they make, the texts of the tree, progress and questions, the loss chart's geometry, and
 * the LSP handler module driven against a real store and a real OpenSSH server on 127.0.0.1
 * (test/support/sshd.ts): the unknown-host question with its fingerprint, trusting it, a changed
 * key, config errors, and a dry run launched, followed (log redacted), fetched and listed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { TrainLog, TrainMetrics, TrainState } from '../../shared/protocol';
import { datasetLabel, formatLoss, modelName, type PreflightReportDto, type TrainChecked, type TrainConfigDto, type TrainProblem, type TrainRunInfo } from '../../shared/training';
import {
	hasExplicitTrainSettings, settingOfField, TRAIN_CONFIG_FILES, TRAIN_SETTINGS, trainConfigFile, trainSettingsObject, trainYamlTemplate,
} from '../../client/src/training/trainSettings';
import {
	changedHostText, configProblemText, configSummary, hasAdapterToFetch, notReadyText, orderRuns, progressIncrement,
	progressMessage, runContextValue, runDescription, runEndText, runLabel, runTooltipLines, startQuestion, unknownHostQuestion,
} from '../../client/src/training/trainingText';
import { formatDate } from '../../client/src/text';
import { openDatabase, type Db } from '../../server/src/core/store/db';
import { CONFIG_FILES, parseTrainConfig } from '../../server/src/core/train/config';
import { hostKeyFromKnownHosts, probeHostKey, sha256Fingerprint } from '../../server/src/core/train/hostKey';
import { parseYamlSubset } from '../../server/src/core/train/yamlSubset';
import { configErrorFields, LineBuffer, plannedSteps, TrainingHandlers, workspaceOfRun } from '../../server/src/lsp/trainingHandlers';
import { chartModel, linearScale, linePath, lossSeries, niceTicks, thin, throughput, tickLabel, tickStep } from '../../webview/src/training/chart';
import { REPO, tempDir } from '../support/fixtures';
import { fakeValues } from '../support/fakeValues';
import { serverOrSkip, startSshd, writeTrainDataset, type TestSshd } from '../support/sshd';
import { STAND_IN, writeStandInTrainer } from '../support/standInTrainer';

interface Manifest {
	contributes: {
		configuration: { properties: Record<string, { default?: unknown; markdownDescription?: string; scope?: string }> };
		commands: { command: string }[];
		views: Record<string, { id: string }[]>;
		menus: Record<string, { command: string; when?: string }[]>;
	};
}

const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as Manifest;
const trainProperties = Object.entries(manifest.contributes.configuration.properties).filter(([key]) => key.startsWith('tracemint.train.'));

/** A configuration holding only `values` (keys relative to tracemint.train). */
function explicit(values: Record<string, unknown>): (key: string) => unknown {
	return (key) => values[key];
}

const WS = path.resolve('/work/app');
const HOME = path.resolve('/home/me');
const context = { workspaceFolder: WS, folderName: 'app', exportOut: '', home: HOME };

void describe('tracemint.train settings', () => {
	void it('contributes one setting per TRAIN_SETTINGS key, each documented, per folder, none a credential', () => {
		assert.deepEqual(trainProperties.map(([key]) => key).sort(), TRAIN_SETTINGS.map((s) => `tracemint.train.${s.key}`).sort());
		for (const [key, setting] of trainProperties) {
			assert.ok((setting.markdownDescription ?? '').length > 20, `${key} is documented`);
			assert.equal(setting.scope, 'resource', key);
			assert.doesNotMatch(key, /password|passphrase|token|secret|identity|privatekey|knownhosts/i);
		}
		assert.match(manifest.contributes.configuration.properties['tracemint.train.host'].markdownDescription!, /credentials stay in your SSH config and agent/);
	});

	void it('has the core\'s names and defaults: the contributed defaults make exactly the default config', () => {
		const defaults = Object.fromEntries(trainProperties.map(([key, setting]) => [key.slice('tracemint.train.'.length), setting.default]));
		const object = trainSettingsObject(explicit({ ...defaults, host: 'gpu', baseModel: 'm' }), context);
		// A strict schema: a name the core does not know would fail here.
		assert.deepEqual(parseTrainConfig(object), parseTrainConfig({ host: 'gpu', baseModel: 'm', dataset: { name: 'app' } }));
		assert.deepEqual(TRAIN_CONFIG_FILES, CONFIG_FILES);
	});

	void it('sends only what is set, nested as the config is, with the dataset Export Dataset writes', () => {
		const object = trainSettingsObject(explicit({
			host: ' gpu-box ', baseModel: 'Qwen/Qwen2.5-0.5B-Instruct', python: '', remoteDir: null, 'lora.r': 8, 'lora.targetModules': ['q_proj', 'v_proj'],
			'training.learningRate': 1e-4, 'training.loadIn4bit': false, 'dataset.version': '3', 'slurm.extraArgs': [], 'training.maxSteps': null,
		}), context);
		assert.deepEqual(object, {
			host: 'gpu-box', baseModel: 'Qwen/Qwen2.5-0.5B-Instruct',
			lora: { r: 8, targetModules: ['q_proj', 'v_proj'] },
			training: { learningRate: 1e-4, loadIn4bit: false },
			dataset: { version: 3, name: 'app' },
		});
		assert.deepEqual(trainSettingsObject(explicit({ 'lora.targetModules': ['all-linear'], 'dataset.name': 'other', 'dataset.version': 'latest' }), { ...context, exportOut: '~/sets' }), {
			lora: { targetModules: 'all-linear' },
			dataset: { name: 'other', version: 'latest', root: path.join(HOME, 'sets') },
		});
		assert.deepEqual(trainSettingsObject(explicit({}), { ...context, folderName: '..', exportOut: 'data' }), { dataset: { name: 'tracemint-dataset', root: path.join(WS, 'data') } });
		// Wrong types go on to the server, whose validation names the setting.
		assert.deepEqual(trainSettingsObject(explicit({ 'lora.r': 'big' }), context).lora, { r: 'big' });
		assert.equal(hasExplicitTrainSettings(explicit({})), false);
		assert.equal(hasExplicitTrainSettings(explicit({ host: '  ', 'slurm.extraArgs': [] })), false);
		assert.equal(hasExplicitTrainSettings(explicit({ 'training.epochs': 2 })), true);
	});

	void it('links a config error\'s field to its setting', () => {
		assert.equal(settingOfField('lora.r: Too small: expected number to be >=1'), 'tracemint.train.lora.r');
		assert.equal(settingOfField('host: Invalid input: expected string, received undefined'), 'tracemint.train.host');
		assert.equal(settingOfField('ssh.identityFile: Invalid input'), undefined);
		assert.equal(settingOfField('lora: Unrecognized key: "rank"'), undefined);
	});

	void it('writes a starting train.yaml the core reads, whatever the folder is called', () => {
		for (const name of ['app', '1 weird: name #x', 'it\'s "q"']) {
			const config = parseTrainConfig(parseYamlSubset(trainYamlTemplate(name)));
			assert.equal(config.dataset.name, name);
			assert.equal(config.host, 'gpu-box');
			assert.equal(config.python, 'create-venv');
			assert.equal(config.training.learningRate, 2e-4);
		}
		const existing = new Set([path.join(WS, '.tracemint', 'train.json')]);
		assert.deepEqual(trainConfigFile(WS, (f) => existing.has(f)), { file: path.join(WS, '.tracemint', 'train.json'), exists: true });
		assert.deepEqual(trainConfigFile(WS, () => false), { file: path.join(WS, '.tracemint', 'train.yaml'), exists: false });
	});
});

const CONFIG = parseTrainConfig({ host: 'gpu-box', baseModel: 'Qwen/Qwen2.5-0.5B-Instruct', dataset: { name: 'app' } }) as TrainConfigDto;

function runInfo(fields: Partial<TrainRunInfo> = {}): TrainRunInfo {
	return {
		id: '20260303-142233-9f3a', host: 'gpu-box', remoteDir: '/home/me/tracemint/runs/20260303-142233-9f3a', launcher: 'python', pid: 4242, jobId: null,
		state: 'running', config: CONFIG, datasetDir: path.join(WS, '.tracemint', 'datasets', 'app', 'v3'), datasetSha256: 'ab'.repeat(32), dryRun: false,
		localDir: path.join(WS, '.tracemint', 'runs', '20260303-142233-9f3a'), logOffset: 0, metricsOffset: 0, detail: null,
		createdAt: '2026-03-03T14:22:33.000Z', updatedAt: '2026-03-03T14:30:00.000Z', following: true, ...fields,
	};
}

function report(fields: Partial<PreflightReportDto> = {}): PreflightReportDto {
	return {
		host: 'gpu-box', ok: true, connected: true, dryRun: false, home: '/home/me', workDir: '/home/me/tracemint',
		gpus: [{ name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559 }, { name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559 }],
		packages: {}, tools: [], launcher: 'accelerate', processes: 2, problems: [], ...fields,
	};
}

void describe('training texts', () => {
	const started = formatDate('2026-03-03T14:22:33.000Z');

	void it('labels a run by model and dataset, describes it by state, host, start and last loss', () => {
		assert.equal(modelName('Qwen/Qwen2.5-0.5B-Instruct'), 'Qwen2.5-0.5B-Instruct');
		assert.equal(modelName('/models/llama-3/'), 'llama-3');
		assert.equal(datasetLabel(path.join(WS, '.tracemint', 'datasets', 'app', 'v3')), 'app v3');
		assert.equal(runLabel(runInfo()), 'Qwen2.5-0.5B-Instruct · app v3');
		assert.equal(runLabel(runInfo({ dryRun: true })), 'Qwen2.5-0.5B-Instruct · app v3 (dry run)');
		assert.equal(runDescription(runInfo()), `running · gpu-box · ${started}`);
		assert.equal(runDescription(runInfo({ lastMetric: { step: 12, loss: 0.812345 } })), `running · gpu-box · ${started} · loss 0.8123`);
		assert.equal(runContextValue(runInfo()), 'trainingRun.running');
		assert.equal(runContextValue(runInfo({ state: 'done', adapterDir: '/a' })), 'trainingRun.done.fetched');
		assert.equal(runContextValue(runInfo({ state: 'done', dryRun: true })), 'trainingRun.done.dryRun');
		assert.deepEqual(runTooltipLines(runInfo({ state: 'failed', detail: 'CUDA out of memory', lastMetric: { step: 3, loss: 1.5 }, plannedSteps: 10 })), [
			'Run 20260303-142233-9f3a: failed',
			'Host: gpu-box, /home/me/tracemint/runs/20260303-142233-9f3a',
			'Model: Qwen/Qwen2.5-0.5B-Instruct',
			'Dataset: app v3 (trl_messages)',
			`Started: ${started}`,
			'Last: step 3/10 · loss 1.5',
			'Why: CUDA out of memory',
		]);
		const ordered = orderRuns([runInfo({ id: 'a', state: 'done' }), runInfo({ id: 'b', state: 'running' }), runInfo({ id: 'c', state: 'failed' }), runInfo({ id: 'd', state: 'starting' })]);
		assert.deepEqual(ordered.map((r) => r.id), ['b', 'd', 'a', 'c']);
	});

	void it('reports progress as step/total, loss, eval loss, tokens/s and GPU memory', () => {
		assert.equal(progressMessage(undefined, 100), 'waiting for the first step…');
		assert.equal(progressMessage({ step: 120, loss: 1.23456, evalLoss: 1.3, tokensPerSecond: 1234.5, gpuMemoryGb: 7.25 }, 1000), 'step 120/1,000 · loss 1.235 · eval 1.3 · 1,235 tok/s · 7.3 GB');
		assert.equal(progressMessage({ step: 7, loss: 0.5 }, undefined), 'step 7 · loss 0.5');
		assert.equal(progressIncrement(0, 25, 100), 25);
		assert.equal(progressIncrement(90, 120, 100), 10, 'never past 100 %');
		assert.equal(progressIncrement(10, 10, 100), 0);
		assert.equal(progressIncrement(0, 10, undefined), 0);
		assert.deepEqual([formatLoss(1.23456), formatLoss(0.0812345), formatLoss(12.3456), formatLoss(0), formatLoss(0.00001234), formatLoss(Number.NaN)], ['1.235', '0.08123', '12.35', '0', '0.00001234', 'NaN']);
	});

	void it('summarises the config the same way for the question, the report and the run view', () => {
		assert.deepEqual(configSummary(CONFIG), [
			['Host', 'gpu-box, ~/tracemint'],
			['Base model', 'Qwen/Qwen2.5-0.5B-Instruct'],
			['Python', 'python3'],
			['Dataset', 'app, latest version, trl_messages'],
			['LoRA', 'r 16, alpha 32, dropout 0.05, all-linear'],
			['Schedule', '1 epoch, lr 0.0002 cosine, warm-up 0.03'],
			['Batch', '1 × 8 accumulated, 2048 tokens'],
			['Launcher', 'auto'],
		]);
		const custom = parseTrainConfig({ host: 'h', baseModel: 'm', lora: { targetModules: ['q_proj', 'v_proj'] }, training: { maxSteps: 50, loadIn4bit: true }, gpus: 2, dataset: { version: 4 } }) as TrainConfigDto;
		assert.deepEqual(configSummary(custom).slice(3), [
			['Dataset', 'tracemint-dataset, v4, trl_messages'],
			['LoRA', 'r 16, alpha 32, dropout 0.05, q_proj, v_proj'],
			['Schedule', '50 steps, lr 0.0002 cosine, warm-up 0.03'],
			['Batch', '1 × 8 accumulated, 2048 tokens, 4-bit base (QLoRA)'],
			['Launcher', 'auto, 2 GPUs'],
		]);
	});

	void it('asks before starting, with what runs where and the warnings left', () => {
		const checked: TrainChecked = {
			kind: 'report', text: '', config: CONFIG, configFile: null,
			dataset: { dir: '/d/app/v3', name: 'app', version: 3, format: 'trl_messages', trainRows: 1200 },
			report: report({ problems: [{ severity: 'warning', check: 'disk', message: '12.0 GiB free', fix: 'free space' }] }),
		};
		assert.deepEqual(startQuestion(checked, false), {
			message: 'Start LoRA training on gpu-box?',
			detail: [
				'Model: Qwen/Qwen2.5-0.5B-Instruct',
				'Dataset: app v3, trl_messages, 1,200 train rows',
				'Host: gpu-box (2 × NVIDIA H100 80GB HBM3), runs in /home/me/tracemint',
				'Launcher: accelerate with 2 processes',
				'',
				'! 12.0 GiB free (free space)',
				'',
				'The run goes on on the host when the editor closes; Tracemint follows it again when it reopens.',
			].join('\n'),
		});
		assert.equal(startQuestion({ ...checked, report: report({ gpus: [], launcher: 'python', processes: 1 }) }, true).message, 'Start a dry run on gpu-box?');
		assert.deepEqual(notReadyText(report({ ok: false, problems: [
			{ severity: 'error', check: 'gpu', message: 'no GPU on gpu-box', fix: 'install the NVIDIA driver' },
			{ severity: 'warning', check: 'disk', message: 'low disk', fix: 'free space' },
		] })), { message: 'gpu-box is not ready to train (1 problem).', detail: '✗ no GPU on gpu-box\n   Fix: install the NVIDIA driver' });
	});

	void it('asks about an unknown host key with its fingerprint, and offers nothing for a changed one', () => {
		const unknown: Extract<TrainProblem, { kind: 'unknownHostKey' }> = { kind: 'unknownHostKey', host: 'gpu-box', fingerprint: 'SHA256:abc', keyType: 'ssh-ed25519', message: 'not known' };
		assert.deepEqual(unknownHostQuestion(unknown), {
			message: 'The authenticity of host gpu-box can\'t be established. Trust its key and connect?',
			detail: [
				'ssh-ed25519 key fingerprint:', 'SHA256:abc', '',
				'Compare it with the fingerprint from the host\'s administrator, or run on the host:',
				'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub',
				'Trusting records the key in your known_hosts, as ssh does when you answer yes.',
			].join('\n'),
		});
		assert.match(unknownHostQuestion({ ...unknown, keyType: 'ecdsa-sha2-nistp256' })!.detail, /ssh_host_ecdsa_key\.pub/);
		assert.equal(unknownHostQuestion({ ...unknown, fingerprint: undefined }), undefined, 'no fingerprint, nothing to trust');
		const changed = changedHostText({ kind: 'changedHostKey', host: 'gpu-box', message: 'host key for gpu-box has CHANGED' });
		assert.equal(changed.message, 'WARNING: the host key of gpu-box has changed. Tracemint will not connect.');
		assert.match(changed.detail, /^host key for gpu-box has CHANGED\n\nCheck with the host's administrator .*ssh-keygen -R gpu-box/);
		assert.deepEqual(configProblemText({ kind: 'config', source: 's', message: 's is not a valid training config', fields: ['lora.r: Too small', 'host: Invalid input'] }), {
			message: 'Tracemint: s is not a valid training config', detail: 'lora.r: Too small\nhost: Invalid input',
		});
	});

	void it('says how a run ended and whether there is an adapter to download', () => {
		assert.deepEqual(runEndText(runInfo({ state: 'done', lastMetric: { loss: 0.4321 } })), { message: 'Tracemint: training run Qwen2.5-0.5B-Instruct · app v3 on gpu-box is done (loss 0.4321).', severity: 'info' });
		assert.deepEqual(runEndText(runInfo({ state: 'done', dryRun: true })), { message: 'Tracemint: dry run 20260303-142233-9f3a passed: the dataset and config work on gpu-box.', severity: 'info' });
		assert.deepEqual(runEndText(runInfo({ state: 'crashed', detail: 'ended with exit status 137' })), { message: 'Tracemint: training run Qwen2.5-0.5B-Instruct · app v3 on gpu-box crashed: ended with exit status 137', severity: 'error' });
		assert.equal(runEndText(runInfo({ state: 'cancelled' })).severity, 'warning');
		assert.equal(hasAdapterToFetch(runInfo({ state: 'done' })), true);
		assert.equal(hasAdapterToFetch(runInfo({ state: 'done', adapterDir: '/a' })), false);
		assert.equal(hasAdapterToFetch(runInfo({ state: 'done', dryRun: true })), false);
		assert.equal(hasAdapterToFetch(runInfo({ state: 'failed' })), false);
	});
});

void describe('loss chart', () => {
	const SIZE = { width: 200, height: 100, margin: { top: 0, right: 0, bottom: 0, left: 0 } };

	void it('builds train and eval series by step: latest value per step, missing steps numbered on, junk skipped', () => {
		assert.deepEqual(lossSeries([
			{ step: 1, loss: 2 }, { step: 2, loss: 1.5 }, { loss: 1.2 }, { step: 2, loss: 1.4, evalLoss: 1.6 }, { step: 5, loss: Number.NaN }, { step: 6, evalLoss: 1.1 },
		]), { loss: [[1, 2], [2, 1.4], [3, 1.2]], evalLoss: [[2, 1.6], [6, 1.1]] });
	});

	void it('picks ticks on 1, 2 and 5 times a power of ten that frame the data', () => {
		assert.equal(tickStep(0.5, 2, 5), 0.2);
		assert.deepEqual(niceTicks(0.5, 2, 5), [0.4, 0.6, 0.8, 1, 1.2, 1.4, 1.6, 1.8, 2]);
		assert.deepEqual(niceTicks(1, 100, 6), [0, 20, 40, 60, 80, 100]);
		assert.deepEqual(niceTicks(1.2, 3.7, 5), [1, 1.5, 2, 2.5, 3, 3.5, 4]);
		assert.deepEqual(niceTicks(0.8123, 0.8123), [0.7, 0.75, 0.8, 0.85, 0.9], 'one value: a band around it');
		assert.deepEqual(niceTicks(0, 0), [-1, -0.5, 0, 0.5, 1]);
		assert.deepEqual([tickLabel(0.4, 0.2), tickLabel(1, 0.2), tickLabel(1.25, 0.05), tickLabel(20, 10)], ['0.4', '1.0', '1.25', '20']);
	});

	void it('scales linearly and writes SVG path data with one decimal', () => {
		const x = linearScale(1, 3, 0, 200);
		const y = linearScale(0.4, 2, 100, 0);
		assert.deepEqual([x(1), x(2), x(3), y(0.4), y(2), y(0.5)], [0, 100, 200, 100, 0, 93.75]);
		assert.ok(Math.abs(y(1) - 62.5) < 1e-9);
		assert.equal(linearScale(5, 5, 0, 200)(5), 100);
		assert.equal(linePath([[1, 2], [2, 1], [3, 0.5]], x, y), 'M0,0L100,62.5L200,93.8');
		assert.equal(linePath([], x, y), '');
	});

	void it('lays out the chart: paths, last points and ticks in pixels', () => {
		const model = chartModel([{ step: 1, loss: 2 }, { step: 2, loss: 1 }, { step: 3, loss: 0.5, evalLoss: 1.5 }], SIZE);
		assert.equal(model.empty, false);
		assert.deepEqual(model.plot, { left: 0, top: 0, right: 200, bottom: 100 });
		assert.deepEqual(model.lines, [
			{ name: 'loss', path: 'M0,0L100,62.5L200,93.8', points: 3, last: { x: 200, y: 93.8, value: 0.5, step: 3 } },
			{ name: 'evalLoss', path: 'M200,31.3', points: 1, last: { x: 200, y: 31.3, value: 1.5, step: 3 } },
		]);
		assert.deepEqual(model.xTicks, [{ value: 1, label: '1', at: 0 }, { value: 2, label: '2', at: 100 }, { value: 3, label: '3', at: 200 }]);
		assert.deepEqual(model.yTicks.map((t) => [t.label, t.at]), [['0.4', 100], ['0.6', 87.5], ['0.8', 75], ['1.0', 62.5], ['1.2', 50], ['1.4', 37.5], ['1.6', 25], ['1.8', 12.5], ['2.0', 0]]);
		const single = chartModel([{ step: 5, loss: 1 }], SIZE);
		assert.deepEqual(single.lines[0], { name: 'loss', path: 'M100,50', points: 1, last: { x: 100, y: 50, value: 1, step: 5 } });
		assert.deepEqual(single.xTicks, [{ value: 5, label: '5', at: 100 }]);
		assert.deepEqual(chartModel([{ step: 1, tokensPerSecond: 10 }], SIZE), { width: 200, height: 100, plot: { left: 0, top: 0, right: 200, bottom: 100 }, xTicks: [], yTicks: [], lines: [], empty: true });
	});

	void it('thins long runs before drawing, keeping the ends, and sums up throughput', () => {
		const points = Array.from({ length: 10_001 }, (_, i) => [i + 1, 1 / (i + 1)] as const);
		const few = thin(points, 5);
		assert.deepEqual(few.map(([step]) => step), [1, 2501, 5001, 7501, 10001]);
		assert.equal(thin(points.slice(0, 3), 5).length, 3);
		const long = chartModel(points.map(([step, loss]) => ({ step, loss })), SIZE);
		assert.equal(long.lines[0].points, 10_001);
		assert.equal(long.lines[0].path.split('L').length, 1500);
		assert.deepEqual(throughput([{ step: 1, tokensPerSecond: 100, gpuMemoryGb: 7 }, { step: 2, tokensPerSecond: 200, gpuMemoryGb: 7.5 }, { step: 3 }]), {
			latestTokensPerSecond: 200, meanTokensPerSecond: 150, peakGpuMemoryGb: 7.5, lastStep: 3,
		});
		assert.deepEqual(throughput([]), { latestTokensPerSecond: undefined, meanTokensPerSecond: undefined, peakGpuMemoryGb: undefined, lastStep: undefined });
	});
});

void describe('training handlers: pure parts', () => {
	void it('turns zod\'s error into one line per field', () => {
		const message = 'tracemint.train settings: \n✖ Invalid input: expected string, received undefined\n  → at host\n✖ Unrecognized key: "rank"\n  → at lora\n✖ Too small: expected number to be >=1\n  → at lora.r';
		assert.deepEqual(configErrorFields(message), ['host: Invalid input: expected string, received undefined', 'lora: Unrecognized key: "rank"', 'lora.r: Too small: expected number to be >=1']);
		assert.deepEqual(configErrorFields('x: no training config: write .tracemint/train.yaml'), []);
	});

	void it('plans steps as the trainer does, and not for several processes', () => {
		const training = parseTrainConfig({ host: 'h', baseModel: 'm', training: { batchSize: 2, gradAccum: 4, epochs: 3 } }).training;
		// ceil(ceil(100 / 2) / 4) = 13 per epoch, 39 in all.
		assert.equal(plannedSteps(100, training, 'python'), 39);
		assert.equal(plannedSteps(100, { ...training, epochs: 0.5 }, 'python'), 7);
		assert.equal(plannedSteps(1, training, 'python'), 3);
		assert.equal(plannedSteps(100, training, 'accelerate'), undefined);
		assert.equal(plannedSteps(100, { ...training, maxSteps: 20 }, 'accelerate'), 20);
	});

	void it('holds back an unfinished log line so a secret is never split across two redacted pieces', () => {
		const lines = new LineBuffer();
		assert.equal(lines.push('step 1\nto'), 'step 1\n');
		assert.equal(lines.push('ken gh'), '');
		assert.equal(lines.push('p_x\nnext'), 'token ghp_x\n');
		assert.equal(lines.flush(), 'next');
		assert.equal(lines.flush(), '');
		assert.equal(lines.push('x'.repeat(70_000)).length, 70_000, 'a very long line is not held forever');
		assert.equal(workspaceOfRun(path.join(WS, '.tracemint', 'runs', 'r1')), WS);
	});

	void it('fingerprints a host key as ssh-keygen does', (t) => {
		const dir = tempDir();
		const key = path.join(dir, 'key');
		if (spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]).status !== 0) {
			t.skip('no ssh-keygen');
			return;
		}
		const expected = spawnSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${key}.pub`], { encoding: 'utf8' }).stdout.split(' ')[1];
		const [type, blob] = fs.readFileSync(`${key}.pub`, 'utf8').split(' ');
		assert.equal(sha256Fingerprint(blob), expected);
		assert.deepEqual(hostKeyFromKnownHosts(`# comment\n@revoked * ${type} ${blob}\n[127.0.0.1]:2222 ${type} ${blob}\n`), { keyType: 'ssh-ed25519', fingerprint: expected });
		assert.equal(hostKeyFromKnownHosts('garbage\n'), undefined);
	});
});

void describe('training handlers over a real ssh connection', () => {
	let sshd: TestSshd | string = 'not started';
	let workspace = '';
	let db: Db;
	const handlers: TrainingHandlers[] = [];
	const token = fakeValues(11).githubPat();

	before(async () => {
		sshd = await startSshd();
		workspace = tempDir('tracemint-train-editor-');
		db = openDatabase(path.join(workspace, 'store.sqlite'));
		writeTrainDataset(workspace, 'app', 2);
	});

	after(async () => {
		await Promise.all(handlers.map((h) => h.close()));
		db?.close();
		if (typeof sshd !== 'string') sshd.stop();
	});

	const server = (t: TestContext) => serverOrSkip(sshd, t);

	interface Sent { log: TrainLog.Params[]; metrics: TrainMetrics.Params[]; state: TrainState.Params[] }

	function handler(trainerDir?: string): { h: TrainingHandlers; sent: Sent } {
		const sent: Sent = { log: [], metrics: [], state: [] };
		const h = new TrainingHandlers({
			db: () => db, trainerDir, followIntervalMs: 150, retryDelaysMs: [100],
			notify: { log: (p) => sent.log.push(p), metrics: (p) => sent.metrics.push(p), state: (p) => sent.state.push(p) },
		});
		handlers.push(h);
		return { h, sent };
	}

	/** The settings object the editor would send, with a known_hosts file of the test's choosing. */
	function settings(s: TestSshd, knownHostsFile?: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
		return {
			host: 'tracemint-test', remoteDir: path.join(s.dir, 'editor-remote'), baseModel: STAND_IN.adapter, dataset: { name: 'app' },
			ssh: { configFile: s.target.configFile, ...(knownHostsFile ? { knownHostsFile } : {}) }, minFreeDiskGb: 0, ...extra,
		};
	}

	void it('reads the key a host presents without recording it', async (t) => {
		const s = server(t);
		if (!s) return;
		const key = await probeHostKey({ ...s.target, knownHostsFile: path.join(s.dir, 'never-written') });
		assert.deepEqual(key, { keyType: 'ssh-ed25519', fingerprint: s.fingerprint });
		assert.equal(fs.existsSync(path.join(s.dir, 'never-written')), false);
		await assert.rejects(probeHostKey({ host: '127.0.0.1:1', connectTimeoutSeconds: 2 }), /cannot read the host key of 127\.0\.0\.1:1/);
	});

	void it('answers an unknown host key with its fingerprint, records it only when trusted with that fingerprint', async (t) => {
		const s = server(t);
		if (!s) return;
		const { h } = handler();
		const knownHosts = path.join(s.dir, 'editor_known_hosts');
		fs.writeFileSync(knownHosts, '');
		const params = { workspace, settings: settings(s, knownHosts), dryRun: true };

		const first = await h.preflight(params);
		assert.deepEqual(first, {
			kind: 'unknownHostKey', host: 'tracemint-test', fingerprint: s.fingerprint, keyType: 'ssh-ed25519',
			message: 'host key for tracemint-test is not known: run `ssh tracemint-test` once to check and accept it',
		});
		assert.equal(fs.readFileSync(knownHosts, 'utf8'), '', 'asking recorded nothing');

		const wrong = await h.preflight({ ...params, acceptNewHostKey: true, expectedFingerprint: 'SHA256:somethingElse' });
		assert.equal(wrong.kind, 'changedHostKey');
		assert.match((wrong as { message: string }).message, new RegExp(`now presents the ssh-ed25519 key ${s.fingerprint.replace(/[+/]/g, '\\$&')}, not SHA256:somethingElse that you trusted; nothing was recorded`));
		assert.equal(fs.readFileSync(knownHosts, 'utf8'), '');

		assert.equal((await h.preflight({ ...params, acceptNewHostKey: true })).kind, 'unknownHostKey', 'accepting needs the fingerprint the user saw');
		const trusted = await h.preflight({ ...params, acceptNewHostKey: true, expectedFingerprint: s.fingerprint });
		assert.equal(trusted.kind, 'report');
		assert.equal((trusted as TrainChecked).report.ok, true, (trusted as TrainChecked).text);
		assert.equal(hostKeyFromKnownHosts(fs.readFileSync(knownHosts, 'utf8'))?.fingerprint, s.fingerprint, 'the trusted key is recorded');
		assert.equal((await h.preflight(params)).kind, 'report', 'and known from then on');
	});

	void it('refuses a changed host key with no way on, and names bad config fields', async (t) => {
		const s = server(t);
		if (!s) return;
		const { h } = handler();
		const other = path.join(s.dir, 'editor_other_key');
		spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
		const changed = path.join(s.dir, 'editor_changed_known_hosts');
		fs.writeFileSync(changed, `${s.knownHostsLine.split(' ')[0]} ${fs.readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
		const result = await h.preflight({ workspace, settings: settings(s, changed), dryRun: true });
		assert.equal(result.kind, 'changedHostKey');
		assert.match((result as { message: string }).message, /has CHANGED/);
		// Trusting does not get past a changed key either: accept-new only records keys never seen.
		assert.equal((await h.preflight({ workspace, settings: settings(s, changed), acceptNewHostKey: true, expectedFingerprint: s.fingerprint })).kind, 'changedHostKey');

		const bad = await h.preflight({ workspace, settings: { ...settings(s), lora: { r: 0, rank: 4 }, host: undefined } });
		assert.deepEqual(bad, {
			kind: 'config', source: 'tracemint.train settings', message: 'tracemint.train settings is not a valid training config',
			fields: ['host: Invalid input: expected string, received undefined', 'lora: Unrecognized key: "rank"', 'lora.r: Too small: expected number to be >=1'],
		});
		const noData = await h.preflight({ workspace, settings: settings(s, undefined, { dataset: { name: 'missing' } }) });
		assert.equal(noData.kind, 'config');
		assert.match((noData as { message: string }).message, /^dataset: no versions of "missing"/);
		assert.equal((await h.preflight({ workspace: 'relative/path', settings: settings(s) })).kind, 'config');
	});

	void it('launches a dry run, streams its log (redacted) and metrics to done, downloads the adapter and lists the run', async (t) => {
		const s = server(t);
		if (!s) return;
		const { h, sent } = handler(writeStandInTrainer(path.join(tempDir(), 'trainer')));
		// The stand-in prints the model name into the log: a token there must not reach the editor.
		const params = { workspace, settings: settings(s, undefined, { baseModel: `${STAND_IN.adapter} ${token}` }), dryRun: true };
		const checked = await h.preflight(params);
		assert.equal(checked.kind, 'report');
		assert.deepEqual((checked as TrainChecked).dataset, { dir: path.join(workspace, '.tracemint', 'datasets', 'app', 'v2'), name: 'app', version: 2, format: 'trl_messages', trainRows: 3 });
		assert.match((checked as TrainChecked).text, /^Preflight of tracemint-test \(dry run\): ready/);

		const launched = await h.launch(params);
		assert.equal(launched.kind, 'launched', JSON.stringify(launched));
		const run = (launched as { run: TrainRunInfo }).run;
		assert.equal(run.following, false);
		assert.equal(run.plannedSteps, 1, 'ceil(ceil(3 / 1) / 8) = 1 step');
		assert.equal(run.localDir, path.join(workspace, '.tracemint', 'runs', run.id));

		const followed = h.follow({ run: run.id, from: 'start' });
		assert.equal(followed.following, true);
		assert.equal(h.follow({ run: run.id }).following, true, 'following twice changes nothing');
		const end = await waitFor(() => sent.state.find((p) => p.run.id === run.id && !p.run.following));
		assert.equal(end.run.state, 'done', end.run.detail ?? '');
		const log = sent.log.map((p) => p.text).join('');
		assert.match(log, /\[stand-in\] 3 train rows, model stand-in\/adapter \[REDACTED:github-pat#1\]/);
		assert.ok(!log.includes(token), 'the token never left the server');
		assert.ok(sent.log.every((p) => p.run === run.id && p.text.endsWith('\n')), 'whole lines only');
		assert.deepEqual(sent.metrics.flatMap((p) => p.metrics.map((m) => m.loss)), [2, 1, 2 / 3]);
		assert.deepEqual(sent.metrics[0].metrics[0], { step: 1, loss: 2, evalLoss: 2.1, tokensPerSecond: 1234.5, gpuMemoryGb: 1.5 }, 'no raw line');
		assert.deepEqual(end.run.lastMetric, { step: 3, loss: 2 / 3, evalLoss: 2 / 3 + 0.1, tokensPerSecond: 1234.5, gpuMemoryGb: 1.5 });

		const fetched = await h.fetch({ run: run.id });
		assert.equal(fetched.adapterDir, path.join(run.localDir, 'adapter'));
		assert.equal(fetched.run.adapterDir, fetched.adapterDir);
		assert.ok(fs.existsSync(path.join(fetched.adapterDir, 'adapter_model.safetensors')));

		// A fresh handler (an editor restart): the run is listed from the store, its last loss from the downloaded metrics.
		const { h: again } = handler();
		const listed = await again.runs({ workspaces: [workspace], refresh: true });
		const mine = listed.find((r) => r.id === run.id)!;
		assert.deepEqual([mine.state, mine.following, mine.adapterDir, mine.lastMetric?.loss], ['done', false, fetched.adapterDir, 2 / 3]);
		assert.deepEqual(await again.runs({ workspaces: [tempDir()] }), [], 'runs of other folders are not listed');
		assert.deepEqual(await again.cancel({ run: run.id }), { run: mine, outcome: 'already done' });
		assert.throws(() => again.follow({ run: 'no-such-run' }), /no training run "no-such-run"/);
	});

	void it('reattaches to a running run from the last offset, and cancels it', async (t) => {
		const s = server(t);
		if (!s) return;
		const trainerDir = writeStandInTrainer(path.join(tempDir(), 'trainer'));
		const { h: first, sent: seen } = handler(trainerDir);
		const launched = await first.launch({ workspace, settings: settings(s, undefined, { baseModel: STAND_IN.sleep }), dryRun: true });
		assert.equal(launched.kind, 'launched', JSON.stringify(launched));
		const run = (launched as { run: TrainRunInfo }).run;
		first.follow({ run: run.id, from: 'start' });
		await waitFor(() => seen.metrics.length > 0 ? true : undefined);
		first.unfollow({ run: run.id });
		await first.close();
		const delivered = seen.metrics.flatMap((p) => p.metrics.map((m) => m.step));

		const { h: second, sent } = handler(trainerDir);
		const listed = await second.runs({ workspaces: [workspace], refresh: true });
		assert.equal(listed.find((r) => r.id === run.id)?.state, 'running');
		second.follow({ run: run.id, from: 'last' });
		await waitFor(() => sent.metrics.length > 0 ? true : undefined);
		const resumed = sent.metrics.flatMap((p) => p.metrics.map((m) => m.step!));
		assert.ok(resumed[0] > delivered.at(-1)!, `went on after step ${delivered.at(-1)}, not from the start (${resumed[0]})`);
		const { outcome, run: cancelled } = await second.cancel({ run: run.id, graceSeconds: 5 });
		assert.equal(outcome, 'terminated');
		assert.equal(cancelled.state, 'cancelled');
		const end = await waitFor(() => sent.state.find((p) => !p.run.following));
		assert.equal(end.run.state, 'cancelled');
	});
});


async function waitFor<T>(find: () => T | undefined, timeoutMs = 30_000): Promise<T> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const found = find();
		if (found !== undefined) return found;
		if (Date.now() > until) throw new Error('timed out waiting');
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}
