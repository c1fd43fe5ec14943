/**
 * A dataset's versions live side by side as `<out>/<name>/v1`, `v2`, …; an export never
 * overwrites one. It is written in a hidden staging folder beside them and renamed into place
 * when complete, so a crash or a cancel leaves no half-written version.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const VERSION_DIR = /^v(\d+)$/;

/** Names usable as one folder on every OS: no separators, no leading dot, no reserved characters. */
export function datasetName(name: string): string {
	const printable = [...name.trim()].map((c) => (c.charCodeAt(0) < 0x20 ? '-' : c)).join('');
	const clean = printable.replace(/[\\/:*?"<>|]+/g, '-').replace(/^\.+/, '').slice(0, 100);
	if (!clean) {
		throw new Error(`"${name}" cannot be a dataset name: use letters, digits, '-', '_' or '.'.`);
	}
	return clean;
}

export function newestVersion(root: string): number {
	if (!fs.existsSync(root)) {
		return 0;
	}
	return fs.readdirSync(root).reduce((max, entry) => Math.max(max, Number(VERSION_DIR.exec(entry)?.[1] ?? 0)), 0);
}

export function stagingFolder(root: string): string {
	fs.mkdirSync(root, { recursive: true });
	return fs.mkdtempSync(path.join(root, '.staging-'));
}

/**
 * Renames the finished staging folder to the next free `v<N>` and returns N. `stamp(N)` writes
 * the files that name the version (card, manifest) first; if another export takes N meanwhile,
 * they are written again for the next number.
 */
export function publishVersion(root: string, staging: string, stamp: (version: number) => void): number {
	for (let version = newestVersion(root) + 1; ; version++) {
		if (fs.existsSync(path.join(root, `v${version}`))) {
			continue;
		}
		stamp(version);
		try {
			fs.renameSync(staging, path.join(root, `v${version}`));
			return version;
		} catch (error) {
			if (!isTaken(error)) {
				throw error;
			}
		}
	}
}

function isTaken(error: unknown): boolean {
	const code = (error as NodeJS.ErrnoException).code;
	return code === 'EEXIST' || code === 'ENOTEMPTY';
}
