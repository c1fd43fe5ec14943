import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { openaiChat } from '../../server/src/core/export/formats/openaiChat';
import { CLI, FIXTURES, json, tempDir, tracemint } from '../support/fixtures';
import { dumpStore } from '../support/storeDump';

void describe('cli', () => {
	void it('import --json prints exactly one JSON document on stdout and warnings on stderr', () => {
		const store = path.join(tempDir(), 's.sqlite');
		const run = tracemint(['import', FIXTURES, '--store', store, '--json']);
		const report = json<{ sessions: { added: number }; malformed: number; store: string }>(run);
		assert.equal(report.store, store);
		assert.ok(report.sessions.added > 0);
		assert.equal(report.malformed, 2);
		assert.match(run.stderr, /images-in-user-messages\.jsonl:1: not valid JSON/);
	});

	void it('lists, shows (by unique prefix), opts in and out, and exports', () => {
		const dir = tempDir();
		const store = path.join(dir, 's.sqlite');
		json(tracemint(['import', path.join(FIXTURES, 'codex'), '--store', store, '--json']));
		const sessions = json<{ id: string; agent: string; optedIn: boolean; messages: number }[]>(tracemint(['sessions', '--store', store, '--json']));
		assert.equal(sessions.length, 3);
		assert.ok(sessions.every((s) => s.agent === 'codex' && !s.optedIn && s.messages > 0));
		const target = sessions.find((s) => s.id.startsWith('codex:019b7f94'))!;
		const shown = json<{ id: string; messages: unknown[] }>(tracemint(['show', '019b7f94', '--store', store, '--json']));
		assert.equal(shown.id, target.id);
		assert.equal(shown.messages.length, target.messages);
		const markdown = tracemint(['show', target.id, '--markdown', '--store', store]);
		assert.match(markdown.stdout, /^# /);
		assert.match(markdown.stdout, /## Assistant/);

		const consent = json<{ changed: string[] }>(tracemint(['opt-in', target.id, '--store', store, '--json']));
		assert.deepEqual(consent.changed, [target.id]);
		const out = path.join(dir, 'ds');
		const openGates = ['--preset', 'experimental', '--floor', '0'];
		const exported = json<{ sessions: { exported: number }; out: string; version: number }>(tracemint(['export', '--out', out, '--name', 'codex-runs', ...openGates, '--store', store, '--json']));
		assert.equal(exported.sessions.exported, 1);
		assert.equal(exported.out, path.join(out, 'codex-runs', 'v1'));
		const lines = ['train', 'validation', 'test'].flatMap((s) => fs.readFileSync(path.join(exported.out, 'openai_chat', `${s}.jsonl`), 'utf8').split('\n').filter(Boolean));
		assert.equal(lines.length, 1);
		assert.deepEqual(openaiChat.validate(JSON.parse(lines[0])), []);

		json(tracemint(['opt-out', target.id, '--store', store, '--json']));
		const after = json<{ sessions: { exported: number }; version: number }>(tracemint(['export', '--out', out, '--name', 'codex-runs', ...openGates, '--store', store, '--json']));
		assert.equal(after.sessions.exported, 0);
		assert.equal(after.version, 2, 'a new version; v1 stays as it was');
	});

	void it('honours TRACEMINT_STORE when --store is absent', () => {
		const store = path.join(tempDir(), 'env.sqlite');
		const status = json<{ store: string }>(tracemint(['status', '--json'], undefined, { TRACEMINT_STORE: store }));
		assert.equal(status.store, store);
		assert.ok(fs.existsSync(store));
	});

	void it('gives clear errors and exit codes for bad input', () => {
		const store = path.join(tempDir(), 's.sqlite');
		const unknown = tracemint(['frobnicate', '--store', store]);
		assert.equal(unknown.code, 2);
		assert.match(unknown.stderr, /unknown command "frobnicate"/);
		const noOut = tracemint(['export', '--store', store]);
		assert.equal(noOut.code, 2);
		assert.match(noOut.stderr, /--out DIR is required/);
		const badAgent = tracemint(['import', '--agent', 'vim', '--store', store]);
		assert.equal(badAgent.code, 2);
		assert.match(badAgent.stderr, /--agent must be one of claude-code, codex/);
		const missing = tracemint(['show', 'no-such-session', '--store', store]);
		assert.equal(missing.code, 1);
		assert.match(missing.stderr, /No session matches "no-such-session"/);
		assert.equal(missing.stdout, '');
	});

	void it('a kill half-way through an import, then a re-run, gives the same store as one clean run', async () => {
		// A corpus big enough that the import takes a while: the real fixtures copied into many projects.
		const corpus = tempDir('tracemint-corpus-');
		for (let i = 0; i < 30; i++) {
			fs.cpSync(FIXTURES, path.join(corpus, `copy-${String(i).padStart(2, '0')}`), { recursive: true });
		}
		const cleanStore = path.join(tempDir(), 'clean.sqlite');
		json(tracemint(['import', corpus, '--store', cleanStore, '--json']));
		const expected = dumpStore(cleanStore, corpus);

		let killedMidway = 0;
		for (const delayMs of [150, 300, 450, 600, 800]) {
			const store = path.join(tempDir(), `killed-${delayMs}.sqlite`);
			const child = spawn(process.execPath, [CLI, 'import', corpus, '--store', store, '--json'], { stdio: 'ignore' });
			const exited = await new Promise<boolean>((resolve) => {
				const timer = setTimeout(() => { child.kill('SIGKILL'); resolve(false); }, delayMs);
				child.on('exit', () => { clearTimeout(timer); resolve(true); });
			});
			if (!exited) {
				killedMidway++;
				await new Promise((resolve) => child.on('exit', resolve));
			}
			json(tracemint(['import', corpus, '--store', store, '--json']));
			const got = dumpStore(store, corpus);
			assert.equal(got.dirtyGroups, 0);
			assert.deepEqual(got, expected, `store after a kill at ${delayMs} ms differs from a clean import`);
		}
		assert.ok(killedMidway >= 2, `only ${killedMidway} runs were killed before finishing; the corpus is too small to test this`);
	});
});
