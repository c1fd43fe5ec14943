/**
 * A session's reward breakdown as a read-only Markdown document (`tracemint-reward:`), shown in
 * the Markdown preview: the components with value, weight and source, what decided each one and
 * the evidence (message index in the transcript, command, exit code), then the gate decision.
 * Everything in it comes from the server already redacted (titles, evidence details).
 */
import * as vscode from 'vscode';
import { ListSessionsRequest } from '../../../shared/lsp';
import { folderScope } from '../config';
import type { Ctx } from '../ctx';
import type { QualityReports } from '../quality/qualityReports';
import { rewardBreakdownMarkdown } from '../quality/qualityText';
import { sessionLabel } from '../text';

export const BREAKDOWN_SCHEME = 'tracemint-reward';

export function breakdownUri(sessionId: string): vscode.Uri {
	return vscode.Uri.from({ scheme: BREAKDOWN_SCHEME, path: `/${sessionId}.md` });
}

function sessionIdOfBreakdown(uri: vscode.Uri): string | undefined {
	const match = uri.scheme === BREAKDOWN_SCHEME ? /^\/(.+)\.md$/s.exec(uri.path) : null;
	return match?.[1];
}

export class RewardBreakdownProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
	private readonly changed = new vscode.EventEmitter<vscode.Uri>();
	private readonly listeners: vscode.Disposable[];

	readonly onDidChange = this.changed.event;

	constructor(private readonly ctx: Ctx, private readonly quality: QualityReports) {
		// A rating, a re-import or other settings change the numbers of every open breakdown.
		this.listeners = [ctx.onStoreChanged(() => this.redraw()), quality.onDidChangeSettings(() => this.redraw())];
	}

	async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
		const id = sessionIdOfBreakdown(uri);
		const client = await this.ctx.runningClient();
		if (id === undefined || !client) {
			return `# Reward unavailable\n\nThe Tracemint backend is ${this.ctx.state}.\n`;
		}
		const session = (await client.sendRequest(ListSessionsRequest, {})).find((candidate) => candidate.id === id);
		if (!session) {
			return `# Session not found\n\nSession \`${id}\` is not in the store.\n`;
		}
		const scope = folderScope(session.cwd ?? session.workspace);
		const [score, gate] = await Promise.all([this.quality.score(id, scope), this.quality.gateOf(id, scope)]);
		return score
			? rewardBreakdownMarkdown(sessionLabel(session), score, gate)
			: `# Reward unavailable\n\nSession \`${id}\` could not be scored; **Tracemint: Show Output** says why.\n`;
	}

	dispose(): void {
		this.changed.dispose();
		for (const listener of this.listeners) {
			listener.dispose();
		}
	}

	private redraw(): void {
		for (const document of vscode.workspace.textDocuments) {
			if (document.uri.scheme === BREAKDOWN_SCHEME) {
				this.changed.fire(document.uri);
			}
		}
	}
}
