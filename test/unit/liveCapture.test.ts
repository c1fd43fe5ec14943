/**
 * Live capture against real files: agents' logs are written and grown in a temp home while the
 * watcher runs, and each new message must be in the store within 3 seconds. Run once with
 * native file events and once with the polling fallback. Claude Code grows a real log (with
 * records chained as it writes them); Codex grows a real rollout by appending its own lines.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { after, describe, it } from 'node:test';
import type { LocationEnv } from '../../server/src/core/capture/importer';
import type { LiveCapture } from '../../server/src/core/live/liveCapture';
import { Tracemint } from '../../server/src/core/tracemint';
import { ClaudeLog } from '../support/claudeLog';
import { appendExchange, writeLiveSession } from '../support/liveSession.mjs';
import { FIXTURES, noHome, tempDir, within } from '../support/fixtures';

const ROLLOUT = path.join(FIXTURES, 'codex', 'codemie-code', 'rollout-2026-01-02T18-39-45-019b7f94-51b4-7593-922e-ba12b5b73b52.jsonl');
const ROLLOUT_ID = 'codex:019b7f94-51b4-7593-922e-ba12b5b73b52';
const LIVE_SOURCE = path.join(FIXTURES, 'claude-code', 'marot-spotter', 'short.jsonl');

interface Home { loc: LocationEnv; core: Tracemint; claudeProjects: string; codexDay: string }

function home(): Home {
	const dir = tempDir('tracemint-live-');
	const loc: LocationEnv = { home: dir, env: {}, platform: 'linux' };
	const claudeProjects = path.join(dir, '.claude', 'projects');
	const codexDay = path.join(dir, '.codex', 'sessions', '2026', '01', '02');
	fs.mkdirSync(claudeProjects, { recursive: true });
	fs.mkdirSync(codexDay, { recursive: true });
	return { loc, core: Tracemint.open(path.join(dir, 'store.sqlite'), loc), claudeProjects, codexDay };
}


function messageCount(core: Tracemint, id: string): number {
	return core.store.sessions.get(id)?.messages.length ?? 0;
}

const open: { live: LiveCapture; core: Tracemint }[] = [];
after(async () => {
	for (const { live, core } of open) {
		await live.close();
		core.close();
	}
});

async function watching(h: Home, options: Parameters<Tracemint['watch']>[0] = {}): Promise<LiveCapture> {
	const live = await h.core.watch({ scan: false, ...options });
	open.push({ live, core: h.core });
	return live;
}

for (const mode of ['auto', 'polling'] as const) {
	void describe(`live capture (${mode === 'auto' ? 'native file events' : 'polling fallback'})`, () => {
		void it('sees a new Claude Code session, then each message appended to it, within 3 s', async () => {
			const h = home();
			const live = await watching(h, { mode, pollMs: 250 });
			const expected = mode === 'auto' ? 'events' : 'polling';
			assert.deepEqual(live.status().find((s) => s.agent === 'claude-code')!.roots.map((r) => r.state), [expected, 'absent']);

			const log = new ClaudeLog('5d0c2f7e-0000-4000-8000-00000000a11e');
			const file = log.write(h.claudeProjects);
			const id = 'claude-code:5d0c2f7e-0000-4000-8000-00000000a11e';
			await within('the new session', () => messageCount(h.core, id) > 0);
			const before = messageCount(h.core, id);

			log.user('Now add a test for the empty input.').append(file);
			await within('the appended user turn', () => messageCount(h.core, id) === before + 1);
			log.say('Added `test_empty_input` and it passes.').append(file);
			await within('the appended assistant turn', () => messageCount(h.core, id) === before + 2);
			const last = h.core.store.sessions.get(id)!.messages.at(-1)!;
			assert.equal(last.role, 'assistant');
			assert.equal(last.content, 'Added `test_empty_input` and it passes.');
		});

		void it('follows a Codex rollout as it is appended, line by line in bursts', async () => {
			const h = home();
			await watching(h, { mode, pollMs: 250 });
			const lines = fs.readFileSync(ROLLOUT, 'utf8').split('\n').filter(Boolean);
			const file = path.join(h.codexDay, path.basename(ROLLOUT));
			// The task and the first tool call; the rest arrives as Codex writes it.
			const firstReply = lines.findIndex((l) => l.includes('"type":"function_call"'));
			assert.equal(firstReply, 9);
			fs.writeFileSync(file, `${lines.slice(0, firstReply + 1).join('\n')}\n`);
			await within('the rollout\'s first turn', () => messageCount(h.core, ROLLOUT_ID) > 0);
			let seen = messageCount(h.core, ROLLOUT_ID);
			const grew: number[] = [];
			for (let i = firstReply + 1; i < lines.length; i += 4) {
				fs.appendFileSync(file, `${lines.slice(i, i + 4).join('\n')}\n`);
				await within(`rollout lines ${i + 1}-${Math.min(i + 4, lines.length)}`, () => {
					const n = messageCount(h.core, ROLLOUT_ID);
					const imported = h.core.store.sourceFiles.find(file)?.consumed_lines ?? 0;
					return imported >= Math.min(i + 4, lines.length) && n >= seen;
				});
				const n = messageCount(h.core, ROLLOUT_ID);
				if (n > seen) grew.push(n);
				seen = n;
			}
			assert.ok(grew.length >= 2, `the session grew during the appends (${grew.join(', ')})`);
			// Live import ends exactly where one import of the finished file ends.
			const fresh = Tracemint.open(path.join(tempDir(), 'fresh.sqlite'), noHome);
			fresh.importSessions({ paths: [file], scan: false });
			assert.deepEqual(h.core.store.sessions.get(ROLLOUT_ID)!.messages, fresh.store.sessions.get(ROLLOUT_ID)!.messages);
			fresh.close();
		});

		// Sessions the e2e suite writes one after another into one project folder, as an agent does.
		void it('follows each of several sessions started in one project folder, each growing by its own exchanges', async () => {
			const h = home();
			await watching(h, { mode, pollMs: 250 });
			const workspace = path.join(h.loc.home, 'work');
			for (const n of [1, 2, 3]) {
				const live = writeLiveSession({ source: LIVE_SOURCE, workspace, projectsDir: h.claudeProjects, prompt: `task ${n}`, answer: `done ${n}` });
				await within(`session ${n}`, () => messageCount(h.core, live.id) > 0);
				const started = messageCount(h.core, live.id);
				for (const turn of [1, 2]) {
					appendExchange({ file: live.file, prompt: `more ${turn}`, answer: `ok ${turn}` });
					await within(`session ${n}, exchange ${turn}`, () => messageCount(h.core, live.id) === started + 2 * turn);
				}
			}
			const counts = h.core.listSessions().map((s) => s.message_count);
			assert.equal(counts.length, 3);
			assert.equal(new Set(counts).size, 1, `every copy is whole: ${counts.join(', ')}`);
		});
	});
}

void describe('live capture: locations', () => {
	void it('starts watching an agent folder that appears after start, and imports what is already in it', async () => {
		const h = home();
		fs.rmSync(path.join(h.loc.home, '.codex'), { recursive: true });
		const live = await watching(h, { mode: 'polling', pollMs: 100, rootCheckMs: 100 });
		assert.equal(live.status().find((s) => s.agent === 'codex')!.roots[0].state, 'absent');
		fs.mkdirSync(h.codexDay, { recursive: true });
		fs.copyFileSync(ROLLOUT, path.join(h.codexDay, path.basename(ROLLOUT)));
		await within('a rollout in a folder created after start', () => messageCount(h.core, ROLLOUT_ID) > 0);
		assert.equal(live.status().find((s) => s.agent === 'codex')!.roots[0].state, 'polling');
	});

	void it('tries an import that failed again: a store locked by another writer does not leave the last lines out until the next write', async () => {
		const h = home();
		const lines: string[] = [];
		await watching(h, { retryMs: 100, log: (line) => lines.push(line) });
		// Another process holding the store's write lock past the busy timeout (5 s), as a long export could.
		const other = new Database(h.core.store.path);
		other.exec('BEGIN IMMEDIATE');
		const release = setTimeout(() => other.exec('COMMIT'), 1000);
		const live = writeLiveSession({ source: LIVE_SOURCE, workspace: path.join(h.loc.home, 'work'), projectsDir: h.claudeProjects, prompt: 'last words', answer: 'and done' });
		try {
			await within('the session, after the store was free again', () => messageCount(h.core, live.id) > 0, 15_000);
		} finally {
			clearTimeout(release);
			if (other.inTransaction) other.exec('COMMIT');
			other.close();
		}
		assert.ok(lines.some((line) => /^live capture: claude-code: database is locked; trying again in 100 ms$/.test(line)), lines.join('\n'));
		const fresh = Tracemint.open(path.join(tempDir(), 'store.sqlite'), noHome);
		fresh.importSessions({ paths: [live.file], scan: false });
		assert.equal(messageCount(h.core, live.id), messageCount(fresh, live.id), 'every line is in, once');
		fresh.close();
	});

	void it('a workspace watched for Aider is read two folders down, not deeper, with events and with polling', async () => {
		const source = path.join(FIXTURES, 'aider', 'andrewjacop-simple-calulator');
		for (const mode of ['auto', 'polling'] as const) {
			const h = home();
			const workspace = path.join(h.loc.home, 'ws');
			const near = path.join(workspace, 'packages', 'app');
			const far = path.join(workspace, 'packages', 'app', 'vendor');
			fs.mkdirSync(far, { recursive: true });
			await watching(h, { mode, pollMs: 100, extraRoots: [{ dir: workspace, agents: ['aider'], maxDepth: 2 }] });
			for (const dir of [far, near]) {
				for (const name of ['.aider.chat.history.md', '.aider.input.history']) fs.copyFileSync(path.join(source, name), path.join(dir, name));
			}
			const imported = (dir: string) => h.core.store.sourceFiles.find(path.join(dir, '.aider.chat.history.md')) !== undefined;
			await within(`${mode}: the history two folders down`, () => imported(near));
			await new Promise((resolve) => setTimeout(resolve, 400));
			assert.equal(imported(far), false, `${mode}: three folders down is out of reach`);
		}
	});

	void it('keeps the session of a log the agent deletes', async () => {
		const h = home();
		await watching(h, { pollMs: 100 });
		const file = path.join(h.codexDay, path.basename(ROLLOUT));
		fs.copyFileSync(ROLLOUT, file);
		await within('the rollout', () => messageCount(h.core, ROLLOUT_ID) > 0);
		const count = messageCount(h.core, ROLLOUT_ID);
		fs.rmSync(file);
		await new Promise((resolve) => setTimeout(resolve, 500));
		assert.equal(messageCount(h.core, ROLLOUT_ID), count);
	});

	void it('a source switched off is neither watched nor imported; switched on, it catches up', async () => {
		const h = home();
		const live = await watching(h, { mode: 'polling', pollMs: 100, disabled: ['codex'] });
		assert.equal(live.status().find((s) => s.agent === 'codex')!.enabled, false);
		fs.copyFileSync(ROLLOUT, path.join(h.codexDay, path.basename(ROLLOUT)));
		await new Promise((resolve) => setTimeout(resolve, 600));
		assert.equal(messageCount(h.core, ROLLOUT_ID), 0, 'not imported while off');
		const sources = h.core.sources(live);
		const codex = sources.find((s) => s.agent === 'codex')!;
		assert.equal(codex.enabled, false);
		assert.equal(codex.installed, true);
		assert.deepEqual(codex.locations.map((l) => l.state), ['off', 'absent']);
		await live.setDisabled([]);
		await within('the rollout after switching Codex on', () => messageCount(h.core, ROLLOUT_ID) > 0);
		const on = h.core.sources(live).find((s) => s.agent === 'codex')!;
		assert.equal(on.sessions, 1);
		assert.equal(on.files, 1);
		assert.ok(on.lastImportAt !== null);
	});
});
