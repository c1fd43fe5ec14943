/** Paths and helpers shared by the unit and CLI tests. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FileHead, LocationEnv } from '../../server/src/core/capture/importer';
import { headOf } from '../../server/src/core/importing/discover';

export const REPO = path.resolve(__dirname, '..', '..');
export const FIXTURES = path.join(REPO, 'test', 'fixtures', 'sessions');
export const CLI = path.join(REPO, 'server', 'out', 'cli.js');

/** A location with no agent logs: `Tracemint.open(file, noHome)` never reads this machine's real history. */
export const noHome: LocationEnv = { home: '/nonexistent-home', env: {}, platform: 'linux' };

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

export interface Run { code: number | null; stdout: string; stderr: string }

/** The CLI as a user runs it, with HOME (and so the default store) pointed into a temp folder, away from this machine's agent logs. */
export function tracemint(args: string[], input?: string | Buffer, env: Record<string, string> = {}): Run {
	const home = tempDir('tracemint-home-');
	const run = spawnSync(process.execPath, [CLI, ...args], {
		input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
		env: { PATH: process.env.PATH ?? '', HOME: home, XDG_DATA_HOME: path.join(home, 'data'), ...env },
	});
	return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The one JSON document of a `--json` run that succeeded. */
export function json<T>(run: Run): T {
	assert.equal(run.code, 0, run.stderr);
	return JSON.parse(run.stdout) as T;
}

/** Gates open as far as they go (every opted-in, unblocked session with a user and an assistant turn), for tests of what an export writes rather than what it selects. */
export const OPEN_GATES = { preset: 'experimental', thresholds: { rewardFloor: 0 } } as const;

/** A sniffing head for one JSON value, as if it were the first line of a file. */
export function valueHead(value: unknown): FileHead {
	return headOf('', value === undefined ? '' : JSON.stringify(value));
}

/** Milliseconds until `check` holds, polling every 25 ms; fails after `limitMs` (live capture's promise to the user is 3 s). */
export async function within(what: string, check: () => boolean, limitMs = 3000): Promise<number> {
	const start = Date.now();
	while (!check()) {
		if (Date.now() - start > limitMs) assert.fail(`${what}: not in the store after ${limitMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	return Date.now() - start;
}
