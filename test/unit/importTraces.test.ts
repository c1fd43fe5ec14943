/**
 * The native trace format importer. The fixtures under tracemint/schema/ are written from the
 * format's own schema (shared/traceFormat.ts); 01-pipeline.trace.jsonl is the example printed in
 * docs/trace-format.md, so the documented example is what these tests import.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { tracemintTracesImporter } from '../../server/src/core/capture/tracemintTraces';
import type { ParseResult, RawFile } from '../../server/src/core/capture/importer';
import { readHead } from '../../server/src/core/importing/discover';
import { ImportRunner } from '../../server/src/core/importing/importRunner';
import { recordsOfLayout } from '../../server/src/core/importing/readers';
import { verdictLines } from '../../server/src/core/reward/verdicts';
import { TraceStore } from '../../server/src/core/store/store';
import { Session, type Message } from '../../shared/model';
import { FIXTURES, REPO, filesUnder, noHome, tempDir, valueHead } from '../support/fixtures';

const DIR = path.join(FIXTURES, 'tracemint', 'schema', 'traces');
const PIPELINE = path.join(DIR, '01-pipeline.trace.jsonl');
const PARALLEL = path.join(DIR, '02-parallel.trace.jsonl');
const RESUMED = path.join(DIR, '03-parallel-resumed.trace.jsonl');

function rawFile(file: string, text = fs.readFileSync(file, 'utf8')): RawFile {
	return { path: file, records: recordsOfLayout('jsonl', Buffer.from(text)) };
}

function parse(...files: RawFile[]): ParseResult {
	return tracemintTracesImporter.parse(files);
}

function byId(result: ParseResult, id: string): Session {
	const found = result.sessions.find((s) => s.id === id);
	assert.ok(found, `session ${id}`);
	return Session.parse(found);
}

const shape = (messages: Message[]) => messages.map((m) => `${m.role}/${m.context ?? '-'}`);

function openStore(dir: string): TraceStore {
	return TraceStore.open(path.join(dir, 'store.sqlite'));
}

void describe('tracemint traces: the documented example (01-pipeline)', () => {
	const result = parse(rawFile(PIPELINE));
	const session = byId(result, 'tracemint:run-42');

	void it('is the example in docs/trace-format.md, byte for byte', () => {
		const doc = fs.readFileSync(path.join(REPO, 'docs', 'trace-format.md'), 'utf8');
		const block = /```jsonl\n([\s\S]*?)```/.exec(doc)?.[1];
		assert.equal(block, fs.readFileSync(PIPELINE, 'utf8'));
	});

	void it('reads the session record into the session', () => {
		assert.deepEqual(result.warnings, []);
		assert.equal(result.sessions.length, 1);
		assert.equal(session.agent, 'tracemint');
		assert.equal(session.agent_version, 'review-pipeline 1.4.0');
		assert.equal(session.parser_version, 1);
		assert.equal(session.title, 'Reject empty usernames');
		assert.equal(session.cwd, '/work/app');
		assert.equal(session.git_branch, 'main');
		assert.equal(session.git_commit, '3f2a9c1');
		assert.equal(session.repository_url, null);
		assert.equal(session.model, 'gpt-5');
		assert.deepEqual(session.models, ['gpt-5']);
		assert.equal(session.started_at, '2026-05-04T10:00:00.000Z');
		assert.equal(session.ended_at, '2026-05-04T10:02:10.000Z');
		assert.deepEqual(session.source_files, [PIPELINE]);
		// 812 + 1020 input, 40 + 210 output, 700 cache reads
		assert.deepEqual(session.usage, { input_tokens: 1832, output_tokens: 250, cache_read_tokens: 700, cache_creation_tokens: 0, reasoning_tokens: 0 });
	});

	void it('keeps every record in file order, pipeline facts as context', () => {
		assert.deepEqual(shape(session.messages), [
			'user/instructions', 'user/meta', 'user/-', 'assistant/-', 'tool/-', 'assistant/-',
			'user/notification', 'user/notification', 'user/meta', 'user/meta',
		]);
		assert.deepEqual(session.messages.map((m) => m.source?.line), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
		assert.ok(session.messages.every((m) => m.source?.file === PIPELINE));
		assert.equal(session.messages.filter((m) => m.role === 'user' && m.context === null).length, 1, 'one human turn');
	});

	void it('renders the task card with its acceptance criteria', () => {
		assert.equal(session.messages[0].content, [
			'# Task APP-7: Reject empty usernames', '', 'Sign-up accepts an empty username.', '',
			'## Acceptance criteria', '- [x] AC1: empty username is rejected with 400 (pass)', '- [ ] AC2: a test covers it (unknown)',
		].join('\n'));
		assert.equal(session.messages[0].source_id, 'APP-7');
		assert.equal(session.messages[0].timestamp, '2026-05-04T10:00:00.000Z');
	});

	void it('pairs the tool call with its result and keeps usage per message', () => {
		const call = session.messages[3];
		assert.deepEqual(call.tool_calls, [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"src/signup.ts"}' } }]);
		assert.equal(call.model, 'gpt-5', 'the session model names assistant messages that name none');
		assert.deepEqual(call.usage, { input_tokens: 812, output_tokens: 40, cache_read_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0 });
		assert.equal(session.messages[4].tool_call_id, 'c1');
		assert.equal(session.messages[4].name, 'read_file');
	});

	void it('writes verdicts the reward reads as explicit verdicts', () => {
		assert.equal(session.messages[6].content, '[tracemint test verdict] unit: passed\nOutcome: SHIP\n\n42 passed');
		assert.equal(session.messages[7].content, '[tracemint review verdict] reviewer: passed\nReview: ADVISORY\n\nRename the error code.');
		assert.equal(session.messages[8].content, '[tracemint handoff to maintainer] ready to merge');
		assert.equal(session.messages[9].content, '[tracemint end] outcome: success');
		assert.deepEqual(verdictLines(session, []).map((v) => [v.index, v.target, v.verdict]), [[6, 'outcome', 'SHIP'], [7, 'review', 'ADVISORY']]);
	});
});

void describe('tracemint traces: interleaved sessions continued in another file', () => {
	const result = parse(rawFile(PARALLEL), rawFile(RESUMED));

	void it('splits the interleaved file into its sessions, in order of first appearance', () => {
		assert.deepEqual(result.warnings, []);
		assert.deepEqual(result.sessions.map((s) => s.id), ['tracemint:run-43', 'tracemint:run-44']);
	});

	void it('carries run-43 across both files', () => {
		const session = byId(result, 'tracemint:run-43');
		assert.deepEqual(session.source_files, [PARALLEL, RESUMED]);
		assert.deepEqual(shape(session.messages), [
			'system/instructions', 'user/-', 'assistant/-', 'tool/-', 'tool/-', 'assistant/-', 'user/notification', 'user/meta',
			'user/-', 'assistant/-', 'user/notification', 'user/meta',
		]);
		assert.deepEqual(session.messages.map((m) => [path.basename(m.source!.file).slice(0, 2), m.source!.line]),
			[['02', 3], ['02', 5], ['02', 6], ['02', 8], ['02', 9], ['02', 10], ['02', 11], ['02', 12], ['03', 1], ['03', 2], ['03', 3], ['03', 4]]);
		assert.equal(session.title, 'Two agents, one file');
		assert.equal(session.agent_version, 'review-pipeline');
		assert.equal(session.model, 'claude-sonnet-4-5');
		assert.deepEqual(session.models, ['claude-sonnet-4-5', 'claude-opus-4-1']);
		assert.equal(session.started_at, '2026-05-05T09:00:00.000Z');
		assert.equal(session.ended_at, '2026-05-05T09:11:00.000Z');
		assert.deepEqual(session.usage, { input_tokens: 560, output_tokens: 65, cache_read_tokens: 90, cache_creation_tokens: 10, reasoning_tokens: 5 });
	});

	void it('pairs tool messages without tool_call_id with the open calls in order', () => {
		const session = byId(result, 'tracemint:run-43');
		const call = session.messages[2];
		assert.equal(call.reasoning, 'Two listings at once.');
		assert.deepEqual(call.tool_calls?.map((c) => [c.id, c.function.arguments]), [['ls-1', '{"path":"src"}'], ['ls-2', '{"path":"test"}']]);
		assert.deepEqual(session.messages.slice(3, 5).map((m) => [m.tool_call_id, m.name, m.is_error ?? null]), [['ls-1', 'ls', null], ['ls-2', 'ls', true]]);
		assert.deepEqual(verdictLines(session, []).map((v) => [v.index, v.target, v.verdict]), [[6, 'outcome', 'HOLD'], [10, 'outcome', 'SHIP']]);
	});

	void it('reads run-44 with its own metadata and UTC times', () => {
		const session = byId(result, 'tracemint:run-44');
		assert.deepEqual(shape(session.messages), ['user/-', 'assistant/-', 'user/meta']);
		assert.equal(session.title, 'Bump the version to 2.0.0.');
		assert.equal(session.cwd, '/work/lib');
		assert.equal(session.agent_version, null);
		assert.equal(session.model, 'gpt-5-mini');
		assert.equal(session.started_at, '2026-05-05T07:00:01.000Z', '09:00:01+02:00 in UTC');
		assert.equal(session.ended_at, '2026-05-05T07:00:05.000Z');
		assert.deepEqual(session.usage, { input_tokens: 50, output_tokens: 12, cache_read_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0 });
	});
});

void describe('tracemint traces: bad input', () => {
	const file = '/traces/bad.trace.jsonl';
	const lines = [
		'{"v":1,"type":"session","id":"s1"}',
		'{"v":1,"type":"message","session":"s1","content":"no role"}',
		'{"v":1,"type":"message","session":"s1","role":"user","content":"hello"}',
		'{"v":1,"type":"verdict","session":"s1","kind":"gate","name":"lint","passed":"yes"}',
		'{"v":1,"type":"verdict","session":"s1","kind":"review","name":"r","passed":true,"verdict":"HOLD"}',
		'{"v":1,"type":"checkpoint","session":"s1"}',
		'{"v":2,"type":"message","session":"s1","role":"user","content":"from the future"}',
		'[1,2,3]',
		'{"v":1,"type":"message","session":"s1","role":"tool","content":"orphan"}',
		'{"v":1,"type":"message","session":"s1","role":"assistant","content":"","tool_calls":[{"id":"t1","function":{"name":"run","arguments":"{}"}}]}',
		'{"v":1,"type":"message","session":"s1","role":"user","content":"still there?"}',
		'{"v":1,"type":"message","session":"orphan-session","role":"user","content":"who am I"}',
	];
	const result = parse(rawFile(file, `${lines.join('\n')}\n`));

	void it('skips each malformed element with its line and what was expected, and imports the rest', () => {
		assert.deepEqual(result.warnings, [
			{ file, line: 2, message: 'not a valid tracemint message record: role: Invalid option: expected one of "system"|"user"|"assistant"|"tool"; line skipped' },
			{ file, line: 4, message: 'not a valid tracemint verdict record: passed: Invalid input: expected boolean, received string; line skipped' },
			{ file, line: 5, message: 'not a valid tracemint verdict record: verdict: verdict HOLD means passed: false, SHIP and ADVISORY mean passed: true; line skipped' },
			{ file, line: 6, message: 'unknown record type "checkpoint" (expected one of session, message, verdict, iteration, handoff, end); line skipped' },
			{ file, line: 7, message: 'record of trace format version 2; this reader knows version 1; line skipped' },
			{ file, line: 8, message: 'expected a tracemint record (a JSON object with "type" and "v"); line skipped' },
			{ file, line: 9, message: 'tool message without tool_call_id and no unanswered tool call before it; dropped' },
			{ file, line: 10, message: 'tool call t1 (run) has no result' },
			{ file, line: 12, message: 'no session record for session "orphan-session" (expected a {"v":1,"type":"session"} line); imported without its metadata' },
		]);
		assert.deepEqual(result.sessions.map((s) => [s.id, s.messages.map((m) => m.content)]), [
			['tracemint:s1', ['hello', '', 'still there?']],
			['tracemint:orphan-session', ['who am I']],
		]);
	});
});

void describe('tracemint traces: through the import runner', () => {
	function copyFixtures(): string {
		const root = tempDir();
		fs.cpSync(DIR, path.join(root, 'traces'), { recursive: true });
		return root;
	}

	void it('imports the fixture folder and a second run changes nothing', () => {
		const root = copyFixtures();
		const store = openStore(root);
		const runner = new ImportRunner(store, [tracemintTracesImporter], noHome);
		const first = runner.run({ paths: [root] });
		assert.deepEqual(first.files, { scanned: 3, read: 3, unchanged: 0, rewritten: 0 });
		assert.equal(first.records, 27);
		assert.deepEqual(first.sessions, { added: 3, updated: 0, unchanged: 0 });
		assert.equal(first.messages, 10 + 12 + 3);
		assert.deepEqual(first.warnings, []);
		const second = runner.run({ paths: [root] });
		assert.deepEqual(second.files, { scanned: 3, read: 0, unchanged: 3, rewritten: 0 });
		assert.deepEqual(second.sessions, { added: 0, updated: 0, unchanged: 3 });
		assert.equal(store.sessions.get('tracemint:run-43')?.messages.length, 12);
		store.close();
	});

	void it('leaves a torn last line for the next import and counts a malformed line', () => {
		const root = tempDir();
		fs.mkdirSync(path.join(root, 'traces'));
		const file = path.join(root, 'traces', 'live.jsonl');
		const whole = fs.readFileSync(PIPELINE, 'utf8').split('\n');
		whole.splice(3, 0, '{"v":1,"type":"message", not json');
		const text = whole.join('\n');
		const cut = text.indexOf('"type":"verdict"');
		fs.writeFileSync(file, text.slice(0, cut));
		const store = openStore(root);
		const runner = new ImportRunner(store, [tracemintTracesImporter], noHome);
		const first = runner.run({ paths: [root] });
		assert.equal(first.torn, 1);
		assert.equal(first.malformed, 1);
		assert.deepEqual(first.warnings.map((w) => [path.basename(w.file), w.line, w.message]), [
			['live.jsonl', 4, 'not valid JSON (expected one tracemint JSON record per line); line skipped and kept raw'],
		]);
		assert.equal(store.sessions.get('tracemint:run-42')?.messages.length, 6, 'records before the torn line');
		fs.writeFileSync(file, text);
		const second = runner.run({ paths: [root] });
		assert.equal(second.torn, 0);
		assert.deepEqual(second.sessions, { added: 0, updated: 1, unchanged: 0 });
		assert.equal(store.sessions.get('tracemint:run-42')?.messages.length, 10);
		store.close();
	});
});

void describe('tracemint traces: where and what', () => {
	void it('looks in <data dir>/traces on each platform', () => {
		assert.deepEqual(tracemintTracesImporter.defaultRoots({ home: '/home/u', env: {}, platform: 'linux' }), ['/home/u/.local/share/tracemint/traces']);
		assert.deepEqual(tracemintTracesImporter.defaultRoots({ home: '/home/u', env: { XDG_DATA_HOME: '/data' }, platform: 'linux' }), ['/data/tracemint/traces']);
		assert.deepEqual(tracemintTracesImporter.defaultRoots({ home: '/Users/u', env: {}, platform: 'darwin' }), ['/Users/u/Library/Application Support/Tracemint/traces']);
		assert.deepEqual(tracemintTracesImporter.defaultRoots({ home: 'C:\\Users\\u', env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, platform: 'win32' }), ['C:\\Users\\u\\AppData\\Roaming\\Tracemint\\traces']);
	});

	void it('takes *.trace.jsonl anywhere and any .jsonl under a traces folder', () => {
		assert.equal(tracemintTracesImporter.isSessionFile('/w/run.trace.jsonl'), true);
		assert.equal(tracemintTracesImporter.isSessionFile('/w/.tracemint/traces/run.jsonl'), true);
		assert.equal(tracemintTracesImporter.isSessionFile('C:\\w\\traces\\run.jsonl'), true);
		assert.equal(tracemintTracesImporter.isSessionFile('/w/run.jsonl'), false);
		assert.equal(tracemintTracesImporter.isSessionFile('/w/traces/run.json'), false);
		assert.equal(tracemintTracesImporter.groupKey(PARALLEL), DIR);
		assert.equal(tracemintTracesImporter.layoutOf(PARALLEL), 'jsonl');
	});

	void it('sniffs its own files and no other agent fixture', () => {
		for (const file of [PIPELINE, PARALLEL, RESUMED]) {
			assert.equal(tracemintTracesImporter.sniff(readHead(file)!), true, file);
		}
		assert.equal(tracemintTracesImporter.sniff(valueHead({ type: 'session', id: 'x' })), false, 'no version');
		assert.equal(tracemintTracesImporter.sniff(valueHead({ v: 1, type: 'user', sessionId: 'x' })), false);
		const others = filesUnder(FIXTURES, '').filter((f) => !f.startsWith(path.join(FIXTURES, 'tracemint')) && !f.endsWith('.md'));
		assert.ok(others.length >= 20);
		for (const file of others) {
			assert.equal(tracemintTracesImporter.sniff(readHead(file)!), false, file);
		}
	});
});
