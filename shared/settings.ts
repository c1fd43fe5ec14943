/**
 * The `tracemint.*` settings as one normalised object. The client computes it from the
 * configuration; the server receives it at start (store path, runtime need a restart).
 */
export interface Settings {
	/** Store file; empty = the platform default (or TRACEMINT_STORE). */
	storePath: string;
	/** Node executable for the backend; empty = `node` on PATH, else the editor's own runtime. */
	serverRuntime: string;
	/** Import every agent's default locations when the backend starts. */
	importOnStartup: boolean;
}

export const defaultSettings: Settings = { storePath: '', serverRuntime: '', importOnStartup: true };

/** Settings that only take effect after the backend restarts. */
export const restartRequiredSettings = ['tracemint.store.path', 'tracemint.server.runtime'] as const;

export function settingsFrom(raw: { get<T>(key: string): T | undefined }): Settings {
	return {
		storePath: stringOr(raw.get<string>('store.path'), defaultSettings.storePath).trim(),
		serverRuntime: stringOr(raw.get<string>('server.runtime'), defaultSettings.serverRuntime).trim(),
		importOnStartup: raw.get<boolean>('import.onStartup') ?? defaultSettings.importOnStartup,
	};
}

function stringOr(value: unknown, fallback: string): string {
	return typeof value === 'string' ? value : fallback;
}
