/**
 * Two ways to hear that files under a folder changed. Native events through @parcel/watcher
 * (the library VS Code's own file watcher is built on: inotify, FSEvents, ReadDirectoryChangesW)
 * and, where events are unreliable or unavailable (network and remote file systems, an exhausted
 * inotify limit), polling sizes and mtimes. Neither opens the files: an agent writing a log
 * never meets a lock of ours. Deletions are not reported: a vanished log keeps its sessions.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { walkFiles } from '../importing/discover';

export type WatchMode = 'events' | 'polling';

export interface FolderWatch {
	readonly mode: WatchMode;
	close(): Promise<void>;
}

export interface WatchHandlers {
	/** Files created or written (never deletions), filtered by `accept`. */
	onChange(paths: string[]): void;
	onError(error: Error): void;
}

/** Folders agents fill with things that are never logs; skipping them keeps events and walks cheap. */
const IGNORED = ['**/node_modules', '**/.git'];

/** Native events for everything under `dir`; a new folder is read whole, or down to `maxDepth` folders below `dir`. */
export async function watchEvents(dir: string, accept: (file: string) => boolean, handlers: WatchHandlers, maxDepth = Infinity): Promise<FolderWatch> {
	// Loaded lazily: a platform without a prebuilt or buildable module still has polling.
	const watcher = await import('@parcel/watcher');
	const subscription = await watcher.subscribe(dir, (error, events) => {
		if (error) {
			handlers.onError(error);
			return;
		}
		const changed: string[] = [];
		for (const event of events) {
			if (event.type === 'delete') continue;
			if (accept(event.path)) {
				changed.push(event.path);
			} else if (event.type === 'create' && isFolder(event.path)) {
				// A file written right after its folder was made can land before the watch on the new
				// folder is in place (an agent starting a new project), so a new folder is read whole,
				// as far down as the root reaches (a new .venv in a workspace watched for Aider is not walked).
				const reach = maxDepth - depthBelow(dir, event.path) - 1;
				if (reach >= 0) changed.push(...walkFiles(event.path, accept, reach));
			}
		}
		if (changed.length > 0) handlers.onChange(changed);
	}, { ignore: IGNORED });
	return { mode: 'events', close: () => subscription.unsubscribe() };
}

interface Seen { size: number; mtimeMs: number }

/**
 * Walks the folder (down to `maxDepth` folders) every `intervalMs` and reports files whose size
 * or mtime moved (new files included).
 */
export function watchPolling(dir: string, accept: (file: string) => boolean, handlers: WatchHandlers, intervalMs: number, maxDepth?: number): FolderWatch {
	const seen = new Map<string, Seen>();
	const scan = (report: boolean): void => {
		const changed: string[] = [];
		for (const file of walkFiles(dir, accept, maxDepth)) {
			const stat = fs.statSync(file, { throwIfNoEntry: false });
			if (!stat) continue;
			const before = seen.get(file);
			if (!before || before.size !== stat.size || before.mtimeMs !== stat.mtimeMs) {
				seen.set(file, { size: stat.size, mtimeMs: stat.mtimeMs });
				changed.push(file);
			}
		}
		if (report && changed.length > 0) handlers.onChange(changed);
	};
	scan(false);
	const timer = setInterval(() => {
		try {
			scan(true);
		} catch (error) {
			handlers.onError(error as Error);
		}
	}, intervalMs);
	timer.unref();
	return { mode: 'polling', close: async () => clearInterval(timer) };
}

/** Folders between `root` and the file: 0 for a file directly in it. */
export function depthBelow(root: string, file: string): number {
	return path.relative(root, path.dirname(file)).split(path.sep).filter((part) => part !== '').length;
}

export function isFolder(file: string): boolean {
	return fs.statSync(file, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
