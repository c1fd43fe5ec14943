/**
 * The words and numbers of the training UI, without an editor API so the unit tests cover them:
 * tree items, the progress notification, the questions (unknown or changed host key, start a
 * run), the config summary shared with the run view, and what a run's end says.
 */
import { datasetLabel, formatLoss, groupedNumber, isFinalRunState, modelName, type PreflightReportDto, type RunMetricDto, type RunState, type TrainChecked, type TrainConfigDto, type TrainProblem, type TrainRunInfo } from '../../../shared/training';
import { formatDate } from '../text';

export { formatLoss };

/** Codicon and theme colour per state (the tree's icons; the run view uses the same words). */
export const STATE_ICONS: Record<RunState, { icon: string; color?: string }> = {
	starting: { icon: 'loading~spin' },
	running: { icon: 'sync~spin', color: 'charts.blue' },
	saving: { icon: 'save', color: 'charts.blue' },
	done: { icon: 'pass', color: 'testing.iconPassed' },
	failed: { icon: 'error', color: 'testing.iconFailed' },
	crashed: { icon: 'warning', color: 'testing.iconFailed' },
	cancelled: { icon: 'circle-slash', color: 'disabledForeground' },
};

/** The tree item's label: model and dataset, which is what tells runs apart. */
export function runLabel(run: TrainRunInfo): string {
	return `${modelName(run.config.baseModel)} · ${datasetLabel(run.datasetDir)}${run.dryRun ? ' (dry run)' : ''}`;
}

/** `running · gpu-box · 2026-03-03 14:22 · loss 0.8123`. */
export function runDescription(run: TrainRunInfo): string {
	const parts: string[] = [run.state, run.host, formatDate(run.createdAt)];
	const loss = run.lastMetric?.loss;
	if (loss !== undefined) parts.push(`loss ${formatLoss(loss)}`);
	return parts.filter((p) => p !== '').join(' · ');
}

/** Plain lines for the tooltip (the tree escapes them into Markdown). */
export function runTooltipLines(run: TrainRunInfo): string[] {
	const lines = [
		`Run ${run.id}: ${run.state}${run.dryRun ? ' (dry run)' : ''}`,
		`Host: ${run.host}, ${run.remoteDir}`,
		`Model: ${run.config.baseModel}`,
		`Dataset: ${datasetLabel(run.datasetDir)} (${run.config.dataset.format})`,
		`Started: ${formatDate(run.createdAt)}`,
	];
	const metric = run.lastMetric;
	if (metric) lines.push(`Last: ${progressMessage(metric, run.plannedSteps)}`);
	if (run.detail) lines.push(`Why: ${run.detail}`);
	if (run.unreachable) lines.push(`State as last seen; the host did not answer: ${run.unreachable}`);
	if (run.adapterDir) lines.push(`Adapter: ${run.adapterDir}`);
	return lines;
}

/** `trainingRun.running`, `trainingRun.done`, `trainingRun.done.fetched`, `trainingRun.done.dryRun`: what the menus test. */
export function runContextValue(run: TrainRunInfo): string {
	return `trainingRun.${run.state}${run.adapterDir ? '.fetched' : ''}${run.dryRun ? '.dryRun' : ''}`;
}

/** `step 120/1,000 · loss 1.235 · eval 1.301 · 1,234 tok/s · 7.3 GB`. */
export function progressMessage(metric: RunMetricDto | undefined, plannedSteps: number | undefined): string {
	if (!metric) return 'waiting for the first step…';
	const parts: string[] = [];
	if (metric.step !== undefined) parts.push(plannedSteps ? `step ${groupedNumber(metric.step)}/${groupedNumber(plannedSteps)}` : `step ${groupedNumber(metric.step)}`);
	if (metric.loss !== undefined) parts.push(`loss ${formatLoss(metric.loss)}`);
	if (metric.evalLoss !== undefined) parts.push(`eval ${formatLoss(metric.evalLoss)}`);
	if (metric.tokensPerSecond !== undefined) parts.push(`${groupedNumber(Math.round(metric.tokensPerSecond))} tok/s`);
	if (metric.gpuMemoryGb !== undefined) parts.push(`${metric.gpuMemoryGb.toFixed(1)} GB`);
	return parts.join(' · ');
}

/** The percentage a progress bar moves from step `from` to step `to` of `planned` (0 when the total is unknown). */
export function progressIncrement(from: number, to: number, planned: number | undefined): number {
	if (!planned || to <= from) return 0;
	return (Math.min(to, planned) - Math.min(from, planned)) / planned * 100;
}

/** The config as label/value rows: the start question, the report channel and the run view. */
export function configSummary(config: TrainConfigDto): [string, string][] {
	const t = config.training;
	const modules = config.lora.targetModules === 'all-linear' ? 'all-linear' : config.lora.targetModules.join(', ');
	return [
		['Host', `${config.host}, ${config.remoteDir}`],
		['Base model', config.baseModel],
		['Python', config.python],
		['Dataset', `${config.dataset.path ?? config.dataset.name}, ${config.dataset.version === 'latest' ? 'latest version' : `v${config.dataset.version}`}, ${config.dataset.format}`],
		['LoRA', `r ${config.lora.r}, alpha ${config.lora.alpha}, dropout ${config.lora.dropout}, ${modules}`],
		['Schedule', `${t.maxSteps ? `${t.maxSteps} steps` : `${t.epochs} epoch${t.epochs === 1 ? '' : 's'}`}, lr ${t.learningRate} ${t.scheduler}, warm-up ${t.warmupRatio}`],
		['Batch', `${t.batchSize} × ${t.gradAccum} accumulated, ${t.maxSeqLength} tokens${t.loadIn4bit ? ', 4-bit base (QLoRA)' : ''}`],
		['Launcher', `${config.launcher}${config.gpus ? `, ${config.gpus} GPUs` : ''}`],
	];
}

/** The modal question before a run starts: what, where, and the warnings preflight left. */
export function startQuestion(checked: TrainChecked, dryRun: boolean): { message: string; detail: string } {
	const { report, dataset, config } = checked;
	const gpus = report.gpus.length > 0 ? `${report.gpus.length} × ${report.gpus[0].name}` : 'no GPU';
	const lines = [
		`Model: ${config.baseModel}`,
		`Dataset: ${dataset.name} v${dataset.version}, ${dataset.format}, ${groupedNumber(dataset.trainRows)} train rows`,
		`Host: ${report.host} (${gpus}), runs in ${report.workDir ?? config.remoteDir}`,
		`Launcher: ${report.launcher}${report.processes > 1 ? ` with ${report.processes} processes` : ''}`,
	];
	const warnings = report.problems.filter((p) => p.severity === 'warning');
	if (warnings.length > 0) lines.push('', ...warnings.map((p) => `! ${p.message} (${p.fix})`));
	lines.push('', dryRun
		? 'A dry run uploads the dataset and trainer and checks them on the host; it trains nothing and needs no GPU.'
		: 'The run goes on on the host when the editor closes; Tracemint follows it again when it reopens.');
	return { message: dryRun ? `Start a dry run on ${report.host}?` : `Start LoRA training on ${report.host}?`, detail: lines.join('\n') };
}

/** The modal for a preflight that found errors: each with its fix. */
export function notReadyText(report: PreflightReportDto): { message: string; detail: string } {
	const errors = report.problems.filter((p) => p.severity === 'error');
	return {
		message: `${report.host} is not ready to train (${errors.length} problem${errors.length === 1 ? '' : 's'}).`,
		detail: errors.map((p) => `✗ ${p.message}\n   Fix: ${p.fix}`).join('\n\n'),
	};
}

/**
 * The unknown-host question, as `ssh` asks it in a terminal: the key's type and SHA256
 * fingerprint to compare with one the host's administrator gives you. Undefined when no
 * fingerprint could be read: then nothing may be trusted from here.
 */
export function unknownHostQuestion(problem: Extract<TrainProblem, { kind: 'unknownHostKey' }>): { message: string; detail: string } | undefined {
	if (!problem.fingerprint) return undefined;
	return {
		message: `The authenticity of host ${problem.host} can't be established. Trust its key and connect?`,
		detail: [
			`${problem.keyType ?? 'Host'} key fingerprint:`,
			problem.fingerprint,
			'',
			'Compare it with the fingerprint from the host\'s administrator, or run on the host:',
			`ssh-keygen -lf /etc/ssh/ssh_host_${keyFileName(problem.keyType)}_key.pub`,
			'Trusting records the key in your known_hosts, as ssh does when you answer yes.',
		].join('\n'),
	};
}

/** The changed-key alarm: what it can mean and what to check; there is no way on from here. */
export function changedHostText(problem: Extract<TrainProblem, { kind: 'changedHostKey' }>): { message: string; detail: string } {
	return {
		message: `WARNING: the host key of ${problem.host} has changed. Tracemint will not connect.`,
		detail: [
			problem.message,
			'',
			'Check with the host\'s administrator whether the host was reinstalled or its keys replaced. Only then remove the old key '
			+ `(ssh-keygen -R ${problem.host}, or the host name and port it stands for) and connect once with ssh in a terminal to check the new one.`,
		].join('\n'),
	};
}

/** The config-error modal: where the config came from and one line per bad field. */
export function configProblemText(problem: Extract<TrainProblem, { kind: 'config' }>): { message: string; detail: string } {
	return { message: `Tracemint: ${problem.message}`, detail: problem.fields.join('\n') };
}

/** What a run's end says, and whether it is good news. */
export function runEndText(run: TrainRunInfo): { message: string; severity: 'info' | 'warning' | 'error' } {
	const name = `${runLabel(run)} on ${run.host}`;
	switch (run.state) {
		case 'done':
			return run.dryRun
				? { message: `Tracemint: dry run ${run.id} passed: the dataset and config work on ${run.host}.`, severity: 'info' }
				: { message: `Tracemint: training run ${name} is done${run.lastMetric?.loss !== undefined ? ` (loss ${formatLoss(run.lastMetric.loss)})` : ''}.`, severity: 'info' };
		case 'cancelled':
			return { message: `Tracemint: training run ${name} was cancelled.`, severity: 'warning' };
		default:
			return { message: `Tracemint: training run ${name} ${run.state}${run.detail ? `: ${run.detail}` : '.'}`, severity: 'error' };
	}
}

/** Whether a run ended with an adapter worth downloading. */
export function hasAdapterToFetch(run: TrainRunInfo): boolean {
	return run.state === 'done' && !run.dryRun && !run.adapterDir;
}

/** Unfinished runs are listed first, then newest first (the store's order). */
export function orderRuns(runs: readonly TrainRunInfo[]): TrainRunInfo[] {
	return runs.map((run, i) => ({ run, i })).sort((a, b) => Number(isFinalRunState(a.run.state)) - Number(isFinalRunState(b.run.state)) || a.i - b.i).map(({ run }) => run);
}

/** `ssh-ed25519` → `ed25519`, `ecdsa-sha2-nistp256` → `ecdsa`, `ssh-rsa` → `rsa`: the host key file's name. */
function keyFileName(keyType: string | undefined): string {
	if (!keyType) return '*';
	if (keyType.startsWith('ecdsa')) return 'ecdsa';
	if (keyType.includes('ed25519')) return 'ed25519';
	if (keyType.includes('rsa')) return 'rsa';
	return '*';
}

