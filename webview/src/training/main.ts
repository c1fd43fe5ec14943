/**
 * Training run view (bundle webview/out/training.js): one run's state, loss chart, throughput
 * and config. The host sends the whole state after `ready` (again after every reload of the
 * page), then appends metrics and replaces the run record as the run goes on.
 */
import type { RunMetricDto, TrainRunInfo } from '../../../shared/training';
import {
	RunViewActionCommand, RunViewMetricsNotification, RunViewReadyCommand, RunViewRenderedCommand, RunViewRunNotification, RunViewStateNotification,
	type IpcMessage, type RunViewState,
} from '../../../shared/webviewProtocol';
import { createHostIpc } from '../hostIpc';
import { startPage } from '../page';
import { RunView } from './view';

// Registered before anything renders, so a violation from the very first paint is counted too.
const cspViolations: string[] = [];
document.addEventListener('securitypolicyviolation', (event) => {
	const where = event.sourceFile ? ` at ${event.sourceFile}:${event.lineNumber}` : '';
	cspViolations.push(`${event.effectiveDirective} ${event.blockedURI || 'inline'}${where} ${event.sample}`.trim());
});

class RunPage {
	private readonly host = createHostIpc();
	private readonly view: RunView;
	private state: RunViewState | undefined;
	private scheduled = false;

	constructor(root: HTMLElement) {
		this.view = new RunView(root, { action: (action) => this.host.post(RunViewActionCommand.message({ action })) });
		window.addEventListener('message', (event: MessageEvent<IpcMessage>) => this.receive(event.data));
		this.host.post(RunViewReadyCommand.message({}));
	}

	private receive(message: IpcMessage | undefined): void {
		switch (message?.method) {
			case RunViewStateNotification.method:
				this.state = message.params as RunViewState;
				// Kept by VS Code across a window reload, so the view can be brought back (RunPanel.restore).
				this.host.setState({ runId: this.state.run.id });
				break;
			case RunViewMetricsNotification.method: {
				const { runId, metrics } = message.params as { runId: string; metrics: RunMetricDto[] };
				if (!this.state || this.state.run.id !== runId) return;
				this.state = { ...this.state, metrics: [...this.state.metrics, ...metrics] };
				break;
			}
			case RunViewRunNotification.method: {
				const { run, problem } = message.params as { run: TrainRunInfo; problem?: string };
				if (!this.state || this.state.run.id !== run.id) return;
				this.state = { ...this.state, run, problem };
				break;
			}
			default:
				return;
		}
		this.schedule();
	}

	/** Metrics arrive in bursts (a replayed log); one render per burst is enough. */
	private schedule(): void {
		if (this.scheduled) return;
		this.scheduled = true;
		setTimeout(() => {
			this.scheduled = false;
			if (!this.state) return;
			const drawn = this.view.render(this.state);
			this.host.post(RunViewRenderedCommand.message({
				runId: this.state.run.id, state: this.state.run.state, ...drawn, cspViolations: [...cspViolations],
			}));
		}, 16);
	}
}

startPage((root) => new RunPage(root));
