/**
 * The training commands. Train LoRA Adapter… checks the host first (with progress), shows the
 * preflight report in the "Tracemint Training" output channel, and asks before anything starts:
 * - an unknown host key: the key's SHA256 fingerprint with "Trust and Connect" (then checked again,
 *   recording the key only if the host still presents that one);
 * - a changed host key: an alarm that says what to check, with no way on;
 * - a config error or a failing preflight: each problem with its fix;
 * - a passing preflight: what will run where, with "Start Training".
 * Cancel, download, show run/log and reveal take a run id (tree item, run view) or ask for one.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { LSPErrorCodes } from 'vscode-languageclient/node';
import { TrainCancelRequest, TrainLaunchRequest, TrainPreflightRequest } from '../../../shared/lsp';
import type { TrainLaunch, TrainPreflight, TrainRequestParams } from '../../../shared/protocol';
import { isFinalRunState, type TrainChecked, type TrainProblem, type TrainRunInfo } from '../../../shared/training';
import { openSetting, SECTION } from '../config';
import type { CommandFactory, Ctx } from '../ctx';
import { RunPanel, type RunPanelHandle } from './runPanel';
import { revealFolder } from '../reveal';
import type { TrainingRuns } from './trainingRuns';
import {
	changedHostText, configProblemText, configSummary, notReadyText, runDescription, runLabel, startQuestion, unknownHostQuestion,
} from './trainingText';
import {
	hasExplicitTrainSettings, settingOfField, TRAIN_SECTION, trainConfigFile, trainSettingsObject, trainYamlTemplate,
} from './trainSettings';

/** What automation passes instead of answering questions. */
export interface TrainOptions {
	/** The workspace folder (path or Uri); default: the only one, else the user picks. */
	folder?: string | vscode.Uri;
	dryRun?: boolean;
	configFile?: string;
	/** Start without the confirmation (the host-key question is still asked unless `trustFingerprint` matches). */
	yes?: boolean;
	/** Trust an unknown host key with exactly this fingerprint without asking. */
	trustFingerprint?: string;
}

const OPEN_SETTINGS = 'Open Settings';
const OPEN_CONFIG = 'Open Config File';
const SHOW_REPORT = 'Show Report';

export function trainingCommands(runs: TrainingRuns): Record<string, CommandFactory> {
	return {
		'tracemint.train': (ctx) => (arg?: unknown) => train(ctx, runs, optionsOf(arg, false)),
		'tracemint.train.dryRun': (ctx) => (arg?: unknown) => train(ctx, runs, optionsOf(arg, true)),
		'tracemint.train.cancel': (ctx) => async (arg?: unknown) => {
			const run = await runOf(runs, arg, (r) => !isFinalRunState(r.state), 'Cancel which training run?');
			return run && cancel(ctx, runs, run);
		},
		'tracemint.train.fetch': () => async (arg?: unknown) => {
			const run = await runOf(runs, arg, (r) => r.state === 'done' && !r.dryRun, 'Download the adapter of which run?');
			return run && runs.fetch(run.id, { offerReveal: true });
		},
		'tracemint.train.showRun': (ctx) => async (arg?: unknown): Promise<RunPanelHandle | undefined> => {
			const run = await runOf(runs, arg, () => true, 'Show which training run?');
			if (!run) return undefined;
			const panel = RunPanel.show(ctx, runs, run.id);
			// Fills in the chart of a run this window has not streamed (a finished one is replayed once).
			await runs.follow(run.id);
			return panel;
		},
		'tracemint.train.showLog': () => async (arg?: unknown) => {
			const run = await runOf(runs, arg, () => true, 'Show the log of which training run?');
			if (run) await runs.showLog(run.id);
		},
		'tracemint.train.revealAdapter': () => async (arg?: unknown) => {
			const run = await runOf(runs, arg, (r) => r.adapterDir !== undefined, 'Reveal the adapter of which run?');
			if (run?.adapterDir) await revealFolder(run.adapterDir);
		},
		'tracemint.train.refreshRuns': () => () => runs.refresh(true),
	};
}

function optionsOf(arg: unknown, dryRun: boolean): TrainOptions {
	if (arg instanceof vscode.Uri) return { folder: arg, dryRun };
	if (typeof arg === 'object' && arg !== null) return { dryRun, ...(arg as TrainOptions) };
	return { dryRun };
}

/** The whole flow; resolves with the started run, or undefined when it did not start (and the user was told why). */
async function train(ctx: Ctx, runs: TrainingRuns, options: TrainOptions): Promise<TrainRunInfo | undefined> {
	const folder = await workspaceFolder(options.folder);
	if (!folder) return undefined;
	const workspace = folder.uri.fsPath;
	const configuration = vscode.workspace.getConfiguration(undefined, folder.uri);
	const explicit = (key: string) => explicitValue(configuration, `${TRAIN_SECTION}.${key}`);
	// The server reads the named file, else the first of .tracemint/train.yaml|yml|json that exists.
	const noFile = options.configFile === undefined && !trainConfigFile(workspace, fs.existsSync).exists;
	if (noFile && !hasExplicitTrainSettings(explicit)) {
		await noConfig(workspace, folder.name);
		return undefined;
	}
	const params: TrainRequestParams = {
		workspace,
		configFile: options.configFile,
		dryRun: options.dryRun === true,
		settings: trainSettingsObject(explicit, {
			workspaceFolder: workspace, folderName: folder.name, home: os.homedir(),
			exportOut: String(configuration.get(`${SECTION}.export.out`) ?? ''),
		}),
	};

	// Preflight until it passes or the user stops: an unknown host key is asked about and checked again.
	let checked: TrainChecked | undefined;
	for (let round = 0; round < 3 && !checked; round++) {
		const result = await preflight(ctx, params);
		if (!result) return undefined;
		if (result.kind === 'report') {
			checked = result;
			break;
		}
		const trust = await answerProblem(result, options);
		if (!trust) return undefined;
		params.acceptNewHostKey = true;
		params.expectedFingerprint = trust;
	}
	if (!checked) return undefined;
	showReport(runs, checked);
	if (!checked.report.ok) {
		await notReady(runs, checked);
		return undefined;
	}
	if (!options.yes) {
		const { message, detail } = startQuestion(checked, params.dryRun === true);
		const start = params.dryRun ? 'Start Dry Run' : 'Start Training';
		if ((await vscode.window.showInformationMessage(message, { modal: true, detail }, start)) !== start) return undefined;
	}

	const launched = await vscode.window.withProgress(
		{ location: vscode.ProgressLocation.Notification, title: `Tracemint: uploading ${checked.dataset.name} v${checked.dataset.version} and the trainer to ${checked.report.host}…` },
		() => ctx.request(TrainLaunchRequest, params),
	);
	return launched && await afterLaunch(runs, launched, options);
}

async function afterLaunch(runs: TrainingRuns, result: TrainLaunch.Result, options: TrainOptions): Promise<TrainRunInfo | undefined> {
	switch (result.kind) {
		case 'launched':
			await runs.launched(result.run);
			runs.channel(result.run.id).show(true);
			return result.run;
		case 'report':
			// The reused or repeated preflight failed between the question and the launch.
			showReport(runs, result);
			await notReady(runs, result);
			return undefined;
		default:
			await answerProblem(result, { ...options, trustFingerprint: undefined });
			return undefined;
	}
}

/** The preflight with a cancellable progress notification; undefined when cancelled or the backend is down. */
async function preflight(ctx: Ctx, params: TrainRequestParams): Promise<TrainPreflight.Result | undefined> {
	const host = typeof params.settings?.host === 'string' ? params.settings.host : 'the training host';
	try {
		return await vscode.window.withProgress(
			{ location: vscode.ProgressLocation.Notification, title: `Tracemint: checking ${host} (ssh, GPUs, Python, disk)…`, cancellable: true },
			(_progress, token) => ctx.request(TrainPreflightRequest, params, token),
		);
	} catch (error) {
		if ((error as { code?: unknown } | undefined)?.code === LSPErrorCodes.RequestCancelled) return undefined;
		throw error;
	}
}

/**
 * Tells the user about a problem. Returns the fingerprint to trust when the user trusted an
 * unknown host key; undefined otherwise (nothing more to do).
 */
async function answerProblem(problem: TrainProblem, options: TrainOptions): Promise<string | undefined> {
	switch (problem.kind) {
		case 'unknownHostKey': {
			const question = unknownHostQuestion(problem);
			if (!question) {
				void vscode.window.showErrorMessage(`Tracemint: ${problem.message}`, { modal: true, detail: 'Connect once with ssh in a terminal to check and accept the host key.' });
				return undefined;
			}
			if (options.trustFingerprint !== undefined) return options.trustFingerprint === problem.fingerprint ? problem.fingerprint : undefined;
			const trust = 'Trust and Connect';
			return (await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, trust)) === trust ? problem.fingerprint : undefined;
		}
		case 'changedHostKey': {
			const { message, detail } = changedHostText(problem);
			await vscode.window.showErrorMessage(message, { modal: true, detail });
			return undefined;
		}
		case 'config': {
			const { message, detail } = configProblemText(problem);
			const setting = problem.fields.map(settingOfField).find((s) => s !== undefined);
			const fromFile = problem.source !== 'tracemint.train settings' && fs.existsSync(problem.source) && fs.statSync(problem.source).isFile();
			const buttons = fromFile ? [OPEN_CONFIG] : [OPEN_SETTINGS];
			const choice = await vscode.window.showErrorMessage(message, { modal: true, detail }, ...buttons);
			if (choice === OPEN_CONFIG) await vscode.window.showTextDocument(vscode.Uri.file(problem.source));
			else if (choice === OPEN_SETTINGS) await openSetting(setting ?? TRAIN_SECTION);
			return undefined;
		}
	}
}

function showReport(runs: TrainingRuns, checked: TrainChecked): void {
	runs.output.appendLine(`---- ${new Date().toLocaleString()} · config: ${checked.configFile ?? 'tracemint.train settings'}`);
	runs.output.appendLine(checked.text);
	runs.output.appendLine(`  dataset: ${checked.dataset.dir} (${checked.dataset.trainRows} train rows)`);
	for (const [label, value] of configSummary(checked.config)) runs.output.appendLine(`  ${label}: ${value}`);
}

async function notReady(runs: TrainingRuns, checked: TrainChecked): Promise<void> {
	const { message, detail } = notReadyText(checked.report);
	const choice = await vscode.window.showErrorMessage(`Tracemint: ${message}`, { modal: true, detail }, SHOW_REPORT);
	if (choice === SHOW_REPORT) runs.output.show(true);
}

/** No config file and no settings: offer to write a starting train.yaml, or the settings. */
async function noConfig(workspace: string, folderName: string): Promise<void> {
	const create = 'Create train.yaml';
	const choice = await vscode.window.showWarningMessage(
		'Tracemint: there is no training config in this workspace folder yet.',
		{ modal: true, detail: 'Write .tracemint/train.yaml (host, base model, dataset), or set the tracemint.train settings. SSH credentials are never part of it: your ~/.ssh/config and agent are used.' },
		create, OPEN_SETTINGS,
	);
	if (choice === create) {
		const { file } = trainConfigFile(workspace, () => false);
		fs.mkdirSync(vscode.Uri.joinPath(vscode.Uri.file(file), '..').fsPath, { recursive: true });
		if (!fs.existsSync(file)) fs.writeFileSync(file, trainYamlTemplate(folderName));
		await vscode.window.showTextDocument(vscode.Uri.file(file));
	} else if (choice === OPEN_SETTINGS) {
		await openSetting(TRAIN_SECTION);
	}
}

async function cancel(ctx: Ctx, runs: TrainingRuns, run: TrainRunInfo): Promise<unknown> {
	const stop = 'Cancel Run';
	const detail = run.launcher === 'slurm'
		? `Slurm job ${run.jobId ?? ''} is cancelled with scancel. Checkpoints already saved stay on the host.`
		: 'Its processes get SIGTERM, and SIGKILL 30 s later if still there. Checkpoints already saved stay on the host.';
	if ((await vscode.window.showWarningMessage(`Cancel training run ${runLabel(run)} on ${run.host}?`, { modal: true, detail }, stop)) !== stop) return undefined;
	const result = await vscode.window.withProgress(
		{ location: vscode.ProgressLocation.Notification, title: `Tracemint: cancelling run ${run.id}…` },
		() => ctx.request(TrainCancelRequest, { run: run.id }),
	);
	if (result) {
		await runs.refresh();
		void vscode.window.showInformationMessage(`Tracemint: run ${run.id}: ${result.outcome} (${result.run.state}).`);
	}
	return result;
}

/** A run from an argument (its id, or a run record from the tree), else picked from the runs `fits` accepts. */
async function runOf(runs: TrainingRuns, arg: unknown, fits: (run: TrainRunInfo) => boolean, placeHolder: string): Promise<TrainRunInfo | undefined> {
	const id = typeof arg === 'string' ? arg : typeof arg === 'object' && arg !== null && typeof (arg as { id?: unknown }).id === 'string' ? (arg as { id: string }).id : undefined;
	if (!runs.isLoaded) await runs.refresh();
	if (id !== undefined) {
		const run = runs.get(id) ?? runs.list().find((r) => r.id.startsWith(id));
		if (!run) throw new Error(`no training run "${id}" in this workspace`);
		return run;
	}
	const candidates = runs.list().filter(fits);
	if (candidates.length === 0) {
		void vscode.window.showInformationMessage('Tracemint: no training run fits. The Training Runs view lists them all.');
		return undefined;
	}
	const picked = await vscode.window.showQuickPick(candidates.map((run) => ({ run, label: runLabel(run), description: runDescription(run), detail: run.id })), { placeHolder });
	return picked?.run;
}

async function workspaceFolder(folder: TrainOptions['folder']): Promise<vscode.WorkspaceFolder | undefined> {
	if (folder !== undefined) {
		const uri = typeof folder === 'string' ? vscode.Uri.file(folder) : folder;
		const found = vscode.workspace.getWorkspaceFolder(uri);
		if (!found) throw new Error(`${uri.fsPath} is not in a workspace folder`);
		return found;
	}
	const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
	if (folders.length === 0) {
		void vscode.window.showWarningMessage('Tracemint: open the folder you exported datasets from; training runs from a workspace folder on this machine.');
		return undefined;
	}
	if (folders.length === 1) return folders[0];
	return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Train on a dataset of which workspace folder?' });
}

/** The value the user set (folder, workspace or user), never the contributed default: only those are sent. */
function explicitValue(configuration: vscode.WorkspaceConfiguration, key: string): unknown {
	const inspected = configuration.inspect(key);
	return inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
}
