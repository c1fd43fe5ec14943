/**
 * The extension's one owner of state (rust-analyzer's Ctx): the LanguageClient and its
 * start/stop/restart, the output channel, disposables and the command registry. Views and
 * commands never hold a client themselves; they ask the Ctx, which knows whether the backend
 * is up and, if not, why.
 */
import * as vscode from 'vscode';
import {
	DidChangeConfigurationNotification, State, type LanguageClient, type RequestParam, type RequestType,
} from 'vscode-languageclient/node';
import type { BackendUnavailable, ExportProgressNotification as ExportProgress } from '../../shared/protocol';
import { BackendUnavailableNotification, ExportProgressNotification, StoreChangedNotification } from '../../shared/lsp';
import { CappedRestarts, createClient } from './client';
import { Config, openSetting } from './config';
import { Prompts } from './prompts';

/** `unavailable`: the backend said it cannot run here; `failed`: it crashed or never started. */
export type BackendState = 'stopped' | 'starting' | 'running' | 'unavailable' | 'failed';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Cmd = (...args: any[]) => unknown;
export type CommandFactory = (ctx: Ctx) => Cmd;

/** Context key that `when` clauses in package.json (welcome views, menus) read. */
const STATE_CONTEXT_KEY = 'tracemint.backend';

/** The button that opens the setting a BackendUnavailable names. */
const SETTING_LABELS: Record<BackendUnavailable.Params['setting'], string> = {
	'tracemint.server.runtime': 'Set Node Runtime',
	'tracemint.store.path': 'Set Store Path',
};

export class Ctx implements vscode.Disposable {
	readonly output: vscode.LogOutputChannel;
	readonly config: Config;
	/** Consent and deletion questions; tests answer them through the API. */
	readonly prompts = new Prompts();
	private client: LanguageClient | undefined;
	private starting: Promise<LanguageClient | undefined> | undefined;
	private stopping = false;
	private backendState: BackendState = 'stopped';
	private unavailable: BackendUnavailable.Params | undefined;
	private readonly restarts: CappedRestarts;
	private readonly disposables: vscode.Disposable[] = [];
	private readonly storeChangedEmitter = new vscode.EventEmitter<string[] | undefined>();
	private readonly stateEmitter = new vscode.EventEmitter<BackendState>();
	private readonly exportProgressEmitter = new vscode.EventEmitter<ExportProgress.Params>();
	private readonly clientCreatedEmitter = new vscode.EventEmitter<LanguageClient>();

	/** Sessions changed; `undefined` means "possibly all of them". */
	readonly onStoreChanged = this.storeChangedEmitter.event;
	readonly onDidChangeState = this.stateEmitter.event;
	/** Every export's progress; listeners pick theirs by token (the client takes one handler per notification). */
	readonly onExportProgress = this.exportProgressEmitter.event;
	/**
	 * A new LanguageClient, before it starts: a feature registers its notification handlers here
	 * (training's log, metrics and state), once per backend start.
	 */
	readonly onDidCreateClient = this.clientCreatedEmitter.event;

	constructor(readonly extension: vscode.ExtensionContext) {
		this.output = vscode.window.createOutputChannel('Tracemint', { log: true });
		this.config = new Config(() => this.restart(), () => this.settingsChanged());
		this.restarts = new CappedRestarts({
			isUnavailable: () => this.unavailable !== undefined,
			onGiveUp: (crashes, windowMs) => this.gaveUp(crashes, windowMs),
		});
		this.push(this.output, this.config, this.prompts, this.storeChangedEmitter, this.stateEmitter, this.exportProgressEmitter, this.clientCreatedEmitter);
		void this.setState('stopped');
	}

	get state(): BackendState {
		return this.backendState;
	}

	push(...disposables: vscode.Disposable[]): void {
		this.disposables.push(...disposables);
	}

	registerCommands(factories: Record<string, CommandFactory>): void {
		for (const [name, factory] of Object.entries(factories)) {
			const cmd = factory(this);
			this.push(vscode.commands.registerCommand(name, (...args: unknown[]) => this.runCommand(name, cmd, args)));
		}
	}

	/** Starts the backend unless it is running or starting; resolves to undefined when it could not start. */
	start(): Promise<LanguageClient | undefined> {
		if (this.client?.isRunning()) {
			return Promise.resolve(this.client);
		}
		this.starting ??= this.doStart().finally(() => {
			this.starting = undefined;
		});
		return this.starting;
	}

	async stop(): Promise<void> {
		await this.starting;
		const client = this.client;
		this.client = undefined;
		if (client) {
			this.stopping = true;
			try {
				await client.dispose(2000);
			} catch (error) {
				this.output.warn(`backend did not stop cleanly: ${messageOf(error)}`);
			} finally {
				this.stopping = false;
			}
		}
		if (this.backendState !== 'unavailable') {
			await this.setState('stopped');
		}
	}

	async restart(): Promise<void> {
		this.restarts.reset();
		await this.stop();
		await this.start();
	}

	/** The client when the backend is up (waiting for a start in progress), without telling the user anything. */
	async runningClient(): Promise<LanguageClient | undefined> {
		const client = this.starting ? await this.starting : this.client;
		return client?.isRunning() ? client : undefined;
	}

	/** Like runningClient, but explains to the user why there is none. */
	async requireClient(): Promise<LanguageClient | undefined> {
		const client = await this.runningClient();
		if (!client) {
			this.explainDown();
		}
		return client;
	}

	/**
	 * Sends a request; undefined (after telling the user why) when the backend is down. Cancelling
	 * `token` cancels the request: it rejects with a ResponseError whose code is RequestCancelled.
	 */
	async request<P, R>(type: RequestType<P, R, void>, params: RequestParam<P>, token?: vscode.CancellationToken): Promise<R | undefined> {
		const client = await this.requireClient();
		return client ? client.sendRequest(type, params, token) : undefined;
	}

	/** Views refresh from this; commands call it after changing the store so they need not wait for the server's notice. */
	storeChanged(sessionIds: string[] | undefined): void {
		this.storeChangedEmitter.fire(sessionIds);
	}

	dispose(): void {
		void this.stop();
		for (const disposable of this.disposables.splice(0).reverse()) {
			disposable.dispose();
		}
	}

	private async doStart(): Promise<LanguageClient | undefined> {
		this.unavailable = undefined;
		await this.setState('starting');
		const client = createClient({
			extensionPath: this.extension.extensionPath,
			settings: this.config.settings,
			output: this.output,
			errorHandler: this.restarts,
		});
		this.client = client;
		client.onNotification(StoreChangedNotification, ({ sessionIds }) => this.storeChanged(sessionIds));
		client.onNotification(BackendUnavailableNotification, (params) => this.backendUnavailable(client, params));
		client.onNotification(ExportProgressNotification, (params) => this.exportProgressEmitter.fire(params));
		this.clientCreatedEmitter.fire(client);
		client.onDidChangeState(({ newState }) => {
			if (client === this.client) {
				void this.setState(this.stateFor(newState));
			}
		});
		try {
			await client.start();
		} catch (error) {
			// The LanguageClient has already shown the error (with "Go to output"); the view's
			// welcome text offers a restart, so a second toast would only repeat it.
			this.output.error(`backend failed to start: ${messageOf(error)}`);
			if (this.unavailable === undefined) {
				await this.setState('failed');
			}
			return undefined;
		}
		return this.unavailable === undefined ? client : undefined;
	}

	private stateFor(state: State): BackendState {
		if (this.unavailable !== undefined) {
			return 'unavailable';
		}
		switch (state) {
			case State.Running: return 'running';
			case State.Starting: return 'starting';
			case State.Stopped: return this.stopping ? 'stopped' : 'failed';
			default: return 'failed';
		}
	}

	private async setState(state: BackendState): Promise<void> {
		if (state === this.backendState && state !== 'stopped') {
			return;
		}
		this.backendState = state;
		this.stateEmitter.fire(state);
		await vscode.commands.executeCommand('setContext', STATE_CONTEXT_KEY, state);
	}

	/** The backend cannot run under this runtime (say, the SQLite module does not load): say so once, then stop for good. */
	private backendUnavailable(client: LanguageClient, params: BackendUnavailable.Params): void {
		if (this.unavailable !== undefined) {
			return;
		}
		this.unavailable = params;
		this.output.error(`backend unavailable: ${params.reason}; fix: ${params.fix}`);
		void this.setState('unavailable');
		void this.showUnavailable(params);
		void client.stop().catch((error: unknown) => this.output.warn(`stopping the backend: ${messageOf(error)}`));
	}

	private async showUnavailable({ reason, fix, setting }: BackendUnavailable.Params): Promise<void> {
		const openSettingLabel = SETTING_LABELS[setting];
		const showOutput = 'Show Output';
		const choice = await vscode.window.showErrorMessage(
			`Tracemint backend cannot run: ${sentence(reason)} ${fix}`, openSettingLabel, showOutput,
		);
		if (choice === openSettingLabel) {
			await openSetting(setting);
		} else if (choice === showOutput) {
			this.output.show();
		}
	}

	private gaveUp(crashes: number, windowMs: number): void {
		const minutes = Math.round(windowMs / 60_000);
		this.output.error(`backend crashed ${crashes} times in ${minutes} minutes; not restarting`);
		void this.offer(
			`Tracemint: the backend crashed ${crashes} times in ${minutes} minutes and will not be restarted automatically.`, 'error',
		);
	}

	/** Tells the user why a command could not reach the backend. Not awaited: a toast must not block the command. */
	private explainDown(): void {
		if (this.unavailable !== undefined) {
			void this.showUnavailable(this.unavailable);
			return;
		}
		void this.offer('Tracemint: the backend is not running.', 'warning');
	}

	private async offer(message: string, severity: 'error' | 'warning'): Promise<void> {
		const restart = 'Restart Backend';
		const showOutput = 'Show Output';
		const show = severity === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
		const choice = await show(message, restart, showOutput);
		if (choice === restart) {
			await this.restart();
		} else if (choice === showOutput) {
			this.output.show();
		}
	}

	/** The server re-pulls settings through the configuration middleware (eslint's flow). */
	private settingsChanged(): void {
		if (this.client?.isRunning()) {
			void this.client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
		}
	}

	private async runCommand(name: string, cmd: Cmd, args: unknown[]): Promise<unknown> {
		try {
			return await cmd(...args);
		} catch (error) {
			this.output.error(`${name} failed: ${messageOf(error)}`);
			void vscode.window.showErrorMessage(`Tracemint: ${messageOf(error)}`, 'Show Output').then((choice) => {
				if (choice) {
					this.output.show();
				}
			});
			return undefined;
		}
	}
}

function sentence(text: string): string {
	const trimmed = text.trim();
	return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

export function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
