/**
 * The questions the extension asks about consent and deletion (a new session to opt in, "forget
 * these sessions?"), in one place: they show as notifications or modal dialogs, and tests (which
 * cannot click a toast) can watch them and answer through the extension's API.
 */
import * as vscode from 'vscode';

export interface Prompt {
	message: string;
	/** Button labels, in order. */
	choices: string[];
	/** A modal dialog rather than a notification. */
	modal?: boolean;
	/** Modal only: the dialog's smaller second line. */
	detail?: string;
	severity?: 'info' | 'warning';
}

/** Answers a prompt instead of the user: a label from `choices`, or undefined for a dismissal. */
export type PromptResponder = (prompt: Prompt) => string | undefined | Promise<string | undefined>;

export class Prompts implements vscode.Disposable {
	private responder: PromptResponder | undefined;
	private readonly shown = new vscode.EventEmitter<Prompt>();

	/** Every prompt, as it is asked. */
	readonly onDidShow = this.shown.event;

	/** Resolves with the chosen label, or undefined when dismissed. */
	async ask(prompt: Prompt): Promise<string | undefined> {
		this.shown.fire(prompt);
		if (this.responder) {
			return this.responder(prompt);
		}
		const show = prompt.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
		return show(prompt.message, { modal: prompt.modal ?? false, detail: prompt.detail }, ...prompt.choices);
	}

	/** Automation: answer prompts with `responder` from now on; undefined shows them to the user again. */
	respondWith(responder: PromptResponder | undefined): void {
		this.responder = responder;
	}

	dispose(): void {
		this.shown.dispose();
	}
}
