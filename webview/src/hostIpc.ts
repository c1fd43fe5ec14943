/** The webview's side of the channel, behind a replaceable factory so tests can run the page in a plain browser. */
import type { IpcMessage } from '../../shared/webviewProtocol';

export interface HostIpc {
	post(message: IpcMessage): void;
	getState<T>(): T | undefined;
	setState<T>(state: T): void;
}

declare function acquireVsCodeApi(): { postMessage(m: unknown): void; getState(): unknown; setState(s: unknown): void };

let factory: () => HostIpc = () => {
	const api = acquireVsCodeApi();
	return { post: (m) => api.postMessage(m), getState: <T>() => api.getState() as T | undefined, setState: (s) => api.setState(s) };
};

export function setHostIpcFactory(next: () => HostIpc): void {
	factory = next;
}

export function createHostIpc(): HostIpc {
	return factory();
}
