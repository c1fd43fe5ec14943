/**
 * `tracemint.import.intervalSeconds`: re-imports every agent's default locations in the
 * background while the window is focused, so the Sessions view, the status bar and the consent
 * prompts follow the session the agent is writing. A re-import with nothing changed is cheap
 * (unchanged files are skipped), and the server reports real changes with StoreChanged.
 */
import * as vscode from 'vscode';
import { ImportSessionsRequest } from '../../shared/lsp';
import { SECTION, settingsFor } from './config';
import { messageOf, type Ctx } from './ctx';
import { importSummary } from './commands/importNow';

export class BackgroundImport implements vscode.Disposable {
	private timer: NodeJS.Timeout | undefined;
	private intervalMs = 0;
	private lastRun = 0;
	private inFlight: Promise<void> | undefined;
	private readonly listeners: vscode.Disposable[];

	constructor(private readonly ctx: Ctx) {
		this.listeners = [
			vscode.workspace.onDidChangeConfiguration((event) => {
				if (event.affectsConfiguration(`${SECTION}.import.intervalSeconds`)) this.schedule();
			}),
			// Catch up on what was written while the window was in the background.
			vscode.window.onDidChangeWindowState((state) => {
				if (state.focused && this.intervalMs > 0 && Date.now() - this.lastRun >= this.intervalMs) void this.run();
			}),
		];
		this.schedule();
	}

	/** One import now, unless one is running (then that one); quiet when the backend is down. */
	run(): Promise<void> {
		this.inFlight ??= this.importOnce().finally(() => {
			this.inFlight = undefined;
		});
		return this.inFlight;
	}

	dispose(): void {
		clearInterval(this.timer);
		for (const listener of this.listeners) {
			listener.dispose();
		}
	}

	private schedule(): void {
		clearInterval(this.timer);
		this.timer = undefined;
		this.intervalMs = settingsFor(undefined).importIntervalSeconds * 1000;
		if (this.intervalMs > 0) {
			this.timer = setInterval(() => {
				if (vscode.window.state.focused) void this.run();
			}, this.intervalMs);
		}
	}

	private async importOnce(): Promise<void> {
		this.lastRun = Date.now();
		const client = await this.ctx.runningClient();
		if (!client) {
			return;
		}
		try {
			const report = await client.sendRequest(ImportSessionsRequest, {});
			if (report.sessions.added + report.sessions.updated > 0) {
				this.ctx.output.info(`background import: ${importSummary(report)}`);
			}
		} catch (error) {
			this.ctx.output.warn(`background import: ${messageOf(error)}`);
		}
	}
}
