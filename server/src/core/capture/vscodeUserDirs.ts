/**
 * Every VS Code-family "User" folder on a machine: the editors that share VS Code's storage
 * layout (Code, Insiders, VSCodium, Cursor, Windsurf) on each operating system, and the remote
 * servers they install on a host (`~/.vscode-server/data/User`, ...). Extensions such as Cline
 * and Copilot Chat keep their logs under `<User>/globalStorage` and `<User>/workspaceStorage`.
 */
import type { LocationEnv } from './importer';
import { pathsFor } from './paths';

/** Product folder names as each editor writes them. */
export const VSCODE_PRODUCTS = ['Code', 'Code - Insiders', 'VSCodium', 'Cursor', 'Windsurf'] as const;
/** Remote-server data roots (SSH, WSL, containers, tunnels), relative to the remote home. */
export const VSCODE_SERVERS = ['.vscode-server', '.vscode-server-insiders', '.vscodium-server', '.cursor-server', '.windsurf-server'] as const;


/** Candidate `User` folders, whether or not they exist, most common first. */
export function vscodeUserDirs(loc: LocationEnv): string[] {
	const p = pathsFor(loc);
	let appData: string;
	if (loc.platform === 'win32') {
		appData = loc.env.APPDATA?.trim() || p.join(loc.home, 'AppData', 'Roaming');
	} else if (loc.platform === 'darwin') {
		appData = p.join(loc.home, 'Library', 'Application Support');
	} else {
		appData = loc.env.XDG_CONFIG_HOME?.trim() || p.join(loc.home, '.config');
	}
	const dirs = VSCODE_PRODUCTS.map((product) => p.join(appData, product, 'User'));
	// A portable install keeps its data beside the binary; VSCODE_PORTABLE names it.
	const portable = loc.env.VSCODE_PORTABLE?.trim();
	if (portable) {
		dirs.unshift(p.join(portable, 'user-data', 'User'));
	}
	if (loc.platform !== 'win32') {
		dirs.push(...VSCODE_SERVERS.map((server) => p.join(loc.home, server, 'data', 'User')));
	}
	return [...new Set(dirs)];
}

/** `<User>/globalStorage/<extension id>` for every user folder. */
export function extensionStorageDirs(loc: LocationEnv, extensionIds: readonly string[]): string[] {
	const p = pathsFor(loc);
	return vscodeUserDirs(loc).flatMap((user) => extensionIds.map((id) => p.join(user, 'globalStorage', id)));
}

/** `<User>/workspaceStorage` for every user folder. */
export function workspaceStorageDirs(loc: LocationEnv): string[] {
	const p = pathsFor(loc);
	return vscodeUserDirs(loc).map((user) => p.join(user, 'workspaceStorage'));
}
