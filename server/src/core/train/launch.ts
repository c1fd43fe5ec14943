/**
 * Launch: upload the trainer, its config and the dataset version into a fresh run folder, start
 * the run detached in its own session and process group (setsid nohup, stdin from /dev/null, all
 * output to train.log) so it outlives the SSH connection and the editor, and record it.
 * With `launcher: slurm` the same run.sh is submitted with sbatch instead.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TrainingRunsRepo } from '../store/repos/trainingRuns';
import { trainerConfig, type ResolvedDataset, type TrainConfig } from './config';
import type { PreflightReport } from './preflight';
import { sh, shCommand } from './remoteShell';
import { localRunDir, newRunId, remoteRunLayout, runFromRow, type RemoteRunLayout, type RunLauncher, type TrainingRun } from './runs';
import type { SshClient } from './ssh';
import { SshError } from './sshErrors';
import { sbatchCommand } from './slurm';

export const TRAINER_FILE = 'tracemint_train.py';

/** Where the trainer ships: beside the bundles (`server/out` → `server/trainer`) or above the sources. */
export function defaultTrainerDir(): string {
	const candidates = [path.join(__dirname, '..', 'trainer'), path.join(__dirname, '..', '..', '..', 'trainer')];
	return candidates.find((dir) => fs.existsSync(path.join(dir, TRAINER_FILE))) ?? candidates[0];
}

export interface LaunchOptions {
	workspace: string;
	dataset: ResolvedDataset;
	/** The passing preflight of this host: home, GPUs, Python and the launcher come from it. */
	preflight: PreflightReport;
	dryRun?: boolean;
	trainerDir?: string;
	/** Progress lines for a person (uploading, starting). */
	log?: (line: string) => void;
}

/** Uploads and starts a run; the store holds it from before the upload, so a failure is recorded too. */
export async function launchRun(ssh: SshClient, repo: TrainingRunsRepo, config: TrainConfig, options: LaunchOptions): Promise<TrainingRun> {
	const { preflight, dataset } = options;
	if (!preflight.ok || !preflight.workDir || !preflight.python) {
		throw new Error(`preflight of ${config.host} did not pass; fix what it reports first`);
	}
	const trainerDir = options.trainerDir ?? defaultTrainerDir();
	if (!fs.existsSync(path.join(trainerDir, TRAINER_FILE))) {
		throw new Error(`the trainer ${path.join(trainerDir, TRAINER_FILE)} is missing from this installation`);
	}
	const log = options.log ?? (() => undefined);
	const dryRun = options.dryRun === true;
	const id = newRunId();
	const layout = remoteRunLayout(`${preflight.workDir}/runs/${id}`);
	const launcher = preflight.launcher;
	log(`hashing ${dataset.dir}`);
	const datasetSha256 = hashFolder(dataset.dir);
	repo.insert({
		id, host: config.host, remote_dir: layout.dir, launcher, pid: null, job_id: null, state: 'starting',
		config: JSON.stringify(config), dataset_dir: dataset.dir, dataset_sha256: datasetSha256, dry_run: dryRun ? 1 : 0,
		local_dir: localRunDir(options.workspace, id),
	});
	const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'tracemint-run-'));
	try {
		copyTrainer(trainerDir, path.join(staging, 'trainer'));
		fs.writeFileSync(path.join(staging, 'config.json'), `${JSON.stringify(trainerConfig(config, { datasetDir: layout.datasetDir, outputDir: layout.outputDir }), null, 2)}\n`);
		const python = runPython(config, preflight, dryRun);
		fs.writeFileSync(path.join(staging, 'run.sh'), runScript({ id, layout, python, dryRun, launcher, processes: preflight.processes, venvDir: config.python === 'create-venv' && !dryRun ? `${preflight.workDir}/venv` : undefined }));
		log(`uploading the trainer to ${config.host}:${layout.dir}`);
		await ssh.upload(staging, layout.dir);
		log(`uploading ${dataset.name} v${dataset.version} (${dataset.format})`);
		await ssh.upload(dataset.dir, layout.datasetDir);
		if (launcher === 'slurm') {
			const jobId = await submitSlurm(ssh, layout, id, config, preflight.processes);
			log(`submitted slurm job ${jobId}`);
			return runFromRow(repo.update(id, { job_id: jobId })!);
		}
		const pid = await startDetached(ssh, layout);
		log(`started ${launcher}${preflight.processes > 1 ? ` with ${preflight.processes} processes` : ''}, process group ${pid}`);
		return runFromRow(repo.update(id, { pid, state: 'running' })!);
	} catch (error) {
		repo.update(id, { state: 'failed', detail: `launch failed: ${(error as Error).message}` });
		throw error;
	} finally {
		fs.rmSync(staging, { recursive: true, force: true });
	}
}

/** The interpreter run.sh uses: the venv's, or the one preflight found (absolute). */
function runPython(config: TrainConfig, preflight: PreflightReport, dryRun: boolean): string {
	return config.python === 'create-venv' && !dryRun ? `${preflight.workDir}/venv/bin/python` : preflight.python!.path;
}

/** Starts run.sh in a new session (its pid is the process group id) and waits until it has written that pid. */
async function startDetached(ssh: SshClient, layout: RemoteRunLayout): Promise<number> {
	const script = [
		sh`cd ${layout.dir} || exit 1`,
		'rm -f pid',
		'setsid nohup sh ./run.sh > train.log 2>&1 < /dev/null &',
		'i=0',
		'while [ ! -s pid ] && [ "$i" -lt 100 ]; do sleep 0.1 2>/dev/null || sleep 1; i=$((i + 1)); done',
		'if [ -s pid ]; then cat pid; else echo "run.sh wrote no pid within 10 s" >&2; exit 1; fi',
	].join('\n');
	const out = (await ssh.scriptText(script, 'starting the run')).trim();
	const pid = Number(out);
	if (!Number.isInteger(pid) || pid <= 1) {
		throw new SshError(`starting the run gave no process id (got "${out}")`, ssh.target.host);
	}
	return pid;
}

async function submitSlurm(ssh: SshClient, layout: RemoteRunLayout, id: string, config: TrainConfig, gpus: number): Promise<string> {
	const out = (await ssh.scriptText(`${sh`cd ${layout.dir} || exit 1`}\n${shCommand(sbatchCommand({ id, layout, slurm: config.slurm, gpus }))}`, 'sbatch')).trim();
	const jobId = out.split('\n').at(-1)?.split(';')[0]?.trim() ?? '';
	if (!/^\d+(_\d+)?$/.test(jobId)) {
		throw new SshError(`sbatch gave no job id (got "${out}")`, ssh.target.host);
	}
	return jobId;
}

export interface RunScriptOptions {
	id: string;
	layout: RemoteRunLayout;
	python: string;
	dryRun: boolean;
	launcher: RunLauncher;
	/** Processes (GPUs) on the node. */
	processes: number;
	/** With `python: create-venv`: the venv to create and fill before training. */
	venvDir?: string;
}

/**
 * run.sh, the one process the run starts as: it records its pid (the process group id), prepares
 * the venv when asked, runs the launcher and records its exit status. Every value is quoted.
 */
export function runScript(options: RunScriptOptions): string {
	const { layout, venvDir } = options;
	const lines = [
		'#!/bin/sh',
		`# Tracemint training run ${options.id}: started detached; kill its process group to stop it.`,
		sh`cd ${layout.dir} || exit 1`,
		'echo $$ > pid',
		'finish() { echo "$1" > exit_code; exit "$1"; }',
	];
	if (venvDir) {
		lines.push(
			sh`venv=${venvDir}`,
			'if [ ! -x "$venv/bin/python" ]; then',
			'\techo "tracemint: creating $venv"',
			'\tpython3 -m venv "$venv" || finish 1',
			'fi',
			sh`if ! cmp -s ${layout.requirements} "$venv/.tracemint-requirements.txt"; then`,
			'\techo "tracemint: installing the trainer\'s requirements into $venv"',
			sh`\t"$venv/bin/python" -m pip install --disable-pip-version-check -r ${layout.requirements} || finish 1`,
			sh`\tcp ${layout.requirements} "$venv/.tracemint-requirements.txt"`,
			'fi',
		);
	}
	lines.push(shCommand(launcherArgv(options)), 'finish $?', '');
	return lines.join('\n');
}

/** The trainer's command line under each launcher; slurm jobs use accelerate for several GPUs. */
export function launcherArgv(options: Pick<RunScriptOptions, 'python' | 'launcher' | 'processes' | 'dryRun' | 'layout'>): string[] {
	const { python, processes, layout } = options;
	const trainer = [layout.trainer, '--config', layout.config, ...(options.dryRun ? ['--dry-run'] : [])];
	const launcher = options.launcher === 'slurm' ? (processes > 1 ? 'accelerate' : 'python') : options.launcher;
	switch (launcher) {
		case 'python':
			return [python, ...trainer];
		case 'accelerate':
			return [python, '-m', 'accelerate.commands.launch', ...(processes > 1 ? ['--multi_gpu'] : []), '--num_machines', '1', '--num_processes', String(processes), ...trainer];
		case 'torchrun':
			return [python, '-m', 'torch.distributed.run', '--standalone', '--nnodes', '1', '--nproc_per_node', String(processes), ...trainer];
	}
}

/** sha256 over the sorted relative paths and contents of every file in a folder. */
export function hashFolder(dir: string): string {
	const files = fs.readdirSync(dir, { withFileTypes: true, recursive: true })
		.filter((entry) => entry.isFile())
		.map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
		.sort();
	const tree = createHash('sha256');
	for (const file of files) {
		const content = createHash('sha256').update(fs.readFileSync(path.join(dir, file))).digest('hex');
		tree.update(`${file}\0${content}\n`);
	}
	return tree.digest('hex');
}

/** The trainer folder without caches and hidden files. */
function copyTrainer(from: string, to: string): void {
	fs.cpSync(from, to, { recursive: true, filter: (source) => !/(^|[\\/])(__pycache__|\.[^\\/]+)$/.test(path.relative(from, source)) });
}
