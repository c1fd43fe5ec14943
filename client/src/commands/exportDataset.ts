/**
 * Writes the opted-in sessions that pass the quality gates as a dataset folder (splits plus a
 * manifest), under the reward, gate and split settings of the folder it writes to.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExportReport } from '../../../shared/protocol';
import { ExportDatasetRequest } from '../../../shared/lsp';
import { folderScope, qualityParamsFor } from '../config';
import type { CommandFactory } from '../ctx';
import { gatesSummary } from '../quality/qualityText';
import { plural } from '../text';

/** `out` is for automation and tests; otherwise the user is asked, with a default in the workspace. */
export const exportDataset: CommandFactory = (ctx) => async (out?: unknown): Promise<ExportReport | undefined> => {
	const folder = typeof out === 'string' && out.length > 0 ? out : await askForFolder();
	if (!folder) {
		return undefined;
	}
	const report = await vscode.window.withProgress(
		{ location: vscode.ProgressLocation.Notification, title: 'Tracemint: exporting dataset…' },
		() => ctx.request(ExportDatasetRequest, { ...qualityParamsFor(folderScope(folder) ?? vscode.workspace.workspaceFolders?.[0]?.uri), out: folder }),
	);
	if (!report) {
		return undefined;
	}
	const { exported, skippedNotOptedIn, skippedEmpty } = report.sessions;
	const gates = report.gates ? ` ${gatesSummary(report.gates)}` : '';
	ctx.output.info(`export: ${JSON.stringify({ out: report.out, counts: report.counts, sessions: report.sessions, gates: report.gates?.counts })}`);
	if (exported === 0) {
		void vscode.window.showWarningMessage(
			`Tracemint: no session was exported (${skippedNotOptedIn} not opted in, ${skippedEmpty} empty).${gates} `
			+ 'Opt sessions in from the Sessions view first; the tree shows why the gates reject a session.',
		);
		return report;
	}
	const { train, validation, test } = report.counts;
	const reveal = 'Reveal';
	void vscode.window.showInformationMessage(
		`Tracemint: exported ${plural(exported, 'session')} to ${report.out}: ${train} train, ${validation} validation, ${test} test`
		+ (skippedNotOptedIn > 0 ? ` (${skippedNotOptedIn} not opted in, skipped).` : '.') + gates,
		reveal,
	).then((choice) => choice === reveal ? revealFolder(report.manifest || report.out) : undefined);
	return report;
};


async function askForFolder(): Promise<string | undefined> {
	const first = vscode.workspace.workspaceFolders?.[0];
	// An input box rather than a folder dialog: the default folder usually does not exist yet.
	const base = first?.uri.scheme === 'file' ? first.uri.fsPath : os.homedir();
	const answer = await vscode.window.showInputBox({
		title: 'Export dataset',
		prompt: 'Folder to write the dataset to (created if missing)',
		value: path.join(base, 'tracemint-out'),
		validateInput: (value) => path.isAbsolute(value.trim()) ? undefined : 'Enter an absolute path.',
	});
	return answer?.trim() || undefined;
}

/** In the Explorer when the folder is in the workspace, else in the OS file manager. */
function revealFolder(target: string): Thenable<unknown> {
	const uri = vscode.Uri.file(target);
	return vscode.workspace.getWorkspaceFolder(uri)
		? vscode.commands.executeCommand('revealInExplorer', uri)
		: vscode.commands.executeCommand('revealFileInOS', uri);
}
