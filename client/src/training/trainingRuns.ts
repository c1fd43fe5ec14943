/**
 * The editor's picture of the training runs of the open workspace folders: the records from
 * TrainRuns, the metrics and log streamed by the backend's followers (one output channel per
 * run), a progress notification for each run launched from this window, and what happens when
 * a run ends (a done run's adapter is downloaded into `.tracemint/runs/<run>/`, with an offer to
 * reveal it).
 *
 * Reattaching: whenever the backend (re)starts, every run recorded as unfinished is followed
 * again. A run this window has not shown yet is followed from the start, so its output channel
 * and chart are complete; one it has shown goes on from what was delivered last.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
	TrainFetchRequest, TrainFollowRequest, TrainLogNotification, TrainMetricsNotification, TrainRunsRequest, TrainStateNotification,
} from '../../../shared/lsp';
import type { TrainLog, TrainMetrics, TrainState } from '../../../shared/protocol';
import { isFinalRunState, type RunMetricDto, type TrainRunInfo } from '../../../shared/training';
import { messageOf, type Ctx } from '../ctx';
import { revealFolder } from '../reveal';
import { hasAdapterToFetch, orderRuns, progressIncrement, progressMessage, runEndText, runLabel } from './trainingText';

export const REVEAL_ADAPTER = 'Reveal Adapter';

export class TrainingRuns implements vscode.Disposable {
	/** Preflight reports and the runs' comings and goings. */
	readonly output: vscode.OutputChannel;
	private runs = new Map<string, TrainRunInfo>();
	private readonly metrics = new Map<string, RunMetricDto[]>();
	private readonly channels = new Map<string, vscode.OutputChannel>();
	/** Runs followed from the start in this window: their channel and metrics are complete. */
	private readonly seen = new Set<string>();
	/** Runs with a progress notification open (launched from this window). */
	private readonly watched = new Set<string>();
	private readonly fetching = new Map<string, Promise<unknown>>();
	private readonly changedEmitter = new vscode.EventEmitter<void>();
	private readonly metricsEmitter = new vscode.EventEmitter<TrainMetrics.Params>();
	private readonly runEmitter = new vscode.EventEmitter<TrainState.Params>();
	private readonly disposables: vscode.Disposable[] = [];
	private changeTimer: NodeJS.Timeout | undefined;
	private loaded = false;

	/** The list or a run's record changed (coalesced: the tree redraws at most every 300 ms). */
	readonly onDidChange = this.changedEmitter.event;
	/** New metrics lines of a run, as they arrive. */
	readonly onMetrics = this.metricsEmitter.event;
	/** A run's record changed (state, last metric, adapter), with an error while its follower retries. */
	readonly onRun = this.runEmitter.event;

	constructor(private readonly ctx: Ctx) {
		this.output = vscode.window.createOutputChannel('Tracemint Training');
		this.disposables.push(
			this.output, this.changedEmitter, this.metricsEmitter, this.runEmitter,
			ctx.onDidCreateClient((client) => this.listen(client)),
			ctx.onDidChangeState((state) => {
				if (state === 'running') {
					void this.reattach();
				} else {
					// The followers died with the backend; reattach follows them again.
					for (const run of this.runs.values()) run.following = false;
					this.changed();
				}
			}),
			vscode.workspace.onDidChangeWorkspaceFolders(() => void this.refresh()),
		);
	}

	/** Unfinished runs first, then newest first. */
	list(): TrainRunInfo[] {
		return orderRuns([...this.runs.values()]);
	}

	/** Whether the list came from the backend at least once (the tree says "loading" until then). */
	get isLoaded(): boolean {
		return this.loaded;
	}

	get(id: string): TrainRunInfo | undefined {
		return this.runs.get(id);
	}

	metricsOf(id: string): RunMetricDto[] {
		return this.metrics.get(id) ?? [];
	}

	/** The local workspace folders; runs launched from other projects (the store is shared) are not listed. */
	workspaces(): string[] {
		return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
	}

	/** Reloads the list; `askHosts` also asks the hosts of unfinished runs nobody follows for their state. */
	async refresh(askHosts = false): Promise<void> {
		const client = await this.ctx.runningClient();
		if (!client) return;
		try {
			const runs = await client.sendRequest(TrainRunsRequest, { workspaces: this.workspaces(), refresh: askHosts });
			this.runs = new Map(runs.map((run) => [run.id, this.merge(run)]));
			this.loaded = true;
			this.changed();
		} catch (error) {
			this.output.appendLine(`Listing training runs failed: ${messageOf(error)}`);
		}
	}

	/** Follows every unfinished run again (after a start or restart of the backend). */
	async reattach(): Promise<void> {
		await this.refresh();
		await Promise.all(this.list().filter((run) => !isFinalRunState(run.state)).map((run) => this.follow(run.id).catch((error: unknown) => {
			this.output.appendLine(`Following run ${run.id} failed: ${messageOf(error)}`);
		})));
	}

	/**
	 * Streams a run's log and metrics into this window. A run not shown here yet is replayed from
	 * its start (a finished one too: that is how its chart and log are filled in).
	 */
	async follow(id: string): Promise<TrainRunInfo | undefined> {
		const known = this.runs.get(id);
		// Streaming already, or ended and shown here in full: nothing more will come.
		if (known?.following || (known && isFinalRunState(known.state) && this.seen.has(id))) return known;
		const from = this.seen.has(id) ? 'last' : 'start';
		if (from === 'start') {
			this.metrics.set(id, []);
			this.channels.get(id)?.clear();
			this.seen.add(id);
		}
		try {
			const run = await this.ctx.request(TrainFollowRequest, { run: id, from });
			if (run) this.update(run);
			else if (from === 'start') this.seen.delete(id);
			return run;
		} catch (error) {
			// Nothing was streamed: the next attempt starts from the beginning again.
			if (from === 'start') this.seen.delete(id);
			throw error;
		}
	}

	/** The output channel of a run's log (created on first use). */
	channel(id: string): vscode.OutputChannel {
		let channel = this.channels.get(id);
		if (!channel) {
			channel = vscode.window.createOutputChannel(`Tracemint Run ${id}`);
			this.channels.set(id, channel);
			this.disposables.push(channel);
		}
		return channel;
	}

	/** Shows a run's log, following the run first when this window has not streamed it yet. */
	async showLog(id: string): Promise<void> {
		this.channel(id).show(true);
		if (!this.seen.has(id)) await this.follow(id);
	}

	/** A run launched from this window: follow it and keep a progress notification open until it ends. */
	async launched(run: TrainRunInfo): Promise<void> {
		this.update(run);
		this.seen.add(run.id);
		this.metrics.set(run.id, []);
		this.output.appendLine(`Run ${run.id} started on ${run.host} in ${run.remoteDir}.`);
		await this.follow(run.id);
		this.watchProgress(run.id);
	}

	/** Downloads a done run's adapter; the same run is never downloaded twice at once. */
	fetch(id: string, options: { offerReveal?: boolean } = {}): Promise<string | undefined> {
		const running = this.fetching.get(id) as Promise<string | undefined> | undefined;
		if (running) return running;
		const fetch = (async () => {
			const run = this.runs.get(id);
			const result = await vscode.window.withProgress(
				{ location: vscode.ProgressLocation.Notification, title: `Tracemint: downloading the adapter of ${run ? runLabel(run) : id}…` },
				() => this.ctx.request(TrainFetchRequest, { run: id }),
			);
			if (!result) return undefined;
			this.update(result.run);
			this.output.appendLine(`Run ${id}: ${result.files.length} files downloaded into ${result.dir}.`);
			if (options.offerReveal) {
				void vscode.window.showInformationMessage(`Tracemint: the adapter of run ${id} is in ${result.adapterDir}.`, REVEAL_ADAPTER).then((choice) => {
					if (choice === REVEAL_ADAPTER) void revealFolder(result.adapterDir);
				});
			}
			return result.adapterDir;
		})().finally(() => this.fetching.delete(id));
		this.fetching.set(id, fetch);
		return fetch;
	}

	dispose(): void {
		clearTimeout(this.changeTimer);
		for (const disposable of this.disposables.splice(0).reverse()) disposable.dispose();
	}

	private listen(client: LanguageClient): void {
		client.onNotification(TrainLogNotification, (params) => this.received(params));
		client.onNotification(TrainMetricsNotification, (params) => this.receivedMetrics(params));
		client.onNotification(TrainStateNotification, (params) => this.receivedState(params));
	}

	private received({ run, text }: TrainLog.Params): void {
		this.channel(run).append(text);
	}

	private receivedMetrics(params: TrainMetrics.Params): void {
		const list = this.metrics.get(params.run) ?? [];
		list.push(...params.metrics);
		this.metrics.set(params.run, list);
		const last = params.metrics.findLast((m) => m.loss !== undefined);
		const run = this.runs.get(params.run);
		if (run && last) run.lastMetric = last;
		this.metricsEmitter.fire(params);
		this.changed();
	}

	private receivedState(params: TrainState.Params): void {
		const before = this.runs.get(params.run.id);
		const run = this.update(params.run);
		this.runEmitter.fire({ ...params, run });
		if (params.error) this.output.appendLine(`Run ${run.id} on ${run.host}: ${params.error}`);
		if (isFinalRunState(run.state) && before && !isFinalRunState(before.state)) void this.ended(run);
	}

	/** A followed run ended: say so; download a done run's adapter and offer to reveal it. */
	private async ended(run: TrainRunInfo): Promise<void> {
		this.output.appendLine(`Run ${run.id} ${run.state}${run.detail ? `: ${run.detail}` : ''}.`);
		if (hasAdapterToFetch(run)) {
			try {
				await this.fetch(run.id, { offerReveal: true });
			} catch (error) {
				void vscode.window.showErrorMessage(`Tracemint: run ${run.id} is done, but its adapter could not be downloaded: ${messageOf(error)}`);
			}
			return;
		}
		const { message, severity } = runEndText(run);
		const showLog = 'Show Log';
		const show = severity === 'error' ? vscode.window.showErrorMessage : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
		if ((await show(message, showLog)) === showLog) this.channel(run.id).show(true);
	}

	/**
	 * The notification of a run launched here: step/total, loss and tokens/s. Its Cancel button asks
	 * whether to cancel the run; keeping it running only closes the notification.
	 */
	private watchProgress(id: string): void {
		if (this.watched.has(id)) return;
		this.watched.add(id);
		const run = this.runs.get(id);
		void vscode.window.withProgress(
			{ location: vscode.ProgressLocation.Notification, title: `Tracemint: training ${run ? runLabel(run) : id}`, cancellable: true },
			(progress, token) => new Promise<void>((resolve) => {
				let step = 0;
				const report = (increment = 0) => {
					const current = this.runs.get(id);
					const message = current?.state === 'starting' ? 'starting on the host…' : progressMessage(current?.lastMetric, current?.plannedSteps);
					progress.report({ message, increment });
				};
				report();
				const listeners = [
					this.onMetrics(({ run: runId, metrics }) => {
						if (runId !== id) return;
						const next = Math.max(step, ...metrics.map((m) => m.step ?? 0));
						report(progressIncrement(step, next, this.runs.get(id)?.plannedSteps));
						step = next;
					}),
					this.onRun(({ run: changed }) => {
						if (changed.id !== id) return;
						if (isFinalRunState(changed.state)) finish();
						else report();
					}),
					token.onCancellationRequested(() => {
						finish();
						void this.askCancel(id);
					}),
				];
				const finish = () => {
					listeners.forEach((l) => l.dispose());
					this.watched.delete(id);
					resolve();
				};
			}),
		);
	}

	private async askCancel(id: string): Promise<void> {
		const run = this.runs.get(id);
		if (!run || isFinalRunState(run.state)) return;
		await vscode.commands.executeCommand('tracemint.train.cancel', id);
	}

	/** Keeps what this window knows better than a record from the list (the newest metric seen). */
	private merge(run: TrainRunInfo): TrainRunInfo {
		const known = this.runs.get(run.id);
		return known?.lastMetric && !run.lastMetric ? { ...run, lastMetric: known.lastMetric } : run;
	}

	private update(run: TrainRunInfo): TrainRunInfo {
		const merged = this.merge(run);
		this.runs.set(run.id, merged);
		this.changed();
		return merged;
	}

	private changed(): void {
		this.changeTimer ??= setTimeout(() => {
			this.changeTimer = undefined;
			this.changedEmitter.fire();
		}, 300);
	}
}
