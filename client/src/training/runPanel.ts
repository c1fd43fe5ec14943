/**
 * The run view (command tracemint.train.showRun): one panel per run, fed after the page says it
 * is ready with the run, its metrics so far and its config summary, then with each new metrics
 * line and record change. The page's buttons become the training commands for its run.
 *
 * Privacy: the page gets the run record and metrics only (redacted by the server); no log text.
 */
import * as vscode from 'vscode';
import {
	RunViewActionCommand, RunViewMetricsNotification, RunViewReadyCommand, RunViewRenderedCommand, RunViewRunNotification, RunViewStateNotification,
	type RunViewAction, type RunViewRendered,
} from '../../../shared/webviewProtocol';
import { messageOf, type Ctx } from '../ctx';
import { webviewHtml, webviewOptions } from '../webviews/webviewHtml';
import type { TrainingRuns } from './trainingRuns';
import { configSummary, runLabel } from './trainingText';

/** Also in package.json (`onWebviewPanel:` activation), so a kept run view comes back after a reload. */
export const RUN_VIEW_TYPE = 'tracemint.trainingRun';

/** Each page button → the command that does it, with the run's id. */
const ACTIONS: Record<RunViewAction, string> = {
	cancel: 'tracemint.train.cancel',
	fetch: 'tracemint.train.fetch',
	showLog: 'tracemint.train.showLog',
	revealAdapter: 'tracemint.train.revealAdapter',
};

/** What showRun returns: for tests, and for callers that reveal the panel. */
export interface RunPanelHandle {
	readonly panel: vscode.WebviewPanel;
	readonly rendered: RunViewRendered | undefined;
}

export class RunPanel implements RunPanelHandle {
	private static readonly open = new Map<string, RunPanel>();

	/** Reveals the run's panel, or opens one. */
	static show(ctx: Ctx, runs: TrainingRuns, id: string): RunPanel {
		const existing = RunPanel.open.get(id);
		if (existing) {
			existing.panel.reveal();
			return existing;
		}
		const run = runs.get(id);
		const panel = vscode.window.createWebviewPanel(RUN_VIEW_TYPE, `Run ${run ? runLabel(run) : id}`, vscode.ViewColumn.Active, {
			...webviewOptions(ctx.extension.extensionUri),
			// Hidden, the page is thrown away; it asks again when shown, and the metrics are kept here.
			retainContextWhenHidden: false,
		});
		const created = new RunPanel(ctx, runs, id, panel);
		RunPanel.open.set(id, created);
		return created;
	}

	/**
	 * Brings back a run view VS Code kept across a window reload: the page saved its run's id
	 * (webview state). Ids this window cannot list (a forgotten run, another folder's) close it.
	 */
	static async restore(ctx: Ctx, runs: TrainingRuns, panel: vscode.WebviewPanel, state: unknown): Promise<RunPanelHandle | undefined> {
		const id = (state as { runId?: unknown } | undefined)?.runId;
		if (typeof id !== 'string' || RunPanel.open.has(id)) {
			panel.dispose();
			return undefined;
		}
		panel.webview.options = webviewOptions(ctx.extension.extensionUri);
		const restored = new RunPanel(ctx, runs, id, panel);
		RunPanel.open.set(id, restored);
		if (!runs.get(id)) await runs.refresh();
		if (!runs.get(id)) {
			panel.dispose();
			return undefined;
		}
		// The page may have asked before the list was loaded; the replay below streams the rest.
		if (restored.ready) await restored.sendState();
		await runs.follow(id).catch((error: unknown) => ctx.output.warn(`training run view: following run ${id}: ${messageOf(error)}`));
		return restored;
	}

	rendered: RunViewRendered | undefined;
	private ready = false;
	private readonly disposables: vscode.Disposable[] = [];

	private constructor(private readonly ctx: Ctx, private readonly runs: TrainingRuns, private readonly id: string, readonly panel: vscode.WebviewPanel) {
		panel.iconPath = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'tracemint.svg');
		panel.webview.html = webviewHtml(panel.webview, ctx.extension.extensionUri, { title: 'Training Run', script: 'training.js', styles: ['webview.css', 'training.css'] });
		this.disposables.push(
			panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
			panel.onDidChangeViewState(() => {
				if (!panel.visible) this.ready = false;
			}),
			runs.onMetrics(({ run, metrics }) => {
				if (run === id && this.ready) void panel.webview.postMessage(RunViewMetricsNotification.message({ runId: id, metrics }));
			}),
			runs.onRun(({ run, error }) => {
				if (run.id !== id) return;
				panel.title = `Run ${runLabel(run)}`;
				if (this.ready) void panel.webview.postMessage(RunViewRunNotification.message({ run, problem: error }));
			}),
			panel.onDidDispose(() => this.dispose()),
		);
		ctx.push(panel);
	}

	private receive(message: unknown): void {
		if (typeof message !== 'object' || message === null) return;
		const { method, params } = message as { method?: unknown; params?: Record<string, unknown> };
		switch (method) {
			case RunViewReadyCommand.method:
				this.ready = true;
				void this.sendState();
				return;
			case RunViewRenderedCommand.method:
				this.rendered = params as unknown as RunViewRendered;
				return;
			case RunViewActionCommand.method: {
				const command = ACTIONS[params?.action as RunViewAction];
				if (command) void vscode.commands.executeCommand(command, this.id);
				return;
			}
			default:
				this.ctx.output.warn(`training run view: unknown message from the page: ${String(method)}`);
		}
	}

	private async sendState(): Promise<void> {
		const run = this.runs.get(this.id);
		if (!run) {
			this.ctx.output.warn(`training run view: run ${this.id} is not in the list`);
			return;
		}
		const problem = this.ctx.state === 'running' ? undefined : `The Tracemint backend is ${this.ctx.state}; the run is shown as last recorded.`;
		await this.panel.webview.postMessage(RunViewStateNotification.message({
			run, metrics: this.runs.metricsOf(this.id), summary: configSummary(run.config), problem,
		}));
	}

	private dispose(): void {
		RunPanel.open.delete(this.id);
		this.ready = false;
		for (const disposable of this.disposables.splice(0)) disposable.dispose();
	}
}
