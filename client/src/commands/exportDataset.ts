/**
 * Export Dataset: writes the sessions the quality gates let through as a new version of a
 * dataset, `<datasets folder>/<name>/v<N>/` (a folder per format, a manifest and a dataset card),
 * under the reward, gate, split and `tracemint.export.*` settings of a workspace folder. From the
 * Explorer, the Sessions view or the palette it asks for formats and preset (remembered per
 * workspace); automation passes what it wants and is never asked.
 */
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LSPErrorCodes } from 'vscode-languageclient/node';
import { DEFAULT_DATASET_NAME, FORMAT_NAMES, type ExportProgress, type ExportReport, type FormatName } from '../../../shared/dataset';
import type { ExportDataset } from '../../../shared/protocol';
import type { PresetName } from '../../../shared/quality';
import { ExportDatasetRequest } from '../../../shared/lsp';
import { folderScope, qualityParamsFor, SECTION } from '../config';
import type { CommandFactory, Ctx } from '../ctx';
import { gatesSummary } from '../quality/qualityText';
import { revealFolder } from '../reveal';
import {
	datasetName, datasetsFolder, exportSettingsFrom, exportSummary, FORMAT_DESCRIPTIONS, formatsFrom,
	formatWarnings, isPresetName, PRESET_NAMES, presetDescriptions, progressText, rememberedFormats,
} from './exportDatasetText';

/**
 * What automation passes instead of answering prompts (a plain string is `out`, as before).
 * Anything left out comes from the settings, like a run from the palette with its defaults.
 */
export interface ExportDatasetOptions {
	/** The datasets folder; the export goes to `<out>/<name>/v<N>`. */
	out?: string;
	name?: string;
	formats?: FormatName[];
	preset?: PresetName;
	/** The workspace folder (path or Uri) whose settings apply and whose name is the default name. */
	folder?: string | vscode.Uri;
	/** Cancels the export, as the notification's Cancel button does. */
	token?: vscode.CancellationToken;
	onProgress?(progress: ExportProgress): void;
}

interface Plan {
	params: Omit<ExportDataset.Params, 'progressToken'>;
	token?: vscode.CancellationToken;
	onProgress?(progress: ExportProgress): void;
}

const FORMATS_KEY = 'tracemint.export.formats';
const PRESET_KEY = 'tracemint.export.preset';
const DEFAULT_FORMATS: FormatName[] = ['openai_chat'];

/** From the Explorer the argument is the folder's Uri; from the view title and the palette there is none. */
export const exportDataset: CommandFactory = (ctx) => async (arg?: unknown): Promise<ExportReport | undefined> => {
	let plan: Plan | undefined;
	if (typeof arg === 'string' && arg.length > 0) {
		plan = automationPlan({ out: arg });
	} else if (arg instanceof vscode.Uri) {
		const folder = vscode.workspace.getWorkspaceFolder(arg);
		plan = await askPlan(ctx, folder ?? { uri: arg, name: path.basename(arg.path) });
	} else if (typeof arg === 'object' && arg !== null) {
		plan = automationPlan(arg as ExportDatasetOptions);
	} else {
		const picked = await pickWorkspaceFolder();
		plan = picked && await askPlan(ctx, picked.folder);
	}
	return plan && run(ctx, plan);
};

function automationPlan(options: ExportDatasetOptions): Plan {
	const folder = options.folder === undefined ? undefined
		: typeof options.folder === 'string' ? vscode.Uri.file(options.folder) : options.folder;
	const scope = folder ?? folderScope(options.out) ?? vscode.workspace.workspaceFolders?.[0]?.uri;
	const { out: outSetting, ...settings } = exportSettingsFrom(vscode.workspace.getConfiguration(SECTION, scope));
	const out = options.out ?? datasetsFolder(outSetting, localPath(scope), os.homedir());
	if (!out) {
		throw new Error('no datasets folder: pass `out`, set tracemint.export.out, or open a workspace folder');
	}
	const formats = formatsFrom(options.formats);
	if (options.preset !== undefined && !isPresetName(options.preset)) {
		throw new Error(`unknown preset ${JSON.stringify(options.preset)}; one of ${PRESET_NAMES.join(', ')}`);
	}
	const params: Plan['params'] = {
		...qualityParamsFor(scope), ...settings, out,
		name: options.name ?? (scope ? datasetName(vscode.workspace.getWorkspaceFolder(scope)?.name ?? path.basename(scope.path)) : undefined),
	};
	if (formats) params.formats = formats;
	if (options.preset) params.preset = options.preset;
	return { params, token: options.token, onProgress: options.onProgress };
}

async function askPlan(ctx: Ctx, folder: Pick<vscode.WorkspaceFolder, 'uri' | 'name'> | undefined): Promise<Plan | undefined> {
	const scope = folder?.uri;
	const { out: outSetting, ...settings } = exportSettingsFrom(vscode.workspace.getConfiguration(SECTION, scope));
	const formats = await pickFormats(ctx);
	if (!formats) {
		return undefined;
	}
	const preset = await pickPreset(ctx, scope);
	if (!preset) {
		return undefined;
	}
	const out = datasetsFolder(outSetting, localPath(scope), os.homedir()) ?? await askForDatasetsFolder();
	if (!out) {
		return undefined;
	}
	const name = folder ? datasetName(folder.name) : DEFAULT_DATASET_NAME;
	return { params: { ...qualityParamsFor(scope), ...settings, preset, out, name, formats } };
}

async function run(ctx: Ctx, plan: Plan): Promise<ExportReport | undefined> {
	const progressToken = randomUUID();
	const outcome = await vscode.window.withProgress(
		{ location: vscode.ProgressLocation.Notification, title: `Tracemint: exporting ${plan.params.name ?? 'dataset'}`, cancellable: true },
		async (progress, cancel) => {
			const cancellation = anyCancelled([cancel, plan.token]);
			// Until the first session is written the server brings scores and findings up to date.
			progress.report({ message: 'scoring sessions and applying the gates…' });
			const listener = ctx.onExportProgress(({ token, ...update }) => {
				if (token === progressToken) {
					progress.report({ message: progressText(update) });
					plan.onProgress?.(update);
				}
			});
			try {
				return { report: await ctx.request(ExportDatasetRequest, { ...plan.params, progressToken }, cancellation.token) };
			} catch (error) {
				if ((error as { code?: unknown } | undefined)?.code === LSPErrorCodes.RequestCancelled) {
					return { cancelled: true as const };
				}
				throw error;
			} finally {
				listener.dispose();
				cancellation.dispose();
			}
		},
	);
	if ('cancelled' in outcome) {
		void vscode.window.showInformationMessage('Tracemint: export cancelled; nothing was written.');
		return undefined;
	}
	const report = outcome.report;
	if (report) {
		ctx.output.info(`export: ${JSON.stringify({ out: report.out, counts: report.counts, pairs: report.pairs, sessions: report.sessions, gates: report.gates?.counts })}`);
		void announce(report);
	}
	return report;
}

/** Not awaited by the command: automation gets the report without waiting for a click. */
async function announce(report: ExportReport): Promise<void> {
	const gates = report.gates ? ` ${gatesSummary(report.gates)}` : '';
	const { exported, skippedNotOptedIn, skippedEmpty } = report.sessions;
	if (exported === 0) {
		void vscode.window.showWarningMessage(
			`Tracemint: no session was exported (${skippedNotOptedIn} not opted in, ${skippedEmpty} empty).${gates} `
			+ 'Opt sessions in from the Sessions view first; the tree shows why the gates reject a session.',
		);
		return;
	}
	const openCard = 'Open Dataset Card';
	const reveal = 'Reveal Folder';
	const warnings = formatWarnings(report);
	const message = `Tracemint: ${exportSummary(report)}${gates}${warnings.length > 0 ? ` Check: ${warnings.join('; ')}.` : ''}`;
	const show = warnings.length > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
	const choice = await show(message, openCard, reveal);
	if (choice === openCard) {
		await showCard(report.card);
	} else if (choice === reveal) {
		await revealFolder(report.out);
	}
}

async function pickWorkspaceFolder(): Promise<{ folder: vscode.WorkspaceFolder | undefined } | undefined> {
	const folders = vscode.workspace.workspaceFolders ?? [];
	if (folders.length <= 1) {
		return { folder: folders[0] };
	}
	const folder = await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Export a dataset of which workspace folder?' });
	return folder && { folder };
}

async function pickFormats(ctx: Ctx): Promise<FormatName[] | undefined> {
	const last = rememberedFormats(ctx.extension.workspaceState.get(FORMATS_KEY)) ?? DEFAULT_FORMATS;
	const items = FORMAT_NAMES.map((format) => ({ format, label: format, description: FORMAT_DESCRIPTIONS[format], picked: last.includes(format) }));
	const picked = await vscode.window.showQuickPick(items, {
		title: 'Export dataset (1/2): formats', placeHolder: 'Each format is written to its own folder', canPickMany: true, ignoreFocusOut: true,
	});
	if (!picked) {
		return undefined;
	}
	if (picked.length === 0) {
		void vscode.window.showWarningMessage('Tracemint: choose at least one format to export.');
		return undefined;
	}
	const formats = picked.map((item) => item.format);
	await ctx.extension.workspaceState.update(FORMATS_KEY, formats);
	return formats;
}

async function pickPreset(ctx: Ctx, scope: vscode.Uri | undefined): Promise<PresetName | undefined> {
	const remembered: unknown = ctx.extension.workspaceState.get(PRESET_KEY);
	const current = isPresetName(remembered) ? remembered : qualityParamsFor(scope).preset ?? 'balanced';
	const texts = presetDescriptions(ctx.extension.extension.packageJSON);
	const items = PRESET_NAMES.map((preset) => ({ preset, label: preset, description: preset === current ? 'current' : undefined, detail: texts[preset] }));
	const picked = await pickOne(items, items.find((item) => item.preset === current), 'Export dataset (2/2): quality gate preset');
	if (picked) {
		await ctx.extension.workspaceState.update(PRESET_KEY, picked.preset);
	}
	return picked?.preset;
}

/** showQuickPick cannot focus an item other than the first; the last choice should be the one Enter takes. */
function pickOne<T extends vscode.QuickPickItem>(items: T[], active: T | undefined, title: string): Promise<T | undefined> {
	return new Promise((resolve) => {
		const quickPick = vscode.window.createQuickPick<T>();
		let chosen: T | undefined;
		quickPick.title = title;
		quickPick.items = items;
		quickPick.ignoreFocusOut = true;
		if (active) {
			quickPick.activeItems = [active];
		}
		quickPick.onDidAccept(() => {
			chosen = quickPick.selectedItems[0] ?? quickPick.activeItems[0];
			quickPick.hide();
		});
		quickPick.onDidHide(() => {
			quickPick.dispose();
			resolve(chosen);
		});
		quickPick.show();
	});
}

async function askForDatasetsFolder(): Promise<string | undefined> {
	// An input box rather than a folder dialog: the default folder usually does not exist yet.
	const answer = await vscode.window.showInputBox({
		title: 'Export dataset',
		prompt: 'Folder that holds your datasets (created if missing); each export adds a version folder below it',
		value: path.join(os.homedir(), '.tracemint', 'datasets'),
		validateInput: (value) => path.isAbsolute(value.trim()) ? undefined : 'Enter an absolute path.',
	});
	return answer?.trim() || undefined;
}

/** The backend writes to the local file system, so only a `file:` folder gives a default there. */
function localPath(uri: vscode.Uri | undefined): string | undefined {
	return uri?.scheme === 'file' ? uri.fsPath : undefined;
}

/** One token cancelled when any of `tokens` is (already cancelled ones included). */
function anyCancelled(tokens: (vscode.CancellationToken | undefined)[]): { token: vscode.CancellationToken; dispose(): void } {
	const source = new vscode.CancellationTokenSource();
	const listeners = tokens.flatMap((token) => token ? [token.onCancellationRequested(() => source.cancel())] : []);
	if (tokens.some((token) => token?.isCancellationRequested)) {
		source.cancel();
	}
	return {
		token: source.token,
		dispose: () => {
			listeners.forEach((listener) => listener.dispose());
			source.dispose();
		},
	};
}

/** The Markdown preview, or the file itself where there is no preview. */
async function showCard(card: string): Promise<void> {
	const uri = vscode.Uri.file(card);
	try {
		await vscode.commands.executeCommand('markdown.showPreview', uri);
	} catch {
		await vscode.window.showTextDocument(uri, { preview: true });
	}
}
