/** Finds candidate session files under paths or agents' default locations, and sniffs formats. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AgentImporter, FileHead, ImportWarning, LocationEnv } from '../capture/importer';

export interface Candidate {
	path: string;
	importer: AgentImporter;
}

const SNIFF_BYTES = 256 * 1024;

/**
 * Walks a folder without following symlinked folders (agent dirs can contain loops). With
 * `maxDepth`, files at most that many folders below `root` (0: the root's own files).
 */
export function walkFiles(root: string, accept: (file: string) => boolean, maxDepth = Infinity): string[] {
	const found: string[] = [];
	const stack = [{ dir: root, depth: 0 }];
	while (stack.length > 0) {
		const { dir, depth } = stack.pop()!;
		let entries: fs.Dirent[];
		try {
			entries = fs.readdirSync(dir, { withFileTypes: true });
		} catch {
			continue;
		}
		for (const entry of entries) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) {
				if (depth < maxDepth && entry.name !== 'node_modules' && entry.name !== '.git') {
					stack.push({ dir: full, depth: depth + 1 });
				}
			} else if (entry.isFile() && accept(full)) {
				found.push(full);
			}
		}
	}
	return found.sort();
}

/** A file's head as sniffing sees it; undefined when the file cannot be read. */
export function readHead(file: string): FileHead | undefined {
	let fd: number | undefined;
	try {
		fd = fs.openSync(file, 'r');
		const buffer = Buffer.alloc(SNIFF_BYTES);
		const read = fs.readSync(fd, buffer, 0, SNIFF_BYTES, 0);
		return headOf(file, buffer.toString('utf8', 0, read));
	} catch {
		return undefined;
	} finally {
		if (fd !== undefined) {
			fs.closeSync(fd);
		}
	}
}

export function headOf(file: string, text: string): FileHead {
	return { path: file, text, firstRecord: firstJsonObject(text) };
}

function firstJsonObject(text: string): unknown {
	for (const line of text.split('\n')) {
		try {
			const value = JSON.parse(line) as unknown;
			if (value && typeof value === 'object') {
				return value;
			}
		} catch {
			// comment lines, a torn head, a pretty-printed document: try the next line
		}
	}
	return undefined;
}

export function sniff(file: string, importers: readonly AgentImporter[]): AgentImporter | undefined {
	const head = readHead(file);
	return head === undefined ? undefined : importers.find((i) => i.sniff(head));
}

/**
 * Explicit paths: files and folders the user named, sniffed per file (or forced to one
 * importer with --agent). No paths: each importer's default roots.
 */
export function discover(paths: string[] | undefined, importers: readonly AgentImporter[], loc: LocationEnv, warnings: ImportWarning[]): { candidates: Candidate[]; roots: string[] } {
	const candidates = new Map<string, Candidate>();
	const roots: string[] = [];
	const add = (file: string, pool: readonly AgentImporter[], named: boolean): void => {
		if (candidates.has(file)) {
			return;
		}
		const importer = pool.length === 1 ? pool[0] : sniff(file, pool);
		if (importer) {
			candidates.set(file, { path: file, importer });
		} else if (named) {
			warnings.push({ file, message: `not a session log of a known agent (expected a log of ${pool.map((i) => i.agent).join(', ')})` });
		}
	};
	if (paths && paths.length > 0) {
		for (const given of paths) {
			const full = path.resolve(given);
			const stat = fs.statSync(full, { throwIfNoEntry: false });
			if (!stat) {
				warnings.push({ file: full, message: 'no such file or folder' });
			} else if (stat.isDirectory()) {
				roots.push(full);
				for (const file of walkFiles(full, (f) => importers.some((i) => i.isSessionFile(f)))) {
					add(file, importers.filter((i) => i.isSessionFile(file)), false);
				}
			} else {
				add(full, importers, true);
			}
		}
	} else {
		for (const importer of importers) {
			for (const root of importer.defaultRoots(loc)) {
				if (fs.existsSync(root)) {
					roots.push(root);
					for (const file of walkFiles(root, (f) => importer.isSessionFile(f))) {
						add(file, [importer], false);
					}
				}
			}
		}
	}
	return { candidates: [...candidates.values()], roots };
}
