/**
 * The status bar item for the session the agent is writing now in this workspace (see
 * consent/workspaceSessions.ts for how it is chosen): agent, reward, findings and consent.
 * Clicking it offers the session's actions (commands/currentSession.ts).
 */
import * as vscode from 'vscode';
import { ListFindingsRequest, ListSessionsRequest } from '../../../shared/lsp';
import { folderScope } from '../config';
import { currentSession, isLive, LIVE_WINDOW_MS } from '../consent/workspaceSessions';
import { messageOf, type Ctx } from '../ctx';
import type { QualityReports } from '../quality/qualityReports';
import { escapeMarkdown } from '../text';
import { statusRows, statusText, type CurrentSessionFacts } from './currentSessionText';

export const CURRENT_SESSION_COMMAND = 'tracemint.currentSession';

export class CurrentSessionStatus implements vscode.Disposable {
	readonly item = vscode.window.createStatusBarItem('tracemint.currentSession', vscode.StatusBarAlignment.Left, 0);
	private shown: CurrentSessionFacts | undefined;
	private running: Promise<unknown> = Promise.resolve();
	private queued: Promise<CurrentSessionFacts | undefined> | undefined;
	private readonly listeners: vscode.Disposable[];

	constructor(private readonly ctx: Ctx, private readonly quality: QualityReports) {
		this.item.name = 'Tracemint: Current Session';
		const refresh = () => void this.refresh();
		// "live" fades without any store change, so redraw at least once per live window's fraction.
		const timer = setInterval(refresh, LIVE_WINDOW_MS / 5);
		this.listeners = [
			this.item,
			{ dispose: () => clearInterval(timer) },
			ctx.onStoreChanged(refresh),
			ctx.onDidChangeState(refresh),
			quality.onDidChangeSettings(refresh),
			vscode.workspace.onDidChangeWorkspaceFolders(refresh),
		];
		refresh();
	}

	/** What the item shows now; undefined while it is hidden. */
	get facts(): CurrentSessionFacts | undefined {
		return this.shown;
	}

	/** Redraws from the store; calls made while one runs share the next one. Resolves with what it shows. */
	refresh(): Promise<CurrentSessionFacts | undefined> {
		if (!this.queued) {
			const next = this.running.then(() => {
				this.queued = undefined;
				return this.update();
			});
			this.queued = next;
			this.running = next.catch(() => undefined);
		}
		return this.queued;
	}

	dispose(): void {
		for (const listener of this.listeners) {
			listener.dispose();
		}
	}

	private async update(): Promise<CurrentSessionFacts | undefined> {
		try {
			this.shown = await this.load();
		} catch (error) {
			this.ctx.output.warn(`current session: ${messageOf(error)}`);
			this.shown = undefined;
		}
		this.draw(this.shown);
		return this.shown;
	}

	private async load(): Promise<CurrentSessionFacts | undefined> {
		const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath);
		const client = folders.length > 0 ? await this.ctx.runningClient() : undefined;
		if (!client) {
			return undefined;
		}
		const session = currentSession(await client.sendRequest(ListSessionsRequest, {}), folders);
		if (!session) {
			return undefined;
		}
		const [gate, findings] = await Promise.all([
			this.quality.gateOf(session.id, folderScope(session.cwd ?? session.workspace)),
			client.sendRequest(ListFindingsRequest, { sessionId: session.id, states: [] }),
		]);
		const summary = findings.sessions.find((s) => s.sessionId === session.id);
		return { session, live: isLive(session, Date.now()), gate, findings: summary ? summary.open + summary.confirmed : 0 };
	}

	private draw(facts: CurrentSessionFacts | undefined): void {
		if (!facts) {
			this.item.hide();
			return;
		}
		this.item.text = statusText(facts);
		const tooltip = new vscode.MarkdownString('**Tracemint: the agent session in this workspace**\n\n');
		for (const [key, value] of statusRows(facts)) {
			tooltip.appendMarkdown(`${escapeMarkdown(key)}: `).appendText(value).appendMarkdown('  \n');
		}
		tooltip.appendMarkdown('\nClick to opt in or out, rate it, open its transcript or see its reward.');
		this.item.tooltip = tooltip;
		this.item.command = { title: 'Session Actions', command: CURRENT_SESSION_COMMAND, arguments: [facts.session.id] };
		this.item.show();
	}
}
