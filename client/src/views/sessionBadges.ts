/**
 * The per-session findings badge: a FileDecoration on a URI of its own per session, which the
 * Sessions tree items carry as their resourceUri. Not the transcript's URI: the editor already
 * decorates that with its problem count, and the tree would show both.
 */
import * as vscode from 'vscode';
import { isExportBlocked, type SessionBlockState, type SessionFindingsSummary } from '../../../shared/protocol';
import { plural } from '../text';

const BADGE_SCHEME = 'tracemint-findings';
/** A decoration badge holds at most two characters; the tooltip has the real count. */
const MAX_BADGE = 99;

export function badgeUri(sessionId: string): vscode.Uri {
	return vscode.Uri.from({ scheme: BADGE_SCHEME, path: `/${sessionId}` });
}

function sessionIdOfBadge(uri: vscode.Uri): string | undefined {
	return uri.scheme === BADGE_SCHEME ? uri.path.slice(1) : undefined;
}

export class SessionBadges implements vscode.FileDecorationProvider, vscode.Disposable {
	private readonly changed = new vscode.EventEmitter<vscode.Uri[]>();
	private summaries = new Map<string, SessionFindingsSummary>();

	readonly onDidChangeFileDecorations = this.changed.event;

	/** Replaces every summary; decorations of sessions that gained, lost or changed one are redrawn. */
	update(summaries: readonly SessionFindingsSummary[]): void {
		const previous = this.summaries;
		this.summaries = new Map(summaries.map((s) => [s.sessionId, s]));
		const touched = [...new Set([...previous.keys(), ...this.summaries.keys()])]
			.filter((id) => !sameBadge(previous.get(id), this.summaries.get(id)));
		if (touched.length > 0) {
			this.changed.fire(touched.map(badgeUri));
		}
	}

	summaryOf(sessionId: string): SessionFindingsSummary | undefined {
		return this.summaries.get(sessionId);
	}

	provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
		const id = sessionIdOfBadge(uri);
		const summary = id === undefined ? undefined : this.summaries.get(id);
		if (!summary) {
			return undefined;
		}
		const applied = summary.open + summary.confirmed;
		const blocked = isExportBlocked(summary.block);
		if (applied === 0 && !blocked) {
			return undefined;
		}
		const color = blocked ? 'list.errorForeground' : summary.open > 0 ? 'list.warningForeground' : undefined;
		return {
			badge: applied > 0 ? String(Math.min(applied, MAX_BADGE)) : undefined,
			tooltip: [findingsText(summary), blockText(summary.block)].filter(Boolean).join('; '),
			color: color ? new vscode.ThemeColor(color) : undefined,
		};
	}

	dispose(): void {
		this.changed.dispose();
	}
}

/** The fields a decoration is drawn from. */
function sameBadge(a: SessionFindingsSummary | undefined, b: SessionFindingsSummary | undefined): boolean {
	return a?.open === b?.open && a?.confirmed === b?.confirmed && a?.block === b?.block;
}

/** `3 findings redacted (2 open, 1 confirmed)`; empty when none is applied. */
export function findingsText(summary: SessionFindingsSummary): string {
	const applied = summary.open + summary.confirmed;
	if (applied === 0) {
		return '';
	}
	return `${plural(applied, 'finding')} redacted (${summary.open} open, ${summary.confirmed} confirmed)`;
}

export function blockText(block: SessionBlockState): string {
	switch (block) {
		case 'blocked-by-finding': return 'blocked from export: it holds a private key or similar; release it to export with the value redacted';
		case 'blocked-by-user': return 'blocked from export by you';
		case 'released': return 'released for export despite a blocking finding (the value stays redacted)';
		case 'none': return '';
	}
}
