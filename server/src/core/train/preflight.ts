/**
 * Preflight: one script over one SSH connection that looks at everything a run needs (GPUs,
 * Python and the training packages, free disk, the tools the launch uses) and a report that says
 * what is missing and how to fix it. Values enter the script only through `set --` with quoted
 * words; the script body is constant.
 */
import { remoteAbsolute, sh } from './remoteShell';
import type { RunLauncher } from './runs';
import type { SshClient } from './ssh';
import { SshAuthError, SshConnectionError, SshTimeoutError } from './sshErrors';
import type { PreflightReportDto as PreflightReport } from '../../../../shared/training';
import type { TrainConfig } from './config';

/** Imported (with versions) on the host; the trainer's requirements.txt pins them. */
export const TRAINING_PACKAGES = ['torch', 'transformers', 'peft', 'trl', 'accelerate', 'datasets'];
export const MIN_PYTHON = [3, 10] as const;
/** Shown in fixes: the file the run installs with `python: create-venv`. */
export const REQUIREMENTS_HINT = 'server/trainer/requirements.txt';

/** The report's shapes are defined once, beside the protocol that carries them to the editor. */
export type { GpuDto as Gpu, PreflightProblemDto as PreflightProblem, PreflightReportDto as PreflightReport } from '../../../../shared/training';

/** Prints one JSON line: version, whether venvs can be made, each package's version or import error, CUDA. */
const PYTHON_CHECK = `
import importlib, json, platform, sys
report = {'version': platform.python_version(), 'executable': sys.executable, 'packages': {}}
try:
    import ensurepip
    report['venv'] = True
except Exception:
    report['venv'] = False
for name in sys.argv[1:]:
    try:
        module = importlib.import_module(name)
        report['packages'][name] = {'version': str(getattr(module, '__version__', '?'))}
    except BaseException as error:
        report['packages'][name] = {'error': (type(error).__name__ + ': ' + str(error)).splitlines()[0][:200]}
torch = sys.modules.get('torch')
if torch is not None:
    report['cuda'] = {'available': bool(torch.cuda.is_available()), 'version': torch.version.cuda, 'devices': torch.cuda.device_count()}
print(json.dumps(report))
`;

/** Positional parameters: work dir, python (or create-venv), the check program, packages. Prints `key<TAB>value` lines. */
const PREFLIGHT_SCRIPT = `
work=$1; py=$2; check=$3; shift 3
case $work in '~') work=$HOME ;; '~/'*) work=$HOME/\${work#'~/'} ;; /*) ;; *) work=$HOME/$work ;; esac
case $py in '~/'*) py=$HOME/\${py#'~/'} ;; esac
printf 'home\\t%s\\n' "$HOME"
for tool in setsid nohup tar kill sbatch squeue scancel nvidia-smi; do
	command -v "$tool" >/dev/null 2>&1 && printf 'tool\\t%s\\n' "$tool"
done
if command -v nvidia-smi >/dev/null 2>&1; then
	if gpus=$(nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits 2>&1); then
		printf '%s\\n' "$gpus" | while IFS= read -r line; do [ -n "$line" ] && printf 'gpu\\t%s\\n' "$line"; done
	else
		printf 'gpu-error\\t%s\\n' "$(printf '%s\\n' "$gpus" | head -n 1)"
	fi
fi
mkdir -p "$work" 2>/dev/null
dir=$work
while [ ! -d "$dir" ]; do dir=$(dirname "$dir"); done
[ -w "$dir" ] && printf 'writable\\t1\\n'
printf 'disk\\t%s\\n' "$(df -Pk "$dir" 2>/dev/null | awk 'NR==2 { print $4 }')"
if [ "$py" = create-venv ]; then
	if [ -x "$work/venv/bin/python" ]; then py=$work/venv/bin/python; printf 'venv\\t1\\n'; else py=python3; printf 'venv\\t0\\n'; fi
fi
if command -v "$py" >/dev/null 2>&1; then
	printf 'python\\t%s\\n' "$(command -v "$py")"
	printf 'pycheck\\t%s\\n' "$("$py" -c "$check" "$@" 2>&1 | tail -n 1)"
fi
`;

/** Runs the checks. Host-key errors are thrown (the editor turns them into a question); other connection failures are reported. */
export async function preflight(ssh: SshClient, config: TrainConfig, options: { dryRun?: boolean } = {}): Promise<PreflightReport> {
	const dryRun = options.dryRun === true;
	const packages = packagesFor(config);
	const base = emptyReport(config, dryRun);
	let output: string;
	try {
		output = await ssh.scriptText(`set -- ${sh`${config.remoteDir} ${config.python} ${PYTHON_CHECK} ${packages}`}\n${PREFLIGHT_SCRIPT}`, 'preflight', { timeoutMs: 180_000 });
	} catch (error) {
		if (error instanceof SshAuthError || error instanceof SshConnectionError || error instanceof SshTimeoutError) {
			base.problems.push({ severity: 'error', check: 'ssh', message: error.message, fix: connectionFix(error, config.host) });
			return base;
		}
		throw error;
	}
	return preflightReport(output, config, dryRun);
}

/** The report from the preflight script's output. */
export function preflightReport(output: string, config: TrainConfig, dryRun: boolean): PreflightReport {
	return assess(parsePreflightOutput(output, emptyReport(config, dryRun)), config, packagesFor(config));
}

function packagesFor(config: TrainConfig): string[] {
	return config.training.loadIn4bit ? [...TRAINING_PACKAGES, 'bitsandbytes'] : TRAINING_PACKAGES;
}

function emptyReport(config: TrainConfig, dryRun: boolean): PreflightReport {
	return { host: config.host, ok: false, connected: false, dryRun, gpus: [], packages: {}, tools: [], launcher: 'python', processes: 1, problems: [] };
}

/** What the script found, before it is judged; the extra fields only feed the problems. */
type PreflightFacts = PreflightReport & { writable: boolean; gpuError?: string; pythonError?: string };

/** Reads the script's `key<TAB>value` lines into the report's facts. */
function parsePreflightOutput(output: string, base: PreflightReport): PreflightFacts {
	const report: PreflightFacts = { ...base, connected: true, gpus: [], tools: [], packages: {}, writable: false };
	for (const line of output.split('\n')) {
		const tab = line.indexOf('\t');
		if (tab < 0) continue;
		const key = line.slice(0, tab);
		const value = line.slice(tab + 1);
		switch (key) {
			case 'home': report.home = value; break;
			case 'tool': report.tools.push(value); break;
			case 'gpu': {
				const comma = value.lastIndexOf(',');
				report.gpus.push({ name: value.slice(0, comma).trim(), memoryMiB: Number(value.slice(comma + 1).trim()) || 0 });
				break;
			}
			case 'gpu-error': report.gpuError = value; break;
			case 'writable': report.writable = true; break;
			case 'disk': report.freeDiskBytes = value === '' ? undefined : Number(value) * 1024; break;
			case 'venv': report.venvExists = value === '1'; break;
			case 'python': report.python = { path: value, version: '', canCreateVenv: false }; break;
			case 'pycheck': {
				try {
					const check = JSON.parse(value) as { version: string; venv: boolean; packages: PreflightReport['packages']; cuda?: NonNullable<PreflightReport['python']>['cuda'] };
					report.python = { path: report.python?.path ?? '', version: check.version, canCreateVenv: check.venv, cuda: check.cuda };
					report.packages = check.packages;
				} catch {
					report.python = { path: report.python?.path ?? '', version: '', canCreateVenv: false };
					report.pythonError = value;
				}
				break;
			}
		}
	}
	return report;
}

function assess(facts: PreflightFacts, config: TrainConfig, packages: readonly string[]): PreflightReport {
	const { writable, gpuError, pythonError, ...report } = facts;
	const problems = report.problems;
	const soft = report.dryRun ? 'warning' : 'error';
	const host = config.host;
	report.workDir = report.home ? remoteAbsolute(config.remoteDir, report.home) : undefined;
	const slurm = config.launcher === 'slurm';

	for (const tool of ['setsid', 'nohup', 'tar', 'kill']) {
		if (!report.tools.includes(tool)) problems.push({ severity: 'error', check: 'tools', message: `\`${tool}\` is not on ${host}'s PATH`, fix: 'runs start detached with setsid and nohup and upload with tar: install util-linux, coreutils and tar on the host' });
	}
	if (slurm) {
		for (const tool of ['sbatch', 'squeue', 'scancel']) {
			if (!report.tools.includes(tool)) problems.push({ severity: 'error', check: 'launcher', message: `launcher is slurm but \`${tool}\` is not on ${host}'s PATH`, fix: 'point host at the cluster\'s login node, or choose launcher: auto' });
		}
	} else if (report.gpus.length === 0) {
		const why = gpuError ? `nvidia-smi failed: ${gpuError}` : 'nvidia-smi was not found';
		problems.push({ severity: soft, check: 'gpu', message: `no GPU on ${host} (${why})`, fix: report.dryRun ? 'fine for --dry-run; a real run needs an NVIDIA GPU with its driver' : 'install the NVIDIA driver, or pick a host with a GPU (--dry-run works without one)' });
	}

	const createVenv = config.python === 'create-venv';
	if (!report.python) {
		problems.push({ severity: 'error', check: 'python', message: `\`${createVenv ? 'python3' : config.python}\` was not found on ${host}`, fix: 'set python to the interpreter of an environment on the host (e.g. ~/venvs/lora/bin/python), or install python3 and use python: create-venv' });
	} else if (pythonError !== undefined || !atLeast(report.python.version, MIN_PYTHON)) {
		problems.push({ severity: 'error', check: 'python', message: pythonError !== undefined ? `${report.python.path} did not run: ${pythonError}` : `${report.python.path} is Python ${report.python.version}; the trainer needs ${MIN_PYTHON.join('.')} or newer`, fix: 'set python to a newer interpreter on the host' });
	} else if (createVenv && !report.venvExists) {
		if (!report.python.canCreateVenv) {
			problems.push({ severity: soft, check: 'python', message: `${report.python.path} cannot create a venv (no ensurepip)`, fix: 'install python3-venv on the host (Debian/Ubuntu), or set python to an existing environment' });
		} else if (!report.dryRun) {
			problems.push({ severity: 'warning', check: 'packages', message: `${report.workDir}/venv does not exist yet`, fix: `the run creates it and installs ${REQUIREMENTS_HINT} first (the host needs access to a package index)` });
		}
	} else {
		const missing = packages.filter((name) => !report.packages[name]?.version);
		if (missing.length > 0) {
			// "No module named" says nothing new; other errors (a broken CUDA build, say) are worth reading.
			const broken = missing.map((name) => report.packages[name]?.error).filter((e) => e && !e.startsWith('ModuleNotFoundError'));
			const detail = `${missing.join(', ')}${broken.length > 0 ? ` (${broken.join('; ')})` : ''}`;
			problems.push({ severity: soft, check: 'packages', message: `${report.python.path} cannot import ${detail}`, fix: `${report.python.path} -m pip install -r ${REQUIREMENTS_HINT} (uploaded with every run), or set python: create-venv` });
		}
		if (report.gpus.length > 0 && report.python.cuda && !report.python.cuda.available) {
			problems.push({ severity: soft, check: 'packages', message: `torch ${report.packages.torch?.version} on ${host} sees no CUDA device`, fix: 'install a CUDA build of torch that matches the driver (pip install torch --index-url https://download.pytorch.org/whl/cu124, say)' });
		}
	}

	if (!writable) {
		problems.push({ severity: 'error', check: 'disk', message: `${report.workDir ?? config.remoteDir} cannot be created or written on ${host}`, fix: 'set remoteDir to a folder you own on the host' });
	}
	const needBytes = config.minFreeDiskGb * 1024 ** 3;
	if (report.freeDiskBytes !== undefined && report.freeDiskBytes < needBytes) {
		problems.push({ severity: soft, check: 'disk', message: `${gib(report.freeDiskBytes)} free in ${report.workDir}; the config asks for ${config.minFreeDiskGb} GiB (minFreeDiskGb)`, fix: 'free space, point remoteDir at a larger disk, or lower minFreeDiskGb' });
	}

	const plan = planLaunch(config, report.gpus.length);
	report.launcher = plan.launcher;
	report.processes = plan.processes;
	if (!slurm && !report.dryRun && config.gpus !== undefined && config.gpus > report.gpus.length) {
		problems.push({ severity: 'error', check: 'gpu', message: `gpus is ${config.gpus} but ${host} has ${report.gpus.length}`, fix: 'lower gpus, or leave it out to use every GPU found' });
	}
	report.ok = !problems.some((p) => p.severity === 'error');
	return report;
}

/** auto → accelerate data-parallel over every GPU when there are several, else plain python. */
export function planLaunch(config: TrainConfig, gpusFound: number): { launcher: RunLauncher; processes: number } {
	switch (config.launcher) {
		case 'slurm': return { launcher: 'slurm', processes: config.gpus ?? 1 };
		case 'python': return { launcher: 'python', processes: 1 };
		case 'accelerate':
		case 'torchrun': return { launcher: config.launcher, processes: config.gpus ?? Math.max(gpusFound, 1) };
		case 'auto': {
			const processes = config.gpus ?? Math.max(gpusFound, 1);
			return processes > 1 ? { launcher: 'accelerate', processes } : { launcher: 'python', processes: 1 };
		}
	}
}

/** The report as a person reads it: what was found, then each problem with its fix. */
export function describePreflight(report: PreflightReport): string {
	const lines = [`Preflight of ${report.host}${report.dryRun ? ' (dry run)' : ''}: ${report.ok ? 'ready' : 'not ready'}`];
	if (report.connected) {
		lines.push(`  ✓ ssh connected${report.workDir ? `; runs go to ${report.workDir}` : ''}`);
		lines.push(report.gpus.length > 0
			? `  ✓ ${report.gpus.length} GPU${report.gpus.length > 1 ? 's' : ''}: ${report.gpus.map((g) => `${g.name} (${Math.round(g.memoryMiB / 1024)} GiB)`).join(', ')}`
			: '  · no GPU found');
		if (report.python) lines.push(`  ${report.python.version ? '✓' : '✗'} Python ${report.python.version || '?'} at ${report.python.path}${report.python.cuda ? `, CUDA ${report.python.cuda.available ? report.python.cuda.version : 'not available'}` : ''}`);
		const found = Object.entries(report.packages).filter(([, p]) => p.version).map(([name, p]) => `${name} ${p.version}`);
		if (found.length > 0) lines.push(`  ✓ ${found.join(', ')}`);
		if (report.freeDiskBytes !== undefined) lines.push(`  ✓ ${gib(report.freeDiskBytes)} free`);
		lines.push(`  → launcher ${report.launcher}${report.processes > 1 ? ` with ${report.processes} processes` : ''}`);
	}
	for (const p of report.problems) {
		lines.push(`  ${p.severity === 'error' ? '✗' : '!'} ${p.message}`, `      fix: ${p.fix}`);
	}
	return lines.join('\n');
}

function connectionFix(error: Error, host: string): string {
	if (error instanceof SshAuthError) return 'add your key to the agent (ssh-add) or set IdentityFile in ~/.ssh/config, then check with `ssh ' + host + '`';
	if (error instanceof SshTimeoutError) return 'the host did not answer in time: check the network, VPN or ProxyJump, then try again';
	return `check that \`ssh ${host}\` works in a terminal (host name, port, ProxyJump in ~/.ssh/config)`;
}

function atLeast(version: string, minimum: readonly number[]): boolean {
	const parts = version.split('.').map(Number);
	for (let i = 0; i < minimum.length; i++) {
		if ((parts[i] ?? 0) !== minimum[i]) return (parts[i] ?? 0) > minimum[i];
	}
	return true;
}

function gib(bytes: number): string {
	return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
