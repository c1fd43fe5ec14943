/**
 * Session transcripts as read-only virtual Markdown documents. The backend renders them;
 * a content-provider document cannot be saved or edited, which is what a transcript of a
 * past session should be.
 */
import * as vscode from 'vscode';
import { RenderTranscriptRequest } from '../../../shared/lsp';
import { TRANSCRIPT_SCHEME, transcriptUriString } from '../../../shared/transcriptUri';
import type { Ctx } from '../ctx';

export { TRANSCRIPT_SCHEME };

/** The server publishes the session's findings on this same URI (see shared/transcriptUri.ts). */
export function transcriptUri(sessionId: string): vscode.Uri {
	return vscode.Uri.parse(transcriptUriString(sessionId));
}

export function sessionIdOf(uri: vscode.Uri): string | undefined {
	// Uri.parse already decoded the path, so it holds the id verbatim.
	const match = uri.scheme === TRANSCRIPT_SCHEME ? /^\/(.+)\.md$/s.exec(uri.path) : null;
	return match?.[1];
}

export class TranscriptProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
	private readonly changed = new vscode.EventEmitter<vscode.Uri>();
	private readonly listener: vscode.Disposable;

	readonly onDidChange = this.changed.event;

	constructor(private readonly ctx: Ctx) {
		this.listener = ctx.onStoreChanged((sessionIds) => this.storeChanged(sessionIds));
	}

	async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
		const id = sessionIdOf(uri);
		if (id === undefined) {
			return `# Not a Tracemint transcript\n\n\`${uri.toString()}\` does not name a session.\n`;
		}
		const client = await this.ctx.runningClient();
		if (!client) {
			return `# Transcript unavailable\n\nThe Tracemint backend is not running (${this.ctx.state}), so session \`${id}\` cannot be read. `
				+ 'Run **Tracemint: Show Output** for details.\n';
		}
		const rendered = await client.sendRequest(RenderTranscriptRequest, { id });
		return rendered?.text ?? `# Session not found\n\nSession \`${id}\` is not in the store.\n`;
	}

	dispose(): void {
		this.listener.dispose();
		this.changed.dispose();
	}

	/** Re-renders open transcripts whose session changed (a re-import, new consent). */
	private storeChanged(sessionIds: string[] | undefined): void {
		const changed = sessionIds && new Set(sessionIds);
		for (const document of vscode.workspace.textDocuments) {
			const id = sessionIdOf(document.uri);
			if (id !== undefined && (!changed || changed.has(id))) {
				this.changed.fire(document.uri);
			}
		}
	}
}
