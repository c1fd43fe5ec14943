/** Where Tracemint keeps its store by default, per platform. */
import * as os from 'node:os';
import * as path from 'node:path';
import type { LocationEnv } from './capture/importer';

export const STORE_FILE_NAME = 'traces.sqlite';

export function currentLocationEnv(): LocationEnv {
	return { home: os.homedir(), env: process.env, platform: process.platform };
}

/** XDG data dir on Linux, Application Support on macOS, %APPDATA% on Windows. */
export function defaultDataDir(loc: LocationEnv = currentLocationEnv()): string {
	switch (loc.platform) {
		case 'darwin':
			return path.join(loc.home, 'Library', 'Application Support', 'Tracemint');
		case 'win32':
			return path.join(loc.env.APPDATA ?? path.join(loc.home, 'AppData', 'Roaming'), 'Tracemint');
		default:
			return path.join(loc.env.XDG_DATA_HOME || path.join(loc.home, '.local', 'share'), 'tracemint');
	}
}

/** Precedence: an explicit path (--store, the editor setting), then TRACEMINT_STORE, then the default. */
export function resolveStorePath(explicit: string | undefined, loc: LocationEnv = currentLocationEnv()): string {
	const chosen = explicit?.trim() || loc.env.TRACEMINT_STORE?.trim();
	return chosen ? path.resolve(chosen) : path.join(defaultDataDir(loc), STORE_FILE_NAME);
}
