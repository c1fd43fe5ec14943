/**
 * The trainer that runs on the GPU host (server/trainer/tracemint_train.py) on an export of the
 * fixture sessions. The dry run and the refusals need only python3. Real training takes a few LoRA
 * steps on CPU with a tiny local model, in the venv of test/python/setup.sh: it is cancelled after
 * its first checkpoint and rerun, which must resume there. Without python3 or the venv the tests
 * skip, they never fail for it.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { Tracemint } from '../../server/src/core/tracemint';
import { FIXTURES, OPEN_GATES, REPO, noHome, tempDir } from '../support/fixtures';
import { pythonWithTinyModel } from '../support/pythonEnv';

const TRAINER = path.join(REPO, 'server', 'trainer', 'tracemint_train.py');
const FORMAT = 'trl_messages';

interface Status { state: string; dry_run: boolean; error: string | null; exit_code?: number; resumed_from?: string; splits?: Record<string, { rows: number }>; adapter_dir?: string }
interface Heartbeat { time: string; pid: number; state: string; step: number; last_loss: number | null; last_checkpoint: string | null }
interface Metric { step: number; dry_run?: boolean; split?: string; loss?: number | null; eval_loss?: number | null; whitespace_words?: number; tokens_per_second?: number | null }
interface Exit { code: number | null; stdout: string; stderr: string; ms: number }

/** A fresh export of the fixtures, with validation rows so each epoch is evaluated. */
async function exportVersion(): Promise<string> {
	const dir = tempDir('tracemint-trainer-');
	const core = Tracemint.open(path.join(dir, 'store.sqlite'), noHome);
	try {
		core.importSessions({ paths: [FIXTURES] });
		core.setConsent(core.listSessions().map((s) => s.id), true, 'test');
		const report = await core.exportDataset({
			out: path.join(dir, 'datasets'), formats: ['trl_messages', 'trl_prompt_completion'], ...OPEN_GATES,
			split: { groupBy: 'session', ratios: { train: 0.7, validation: 0.3, test: 0 } },
		});
		assert.ok(report.counts.train > 0 && report.counts.validation > 0, JSON.stringify(report.counts));
		return report.out;
	} finally {
		core.close();
	}
}

/** A config file in its own run folder; `output_dir` is relative to it, as the trainer allows. */
function writeConfig(dataset: string, overrides: { format?: string; base_model?: string; training?: Record<string, unknown> } = {}): { config: string; out: string } {
	const dir = tempDir('tracemint-run-');
	const config = path.join(dir, 'config.json');
	fs.writeFileSync(config, JSON.stringify({
		base_model: overrides.base_model ?? 'tiny-model-not-loaded-in-a-dry-run', dataset_dir: dataset, format: overrides.format ?? FORMAT, output_dir: 'out',
		lora: { r: 4, alpha: 8, dropout: 0, target_modules: 'all-linear' },
		training: {
			epochs: 2, batch_size: 2, grad_accum: 1, learning_rate: 1e-3, warmup_ratio: 0, scheduler: 'linear', weight_decay: 0, seed: 1,
			max_seq_length: 512, load_in_4bit: false, ...overrides.training,
		},
	}));
	return { config, out: path.join(dir, 'out') };
}

function readJson<T>(file: string): T {
	return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

function metrics(out: string): Metric[] {
	return fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Metric);
}

function trainer(python: string, args: string[], env: NodeJS.ProcessEnv = process.env): Exit {
	const started = Date.now();
	const run = spawnSync(python, [TRAINER, ...args], { encoding: 'utf8', env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
	return { code: run.status, stdout: run.stdout, stderr: run.stderr, ms: Date.now() - started };
}

/** The trainer started in the background; `stop(signal)` sends one, `exit` resolves when it ends. */
function startTrainer(python: string, args: string[], env: NodeJS.ProcessEnv): { exit: Promise<Exit>; stop: (signal: NodeJS.Signals) => void } {
	const started = Date.now();
	const child = spawn(python, [TRAINER, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
	child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
	const exit = new Promise<Exit>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started })));
	return { exit, stop: (signal) => child.kill(signal) };
}

/** Resolves once `test` holds, polled every 20 ms; rejects when `exit` comes first or time runs out. */
async function waitFor(test: () => boolean, exit: Promise<Exit>, ms: number): Promise<void> {
	let ended: Exit | undefined;
	void exit.then((e) => { ended = e; });
	const deadline = Date.now() + ms;
	while (!test()) {
		if (ended) {
			throw new Error(`the trainer exited (${ended.code}) first:\n${ended.stderr.slice(-3000)}`);
		}
		if (Date.now() > deadline) {
			throw new Error(`not within ${ms} ms`);
		}
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

function python3Works(): boolean {
	return spawnSync('python3', ['-c', 'import sys; sys.exit(sys.version_info < (3, 9))']).status === 0;
}

/** A copy of the version folder with one split file changed by `edit` (its lines, 1-based in messages). */
function corrupted(version: string, edit: (lines: string[]) => void): string {
	const copy = path.join(tempDir('tracemint-bad-'), 'v1');
	fs.cpSync(version, copy, { recursive: true });
	const file = path.join(copy, FORMAT, 'train.jsonl');
	const lines = fs.readFileSync(file, 'utf8').split('\n');
	edit(lines);
	fs.writeFileSync(file, lines.join('\n'));
	return copy;
}

void describe('trainer for the GPU host', () => {
	let version: string;
	before(async () => {
		version = await exportVersion();
	});

	void it('dry run: checks config and dataset with plain python3, writes status, heartbeat and metrics, trains nothing', (t) => {
		if (!python3Works()) {
			t.skip('no python3 (3.9+) on PATH');
			return;
		}
		const manifest = readJson<{ files: { path: string; rows?: number }[] }>(path.join(version, 'manifest.json'));
		const rows = (split: string) => manifest.files.find((f) => f.path === `${FORMAT}/${split}.jsonl`)?.rows;
		const { config, out } = writeConfig(version);
		const run = trainer('python3', ['--config', config, '--dry-run']);
		assert.equal(run.code, 0, run.stderr);
		assert.match(run.stdout, /"output_dir": ".*out"/, 'prints the resolved config');
		assert.match(run.stdout, /"save_steps": 50/, 'defaults filled in');

		const status = readJson<Status>(path.join(out, 'status.json'));
		assert.equal(status.state, 'done');
		assert.equal(status.dry_run, true);
		assert.deepEqual(Object.fromEntries(Object.entries(status.splits!).map(([k, v]) => [k, v.rows])), { train: rows('train'), validation: rows('validation') });
		const heartbeat = readJson<Heartbeat>(path.join(out, 'heartbeat.json'));
		assert.equal(heartbeat.state, 'done');
		assert.ok(heartbeat.pid > 0 && !Number.isNaN(Date.parse(heartbeat.time)));

		const lines = metrics(out);
		assert.ok(lines.length >= 2);
		assert.ok(lines.every((m) => m.dry_run === true && (m.split === 'validation' ? m.eval_loss === null : m.loss === null)), 'no made-up losses');
		assert.deepEqual(lines.filter((m) => m.split === 'train').map((m) => m.step), [1, 2, 3, 4, 5]);
		assert.ok(lines.every((m) => (m.whitespace_words ?? 0) > 0));
		assert.ok(!fs.existsSync(path.join(out, 'adapter')));
	});

	void it('refuses a dataset that does not match the format: exit 2 with the file and line', (t) => {
		if (!python3Works()) {
			t.skip('no python3 (3.9+) on PATH');
			return;
		}
		const cases: { name: string; edit: (lines: string[]) => void; message: RegExp }[] = [
			{ name: 'a truncated line', edit: (lines) => { lines[1] = lines[1].slice(0, 40); }, message: /^dataset does not match trl_messages: train\.jsonl:2: expected a JSON object, got invalid JSON/ },
			{
				name: 'tool-call arguments as a JSON string',
				edit: (lines) => {
					const index = lines.findIndex((l) => l.includes('"arguments":{'));
					const row = JSON.parse(lines[index]) as { messages: { tool_calls: { function: { arguments: unknown } }[] }[] };
					const call = row.messages.find((m) => m.tool_calls.length > 0)!.tool_calls[0];
					call.function.arguments = JSON.stringify(call.function.arguments);
					lines[index] = JSON.stringify(row);
				},
				message: /^dataset does not match trl_messages: train\.jsonl:\d+: expected messages\[\d+\]\.tool_calls\[0\]\.function\.arguments to be an object, got a JSON string$/m,
			},
			{ name: 'a prompt-completion row', edit: (lines) => { lines[0] = JSON.stringify({ prompt: [], completion: [] }); }, message: /train\.jsonl:1: expected a row with the keys messages, tools, got completion, prompt$/m },
			{ name: 'a row lost in the upload', edit: (lines) => { lines.splice(2, 1); }, message: /train\.jsonl: expected \d+ rows as manifest\.json lists, got \d+ \(incomplete upload\?\)$/m },
		];
		for (const c of cases) {
			const { config, out } = writeConfig(corrupted(version, c.edit));
			const run = trainer('python3', ['--config', config, '--dry-run']);
			assert.equal(run.code, 2, `${c.name}: ${run.stderr}`);
			assert.equal(run.stderr.trim().split('\n').length, 1, `${c.name}: one line`);
			assert.match(run.stderr, c.message, c.name);
			const status = readJson<Status>(path.join(out, 'status.json'));
			assert.deepEqual([status.state, status.exit_code, status.error], ['failed', 2, run.stderr.trim()], c.name);
		}
	});

	void it('refuses a bad config: exit 4 with one line per field, and status failed', (t) => {
		if (!python3Works()) {
			t.skip('no python3 (3.9+) on PATH');
			return;
		}
		const dir = tempDir('tracemint-run-');
		const config = path.join(dir, 'config.json');
		fs.writeFileSync(config, JSON.stringify({
			base_model: '', dataset_dir: version, format: 'alpaca', output_dir: 'out',
			lora: { r: 0, alpha: 8, dropuot: 0.1 }, training: { batch_size: 2.5, load_in_4bit: 'yes', scheduler: 'cosine_annealing' },
		}));
		const run = trainer('python3', ['--config', config, '--dry-run']);
		assert.equal(run.code, 4);
		assert.deepEqual(run.stderr.trim().split('\n'), [
			'config.json: base_model: expected a non-empty string, got ""',
			'config.json: format: expected one of trl_messages, trl_prompt_completion, got "alpaca"',
			'config.json: lora.dropuot: unknown field (known: r, alpha, dropout, target_modules)',
			'config.json: lora.r: expected an integer >= 1 and <= 1024, got 0',
			'config.json: training.batch_size: expected an integer >= 1, got 2.5',
			'config.json: training.scheduler: expected one of linear, cosine, cosine_with_restarts, polynomial, constant, constant_with_warmup, inverse_sqrt, got "cosine_annealing"',
			'config.json: training.load_in_4bit: expected true or false, got "yes"',
		]);
		const status = readJson<Status>(path.join(dir, 'out', 'status.json'));
		assert.deepEqual([status.state, status.exit_code], ['failed', 4]);

		const missing = trainer('python3', ['--config', path.join(dir, 'nope.json')]);
		assert.deepEqual([missing.code, missing.stderr.trim()], [4, 'nope.json: cannot read it (No such file or directory)']);
		assert.equal(trainer('python3', []).code, 4, 'a usage error is not a dataset mismatch (2)');
	});

	void it('real mode without the training packages: exit 3 naming each one', (t) => {
		if (!python3Works() || spawnSync('python3', ['-c', 'import importlib.util, sys; sys.exit(importlib.util.find_spec("torch") is not None)']).status !== 0) {
			t.skip('python3 is missing, or has torch (nothing missing to report)');
			return;
		}
		const { config, out } = writeConfig(version);
		const run = trainer('python3', ['--config', config]);
		assert.equal(run.code, 3, run.stderr);
		assert.match(run.stderr, /^missing Python packages: torch, .*requirements\.txt/m);
		assert.equal(readJson<Status>(path.join(out, 'status.json')).state, 'failed');
	});

	void it('trains LoRA on CPU, is cancelled by SIGTERM after its first checkpoint, and a rerun resumes there', async (t) => {
		const env = pythonWithTinyModel();
		if ('skip' in env) {
			t.skip(env.skip);
			return;
		}
		// 2 epochs of 5-6 steps, a checkpoint each step: the cancel lands well before the end.
		const { config, out } = writeConfig(version, { base_model: env.model, training: { save_steps: 1, save_total_limit: 3 } });
		const first = startTrainer(env.python, ['--config', config], env.env);
		await waitFor(() => fs.existsSync(path.join(out, 'checkpoint-1', 'trainer_state.json')), first.exit, 90_000);
		const signalled = Date.now();
		first.stop('SIGTERM');
		const cancelled = await first.exit;
		assert.equal(cancelled.code, 143, cancelled.stderr.slice(-3000));
		assert.ok(Date.now() - signalled < 5_000, 'exits promptly');
		assert.equal(readJson<Status>(path.join(out, 'status.json')).state, 'cancelled');
		const before = metrics(out);
		const trained = before.filter((m) => m.loss !== null);
		assert.ok(trained.length >= 1 && trained.every((m) => Number.isFinite(m.loss)), JSON.stringify(before));

		const second = startTrainer(env.python, ['--config', config], env.env);
		const rerun = await second.exit;
		assert.equal(rerun.code, 0, rerun.stderr.slice(-3000));
		const resumed = /resuming from checkpoint-(\d+)/.exec(rerun.stdout);
		assert.ok(resumed, 'the log says it resumes');
		const from = Number(resumed[1]);
		const status = readJson<Status>(path.join(out, 'status.json'));
		assert.deepEqual([status.state, status.resumed_from], ['done', `checkpoint-${from}`]);

		const after = metrics(out).slice(before.length);
		const losses = after.filter((m) => m.loss !== null);
		assert.equal(losses[0].step, from + 1, 'the rerun starts after its checkpoint');
		assert.ok(losses.every((m) => m.step > from && Number.isFinite(m.loss) && (m.tokens_per_second ?? 0) > 0), JSON.stringify(after));
		assert.ok(after.some((m) => Number.isFinite(m.eval_loss)), 'validation is evaluated each epoch');
		const heartbeat = readJson<Heartbeat>(path.join(out, 'heartbeat.json'));
		assert.equal(heartbeat.step, losses.at(-1)!.step);
		for (const file of ['adapter_model.safetensors', 'adapter_config.json', 'tokenizer.json']) {
			assert.ok(fs.existsSync(path.join(out, 'adapter', file)), file);
		}
		t.diagnostic(`losses ${[...before, ...after].map((m) => m.loss ?? `eval ${m.eval_loss}`).join(', ')}; first run ${cancelled.ms} ms, rerun ${rerun.ms} ms`);
	});

	void it('trains prompt-completion rows on the completion only', (t) => {
		const env = pythonWithTinyModel();
		if ('skip' in env) {
			t.skip(env.skip);
			return;
		}
		const { config, out } = writeConfig(version, { format: 'trl_prompt_completion', base_model: env.model, training: { max_steps: 2, epochs: 1, batch_size: 1, max_seq_length: 1024 } });
		const run = trainer(env.python, ['--config', config], env.env);
		assert.equal(run.code, 0, run.stderr.slice(-3000));
		assert.match(run.stdout, /loss on the completion only/);
		assert.deepEqual(metrics(out).filter((m) => m.loss !== null).map((m) => m.step), [1, 2]);
		assert.ok(fs.existsSync(path.join(out, 'adapter', 'adapter_model.safetensors')));
		t.diagnostic(`${run.ms} ms`);
	});
});
