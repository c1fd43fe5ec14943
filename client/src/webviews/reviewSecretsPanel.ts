/**
 * The "Tracemint: Review Secrets" panel (command tracemint.reviewSecrets): one panel at most,
 * fed with ListFindings after the page says it is ready and again after every store change
 * while it is open. The page's commands become DecideFindings / SetSessionBlock requests.
 *
 * Privacy: the page only ever gets what ListFindings returns (FindingDto: a mask plus context
 * the server has already redacted); this module never reads session content itself.
 */
import * as vscode from 'vscode';
import { DecideFindingsRequest, ListFindingsRequest, SetSessionBlockRequest } from '../../../shared/lsp';
import type { FindingDecision } from '../../../shared/protocol';
import {
	ReviewBlockCommand, ReviewDecideCommand, ReviewOpenTranscriptCommand, ReviewReadyCommand, ReviewRenderedCommand, ReviewStateNotification,
	type ReviewRendered, type ReviewState,
} from '../../../shared/webviewProtocol';
import { messageOf, type CommandFactory, type Ctx } from '../ctx';
import { webviewHtml, webviewOptions } from './webviewHtml';

const VIEW_TYPE = 'tracemint.reviewSecrets';
const DECISIONS: readonly FindingDecision[] = ['confirm', 'false-positive', 'reopen'];

/** What the command returns: enough for the e2e suite to wait for the real page, and for callers to reveal it. */
export interface ReviewSecretsHandle {
	readonly panel: vscode.WebviewPanel;
	/** The page's latest report of what it shows, if it has rendered findings yet. */
	readonly rendered: ReviewRendered | undefined;
	/** Resolves with the first report (the latest included) that satisfies `test`. */
	waitForRender(test: (rendered: ReviewRendered) => boolean, timeoutMs?: number): Promise<ReviewRendered>;
}

export const reviewSecrets: CommandFactory = (ctx) => (): ReviewSecretsHandle => ReviewSecretsPanel.show(ctx);

class ReviewSecretsPanel implements ReviewSecretsHandle {
	private static current: ReviewSecretsPanel | undefined;

	/** Reveals the open panel, or opens one. */
	static show(ctx: Ctx): ReviewSecretsPanel {
		if (ReviewSecretsPanel.current) {
			ReviewSecretsPanel.current.panel.reveal();
			return ReviewSecretsPanel.current;
		}
		const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Tracemint: Review Secrets', vscode.ViewColumn.Active, {
			...webviewOptions(ctx.extension.extensionUri),
			// Hidden, the page is thrown away; it keeps its filters and selection with setState and asks again.
			retainContextWhenHidden: false,
		});
		ReviewSecretsPanel.current = new ReviewSecretsPanel(ctx, panel);
		return ReviewSecretsPanel.current;
	}

	rendered: ReviewRendered | undefined;
	/** True between the page's ready and its disposal or hiding: only then can it receive state. */
	private ready = false;
	private refreshing: Promise<void> | undefined;
	private refreshAgain = false;
	private readonly renderWaiters = new Set<(rendered: ReviewRendered) => void>();
	private readonly disposables: vscode.Disposable[] = [];

	private constructor(private readonly ctx: Ctx, readonly panel: vscode.WebviewPanel) {
		panel.iconPath = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'tracemint.svg');
		panel.webview.html = webviewHtml(panel.webview, ctx.extension.extensionUri, {
			title: 'Review Secrets', script: 'review.js', styles: ['webview.css', 'review.css'],
		});
		this.disposables.push(
			panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
			panel.onDidChangeViewState(() => {
				// A hidden page is discarded; the one shown next announces itself with a new ready.
				if (!panel.visible) this.ready = false;
			}),
			ctx.onStoreChanged(() => this.refresh()),
			// A backend that comes up (or goes down) changes what the page can show.
			ctx.onDidChangeState(() => this.refresh()),
			panel.onDidDispose(() => this.dispose()),
		);
		ctx.push(panel);
	}

	waitForRender(test: (rendered: ReviewRendered) => boolean, timeoutMs = 15_000): Promise<ReviewRendered> {
		if (this.rendered && test(this.rendered)) return Promise.resolve(this.rendered);
		return new Promise((resolve, reject) => {
			const waiter = (rendered: ReviewRendered) => {
				if (!test(rendered)) return;
				cleanup();
				resolve(rendered);
			};
			const timer = setTimeout(() => {
				cleanup();
				reject(new Error(`the Review Secrets page did not render as expected within ${timeoutMs} ms; last: ${JSON.stringify(this.rendered)}`));
			}, timeoutMs);
			const cleanup = () => {
				clearTimeout(timer);
				this.renderWaiters.delete(waiter);
			};
			this.renderWaiters.add(waiter);
		});
	}

	/** Messages from the page are checked before use: typed on our side, but only data on the wire. */
	private receive(message: unknown): void {
		if (typeof message !== 'object' || message === null) return;
		const { method, params } = message as { method?: unknown; params?: Record<string, unknown> };
		switch (method) {
			case ReviewReadyCommand.method:
				this.ready = true;
				this.refresh();
				return;
			case ReviewRenderedCommand.method:
				this.rendered = params as unknown as ReviewRendered;
				for (const waiter of [...this.renderWaiters]) waiter(this.rendered);
				return;
			case ReviewDecideCommand.method: {
				const ids = Array.isArray(params?.ids) ? params.ids.filter((id): id is number => Number.isInteger(id)) : [];
				const decision = params?.decision as FindingDecision;
				if (ids.length > 0 && DECISIONS.includes(decision)) {
					void this.act(async () => (await this.ctx.request(DecideFindingsRequest, { ids, decision }))?.sessionIds);
				}
				return;
			}
			case ReviewBlockCommand.method: {
				const ids = Array.isArray(params?.sessionIds) ? params.sessionIds.filter((id): id is string => typeof id === 'string') : [];
				const decision = params?.decision;
				if (ids.length > 0 && (decision === 'block' || decision === 'release')) {
					void this.act(async () => (await this.ctx.request(SetSessionBlockRequest, { ids, decision }))?.changed);
				}
				return;
			}
			case ReviewOpenTranscriptCommand.method:
				if (typeof params?.sessionId === 'string') {
					void vscode.commands.executeCommand('tracemint.openTranscript', params.sessionId);
				}
				return;
			default:
				this.ctx.output.warn(`review secrets: unknown message from the page: ${String(method)}`);
		}
	}

	/**
	 * Runs a request that answers with the sessions it touched. When there are some, the server has
	 * already sent StoreChanged for them (before its answer), which refreshes the page; otherwise
	 * (nothing touched, an error, a backend that is down) refresh here, so the page's "saving…" clears.
	 */
	private async act(request: () => Promise<string[] | undefined>): Promise<void> {
		let touched: string[] | undefined;
		try {
			touched = await request();
		} catch (error) {
			this.ctx.output.error(`review secrets: ${messageOf(error)}`);
			void vscode.window.showErrorMessage(`Tracemint: ${messageOf(error)}`);
		}
		if (!touched?.length) {
			this.refresh();
		}
	}

	/** Sends fresh state; calls during a refresh coalesce into one more, so the page never ends on stale data. */
	private refresh(): void {
		if (!this.ready) return;
		if (this.refreshing) {
			this.refreshAgain = true;
			return;
		}
		this.refreshing = this.sendState().finally(() => {
			this.refreshing = undefined;
			if (this.refreshAgain) {
				this.refreshAgain = false;
				this.refresh();
			}
		});
	}

	private async sendState(): Promise<void> {
		let state: ReviewState;
		try {
			// Quietly: a refresh must not pop up "backend not running" toasts; the page says it instead.
			const client = await this.ctx.runningClient();
			state = client
				? await client.sendRequest(ListFindingsRequest, {})
				: { findings: [], sessions: [], rulesVersion: 0, problem: `The Tracemint backend is ${this.ctx.state}; findings cannot be listed.` };
		} catch (error) {
			state = { findings: [], sessions: [], rulesVersion: 0, problem: `Findings could not be listed: ${messageOf(error)}` };
		}
		if (this.ready) {
			await this.panel.webview.postMessage(ReviewStateNotification.message(state));
		}
	}

	private dispose(): void {
		ReviewSecretsPanel.current = undefined;
		this.ready = false;
		for (const disposable of this.disposables.splice(0)) disposable.dispose();
	}
}
