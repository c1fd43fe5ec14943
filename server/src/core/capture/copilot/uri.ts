/**
 * VS Code keeps folders as URIs: `workspace.json` names the workspace (`folder` for one folder,
 * `workspace` for a multi-root `.code-workspace` file) and markdown parts carry a `baseUri`.
 */
import { asObject, asString } from '../json';

/**
 * The file-system path of a `file://` or `vscode-remote://` URI (the path on the remote host),
 * Windows drives as `c:/work`; undefined for other schemes or text that is not a URI.
 */
export function pathFromUri(uri: string): string | undefined {
	let url: URL;
	try {
		url = new URL(uri);
	} catch {
		return undefined;
	}
	if (url.protocol !== 'file:' && url.protocol !== 'vscode-remote:') {
		return undefined;
	}
	let decoded: string;
	try {
		decoded = decodeURIComponent(url.pathname);
	} catch {
		return undefined;
	}
	const path = /^\/[A-Za-z]:/.test(decoded) ? decoded.slice(1) : decoded;
	// A folder URI may end in a slash (markdown baseUri does); the folder itself is meant.
	return path.length > 1 && path.endsWith('/') && !/^[A-Za-z]:\/$/.test(path) ? path.slice(0, -1) : path;
}

/** A serialized URI (`{scheme, path, …}` as VS Code writes `UriComponents`) or URI text, as a path. */
export function pathOfUriValue(value: unknown): string | undefined {
	const text = asString(value);
	if (text !== undefined) {
		return pathFromUri(text);
	}
	const parts = asObject(value);
	const scheme = asString(parts?.scheme);
	const path = asString(parts?.path);
	if (parts === undefined || path === undefined || (scheme !== 'file' && scheme !== 'vscode-remote')) {
		return undefined;
	}
	const drive = /^\/[A-Za-z]:/.test(path) ? path.slice(1) : path;
	return drive.length > 1 && drive.endsWith('/') ? drive.slice(0, -1) : drive;
}

/** The working folder a `workspace.json` names: the folder, or the folder holding a multi-root workspace file. */
export function workspaceFolder(document: unknown): string | undefined {
	const object = asObject(document);
	const folder = asString(object?.folder);
	if (folder !== undefined) {
		return pathFromUri(folder);
	}
	const workspaceFile = asString(object?.workspace);
	const file = workspaceFile === undefined ? undefined : pathFromUri(workspaceFile);
	if (file === undefined) {
		return undefined;
	}
	const slash = file.lastIndexOf('/');
	return slash > 0 ? file.slice(0, slash) : file;
}
