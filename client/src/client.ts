/**
 * Builds the LanguageClient: how the backend process is spawned, what it is told at start,
 * and what happens when it dies.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
	CloseAction, ErrorAction, LanguageClient, TransportKind,
	type CloseHandlerResult, type ErrorHandler, type ErrorHandlerResult, type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';
import type { Settings } from '../../shared/settings';
import { SECTION, settingsFor } from './config';
import { chooseRuntime } from './runtime';
import { TRANSCRIPT_SCHEME } from './editor/transcriptDocument';

export interface ClientDeps {
	extensionPath: string;
	settings: Settings;
	output: vscode.LogOutputChannel;
	errorHandler: ErrorHandler;
}

export function createClient({ extensionPath, settings, output, errorHandler }: ClientDeps): LanguageClient {
	const module = path.join(extensionPath, 'server', 'out', 'server.js');
	const { runtime, source } = chooseRuntime(settings.serverRuntime);
	output.info(`backend: ${module} with ${runtime ?? process.execPath} (runtime from ${source})`);

	// Only an explicit setting overrides the store; otherwise an inherited TRACEMINT_STORE or the
	// server's platform default applies.
	const env = settings.storePath ? { ...process.env, TRACEMINT_STORE: settings.storePath } : process.env;
	const serverOptions: ServerOptions = {
		run: { module, transport: TransportKind.ipc, runtime, options: { env } },
		debug: { module, transport: TransportKind.ipc, runtime, options: { env, execArgv: ['--nolazy', '--inspect=6019'] } },
	};
	const clientOptions: LanguageClientOptions = {
		// Transcripts are the only documents the backend may ever care about (diagnostics on findings).
		documentSelector: [{ scheme: TRANSCRIPT_SCHEME }],
		outputChannel: output,
		initializationOptions: { settings },
		errorHandler,
		initializationFailedHandler: () => false,
		middleware: {
			workspace: {
				// The server pulls one normalised Settings object, never raw configuration sections.
				configuration: (params) => params.items.map(({ section, scopeUri }) => section === undefined || section === SECTION
					? settingsFor(scopeUri ? vscode.Uri.parse(scopeUri) : undefined)
					: null),
			},
		},
	};
	return new LanguageClient('tracemint', 'Tracemint Backend', serverOptions, clientOptions);
}

const MAX_CONSECUTIVE_ERRORS = 3;

/**
 * Restarts a crashed backend at most `maxRestarts` times within `windowMs`, and never after the
 * backend said it cannot run (a missing native module would fail the same way every time).
 */
export class CappedRestarts implements ErrorHandler {
	private readonly restarts: number[] = [];

	constructor(
		private readonly hooks: {
			/** True once the backend reported it cannot run. */
			isUnavailable(): boolean;
			/** Called once when restarts are exhausted; shows the user what to do. */
			onGiveUp(crashes: number, windowMs: number): void;
		},
		private readonly maxRestarts = 3,
		private readonly windowMs = 3 * 60_000,
	) {}

	/** `count` is the number of consecutive read/write errors; a few are worth riding out. */
	error(_error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
		if (this.hooks.isUnavailable() || (count ?? 0) > MAX_CONSECUTIVE_ERRORS) {
			return { action: ErrorAction.Shutdown, handled: true };
		}
		return { action: ErrorAction.Continue, handled: true };
	}

	closed(): CloseHandlerResult {
		if (this.hooks.isUnavailable()) {
			return { action: CloseAction.DoNotRestart, handled: true };
		}
		const now = Date.now();
		while (this.restarts.length > 0 && now - this.restarts[0] > this.windowMs) {
			this.restarts.shift();
		}
		if (this.restarts.length >= this.maxRestarts) {
			this.hooks.onGiveUp(this.restarts.length + 1, this.windowMs);
			return { action: CloseAction.DoNotRestart, handled: true };
		}
		this.restarts.push(now);
		return { action: CloseAction.Restart, handled: true };
	}

	/** A deliberate restart starts a fresh budget. */
	reset(): void {
		this.restarts.length = 0;
	}
}
