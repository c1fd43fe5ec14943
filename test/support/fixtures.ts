/** Paths and helpers shared by the unit and CLI tests. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');
export const FIXTURES = path.join(REPO, 'test', 'fixtures', 'sessions');
export const CLI = path.join(REPO, 'server', 'out', 'cli.js');

const cleanup: string[] = [];
process.on('exit', () => cleanup.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A fresh temp folder removed when the process exits. */
export function tempDir(prefix = 'tracemint-test-'): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	cleanup.push(dir);
	return dir;
}

export function filesUnder(dir: string, suffix: string): string[] {
	const out: string[] = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
		if (entry.isFile() && entry.name.endsWith(suffix)) {
			out.push(path.join(entry.parentPath, entry.name));
		}
	}
	return out.sort();
}
