/** Opens a session's transcript as a read-only Markdown document. */
import * as vscode from 'vscode';
import type { CommandFactory } from '../ctx';
import { transcriptUri } from '../editor/transcriptDocument';
import { pickSessions, sessionIdsFromArgs } from './pickSessions';

export const openTranscript: CommandFactory = (ctx) => async (target?: unknown): Promise<vscode.TextEditor | undefined> => {
	const ids = sessionIdsFromArgs(target, undefined) ?? await pickSessions(ctx, {
		title: 'Open session transcript',
		canPickMany: false,
		emptyMessage: 'Tracemint: the store has no sessions yet. Run "Tracemint: Import Sessions Now" first.',
	});
	const id = ids?.[0];
	if (id === undefined) {
		return undefined;
	}
	let document = await vscode.workspace.openTextDocument(transcriptUri(id));
	if (document.languageId !== 'markdown') {
		document = await vscode.languages.setTextDocumentLanguage(document, 'markdown');
	}
	return vscode.window.showTextDocument(document, { preview: true });
};
