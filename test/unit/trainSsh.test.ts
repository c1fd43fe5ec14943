/**
 * Training over SSH. The pure parts (quoting, config, launch scripts, the state matrix) run
 * everywhere; the rest runs against a real OpenSSH server on 127.0.0.1 (test/support/sshd.ts)
 * whose "remote host" is this machine, with no GPU: preflight reports that, and runs use the real
 * trainer's --dry-run or the stand-in of test/support/standInTrainer.ts. Without sshd those
 * tests skip with the reason.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it, type TestContext } from 'node:test';
import { openDatabase, type Db } from '../../server/src/core/store/db';
import { loadTrainConfig, parseTrainConfig, resolveDataset, trainerConfig, TrainConfigError, type TrainConfig, type TrainConfigInput } from '../../server/src/core/train/config';
import { launcherArgv, runScript } from '../../server/src/core/train/launch';
import { deriveState, parseMetrics, type RunFacts } from '../../server/src/core/train/monitor';
import { describePreflight, planLaunch, preflightReport } from '../../server/src/core/train/preflight';
import { pathOperand, remoteAbsolute, sh, shCommand, shQuote } from '../../server/src/core/train/remoteShell';
import { remoteRunLayout } from '../../server/src/core/train/runs';
import { sbatchCommand } from '../../server/src/core/train/slurm';
import { parseSshHost, SshClient } from '../../server/src/core/train/ssh';
import { ChangedHostKeyError, UnknownHostKeyError } from '../../server/src/core/train/sshErrors';
import { Training } from '../../server/src/core/train/training';
import { parseYamlSubset } from '../../server/src/core/train/yamlSubset';
import { REPO, tempDir } from '../support/fixtures';
import { serverOrSkip, startSshd, writeTrainDataset, type TestSshd } from '../support/sshd';
import { STAND_IN, writeStandInTrainer } from '../support/standInTrainer';

/** Values that would run a command, split a word or read as an option if they reached a shell unquoted. */
function hostileValues(marker: string): string[] {
	return [
		'plain', 'with space', 'it\'s', '"double"', `$(touch ${marker})`, `\`touch ${marker}\``, 'a;touch x', 'new\nline',
		'-rf', '--help', '*', '~', '=cmd', '$HOME', '\\', '\'\'', '', '%T', '!event',
	];
}

void describe('train: remote shell quoting', () => {
	void it('passes every hostile value through a real sh as exactly one word, running nothing', () => {
		const dir = tempDir();
		const marker = path.join(dir, 'PWNED');
		const values = hostileValues(marker);
		const run = spawnSync('sh', ['-c', `printf '%s\\0' ${shCommand(values)}`], { cwd: dir, encoding: 'utf8' });
		assert.equal(run.status, 0, run.stderr);
		assert.deepEqual(run.stdout.split('\0').slice(0, -1), values);
		assert.equal(fs.existsSync(marker), false);
		assert.equal(shQuote('abc-1.2/x_y'), 'abc-1.2/x_y');
		assert.equal(shQuote('it\'s'), `'it'\\''s'`);
		assert.throws(() => shQuote('a\0b'), /NUL/);
	});

	void it('the sh tag quotes values, never the code around them; paths cannot become options', () => {
		assert.equal(sh`cd -- ${'a b'} && ls ${['x', '$(y)']}`, `cd -- 'a b' && ls x '$(y)'`);
		assert.equal(pathOperand('-rf'), './-rf');
		assert.equal(pathOperand('/abs'), '/abs');
		assert.equal(remoteAbsolute('~/runs', '/home/u'), '/home/u/runs');
		assert.equal(remoteAbsolute('runs//x/', '/home/u'), '/home/u/runs/x');
		assert.equal(remoteAbsolute('/data/./t', '/home/u'), '/data/t');
		assert.equal(remoteAbsolute('~', '/home/u'), '/home/u');
	});

	void it('reads hosts as alias or user@host:port and refuses what ssh would take as an option', () => {
		assert.deepEqual(parseSshHost('gpu-box'), { destination: 'gpu-box', port: undefined });
		assert.deepEqual(parseSshHost('me@10.0.0.5:2222'), { destination: 'me@10.0.0.5', port: 2222 });
		assert.deepEqual(parseSshHost('me@[::1]:22'), { destination: 'me@::1', port: 22 });
		assert.throws(() => parseSshHost('-oProxyCommand=touch x'), /not a host/);
		assert.throws(() => parseSshHost('a b'), /not a host/);
		const args = new SshClient({ host: 'me@box:2200', knownHostsFile: 'kh%d', identityFile: 'id' }, { multiplex: false }).sshArgs();
		assert.ok(args.includes('BatchMode=yes') && args.includes('StrictHostKeyChecking=yes'));
		assert.ok(args.includes(`UserKnownHostsFile="${path.resolve('kh%%d')}"`));
		assert.deepEqual(args.slice(-4), ['-p', '2200', '--', 'me@box']);
		assert.ok(new SshClient({ host: 'box', acceptNewHostKey: true }, { multiplex: false }).sshArgs().includes('StrictHostKeyChecking=accept-new'));
	});
});

void describe('train: config', () => {
	void it('fills defaults, reads the YAML subset and the JSON form, and names bad fields', () => {
		const workspace = tempDir();
		fs.mkdirSync(path.join(workspace, '.tracemint'));
		fs.writeFileSync(path.join(workspace, '.tracemint', 'train.yaml'), [
			'# LoRA on the lab box',
			'host: gpu-lab   # an ssh alias',
			'baseModel: "Qwen/Qwen2.5-0.5B-Instruct"',
			'python: create-venv',
			'lora:',
			'  r: 8',
			'  targetModules: [q_proj, "v_proj"]',
			'training:',
			'  learningRate: 1e-4',
			'  loadIn4bit: true',
			'slurm:',
			'  extraArgs:',
			'  - --qos=high',
			'',
		].join('\n'));
		const { config, file } = loadTrainConfig(workspace, { settings: { host: 'ignored', remoteDir: '~/elsewhere', training: { epochs: 3 } } });
		assert.equal(file, path.join(workspace, '.tracemint', 'train.yaml'));
		assert.equal(config.host, 'gpu-lab');
		assert.equal(config.remoteDir, '~/elsewhere');
		assert.deepEqual(config.lora, { r: 8, alpha: 32, dropout: 0.05, targetModules: ['q_proj', 'v_proj'] });
		assert.equal(config.training.learningRate, 1e-4);
		assert.equal(config.training.epochs, 3);
		assert.equal(config.training.loadIn4bit, true);
		assert.deepEqual(config.slurm.extraArgs, ['--qos=high']);
		assert.equal(config.dataset.format, 'trl_messages');
		assert.equal(config.launcher, 'auto');

		assert.throws(() => parseTrainConfig({ host: 'x', baseModel: 'm', lora: { rank: 8 } }), /rank/);
		assert.throws(() => parseTrainConfig({ host: '-oProxyCommand=x', baseModel: 'm' }), TrainConfigError);
		assert.throws(() => parseTrainConfig({ host: 'x', baseModel: 'm', remoteDir: '~root/x' }), /~user/);
		assert.throws(() => parseTrainConfig({ host: 'x', baseModel: 'm', dataset: { format: 'openai_chat' } }), /trl_messages/);
		assert.throws(() => parseYamlSubset('a: &anchor 1'), /line 1: .*anchors/);
		assert.throws(() => parseYamlSubset('a:\n\tb: 1'), /line 2: .*tabs/);
		assert.deepEqual(parseYamlSubset('a: it\'s fine # note\nb: \'x # y\'\nc: ~\nd: yes\n'), { a: 'it\'s fine', b: 'x # y', c: null, d: 'yes' });
		assert.throws(() => loadTrainConfig(tempDir()), /no training config/);
	});

	void it('resolves the newest version or an explicit one, and checks the format is there', () => {
		const workspace = tempDir();
		writeTrainDataset(workspace, 'my set', 1);
		writeTrainDataset(workspace, 'my set', 3);
		const base = { host: 'x', baseModel: 'm', dataset: { name: 'my set' } };
		assert.equal(resolveDataset(parseTrainConfig(base), workspace).version, 3);
		assert.equal(resolveDataset(parseTrainConfig({ ...base, dataset: { name: 'my set', version: 1 } }), workspace).dir, path.join(workspace, '.tracemint', 'datasets', 'my set', 'v1'));
		assert.throws(() => resolveDataset(parseTrainConfig({ ...base, dataset: { name: 'my set', format: 'trl_prompt_completion' } }), workspace), /has no trl_prompt_completion.*trl_messages/);
		assert.throws(() => resolveDataset(parseTrainConfig({ ...base, dataset: { name: 'other' } }), workspace), /no versions of "other"/);
		const json = trainerConfig(parseTrainConfig(base), { datasetDir: '/r/dataset', outputDir: '/r/out' });
		assert.deepEqual(Object.keys(json), ['base_model', 'dataset_dir', 'format', 'output_dir', 'lora', 'training']);
		assert.deepEqual(Object.keys(json.training as object).slice(0, 10), ['epochs', 'batch_size', 'grad_accum', 'learning_rate', 'warmup_ratio', 'scheduler', 'weight_decay', 'seed', 'max_seq_length', 'load_in_4bit']);
	});
});

void describe('train: launch plans', () => {
	const layout = remoteRunLayout('/w/it\'s $(x)/runs/r1');

	void it('goes data-parallel through accelerate when preflight found several GPUs', () => {
		const config = parseTrainConfig({ host: 'x', baseModel: 'm' });
		assert.deepEqual(planLaunch(config, 1), { launcher: 'python', processes: 1 });
		assert.deepEqual(planLaunch(config, 4), { launcher: 'accelerate', processes: 4 });
		assert.deepEqual(planLaunch({ ...config, gpus: 2 }, 4), { launcher: 'accelerate', processes: 2 });
		assert.deepEqual(planLaunch({ ...config, launcher: 'torchrun' }, 2), { launcher: 'torchrun', processes: 2 });
		assert.deepEqual(launcherArgv({ python: '/v/bin/python', launcher: 'accelerate', processes: 4, dryRun: false, layout }), [
			'/v/bin/python', '-m', 'accelerate.commands.launch', '--multi_gpu', '--num_machines', '1', '--num_processes', '4', layout.trainer, '--config', layout.config,
		]);
		assert.deepEqual(launcherArgv({ python: 'py', launcher: 'torchrun', processes: 2, dryRun: true, layout }).slice(1, 7), ['-m', 'torch.distributed.run', '--standalone', '--nnodes', '1', '--nproc_per_node']);
	});

	void it('reads a GPU host\'s preflight output: GPU count, CUDA torch, and a plan over every GPU', () => {
		const packages = Object.fromEntries(['torch', 'transformers', 'peft', 'trl', 'accelerate', 'datasets'].map((name) => [name, { version: '1.0' }]));
		const pycheck = JSON.stringify({ version: '3.11.9', venv: true, packages, cuda: { available: true, version: '12.4', devices: 2 } });
		const output = [
			'home\t/home/me', ...['setsid', 'nohup', 'tar', 'kill', 'nvidia-smi'].map((t) => `tool\t${t}`),
			'gpu\tNVIDIA H100 80GB HBM3, 81559', 'gpu\tNVIDIA H100 80GB HBM3, 81559', 'writable\t1', 'disk\t524288000',
			'python\t/home/me/venvs/lora/bin/python', `pycheck\t${pycheck}`, '',
		].join('\n');
		const report = preflightReport(output, parseTrainConfig({ host: 'gpu', baseModel: 'm', python: '~/venvs/lora/bin/python' }), false);
		assert.equal(report.ok, true, describePreflight(report));
		assert.deepEqual(report.gpus, [{ name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559 }, { name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559 }]);
		assert.deepEqual([report.launcher, report.processes, report.workDir, report.freeDiskBytes], ['accelerate', 2, '/home/me/tracemint', 500 * 1024 ** 3]);
		assert.match(describePreflight(report), /✓ 2 GPUs: NVIDIA H100 80GB HBM3 \(80 GiB\).*\n.*Python 3\.11\.9 at .*, CUDA 12\.4/);
		const cpuTorch = preflightReport(output.replace('"available": true', '"available": false').replace('"available":true', '"available":false'), parseTrainConfig({ host: 'gpu', baseModel: 'm', gpus: 4 }), false);
		assert.deepEqual(cpuTorch.problems.map((p) => [p.check, p.severity]), [['packages', 'error'], ['gpu', 'error']]);
	});

	void it('writes run.sh with every value quoted, and a venv step for python: create-venv', () => {
		const script = runScript({ id: 'r1', layout, python: '/v/bin/python', dryRun: true, launcher: 'python', processes: 1, venvDir: '/w/it\'s $(x)/venv' });
		assert.match(script, /^cd '\/w\/it'\\''s \$\(x\)\/runs\/r1' \|\| exit 1$/m);
		assert.match(script, /^echo \$\$ > pid$/m);
		assert.match(script, /^venv='\/w\/it'\\''s \$\(x\)\/venv'$/m);
		assert.match(script, /-m pip install --disable-pip-version-check -r '\/w\/it'\\''s \$\(x\)\/runs\/r1\/trainer\/requirements.txt'/);
		assert.match(script, /^\/v\/bin\/python '\/w\/it'\\''s \$\(x\)\/runs\/r1\/trainer\/tracemint_train.py' --config '.*config.json' --dry-run$/m);
		assert.equal(spawnSync('sh', ['-n'], { input: script }).status, 0, 'run.sh parses');
	});

	void it('submits slurm jobs with sbatch options as quoted words, not #SBATCH lines', () => {
		const config = parseTrainConfig({ host: 'login', baseModel: 'm', launcher: 'slurm', slurm: { partition: 'gpu a100', time: '04:00:00', extraArgs: ['--qos=$(whoami)'] } });
		const argv = sbatchCommand({ id: 'r1', layout, slurm: config.slurm, gpus: 2 });
		assert.deepEqual(argv, [
			'sbatch', '--parsable', '--job-name=tracemint-r1', `--chdir=${layout.dir}`, `--output=${layout.log}`, '--nodes=1', '--ntasks=1', '--gres=gpu:2',
			'--partition=gpu a100', '--time=04:00:00', '--qos=$(whoami)', layout.script,
		]);
		assert.match(shCommand(argv), /'--partition=gpu a100' --time=04:00:00 '--qos=\$\(whoami\)'/);
		const script = runScript({ id: 'r1', layout, python: 'python3', dryRun: false, launcher: 'slurm', processes: 2 });
		assert.match(script, /accelerate\.commands\.launch --multi_gpu --num_machines 1 --num_processes 2/);
	});

	void it('derives the run state from what the host shows', () => {
		const run = { dryRun: false, pid: 7, jobId: null, state: 'running' as const };
		const facts = (f: Partial<RunFacts>): RunFacts => ({ adapter: false, cancelled: false, missing: false, ...f });
		assert.equal(deriveState(facts({ alive: true }), run), 'starting');
		assert.equal(deriveState(facts({ alive: true, heartbeat: { step: 1 } }), run), 'running');
		assert.equal(deriveState(facts({ alive: true, status: 'saving' }), run), 'saving');
		assert.equal(deriveState(facts({ alive: false, adapter: true }), run), 'done');
		assert.equal(deriveState(facts({ alive: false }), run), 'crashed');
		assert.equal(deriveState(facts({ alive: false, status: 'failed' }), run), 'failed');
		assert.equal(deriveState(facts({ alive: false, cancelled: true }), run), 'cancelled');
		assert.equal(deriveState(facts({ alive: false, status: 'done', exitCode: 0 }), { ...run, dryRun: true }), 'done');
		assert.equal(deriveState(facts({ alive: true, slurmState: 'PENDING' }), { ...run, pid: null, jobId: '12' }), 'starting');
		assert.equal(deriveState(facts({ missing: true }), run), 'crashed');
		const [m] = parseMetrics('{"step": 3, "loss": 1.5, "eval_loss": null, "tokens_per_second": 99.5, "gpu_memory_gb": 7.25}\nnot json\n');
		assert.deepEqual({ ...m, raw: undefined }, { step: 3, epoch: undefined, loss: 1.5, evalLoss: undefined, learningRate: undefined, tokensPerSecond: 99.5, gpuMemoryGb: 7.25, raw: undefined });
	});
});

void describe('train: over a real ssh connection', () => {
	let sshd: TestSshd | string = 'not started';
	let workspace = '';
	let storeFile = '';
	let db: Db;
	const opened: Training[] = [];

	before(async () => {
		sshd = await startSshd();
		workspace = tempDir('tracemint-train-ws-');
		storeFile = path.join(workspace, 'store.sqlite');
		db = openDatabase(storeFile);
		writeTrainDataset(workspace, 'sessions', 1);
	});

	after(async () => {
		await Promise.all(opened.map((t) => t.close()));
		db?.close();
		if (typeof sshd !== 'string') sshd.stop();
	});

	const server = (t: TestContext) => serverOrSkip(sshd, t);

	function training(options: { trainerDir?: string; database?: Db } = {}): Training {
		const instance = new Training(options.database ?? db, { workspace, trainerDir: options.trainerDir });
		opened.push(instance);
		return instance;
	}

	function configFor(s: TestSshd, overrides: Partial<TrainConfigInput> = {}): TrainConfig {
		return parseTrainConfig({
			host: 'tracemint-test', remoteDir: path.join(s.dir, 'remote'), baseModel: STAND_IN.adapter, dataset: { name: 'sessions' },
			ssh: { configFile: s.target.configFile }, minFreeDiskGb: 0, ...overrides,
		});
	}

	const FAST = { intervalMs: 150 };

	void it('refuses an unknown host key with a question, and a changed one as an alarm', async (t) => {
		const s = server(t);
		if (!s) return;
		const empty = path.join(s.dir, 'empty_known_hosts');
		fs.writeFileSync(empty, '');
		await assert.rejects(training().preflight(configFor(s, { ssh: { configFile: s.target.configFile, knownHostsFile: empty } })), (error: Error) => {
			assert.ok(error instanceof UnknownHostKeyError);
			assert.equal(error.message, 'host key for tracemint-test is not known: run `ssh tracemint-test` once to check and accept it');
			return true;
		});
		assert.equal(fs.readFileSync(empty, 'utf8'), '', 'nothing was accepted silently');
		const other = path.join(s.dir, 'other_key');
		spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
		const changed = path.join(s.dir, 'changed_known_hosts');
		fs.writeFileSync(changed, `${s.knownHostsLine.split(' ')[0]} ${fs.readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
		await assert.rejects(training().preflight(configFor(s, { ssh: { configFile: s.target.configFile, knownHostsFile: changed } })), ChangedHostKeyError);
	});

	void it('preflight reports the missing GPU and packages with fixes, as warnings in a dry run', async (t) => {
		const s = server(t);
		if (!s) return;
		const config = configFor(s);
		const dry = await training().preflight(config, { dryRun: true });
		assert.equal(dry.connected, true);
		assert.equal(dry.ok, true, describePreflight(dry));
		assert.equal(dry.workDir, config.remoteDir);
		assert.match(dry.python?.version ?? '', /^3\.\d+/);
		assert.ok(dry.freeDiskBytes! > 0);
		assert.equal(dry.launcher, 'python');
		if (dry.gpus.length === 0) {
			assert.ok(dry.problems.some((p) => p.check === 'gpu' && p.severity === 'warning'));
			const real = await training().preflight(config);
			assert.equal(real.ok, false);
			const text = describePreflight(real);
			assert.match(text, /✗ no GPU on tracemint-test \(nvidia-smi was not found\)/);
			assert.match(text, /fix: install the NVIDIA driver/);
			if (real.problems.some((p) => p.check === 'packages')) assert.match(text, /-m pip install -r server\/trainer\/requirements.txt/);
		}
		const venv = await training().preflight({ ...config, python: 'create-venv' }, { dryRun: false });
		assert.equal(venv.venvExists, false);
	});

	void it('launches the real trainer detached in a dry run, streams log and metrics to done, and reattaches from the store', async (t) => {
		const s = server(t);
		if (!s) return;
		const first = training();
		const { run } = await first.launch(configFor(s, { baseModel: 'Qwen/Qwen2.5-0.5B-Instruct', training: { gradAccum: 1 } }), { dryRun: true });
		assert.equal(run.state, 'running');
		assert.ok(run.pid! > 1);
		assert.match(run.datasetSha256, /^[0-9a-f]{64}$/);
		assert.ok(fs.existsSync(path.join(run.remoteDir, 'dataset', 'trl_messages', 'train.jsonl')), 'dataset uploaded');
		let log = '';
		const metrics: number[] = [];
		const states: string[] = [];
		const ended = await first.follow(run.id, { ...FAST, onLog: (text) => { log += text; }, onMetrics: (m) => metrics.push(...m.map((x) => x.step!)), onState: (state) => states.push(state) });
		assert.equal(ended.state, 'done', `${ended.detail}\n${log}`);
		assert.match(log, /dry run: dataset and config match/);
		assert.deepEqual(metrics.slice(0, 3), [1, 2, 3]);
		assert.equal(states.at(-1), 'done');

		// A new core on the same store file: the run and its offsets are there; nothing is replayed.
		const reopened = openDatabase(storeFile);
		try {
			const second = training({ database: reopened });
			const again = second.get(run.id.slice(0, 17));
			assert.equal(again.state, 'done');
			assert.equal(again.logOffset, Buffer.byteLength(log));
			let more = '';
			await second.follow(run.id, { ...FAST, onLog: (text) => { more += text; } });
			assert.equal(more, '');
			assert.equal(await second.logText(run.id), log);
			await assert.rejects(second.fetch(run.id), /without an adapter/);
		} finally {
			reopened.close();
		}
	});

	void it('a run outlives its ssh connection and cancel kills its whole process group', async (t) => {
		const s = server(t);
		if (!s) return;
		const trainerDir = writeStandInTrainer(path.join(tempDir(), 'trainer'));
		const launcher = training({ trainerDir });
		const { run } = await launcher.launch(configFor(s, { baseModel: STAND_IN.sleep }), { dryRun: true });
		await launcher.close();
		await waitFor(() => fs.existsSync(path.join(run.remoteDir, 'out', 'child.pid')));
		const child = Number(fs.readFileSync(path.join(run.remoteDir, 'out', 'child.pid'), 'utf8'));
		assert.ok(alive(-run.pid!) && alive(child), 'running after the connection closed');

		const other = training({ trainerDir });
		assert.equal((await other.refresh(run.id)).state, 'running');
		const { run: cancelled, outcome } = await other.cancel(run.id, { graceSeconds: 5 });
		assert.equal(outcome, 'terminated');
		assert.equal(cancelled.state, 'cancelled');
		await waitFor(() => !alive(-run.pid!) && !alive(child));
		assert.equal((await other.cancel(run.id)).outcome, 'already cancelled');

		const stubborn = (await other.launch(configFor(s, { baseModel: STAND_IN.stubborn }), { dryRun: true })).run;
		await waitFor(() => fs.existsSync(path.join(stubborn.remoteDir, 'out', 'heartbeat.json')));
		assert.equal((await other.cancel(stubborn.id, { graceSeconds: 1 })).outcome, 'killed');
		await waitFor(() => !alive(-stubborn.pid!));
	});

	void it('fetches the adapter, config, log and metrics into .tracemint/runs/<run>/', async (t) => {
		const s = server(t);
		if (!s) return;
		const train = training({ trainerDir: writeStandInTrainer(path.join(tempDir(), 'trainer')) });
		const { run } = await train.launch(configFor(s, { baseModel: STAND_IN.adapter }), { dryRun: true });
		// Cancelling a run that has ended unseen leaves its own state.
		await waitFor(() => !alive(-run.pid!));
		const late = await train.cancel(run.id);
		assert.deepEqual([late.outcome, late.run.state], ['gone', 'done']);
		const metrics: number[] = [];
		const ended = await train.follow(run.id, { ...FAST, onMetrics: (m) => metrics.push(...m.map((x) => x.loss!)) });
		assert.equal(ended.state, 'done');
		assert.deepEqual(metrics, [2, 1, 2 / 3]);
		const streamed = { log: '', losses: [] as number[] };
		await train.follow(run.id, { from: 'start', onLog: (text) => { streamed.log += text; }, onMetrics: (m) => streamed.losses.push(...m.map((x) => x.loss!)) });
		const { dir, files } = await train.fetch(run.id);
		assert.equal(dir, path.join(workspace, '.tracemint', 'runs', run.id));
		assert.deepEqual(files.map((f) => path.relative(dir, f)).sort(), [
			'adapter/adapter_config.json', 'adapter/adapter_model.safetensors', 'adapter/tokenizer.json', 'adapter/tokenizer_config.json',
			'config.json', 'metrics.jsonl', 'status.json', 'train.log',
		].map((f) => f.split('/').join(path.sep)));
		assert.equal(fs.statSync(path.join(dir, 'adapter', 'adapter_model.safetensors')).size, 64);

		// With the host gone, the fetched run still replays: the same log and chart as over SSH, no connection made.
		const offline = new Training(db, { workspace, sshClient: () => { throw new Error('the host is gone'); } });
		opened.push(offline);
		const replayed = { log: '', losses: [] as number[], states: [] as string[] };
		const again = await offline.follow(run.id, {
			from: 'start', onLog: (text) => { replayed.log += text; }, onMetrics: (m) => replayed.losses.push(...m.map((x) => x.loss!)), onState: (state) => replayed.states.push(state),
		});
		assert.equal(again.state, 'done');
		assert.deepEqual(replayed, { ...streamed, states: ['done'] });
		assert.match(replayed.log, /\[stand-in\] 3 train rows/);
	});

	void it('hostile dataset, model and folder names run no command on the host', async (t) => {
		const s = server(t);
		if (!s) return;
		// Relative markers: a command that ran would leave the file in its working folder (home or the run folder).
		const name = `ds 'q' "d" $(touch PWNED-ds) \`touch PWNED-bt\` ; touch PWNED-semi`;
		writeTrainDataset(workspace, name, 1);
		const config = configFor(s, {
			remoteDir: path.join(s.dir, `remote it's $(touch PWNED-dir)`, '-rf'),
			baseModel: `org/m "x" $(touch PWNED-model)`,
			dataset: { name },
		});
		const train = training();
		const { run } = await train.launch(config, { dryRun: true });
		const ended = await train.follow(run.id, FAST);
		assert.equal(ended.state, 'done', ended.detail ?? '');
		assert.ok(run.remoteDir.startsWith(config.remoteDir));
		const sent = JSON.parse(fs.readFileSync(path.join(run.remoteDir, 'config.json'), 'utf8')) as { base_model: string };
		assert.equal(sent.base_model, config.baseModel, 'the name arrived as data');
		const files = (dir: string, recursive: boolean) => fs.readdirSync(dir, { recursive, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
		const pwned = [...files(s.dir, true), ...files(workspace, true), ...files(os.homedir(), false)].filter((f) => path.basename(f).startsWith('PWNED'));
		assert.deepEqual(pwned, []);
	});

	void it('the CLI trains in a dry run and lists, shows and cancels runs', async (t) => {
		const s = server(t);
		if (!s) return;
		const configFile = path.join(workspace, 'cli-train.json');
		fs.writeFileSync(configFile, JSON.stringify({ host: 'tracemint-test', remoteDir: path.join(s.dir, 'cli'), baseModel: 'm', dataset: { name: 'sessions' }, ssh: { configFile: s.target.configFile }, minFreeDiskGb: 0 }));
		const store = path.join(workspace, 'cli.sqlite');
		const cli = (args: string[]) => spawnSync(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, path.join(REPO, 'server', 'src', 'cli', 'main.ts'), ...args, '--store', store], { cwd: workspace, encoding: 'utf8', timeout: 60_000 });
		const train = cli(['train', '--config', configFile, '--dry-run', '--json']);
		assert.equal(train.status, 0, train.stderr);
		const result = JSON.parse(train.stdout) as { preflight: { ok: boolean }; run: { id: string; state: string }; fetched: null };
		assert.equal(result.run.state, 'done');
		assert.equal(result.fetched, null);
		assert.match(train.stderr, /dry run: dataset and config match/);
		const list = JSON.parse(cli(['runs', '--json']).stdout) as { id: string; state: string }[];
		assert.deepEqual(list.map((r) => [r.id, r.state]), [[result.run.id, 'done']]);
		const logs = cli(['runs', 'logs', result.run.id]);
		assert.match(logs.stdout, /\[tracemint\] dataset: train 3 rows/);
		assert.match(cli(['runs', 'cancel', result.run.id]).stdout, /already done/);
		assert.equal(cli(['runs', 'fetch', 'nope']).status, 1);
		assert.equal(cli(['runs', 'logs']).status, 2);
	});
});


function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > until) throw new Error('timed out waiting');
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}
