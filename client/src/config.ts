/**
 * Typed view of the `tracemint.*` configuration. Settings are normalised once, through the
 * same `settingsFrom` the server's settings type comes from, so both sides agree on defaults.
 */
import * as vscode from 'vscode';
import type { QualityParams } from '../../shared/protocol';
import { qualityParamsFrom, restartRequiredSettings, settingsFrom, type Settings } from '../../shared/settings';

export const SECTION = 'tracemint';

export class Config implements vscode.Disposable {
	private readonly listener: vscode.Disposable;

	/**
	 * @param onRestartNeeded called when the user agreed to restart after changing a setting the
	 *  running backend cannot pick up (store path, runtime)
	 * @param onChanged called with the new settings after any other `tracemint.*` change
	 */
	constructor(
		private readonly onRestartNeeded: () => Promise<void>,
		private readonly onChanged: (settings: Settings) => void,
	) {
		this.listener = vscode.workspace.onDidChangeConfiguration((event) => this.changed(event));
	}

	get settings(): Settings {
		return settingsFor(undefined);
	}

	dispose(): void {
		this.listener.dispose();
	}

	private async changed(event: vscode.ConfigurationChangeEvent): Promise<void> {
		if (!event.affectsConfiguration(SECTION)) {
			return;
		}
		this.onChanged(this.settings);
		if (!restartRequiredSettings.some((key) => event.affectsConfiguration(key))) {
			return;
		}
		const restart = 'Restart Backend';
		const choice = await vscode.window.showInformationMessage(
			'Tracemint: the changed setting takes effect after the backend restarts.', restart,
		);
		if (choice === restart) {
			await this.onRestartNeeded();
		}
	}
}

/** The settings for a resource scope (a workspace folder), or the window's when undefined. */
export function settingsFor(scope: vscode.Uri | undefined): Settings {
	return settingsFrom(vscode.workspace.getConfiguration(SECTION, scope));
}

/**
 * The reward, gate and split settings for a scope (a session's or the export folder's workspace
 * folder), or the window's when undefined; only what the user set is sent.
 */
export function qualityParamsFor(scope: vscode.Uri | undefined): QualityParams {
	return qualityParamsFrom(vscode.workspace.getConfiguration(SECTION, scope));
}

/** The workspace folder that holds a file path, for reading a resource setting in its scope. */
export function folderScope(fsPath: string | null | undefined): vscode.Uri | undefined {
	return fsPath ? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(fsPath))?.uri : undefined;
}

/** Opens the Settings editor on one of our keys (used by error messages that suggest a fix). */
export function openSetting(key: string): Thenable<unknown> {
	return vscode.commands.executeCommand('workbench.action.openSettings', key);
}
