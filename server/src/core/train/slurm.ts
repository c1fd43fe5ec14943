/**
 * Slurm: the run's run.sh is the batch script. Every option goes on sbatch's command line as
 * one quoted word rather than into `#SBATCH` lines, which sbatch parses with rules of its own.
 * Status comes from squeue, cancel is scancel; the log is the same train.log.
 */
import type { TrainConfig } from './config';
import type { RemoteRunLayout } from './runs';

/** squeue states of a job that is not over yet (an ended job drops out of squeue). */
export const SLURM_ACTIVE_STATES = ['PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING', 'SUSPENDED', 'REQUEUED', 'RESIZING', 'STAGE_OUT', 'SIGNALING'];

export function sbatchCommand(options: { id: string; layout: RemoteRunLayout; slurm: TrainConfig['slurm']; gpus: number }): string[] {
	const { layout, slurm } = options;
	return [
		'sbatch', '--parsable',
		`--job-name=tracemint-${options.id}`,
		`--chdir=${layout.dir}`,
		`--output=${layout.log}`,
		'--nodes=1', '--ntasks=1',
		`--gres=gpu:${options.gpus}`,
		...(slurm.partition ? [`--partition=${slurm.partition}`] : []),
		...(slurm.account ? [`--account=${slurm.account}`] : []),
		...(slurm.time ? [`--time=${slurm.time}`] : []),
		...(slurm.cpusPerTask ? [`--cpus-per-task=${slurm.cpusPerTask}`] : []),
		...(slurm.mem ? [`--mem=${slurm.mem}`] : []),
		...slurm.extraArgs,
		layout.script,
	];
}

export function squeueCommand(jobId: string): string[] {
	return ['squeue', '--noheader', '--jobs', jobId, '--format', '%T'];
}

export function scancelCommand(jobId: string): string[] {
	return ['scancel', jobId];
}
