/**
 * `tracemint watch` as a user runs it: the built CLI in its own process, HOME in a temp folder
 * holding Claude Code and Codex log folders. Logs are written and appended while it runs, and
 * the store (read by this process through its own connection) must hold each new message
 * within 3 seconds. Ctrl-C (SIGINT) ends it cleanly.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TraceStore } from '../../server/src/core/store/store';
import { ClaudeLog } from '../support/claudeLog';
import { CLI, FIXTURES, tempDir, within } from '../support/fixtures';

const ROLLOUT = path.join(FIXTURES, 'codex', 'codemie-code', 'rollout-2026-01-02T18-39-45-019b7f94-51b4-7593-922e-ba12b5b73b52.jsonl');


void describe('tracemint watch', () => {
	void it('imports a Claude Code log and a Codex rollout as they are appended, each message within 3 s', async () => {
		const home = tempDir('tracemint-watch-');
		const projects = path.join(home, '.claude', 'projects');
		const codexDay = path.join(home, '.codex', 'sessions', '2026', '01', '02');
		fs.mkdirSync(projects, { recursive: true });
		fs.mkdirSync(codexDay, { recursive: true });
		const storeFile = path.join(home, 'store.sqlite');
		const child = spawn(process.execPath, [CLI, 'watch', '--json', '--store', storeFile], {
			env: { PATH: process.env.PATH ?? '', HOME: home, XDG_DATA_HOME: path.join(home, 'data') },
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
		child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
		const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
		try {
			await within('the watching line', () => stderr.includes('watching:'));
			assert.match(stderr, /claude-code .*\.claude\/projects \(events\)/);
			assert.match(stderr, /codex .*\.codex\/sessions \(events\)/);
			const store = TraceStore.open(storeFile);
			const count = (id: string): number => store.sessions.get(id)?.messages.length ?? 0;

			const log = new ClaudeLog('7e1d0c55-0000-4000-8000-0000000c11ee');
			const claudeId = 'claude-code:7e1d0c55-0000-4000-8000-0000000c11ee';
			const file = log.write(projects);
			await within('the Claude Code session', () => count(claudeId) > 0);
			const base = count(claudeId);
			log.user('Rename the helper to parseArgs.').append(file);
			await within('the appended user turn', () => count(claudeId) === base + 1);
			log.say('Renamed it in both files.').append(file);
			await within('the appended assistant turn', () => count(claudeId) === base + 2);

			const lines = fs.readFileSync(ROLLOUT, 'utf8').split('\n').filter(Boolean);
			const rollout = path.join(codexDay, path.basename(ROLLOUT));
			const codexId = 'codex:019b7f94-51b4-7593-922e-ba12b5b73b52';
			fs.writeFileSync(rollout, `${lines.slice(0, 10).join('\n')}\n`);
			await within('the Codex session', () => count(codexId) > 0);
			const first = count(codexId);
			fs.appendFileSync(rollout, `${lines.slice(10).join('\n')}\n`);
			await within('the rest of the rollout', () => count(codexId) > first);
			store.close();

			child.kill('SIGINT');
			assert.equal(await exited, 0, stderr);
			const imports = stdout.trim().split('\n').map((line) => JSON.parse(line) as { changed: string[]; malformed: number });
			assert.ok(imports.length >= 5, `one line per import (${imports.length})`);
			assert.deepEqual([...new Set(imports.flatMap((i) => i.changed))].sort(), [claudeId, codexId]);
			assert.ok(imports.every((i) => i.malformed === 0));
		} finally {
			child.kill('SIGKILL');
		}
	});
});
