/**
 * Messages between a webview and the extension host (GitLens style): commands go
 * webview → host, notifications host → webview. The host sends state only after `ready`.
 */
import type { StoreStatus } from './protocol';

export interface IpcMessage<M extends string = string, P = unknown> {
	method: M;
	params: P;
}

export interface IpcDefinition<M extends string, P> {
	readonly method: M;
	/** Builds a typed message; compare `msg.method === Def.method` to narrow on receipt. */
	message(params: P): IpcMessage<M, P>;
}

function define<P>() {
	return <M extends string>(method: M): IpcDefinition<M, P> => ({ method, message: (params: P) => ({ method, params }) });
}

export interface OverviewAgentRow { agent: string; sessions: number; optedIn: number; messages: number }
export interface OverviewState { status: StoreStatus; agents: OverviewAgentRow[] }

/** webview → host: scripts loaded; send the state. */
export const ReadyCommand = define<Record<string, never>>()('overview/ready');
/** webview → host: run an editor command (import now, export…). */
export const RunCommand = define<{ command: 'tracemint.importNow' | 'tracemint.exportDataset' | 'tracemint.refreshSessions' }>()('overview/run');
/** host → webview: the whole state to render. */
export const StateNotification = define<OverviewState>()('overview/state');
