import * as vscode from 'vscode';

/** In the Explorer when the folder is in the workspace, else in the OS file manager (an export, a downloaded adapter). */
export function revealFolder(target: string): Thenable<unknown> {
	const uri = vscode.Uri.file(target);
	return vscode.workspace.getWorkspaceFolder(uri)
		? vscode.commands.executeCommand('revealInExplorer', uri)
		: vscode.commands.executeCommand('revealFileInOS', uri);
}
