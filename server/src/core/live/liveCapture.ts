/**
 * Live capture: every known agent location is watched, and files written there are imported
 * within moments (events are gathered for `debounceMs`, then imported per agent). Roots that do
 * not exist yet (an agent installed later) are looked for again every `rootCheckMs`. Native
 * events are used where they can be had, polling where not. Importing itself is the caller's
 * (the import runner reads only new bytes, so a burst of appends costs one small read).
 */
import * as path from 'node:path';
import type { AgentId } from '../../../../shared/model';
import type { AgentImporter, LocationEnv } from '../capture/importer';
import { walkFiles } from '../importing/discover';
import { depthBelow, isFolder, watchEvents, watchPolling, type FolderWatch, type WatchMode } from './watchers';

export interface ExtraRoot {
	dir: string;
	/** Which agents' files may be found there (a workspace's `.tracemint/traces`, Aider logs in a repository). */
	agents: AgentId[];
	/**
	 * Only files at most this many folders down count (0: the root's own). A workspace folder is
	 * watched for Aider histories, which sit at a repository's top: polling need not walk all of it.
	 */
	maxDepth?: number;
}

export interface LiveCaptureOptions {
	importers: readonly AgentImporter[];
	loc: LocationEnv;
	extraRoots?: ExtraRoot[];
	/** Sources switched off by the user: neither watched nor imported. */
	disabled?: Iterable<AgentId>;
	/** Imports these files of one agent now; a throw is recorded as that source's error, and the files are tried again later. */
	importFiles(agent: AgentId, paths: string[]): void;
	/** `polling` forces the fallback everywhere (settings, tests); `auto` prefers native events. */
	mode?: 'auto' | 'polling';
	debounceMs?: number;
	pollMs?: number;
	rootCheckMs?: number;
	/** First wait before a failed import is tried again; it doubles with each failure in a row, up to a minute. */
	retryMs?: number;
	log?: (line: string) => void;
}

/** `off`: the folder exists but is not watched (its sources are switched off). */
export type RootState = WatchMode | 'absent' | 'error' | 'off';

export interface WatchedRootStatus {
	dir: string;
	state: RootState;
	error?: string;
}

export interface LiveSourceStatus {
	agent: AgentId;
	enabled: boolean;
	roots: WatchedRootStatus[];
	lastImportAt: string | null;
	lastError: string | null;
}

interface Root {
	dir: string;
	agents: AgentId[];
	/** Undefined: the whole tree. */
	maxDepth?: number;
	watch?: FolderWatch;
	starting?: Promise<void>;
	error?: string;
}

const DEFAULTS = { debounceMs: 150, pollMs: 2000, rootCheckMs: 10_000, retryMs: 2000 };
const MAX_RETRY_MS = 60_000;

export class LiveCapture {
	private readonly roots = new Map<string, Root>();
	private readonly pending = new Map<AgentId, Set<string>>();
	private readonly lastImport = new Map<AgentId, string>();
	private readonly lastError = new Map<AgentId, string>();
	/** Failed imports in a row, per agent: how long the next retry waits. */
	private readonly failures = new Map<AgentId, number>();
	private readonly retryTimers = new Set<NodeJS.Timeout>();
	private disabled: Set<AgentId>;
	private flushTimer: NodeJS.Timeout | undefined;
	private rootTimer: NodeJS.Timeout | undefined;
	private closed = false;
	private readonly settings: typeof DEFAULTS;

	constructor(private readonly options: LiveCaptureOptions) {
		this.disabled = new Set(options.disabled ?? []);
		this.settings = {
			debounceMs: options.debounceMs ?? DEFAULTS.debounceMs,
			pollMs: options.pollMs ?? DEFAULTS.pollMs,
			rootCheckMs: options.rootCheckMs ?? DEFAULTS.rootCheckMs,
			retryMs: options.retryMs ?? DEFAULTS.retryMs,
		};
		for (const importer of options.importers) {
			for (const dir of importer.defaultRoots(options.loc)) this.addRoot(dir, importer.agent);
		}
		for (const extra of options.extraRoots ?? []) {
			for (const agent of extra.agents) this.addRoot(extra.dir, agent, extra.maxDepth);
		}
	}

	/** Starts watching every root that exists; resolves once they are all subscribed. */
	async start(): Promise<void> {
		await this.syncRoots(false);
		this.rootTimer = setInterval(() => void this.syncRoots(true), this.settings.rootCheckMs);
		this.rootTimer.unref();
	}

	/** Switches sources on and off; a source switched on is imported in full once. */
	async setDisabled(agents: Iterable<AgentId>): Promise<void> {
		const before = this.disabled;
		this.disabled = new Set(agents);
		for (const root of this.roots.values()) {
			if (!this.isActive(root) && root.watch) {
				await root.watch.close();
				root.watch = undefined;
			}
		}
		await this.syncRoots(false);
		for (const agent of before) {
			if (!this.disabled.has(agent)) this.importRootsOf(agent);
		}
	}

	status(): LiveSourceStatus[] {
		return this.options.importers.map((importer) => ({
			agent: importer.agent,
			enabled: !this.disabled.has(importer.agent),
			roots: [...this.roots.values()].filter((r) => r.agents.includes(importer.agent)).map((r) => ({
				dir: r.dir,
				state: rootState(r),
				...(r.error !== undefined ? { error: r.error } : {}),
			})),
			lastImportAt: this.lastImport.get(importer.agent) ?? null,
			lastError: this.lastError.get(importer.agent) ?? null,
		}));
	}

	async close(): Promise<void> {
		this.closed = true;
		clearInterval(this.rootTimer);
		clearTimeout(this.flushTimer);
		for (const timer of this.retryTimers) clearTimeout(timer);
		await Promise.all([...this.roots.values()].map(async (root) => {
			await root.starting;
			await root.watch?.close();
			root.watch = undefined;
		}));
	}

	private addRoot(dir: string, agent: AgentId, maxDepth?: number): void {
		const key = path.resolve(dir);
		const known = this.roots.get(key);
		// The same folder wanted whole by one agent and shallow by another is watched whole.
		const root = known ?? { dir: key, agents: [], maxDepth };
		if (known) root.maxDepth = known.maxDepth === undefined || maxDepth === undefined ? undefined : Math.max(known.maxDepth, maxDepth);
		if (!root.agents.includes(agent)) root.agents.push(agent);
		this.roots.set(key, root);
	}

	private isActive(root: Root): boolean {
		return root.agents.some((agent) => !this.disabled.has(agent));
	}

	/** Subscribes roots that exist and are wanted; `initialImport` reads a root that just appeared. */
	private async syncRoots(initialImport: boolean): Promise<void> {
		await Promise.all([...this.roots.values()].map(async (root) => {
			if (this.closed || root.watch || root.starting || !this.isActive(root) || !isFolder(root.dir)) return;
			root.starting = this.subscribe(root).finally(() => {
				root.starting = undefined;
			});
			await root.starting;
			if (initialImport && root.watch) {
				for (const agent of root.agents) this.queue(agent, this.pathsOf(root, agent));
			}
		}));
	}

	private async subscribe(root: Root): Promise<void> {
		const accept = (file: string): boolean => this.agentFor(root, file) !== undefined;
		const handlers = {
			onChange: (files: string[]) => {
				for (const file of files) {
					const agent = this.agentFor(root, file);
					if (agent) this.queue(agent, [file]);
				}
			},
			onError: (error: Error) => {
				root.error = error.message;
				this.options.log?.(`live capture: ${root.dir}: ${error.message}`);
			},
		};
		root.error = undefined;
		if (this.options.mode !== 'polling') {
			try {
				root.watch = await watchEvents(root.dir, accept, handlers, root.maxDepth);
				return;
			} catch (error) {
				this.options.log?.(`live capture: no file events for ${root.dir} (${(error as Error).message}); polling every ${this.settings.pollMs} ms`);
			}
		}
		root.watch = watchPolling(root.dir, accept, handlers, this.settings.pollMs, root.maxDepth);
	}

	/** The first enabled agent of this root that reads the file (registry order decides ties). */
	private agentFor(root: Root, file: string): AgentId | undefined {
		if (root.maxDepth !== undefined && depthBelow(root.dir, file) > root.maxDepth) return undefined;
		return this.options.importers.find((i) => root.agents.includes(i.agent) && !this.disabled.has(i.agent) && i.isSessionFile(file))?.agent;
	}

	/** What importing a root means for one agent: the folder, or its files within reach when the root is shallow. */
	private pathsOf(root: Root, agent: AgentId): string[] {
		return root.maxDepth === undefined ? [root.dir] : walkFiles(root.dir, (file) => this.agentFor(root, file) === agent, root.maxDepth);
	}

	private importRootsOf(agent: AgentId): void {
		const paths = [...this.roots.values()].filter((r) => r.agents.includes(agent) && isFolder(r.dir)).flatMap((r) => this.pathsOf(r, agent));
		if (paths.length > 0) this.queue(agent, paths);
	}

	private queue(agent: AgentId, paths: string[]): void {
		const set = this.pending.get(agent) ?? new Set<string>();
		for (const p of paths) set.add(p);
		this.pending.set(agent, set);
		this.flushTimer ??= setTimeout(() => this.flush(), this.settings.debounceMs);
	}

	private flush(): void {
		this.flushTimer = undefined;
		const batches = [...this.pending];
		this.pending.clear();
		for (const [agent, paths] of batches) {
			if (this.closed || this.disabled.has(agent)) continue;
			try {
				this.options.importFiles(agent, [...paths]);
				this.lastImport.set(agent, new Date().toISOString());
				this.lastError.delete(agent);
				this.failures.delete(agent);
			} catch (error) {
				this.lastError.set(agent, (error as Error).message);
				this.retryLater(agent, paths);
			}
		}
	}

	/**
	 * A failed import (the store busy with a long write elsewhere, a file briefly unreadable) is
	 * tried again: the agent may have written its last line already, and no event would come.
	 */
	private retryLater(agent: AgentId, paths: Set<string>): void {
		const failures = (this.failures.get(agent) ?? 0) + 1;
		this.failures.set(agent, failures);
		const delay = Math.min(this.settings.retryMs * 2 ** (failures - 1), MAX_RETRY_MS);
		this.options.log?.(`live capture: ${agent}: ${this.lastError.get(agent)}; trying again in ${delay} ms`);
		const timer = setTimeout(() => {
			this.retryTimers.delete(timer);
			this.queue(agent, [...paths]);
		}, delay);
		timer.unref();
		this.retryTimers.add(timer);
	}
}

function rootState(root: Root): RootState {
	if (root.error !== undefined) return 'error';
	if (root.watch) return root.watch.mode;
	return isFolder(root.dir) ? 'off' : 'absent';
}

