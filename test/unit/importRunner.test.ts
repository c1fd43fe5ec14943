import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { claudeCodeImporter } from '../../server/src/core/capture/claudeCode';
import { importers } from '../../server/src/core/capture/registry';
import { ImportRunner } from '../../server/src/core/importing/importRunner';
import { TraceStore } from '../../server/src/core/store/store';
import { Tracemint } from '../../server/src/core/tracemint';
import { FIXTURES, filesUnder, noHome, tempDir } from '../support/fixtures';
import { dumpStore } from '../support/storeDump';

const TURN1 = fs.readFileSync(path.join(FIXTURES, 'claude-code', 'codemie-code', 'incremental-simple', 'turn-1.jsonl'));
const TURN2 = fs.readFileSync(path.join(FIXTURES, 'claude-code', 'codemie-code', 'incremental-simple', 'turn-2.jsonl'));

function open(dir: string): Tracemint {
	return Tracemint.open(path.join(dir, 'store.sqlite'), noHome);
}

/** A live Claude Code project folder holding one session file. */
function liveProject(bytes: Buffer): { root: string; file: string } {
	const root = tempDir();
	fs.mkdirSync(path.join(root, 'project'));
	const file = path.join(root, 'project', 'session.jsonl');
	fs.writeFileSync(file, bytes);
	return { root, file };
}

void describe('import runner', () => {
	void it('imports every real Claude Code and Codex fixture line for line, and a second run changes nothing', () => {
		const dir = tempDir();
		const core = open(dir);
		const roots = [path.join(FIXTURES, 'claude-code'), path.join(FIXTURES, 'codex')];
		const first = core.importSessions({ paths: roots });
		const jsonl = roots.flatMap((root) => filesUnder(root, '.jsonl'));
		assert.equal(first.files.scanned, jsonl.length);
		assert.equal(first.files.read, jsonl.length);
		assert.equal(first.records + 0, jsonl.reduce((n, f) => n + fs.readFileSync(f, 'utf8').split('\n').filter((l) => l.trim()).length, 0), 'every non-blank line is kept raw');
		// images-in-user-messages.jsonl starts with two `//` comment lines added upstream: counted and skipped
		assert.equal(first.malformed, 2);
		assert.ok(first.warnings.some((w) => w.file.endsWith('images-in-user-messages.jsonl') && w.line === 1));
		assert.ok(first.sessions.added > 0);
		const before = dumpStore(path.join(dir, 'store.sqlite'), FIXTURES);

		const second = core.importSessions({ paths: roots });
		assert.deepEqual(second.files, { scanned: jsonl.length, read: 0, unchanged: jsonl.length, rewritten: 0 });
		assert.deepEqual(second.sessions, { added: 0, updated: 0, unchanged: first.sessions.added });
		core.close();
		assert.deepEqual(dumpStore(path.join(dir, 'store.sqlite'), FIXTURES), before);
	});

	void it('sniffs every agent\'s fixtures in one folder walk: each file to its own agent, and a second run changes nothing', () => {
		const dir = tempDir();
		const core = open(dir);
		const first = core.importSessions({ paths: [FIXTURES] });
		assert.deepEqual(first.warnings.filter((w) => /parser failed|does not match the canonical model/.test(w.message)), []);
		const agents = new Set(core.listSessions().map((s) => s.agent));
		// Cursor's databases are built by its own test, so there is no Cursor file here.
		assert.deepEqual([...agents].sort(), ['aider', 'claude-code', 'cline', 'codex', 'continue', 'copilot-chat', 'copilot-cli', 'gemini-cli', 'kilo', 'otel', 'roo', 'tracemint']);
		for (const session of core.listSessions()) {
			const top = session.source_files[0].slice(FIXTURES.length + 1).split(path.sep)[0];
			assert.equal(session.agent, top, `${session.id} comes from ${top}/`);
		}
		const second = core.importSessions({ paths: [FIXTURES] });
		assert.equal(second.files.read, 0);
		assert.deepEqual(second.sessions, { added: 0, updated: 0, unchanged: first.sessions.added });
		core.close();
	});

	void it('reads an appended file from its last offset and ends where a clean import ends', () => {
		const live = liveProject(TURN1);
		const core = open(live.root);
		const first = core.importSessions({ paths: [live.root] });
		assert.equal(first.sessions.added, 1);
		fs.appendFileSync(live.file, TURN2.subarray(TURN1.length));
		const second = core.importSessions({ paths: [live.root] });
		assert.equal(second.files.read, 1);
		assert.equal(second.bytes, TURN2.length - TURN1.length, 'only the appended bytes are read');
		assert.equal(second.sessions.updated, 1);
		core.close();

		const clean = liveProject(TURN2);
		open(clean.root).importSessions({ paths: [clean.root] });
		assert.deepEqual(dumpStore(path.join(live.root, 'store.sqlite'), live.root), dumpStore(path.join(clean.root, 'store.sqlite'), clean.root));
	});

	void it('leaves a torn last line for the next import', () => {
		const cut = TURN2.indexOf(0x0a, TURN1.length) + 40; // 40 bytes into the first line after turn 1
		const live = liveProject(TURN2.subarray(0, cut));
		const core = open(live.root);
		const first = core.importSessions({ paths: [live.root] });
		assert.equal(first.torn, 1);
		assert.equal(first.malformed, 0, 'a torn line is not malformed');
		fs.writeFileSync(live.file, TURN2);
		const second = core.importSessions({ paths: [live.root] });
		assert.equal(second.torn, 0);
		core.close();
		const clean = liveProject(TURN2);
		open(clean.root).importSessions({ paths: [clean.root] });
		assert.deepEqual(dumpStore(path.join(live.root, 'store.sqlite'), live.root), dumpStore(path.join(clean.root, 'store.sqlite'), clean.root));
	});

	void it('counts a malformed middle line with its file and line and imports the rest', () => {
		const lines = TURN2.toString('utf8').split('\n');
		lines.splice(5, 0, '{"type":"user", this is not json');
		const live = liveProject(Buffer.from(lines.join('\n')));
		const core = open(live.root);
		const report = core.importSessions({ paths: [live.root] });
		assert.equal(report.malformed, 1);
		assert.deepEqual(report.warnings.filter((w) => w.line !== undefined).map((w) => [path.basename(w.file), w.line]), [['session.jsonl', 6]]);
		assert.match(report.warnings[0].message, /not valid JSON/);
		assert.equal(report.sessions.added, 1);
		core.close();
	});

	void it('re-reads a rewritten file from the start', () => {
		const live = liveProject(TURN2);
		const core = open(live.root);
		core.importSessions({ paths: [live.root] });
		fs.writeFileSync(live.file, TURN1);
		const report = core.importSessions({ paths: [live.root] });
		assert.equal(report.files.rewritten, 1);
		core.close();
		const clean = liveProject(TURN1);
		open(clean.root).importSessions({ paths: [clean.root] });
		assert.deepEqual(dumpStore(path.join(live.root, 'store.sqlite'), live.root).raw, dumpStore(path.join(clean.root, 'store.sqlite'), clean.root).raw);
	});

	void it('keeps a session whose source file vanished', () => {
		const live = liveProject(TURN2);
		const core = open(live.root);
		core.importSessions({ paths: [live.root] });
		const id = core.listSessions()[0].id;
		fs.rmSync(live.file);
		core.importSessions();
		assert.equal(core.getSession(id).id, id);
		core.close();
	});

	void it('re-derives sessions from stored raw records when the parser version changes', () => {
		const live = liveProject(TURN2);
		const store = TraceStore.open(path.join(live.root, 'store.sqlite'));
		new ImportRunner(store, importers, noHome).run({ paths: [live.root] });
		fs.rmSync(live.file); // the raw records in the store are all the newer parser gets
		const newer = { ...claudeCodeImporter, parserVersion: claudeCodeImporter.parserVersion + 1, parse: claudeCodeImporter.parse.bind(claudeCodeImporter) };
		const report = new ImportRunner(store, [newer, ...importers.filter((i) => i.agent !== 'claude-code')], noHome).run({ paths: [] });
		assert.equal(report.sessions.updated + report.sessions.unchanged, 1);
		const row = store.db.prepare('SELECT parser_version FROM import_groups').get() as { parser_version: number };
		assert.equal(row.parser_version, newer.parserVersion);
		store.close();
	});

	void it('says which named file is not a known agent log', () => {
		const dir = tempDir();
		const file = path.join(dir, 'notes.jsonl');
		fs.writeFileSync(file, '{"hello":"world"}\n');
		const core = open(dir);
		const report = core.importSessions({ paths: [file, path.join(dir, 'missing.jsonl')] });
		assert.deepEqual(report.warnings.map((w) => [path.basename(w.file), w.message.split(' (')[0]]), [
			['notes.jsonl', 'not a session log of a known agent'],
			['missing.jsonl', 'no such file or folder'],
		]);
		core.close();
	});
});
