/**
 * CodeLens at the top of a transcript (`tracemint-session:` documents): consent (click
 * toggles), the reward with its parts and the gate decision (click shows the breakdown),
 * the findings (click opens Review Secrets) and the developer's rating.
 */
import * as vscode from 'vscode';
import { ListFindingsRequest, ListSessionsRequest } from '../../../shared/lsp';
import { folderScope } from '../config';
import { messageOf, type Ctx } from '../ctx';
import type { QualityReports } from '../quality/qualityReports';
import { componentsText, formatReward, gateText, ratingOf } from '../quality/qualityText';
import { plural } from '../text';
import { TRANSCRIPT_SCHEME, sessionIdOf } from './transcriptDocument';

export class TranscriptLenses implements vscode.CodeLensProvider, vscode.Disposable {
	private readonly changed = new vscode.EventEmitter<void>();
	private readonly listeners: vscode.Disposable[];

	readonly onDidChangeCodeLenses = this.changed.event;

	constructor(private readonly ctx: Ctx, private readonly quality: QualityReports) {
		const redraw = () => this.changed.fire();
		this.listeners = [
			this.changed,
			vscode.languages.registerCodeLensProvider({ scheme: TRANSCRIPT_SCHEME }, this),
			ctx.onStoreChanged(redraw),
			ctx.onDidChangeState(redraw),
			quality.onDidChangeSettings(redraw),
		];
	}

	async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
		const id = sessionIdOf(document.uri);
		const client = id === undefined ? undefined : await this.ctx.runningClient();
		if (id === undefined || !client) {
			return [];
		}
		try {
			const [sessions, findings] = await Promise.all([
				client.sendRequest(ListSessionsRequest, {}),
				client.sendRequest(ListFindingsRequest, { sessionId: id, states: [] }),
			]);
			const session = sessions.find((candidate) => candidate.id === id);
			if (!session) {
				return [];
			}
			const scope = folderScope(session.cwd ?? session.workspace);
			const [score, gate] = await Promise.all([this.quality.score(id, scope), this.quality.gateOf(id, scope)]);
			const summary = findings.sessions.find((s) => s.sessionId === id);
			const redacted = summary ? summary.open + summary.confirmed : 0;
			const rating = score && ratingOf(score);
			const top = new vscode.Range(0, 0, 0, 0);
			const lens = (title: string, command: string, args: unknown[], tooltip?: string) =>
				new vscode.CodeLens(top, { title, command, arguments: args, tooltip });
			return [
				session.opted_in
					? lens('$(pass-filled) Opted in', 'tracemint.optOut', [id, undefined, 'codelens'], 'Opted in for export; click to opt out')
					: lens('$(circle-large-outline) Not opted in', 'tracemint.optIn', [id, undefined, 'codelens'], 'Not exported; click to opt in'),
				lens(score ? `Reward ${formatReward(score.reward)} (${componentsText(score)})` : 'Reward –', 'tracemint.showRewardBreakdown', [id],
					'Show the reward breakdown: components, sources and evidence'),
				...(gate ? [lens(`Gate: ${gateText(gate)}`, 'tracemint.showRewardBreakdown', [id], gate.details.join('\n') || undefined)] : []),
				lens(`$(shield) ${plural(redacted, 'finding')}`, 'tracemint.reviewSecrets', [], 'Review the secrets and personal data found in sessions'),
				lens(rating === 'up' ? '$(thumbsup-filled) Rated up' : '$(thumbsup) Rate up', 'tracemint.rateUp', [id], 'A good session: it raises the review part of the reward'),
				lens(rating === 'down' ? '$(thumbsdown-filled) Rated down' : '$(thumbsdown) Rate down', 'tracemint.rateDown', [id], 'A poor session: it lowers the review part of the reward'),
			];
		} catch (error) {
			this.ctx.output.warn(`transcript lenses for ${id}: ${messageOf(error)}`);
			return [];
		}
	}

	dispose(): void {
		for (const listener of this.listeners) {
			listener.dispose();
		}
	}
}
