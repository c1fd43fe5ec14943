// Real loading: Hugging Face `datasets` reads every config of an export on the first try, and TRL's
// SFT, DPO and KTO trainers take a few steps on a tiny local model (CPU). Needs Python 3.10+ and
// the packages of test/python/requirements.txt, installed once into .cache/python by
// test/python/setup.sh; where they cannot be installed the tests skip, they never fail for it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { FORMAT_NAMES } from '../../shared/dataset';
import { Tracemint } from '../../server/src/core/tracemint';
import { problemLines, validateDatasetFolder } from '../support/datasetRules';
import { FIXTURES, OPEN_GATES, noHome, tempDir } from '../support/fixtures';
import { PYTHON_SCRIPTS, pythonWithTinyModel, type PythonEnv } from '../support/pythonEnv';
import { writeSampleVersion } from '../support/sampleDataset';

const STEPS = 2;

interface ConfigResult { config: string; ok: boolean; rows: Record<string, number> | null; trainer: string | null; steps?: number; losses?: number[]; error?: string }

function usable(t: TestContext): PythonEnv | undefined {
	const env = pythonWithTinyModel();
	if ('skip' in env) {
		t.skip(env.skip);
		return undefined;
	}
	return env;
}

function checkDataset(env: PythonEnv, versionDir: string, extra: string[] = []): { status: number | null; results: ConfigResult[]; stderr: string } {
	const run = spawnSync(env.python, [path.join(PYTHON_SCRIPTS, 'check_dataset.py'), versionDir, env.model, '--steps', String(STEPS), ...extra], {
		encoding: 'utf8', env: env.env, timeout: 10 * 60_000, maxBuffer: 64 * 1024 * 1024,
	});
	const results = run.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as ConfigResult);
	return { status: run.status, results, stderr: run.stderr };
}

function assertAllTrained(t: TestContext, run: ReturnType<typeof checkDataset>, configs: string[]): void {
	for (const result of run.results) {
		t.diagnostic(JSON.stringify(result));
	}
	assert.deepEqual(run.results.map((r) => r.config), configs);
	const failed = run.results.filter((r) => !r.ok);
	assert.deepEqual(failed, [], run.stderr.split('\n').slice(-30).join('\n'));
	assert.equal(run.status, 0);
	for (const result of run.results.filter((r) => r.trainer)) {
		assert.equal(result.steps, STEPS, result.config);
		assert.ok(result.losses!.length === STEPS && result.losses!.every(Number.isFinite), `${result.config}: ${JSON.stringify(result.losses)}`);
	}
}

void describe('Python loaders and trainers', () => {
	void it('load every format of the hand-written sample and train SFT, DPO and KTO on it', (t) => {
		const env = usable(t);
		if (!env) {
			return;
		}
		const dir = writeSampleVersion(tempDir());
		assert.deepEqual(problemLines(validateDatasetFolder(dir)), []);
		const run = checkDataset(env, dir);
		assertAllTrained(t, run, [...FORMAT_NAMES]);
		assert.deepEqual(run.results.filter((r) => r.trainer).map((r) => `${r.config}:${r.trainer}`), [
			'trl_messages:SFTTrainer', 'trl_prompt_completion:SFTTrainer', 'trl_preference:DPOTrainer', 'trl_kto:KTOTrainer',
		]);
	});

	void it('load a Tracemint export of the fixtures on the first try and train on it', async (t) => {
		const env = usable(t);
		if (!env) {
			return;
		}
		const dir = tempDir();
		const core = Tracemint.open(path.join(dir, 'store.sqlite'), noHome);
		try {
			core.importSessions({ paths: [FIXTURES] });
			core.setConsent(core.listSessions().map((s) => s.id), true, 'test');
			const report = await core.exportDataset({
				out: path.join(dir, 'datasets'), name: 'fixtures', formats: [...FORMAT_NAMES], parquet: true,
				trainOn: 'final', maxTokensPerSample: 2048, ...OPEN_GATES,
			});
			const folder = validateDatasetFolder(report.out);
			assert.deepEqual(problemLines(folder), []);
			assertAllTrained(t, checkDataset(env, report.out), Object.keys(folder.configs));
		} finally {
			core.close();
		}
	});

	void it('fail a version whose card counts no longer match its files', (t) => {
		const env = usable(t);
		if (!env) {
			return;
		}
		const dir = writeSampleVersion(tempDir());
		fs.appendFileSync(path.join(dir, 'alpaca', 'train.jsonl'), `${JSON.stringify({ instruction: 'q', input: '', output: 'a', system: '', history: [] })}\n`);
		const run = checkDataset(env, dir, ['--only', 'alpaca']);
		assert.equal(run.status, 1);
		// datasets itself checks num_examples against dataset_info: the load fails before any count of ours.
		assert.match(run.results[0]?.error ?? '', /^load_dataset: NonMatchingSplitsSizesError/);
	});
});
