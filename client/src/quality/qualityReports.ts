/**
 * Rewards and gate decisions for the views, the status bar and the transcript lenses. The gate
 * report covers every session, so it is asked for once per store change and quality settings
 * (per settings scope), and shared; a score's full breakdown is asked for one session at a time.
 * Quiet by design: when the backend is down or cannot answer, callers get undefined and show
 * what they have without a toast.
 */
import * as vscode from 'vscode';
import type { QualityParams } from '../../../shared/protocol';
import type { GateReport, SessionGate, SessionScore } from '../../../shared/quality';
import { EvaluateGatesRequest, ScoreSessionsRequest } from '../../../shared/lsp';
import { qualitySettingSections } from '../../../shared/settings';
import { qualityParamsFor } from '../config';
import { messageOf, type Ctx } from '../ctx';

export class QualityReports implements vscode.Disposable {
	/** Gate reports by their QualityParams (as JSON): folders with the same settings share one. */
	private readonly reports = new Map<string, Promise<GateReport | undefined>>();
	private readonly settingsEmitter = new vscode.EventEmitter<void>();
	private readonly listeners: vscode.Disposable[];

	/** The reward, gate or split settings changed: everything shown from them is stale. */
	readonly onDidChangeSettings = this.settingsEmitter.event;

	constructor(private readonly ctx: Ctx) {
		this.listeners = [
			this.settingsEmitter,
			ctx.onStoreChanged(() => this.reports.clear()),
			ctx.onDidChangeState(() => this.reports.clear()),
			vscode.workspace.onDidChangeConfiguration((event) => {
				if (qualitySettingSections.some((section) => event.affectsConfiguration(section))) {
					this.reports.clear();
					this.settingsEmitter.fire();
				}
			}),
		];
	}

	/** The gate report under the settings of `scope` (a workspace folder; the window's when undefined). */
	gates(scope?: vscode.Uri): Promise<GateReport | undefined> {
		const params = qualityParamsFor(scope);
		const key = JSON.stringify(params);
		let report = this.reports.get(key);
		if (!report) {
			report = this.evaluate(params);
			this.reports.set(key, report);
		}
		return report;
	}

	async gateOf(sessionId: string, scope?: vscode.Uri): Promise<SessionGate | undefined> {
		return (await this.gates(scope))?.sessions.find((gate) => gate.sessionId === sessionId);
	}

	/** One session's reward with its components and evidence. */
	async score(sessionId: string, scope?: vscode.Uri): Promise<SessionScore | undefined> {
		const client = await this.ctx.runningClient();
		if (!client) {
			return undefined;
		}
		try {
			const { scores } = await client.sendRequest(ScoreSessionsRequest, { ids: [sessionId], reward: qualityParamsFor(scope).reward });
			return scores.find((score) => score.sessionId === sessionId);
		} catch (error) {
			this.ctx.output.warn(`scoring ${sessionId}: ${messageOf(error)}`);
			return undefined;
		}
	}

	dispose(): void {
		for (const listener of this.listeners) {
			listener.dispose();
		}
	}

	private async evaluate(params: QualityParams): Promise<GateReport | undefined> {
		const client = await this.ctx.runningClient();
		if (!client) {
			return undefined;
		}
		try {
			return await client.sendRequest(EvaluateGatesRequest, params);
		} catch (error) {
			this.ctx.output.warn(`evaluating the gates: ${messageOf(error)}`);
			return undefined;
		}
	}
}
