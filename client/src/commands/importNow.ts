/** Imports agent session logs into the store: the given paths, or every agent's default locations. */
import * as vscode from 'vscode';
import type { ImportReport } from '../../../shared/protocol';
import { ImportSessionsRequest } from '../../../shared/lsp';
import type { CommandFactory } from '../ctx';
import { plural } from '../text';

/** `paths` is for automation and tests; the palette and the view title pass nothing. */
export const importNow: CommandFactory = (ctx) => async (paths?: unknown): Promise<ImportReport | undefined> => {
	const params = isStringArray(paths) && paths.length > 0 ? { paths } : {};
	const report = await vscode.window.withProgress(
		{ location: vscode.ProgressLocation.Notification, title: 'Tracemint: importing sessions…' },
		() => ctx.request(ImportSessionsRequest, params),
	);
	if (!report) {
		return undefined;
	}
	for (const warning of report.warnings) {
		ctx.output.warn(`import: ${warning.file}${warning.line ? `:${warning.line}` : ''}: ${warning.message}`);
	}
	const summary = importSummary(report);
	ctx.output.info(`import: ${summary}`);
	const showOutput = 'Show Output';
	const show = report.warnings.length > 0
		? vscode.window.showWarningMessage(`Tracemint: ${summary}`, showOutput)
		: vscode.window.showInformationMessage(`Tracemint: ${summary}`);
	void show.then((choice) => {
		if (choice === showOutput) {
			ctx.output.show();
		}
	});
	return report;
};

export function importSummary(report: ImportReport): string {
	const { added, updated, unchanged } = report.sessions;
	const parts = [`${plural(added, 'new session')}, ${updated} updated, ${unchanged} unchanged`];
	parts.push(`from ${plural(report.files.read, 'file')} read (${report.files.unchanged} unchanged)`);
	if (report.malformed > 0 || report.torn > 0) {
		parts.push(`${plural(report.malformed, 'malformed line')}, ${report.torn} torn`);
	}
	if (report.warnings.length > 0) {
		parts.push(plural(report.warnings.length, 'warning'));
	}
	return `${parts.join('; ')}.`;
}

function isStringArray(value: unknown): value is string[] {
	return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
