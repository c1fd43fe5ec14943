/**
 * `tracemint.optIn.default` at work: when the store reports sessions (an import, a background
 * re-import) that are in a workspace folder, have no consent decision yet and have not been
 * handled by this window, `always` opts them in and `ask` asks once per batch. The setting is
 * read per folder, so one folder of a multi-root workspace may opt in while another asks.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SessionSummary } from '../../../shared/model';
import { ListSessionsRequest } from '../../../shared/lsp';
import type { OptInDefault } from '../../../shared/settings';
import { setConsent } from '../commands/consent';
import { settingsFor } from '../config';
import { messageOf, type Ctx } from '../ctx';
import { agentName, plural, sessionLabel } from '../text';
import { sessionFolder } from './workspaceSessions';

export class OptInDefaultWatcher implements vscode.Disposable {
	/** Sessions this window has opted in or asked about: it never asks twice. */
	private readonly handled = new Set<string>();
	private running: Promise<void> = Promise.resolve();
	private readonly listener: vscode.Disposable;

	constructor(private readonly ctx: Ctx) {
		// Only a list of ids names sessions the store reported; `undefined` is a plain refresh.
		this.listener = ctx.onStoreChanged((ids) => {
			if (ids && ids.length > 0) {
				this.running = this.running.then(() => this.handle(ids)).catch((error: unknown) => {
					ctx.output.warn(`optIn.default: ${messageOf(error)}`);
				});
			}
		});
	}

	/** Resolves once the store changes reported so far have been handled (prompts may still be open). */
	settled(): Promise<void> {
		return this.running;
	}

	dispose(): void {
		this.listener.dispose();
	}

	private async handle(ids: string[]): Promise<void> {
		const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file');
		const modeOf = new Map(folders.map((folder) => [folder.uri.fsPath, settingsFor(folder.uri).optInDefault]));
		const fresh = ids.filter((id) => !this.handled.has(id));
		if (fresh.length === 0 || ![...modeOf.values()].some((mode) => mode !== 'never')) {
			return;
		}
		const client = await this.ctx.runningClient();
		if (!client) {
			return;
		}
		const wanted = new Set(fresh);
		const undecided = (await client.sendRequest(ListSessionsRequest, {})).filter((s) => wanted.has(s.id) && s.consent_at === null);
		const byFolder = new Map<string, SessionSummary[]>();
		for (const session of undecided) {
			const folder = sessionFolder(session, [...modeOf.keys()]);
			if (folder !== undefined && modeOf.get(folder) !== 'never') {
				byFolder.set(folder, [...(byFolder.get(folder) ?? []), session]);
			}
		}
		for (const [folder, sessions] of byFolder) {
			for (const session of sessions) {
				this.handled.add(session.id);
			}
			await this.apply(modeOf.get(folder) as Exclude<OptInDefault, 'never'>, folder, sessions);
		}
	}

	private async apply(mode: Exclude<OptInDefault, 'never'>, folder: string, sessions: SessionSummary[]): Promise<void> {
		const ids = sessions.map((session) => session.id);
		if (mode === 'always') {
			await setConsent(this.ctx, ids, true, 'optIn.default=always');
			return;
		}
		// Not awaited: a notification can stay open for as long as the user likes, and later
		// sessions must not wait for it.
		void this.ask(folder, sessions);
	}

	private async ask(folder: string, sessions: SessionSummary[]): Promise<void> {
		// Subagent sessions go with the session that spawned them; name that one.
		const main = sessions.find((session) => session.parent_session_id === null) ?? sessions[0];
		const others = sessions.length - 1;
		const optIn = 'Opt In';
		const notNow = 'Not Now';
		const open = 'Open Transcript';
		const choice = await this.ctx.prompts.ask({
			message: `Tracemint: a new ${agentName(main.agent)} session in ${path.basename(folder) || folder}: "${sessionLabel(main)}"`
				+ `${others > 0 ? ` (and ${plural(others, 'more session')})` : ''}. Opt ${sessions.length > 1 ? 'them' : 'it'} in for export?`,
			choices: [optIn, notNow, open],
		});
		if (choice === optIn) {
			await setConsent(this.ctx, sessions.map((session) => session.id), true, 'optIn.default=ask');
		} else if (choice === open) {
			await vscode.commands.executeCommand('tracemint.openTranscript', main.id);
		}
	}
}
