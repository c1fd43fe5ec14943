/**
 * Gemini CLI importer. The `.json` session files in test/fixtures/sessions/gemini-cli/codemie-code
 * are real (see SOURCES.md). No real `.jsonl` session was found, so the files under
 * gemini-cli/schema/ are schema-faithful ones written for these tests from Gemini CLI's
 * chatRecordingService.ts/chatRecordingTypes.ts (header line, message lines re-written under the
 * same id, `$set` and `$rewindTo` records, a subagent file under `chats/<parent id>/`).
 * Expected numbers were counted from the raw files with python/jq, never from the parser.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { geminiCliImporter } from '../../server/src/core/capture/geminiCli';
import type { ParseResult, RawFile } from '../../server/src/core/capture/importer';
import { readHead } from '../../server/src/core/importing/discover';
import { ImportRunner } from '../../server/src/core/importing/importRunner';
import { recordsOfLayout } from '../../server/src/core/importing/readers';
import { TraceStore } from '../../server/src/core/store/store';
import { Session, type Message } from '../../shared/model';
import { FIXTURES, filesUnder, noHome, tempDir, valueHead } from '../support/fixtures';
import { assertOpenAiShape, nameCounts, toolCalls as calls } from '../support/sessionShape';

const GEMINI = path.join(FIXTURES, 'gemini-cli');
const REAL = path.join(GEMINI, 'codemie-code');
const FIRST = path.join(REAL, 'session-2025-12-01T21-45-5b959dae.json');
const FILE_OPS = path.join(REAL, 'session-2026-01-16T11-01-file-ops-37b7abef.json');
const LOGS = path.join(REAL, 'logs.json');
const SCHEMA = path.join(GEMINI, 'schema', 'chats');
const MAIN_ID = '9c4e7a10-2b3d-4f5e-8a6b-1c2d3e4f5a6b';
const JSONL = path.join(SCHEMA, 'session-2026-02-10T09-15-9c4e7a10.jsonl');
const SUBAGENT = path.join(SCHEMA, MAIN_ID, 'codebase_investigator-7f3e9a.jsonl');

function rawFile(file: string, bytes: Buffer = fs.readFileSync(file)): RawFile {
	const layout = geminiCliImporter.layoutOf(file);
	assert.notEqual(layout, 'sqlite');
	return { path: file, records: recordsOfLayout(layout as 'json' | 'jsonl', bytes) };
}

function parse(...files: RawFile[]): ParseResult {
	return geminiCliImporter.parse(files);
}

function onlySession(result: ParseResult): Session {
	assert.equal(result.sessions.length, 1);
	return Session.parse(result.sessions[0]);
}

const withRole = (s: Session, role: Message['role']) => s.messages.filter((m) => m.role === role);

interface RawMessage { id: string; type: string; tokens?: { input: number; output: number; cached: number; thoughts: number; tool: number; total: number } }

function rawMessages(file: string): RawMessage[] {
	return (JSON.parse(fs.readFileSync(file, 'utf8')) as { messages: RawMessage[] }).messages;
}

void describe('gemini-cli importer: real session 5b959dae (list_directory, read_file, write_file, replace)', () => {
	const result = parse(rawFile(FIRST));
	const session = onlySession(result);

	void it('reads the session metadata', () => {
		assert.deepEqual(result.warnings, []);
		assert.equal(session.id, 'gemini-cli:5b959dae-8655-4cd1-b10f-720b8c336ea2');
		assert.equal(session.agent, 'gemini-cli');
		assert.equal(session.agent_version, null);
		assert.equal(session.cwd, null, 'the project hash maps to a folder only outside the session file');
		assert.equal(session.model, 'gemini-3-pro-image-preview');
		assert.deepEqual(session.models, ['gemini-3-pro-image-preview']);
		assert.equal(session.started_at, '2025-12-01T21:45:34.362Z');
		assert.equal(session.ended_at, '2025-12-01T21:50:10.837Z');
		assert.equal(session.title, 'hi');
		assert.deepEqual(session.source_files, [FIRST]);
	});

	void it('counts messages per role and splits the 10 embedded results into tool messages', () => {
		// python: Counter(type) → user 3, gemini 11; 10 toolCalls, all status success
		assert.equal(withRole(session, 'user').length, 3);
		assert.equal(withRole(session, 'assistant').length, 11);
		assert.equal(withRole(session, 'tool').length, 10);
		assert.equal(session.messages.filter((m) => m.context !== null).length, 0);
		assert.deepEqual(nameCounts(session), { list_directory: 1, read_file: 7, write_file: 1, replace: 1 });
		assert.ok(withRole(session, 'tool').every((m) => m.is_error === false));
		assertOpenAiShape(session.messages);
		const list = withRole(session, 'tool')[0];
		assert.equal(list.tool_call_id, 'list_directory-1764625554423-6b5d2c6179cc4');
		assert.equal(list.content, 'Directory listing for /Users/Jane_Smith/Documents/projects/epm-cdme/assistants:\n[DIR] .vscode\nlead_memor_v2.txt\nlead_memory_v1.txt\nlead_memory.txt\nlead.txt');
		assert.deepEqual(JSON.parse(calls(session)[0].function.arguments), { dir_path: '/Users/Jane_Smith/Documents/projects/epm-cdme/assistants/' });
	});

	void it('keeps three parallel calls of one response in one assistant message', () => {
		const parallel = withRole(session, 'assistant').find((m) => m.source_id === '1c56e562-8e2e-41cc-8b6b-d0623b5bbbe0');
		assert.deepEqual(parallel?.tool_calls?.map((c) => c.function.name), ['read_file', 'write_file', 'read_file']);
	});

	void it('turns thought summaries into reasoning on the 10 responses that have them', () => {
		// python: sum(1 for m in messages if m.get('thoughts')) → 10
		assert.equal(withRole(session, 'assistant').filter((m) => m.reasoning !== undefined).length, 10);
		assert.match(withRole(session, 'assistant')[0].reasoning ?? '', /^\*\*Assessing the Prompt's Intent\*\*\n/);
	});

	void it('maps per-response tokens so input + cache reads + output is Gemini\'s total', () => {
		const raw = rawMessages(FIRST).filter((m) => m.tokens !== undefined);
		const assistants = withRole(session, 'assistant');
		assert.equal(assistants.length, raw.length);
		assistants.forEach((m, i) => {
			const u = m.usage!;
			assert.equal(u.input_tokens + u.cache_read_tokens + u.output_tokens, raw[i].tokens!.total, m.source_id);
		});
		// python: Σinput−Σcached+Σtool, Σoutput+Σthoughts, Σcached, Σthoughts
		assert.deepEqual(session.usage, { input_tokens: 45092, output_tokens: 4227, cache_read_tokens: 56538, cache_creation_tokens: 0, reasoning_tokens: 1493 });
		assert.deepEqual(assistants[0].usage, { input_tokens: 2752, output_tokens: 211, cache_read_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 156 });
	});

	void it('points every message at the line where its element starts', () => {
		const lines = fs.readFileSync(FIRST, 'utf8').split('\n');
		for (const message of session.messages.filter((m) => m.role !== 'tool')) {
			assert.equal(lines[message.source!.line - 1].trim(), '{', message.source_id);
			assert.equal(lines[message.source!.line].trim(), `"id": "${message.source_id}",`);
		}
		assert.deepEqual(session.messages.slice(0, 2).map((m) => m.source?.line), [7, 13]);
	});
});

void describe('gemini-cli importer: real session 37b7abef (write_todos, delegate_to_agent, search_file_content)', () => {
	const session = onlySession(parse(rawFile(FILE_OPS)));

	void it('counts messages, calls and usage', () => {
		// python: user 5, gemini 9; 14 toolCalls
		assert.equal(withRole(session, 'user').length, 5);
		assert.equal(withRole(session, 'assistant').length, 9);
		assert.equal(withRole(session, 'tool').length, 14);
		assert.deepEqual(nameCounts(session), { write_todos: 3, delegate_to_agent: 1, read_file: 6, search_file_content: 1, write_file: 3 });
		assert.deepEqual(session.usage, { input_tokens: 25301, output_tokens: 4355, cache_read_tokens: 62117, cache_creation_tokens: 0, reasoning_tokens: 2914 });
		assert.equal(session.model, 'gemini-3-pro');
		assert.equal(session.title, 'show tools');
		assertOpenAiShape(session.messages);
	});

	void it('keeps the delegate_to_agent call as a call answered by the subagent\'s report', () => {
		const call = calls(session).find((c) => c.function.name === 'delegate_to_agent');
		assert.equal(JSON.parse(call!.function.arguments).agent_name, 'codebase_investigator');
		const result = withRole(session, 'tool').find((m) => m.tool_call_id === call!.id);
		assert.match(result?.content ?? '', /^Subagent 'codebase_investigator' finished\.\nTermination Reason: GOAL\nResult:\n/);
	});

	void it('has no reasoning text (empty thoughts) but counts thinking tokens', () => {
		assert.ok(withRole(session, 'assistant').every((m) => m.reasoning === undefined));
		assert.equal(withRole(session, 'assistant').find((m) => m.source?.line === 35)?.usage?.reasoning_tokens, 1627);
	});
});

void describe('gemini-cli importer: .jsonl sessions (schema-faithful files)', () => {
	const result = parse(rawFile(JSONL));
	const session = onlySession(result);

	void it('replays the records: header, re-written messages (last copy wins), $set and $rewindTo', () => {
		assert.deepEqual(result.warnings, []);
		assert.equal(session.id, `gemini-cli:${MAIN_ID}`);
		assert.deepEqual(session.messages.map((m) => [m.role, m.context, m.source?.line]), [
			['user', null, 2],
			['user', 'environment', 2],
			['assistant', null, 8],
			['tool', null, 8],
			['assistant', null, 10],
			['tool', null, 10],
			['tool', null, 10],
			['system', 'meta', 11],
			['user', null, 15],
			['assistant', null, 16],
			['tool', null, 16],
			['system', 'meta', 17],
			['assistant', null, 18],
		]);
		assert.ok(!session.messages.some((m) => m.content === 'delete the tests' || m.content === 'Deleting them now.'), 'rewound away');
		assert.equal(session.title, 'Summarize the README and find the failing test', 'from $set summary');
		assert.equal(session.started_at, '2026-02-10T09:15:02.101Z');
		assert.equal(session.ended_at, '2026-02-10T09:16:48.100Z', 'the last $set lastUpdated');
		assert.deepEqual(session.models, ['gemini-2.5-pro', 'gemini-2.5-flash']);
		assert.equal(session.model, 'gemini-2.5-pro');
		assertOpenAiShape(session.messages);
	});

	void it('splits @-referenced file contents off the typed prompt', () => {
		assert.equal(session.messages[0].content, 'Summarize @README.md and list the tests');
		assert.equal(session.messages[1].content, '--- Content from referenced files ---\nContent from @README.md:\n# demo\n\nA tiny demo package.\n\n--- End of content ---');
	});

	void it('marks failed and cancelled calls as errors and keeps the error text', () => {
		assert.deepEqual(withRole(session, 'tool').map((m) => [m.name, m.is_error, m.content]), [
			['glob', false, 'Found 2 file(s) matching "**/*.test.ts":\ntest/a.test.ts\ntest/b.test.ts'],
			['run_shell_command', true, 'Command exited with code 1: 1 failing test'],
			['write_file', true, 'cancelled by the user'],
			['delegate_to_agent', false, 'Subagent \'codebase_investigator\' finished.\nTermination Reason: GOAL\nResult:\nb.test.ts expects 3 but add() returns 4.'],
		]);
		assert.equal(session.messages[2].reasoning, '**Finding the tests**\nThe README names no test runner, so I will look for test files.');
	});

	void it('counts each re-written response once and adds tool-use prompt tokens to input', () => {
		// lines 6–8 are one message written three times (tokens, then toolCalls executing, then done)
		assert.deepEqual(session.messages[2].usage, { input_tokens: 1114, output_tokens: 168, cache_read_tokens: 4096, cache_creation_tokens: 0, reasoning_tokens: 120 });
		assert.deepEqual(session.messages[9].usage, { input_tokens: 332, output_tokens: 52, cache_read_tokens: 5376, cache_creation_tokens: 0, reasoning_tokens: 12 });
		assert.deepEqual(session.usage, { input_tokens: 1994, output_tokens: 276, cache_read_tokens: 20224, cache_creation_tokens: 0, reasoning_tokens: 132 });
	});

	void it('links a subagent conversation to the session it was started from', () => {
		const sub = onlySession(parse(rawFile(SUBAGENT)));
		assert.equal(sub.id, 'gemini-cli:codebase_investigator-7f3e9a');
		assert.equal(sub.parent_session_id, `gemini-cli:${MAIN_ID}`);
		assert.equal(session.parent_session_id, null);
		assert.deepEqual(sub.messages.map((m) => m.role), ['user', 'assistant', 'tool', 'assistant']);
		assert.deepEqual(sub.usage, { input_tokens: 2252, output_tokens: 36, cache_read_tokens: 2048, cache_creation_tokens: 0, reasoning_tokens: 0 });
	});
});

/** A session document as Gemini CLI writes it (JSON.stringify with a two-space indent). */
function documentBytes(messages: unknown[], extra: Record<string, unknown> = {}): Buffer {
	return Buffer.from(JSON.stringify({ sessionId: 's-1', projectHash: 'p', startTime: '2026-01-01T00:00:00.000Z', lastUpdated: '2026-01-01T00:01:00.000Z', messages, ...extra }, null, 2));
}

const user = (id: string, content: unknown) => ({ id, timestamp: '2026-01-01T00:00:01.000Z', type: 'user', content });
const gemini = (id: string, extra: Record<string, unknown> = {}) => ({ id, timestamp: '2026-01-01T00:00:02.000Z', type: 'gemini', content: '', model: 'gemini-2.5-pro', ...extra });

void describe('gemini-cli importer: bad and unusual input', () => {
	void it('skips a messages element that is not an object, says on which line, and imports the rest', () => {
		const bytes = documentBytes([user('u1', 'hi'), 42, gemini('g1', { content: 'hello' })]);
		const line = bytes.toString('utf8').split('\n').indexOf('    42,') + 1;
		const result = parse(rawFile('/g/chats/session-a.json', bytes));
		assert.deepEqual(result.warnings, [{ file: '/g/chats/session-a.json', line, message: 'messages element is not an object (expected a Gemini CLI message {id, timestamp, type, content}); skipped' }]);
		assert.deepEqual(onlySession(result).messages.map((m) => [m.role, m.content]), [['user', 'hi'], ['assistant', 'hello']]);
	});

	void it('skips messages of unknown type and nameless tool calls with a warning each', () => {
		const bytes = documentBytes([user('u1', 'hi'), { id: 'x1', type: 'compression', content: 'x' }, gemini('g1', { toolCalls: [{ id: 'c1', status: 'success' }] })]);
		// An element's "{" is the line above its "id" (1-based line = 0-based index of the id line).
		const lineOf = (id: string) => bytes.toString('utf8').split('\n').indexOf(`      "id": "${id}",`);
		const result = parse(rawFile('/g/chats/session-b.json', bytes));
		assert.deepEqual(result.warnings.map((w) => [w.line, w.message]), [
			[lineOf('x1'), 'message of unknown type "compression" (expected user, gemini, info, warning or error); skipped'],
			[lineOf('g1'), 'tool call without a name (expected {id, name, args, status, result}); skipped'],
		]);
		assert.deepEqual([lineOf('x1'), lineOf('g1')], [13, 18]);
		assert.deepEqual(onlySession(result).messages.map((m) => m.role), ['user', 'assistant']);
	});

	void it('reports a call left without a result only when a later response exists', () => {
		const pending = { id: 'c1', name: 'run_shell_command', args: { command: 'make' }, status: 'executing' };
		const live = parse(rawFile('/g/chats/session-c.json', documentBytes([user('u1', 'go'), gemini('g1', { toolCalls: [pending] })])));
		assert.deepEqual(live.warnings, []);
		assert.deepEqual(onlySession(live).messages.map((m) => [m.role, m.tool_calls?.length ?? 0]), [['user', 0], ['assistant', 1]]);
		const stale = parse(rawFile('/g/chats/session-c.json', documentBytes([user('u1', 'go'), gemini('g1', { toolCalls: [pending] }), gemini('g2', { content: 'done' })])));
		assert.deepEqual(stale.warnings.map((w) => w.message), ['tool call c1 (run_shell_command) has no result (status "executing")']);
	});

	void it('reads parts content: thought parts as reasoning, images counted, non-object args wrapped', () => {
		const session = onlySession(parse(rawFile('/g/chats/session-d.json', documentBytes([
			user('u1', [{ text: 'what is this?' }, { inlineData: { mimeType: 'image/png', data: 'AAAA' } }]),
			gemini('g1', { content: [{ text: 'looking', thought: true }, { text: 'A cat.' }], toolCalls: [{ id: 'c1', name: 'echo', args: 'raw', status: 'success', result: 'ok' }] }),
		]))));
		assert.deepEqual(session.messages.map((m) => [m.role, m.content, m.images ?? 0, m.reasoning ?? null]), [
			['user', 'what is this?', 1, null], ['assistant', 'A cat.', 0, 'looking'], ['tool', 'ok', 0, null],
		]);
		assert.equal(calls(session)[0].function.arguments, '{"input":"raw"}');
	});

	void it('says when a document is not a session, and when a .jsonl has no header or unknown records', () => {
		assert.deepEqual(parse(rawFile('/g/chats/session-e.json', Buffer.from('{"foo": 1}'))), {
			sessions: [],
			warnings: [{ file: '/g/chats/session-e.json', line: 1, message: 'not a Gemini CLI session document {sessionId, projectHash, startTime, lastUpdated, messages[]}; nothing imported' }],
		});
		const headless = parse(rawFile('/g/chats/session-f.jsonl', Buffer.from('{"id":"u1","type":"user","content":"hi"}\n')));
		assert.deepEqual(headless.warnings, [{ file: '/g/chats/session-f.jsonl', line: 1, message: 'no Gemini CLI session header (expected a first line {sessionId, projectHash, startTime, …}); nothing imported' }]);
		const odd = parse(rawFile('/g/chats/session-g.jsonl', Buffer.from('{"sessionId":"s","projectHash":"p"}\n{"what":1}\n{"id":"u1","type":"user","content":"hi"}\n{"what":2}\n')));
		assert.deepEqual(odd.warnings, [{ file: '/g/chats/session-g.jsonl', line: 2, message: 'skipped 2 record(s) that are neither a session header, a message with an id, a $set nor a $rewindTo (first shown at this line)' }]);
		assert.equal(onlySession(odd).messages.length, 1);
	});

	void it('makes no session of a file nobody typed into (header only)', () => {
		assert.deepEqual(parse(rawFile('/g/chats/session-h.jsonl', Buffer.from('{"sessionId":"s-2","projectHash":"p","startTime":"2026-01-01T00:00:00.000Z"}\n'))), { sessions: [], warnings: [] });
	});

	void it('imports a session migrated from .json to .jsonl once, from the newer file', () => {
		const dir = '/g/chats';
		const json = rawFile(`${dir}/session-m.json`, documentBytes([user('u1', 'old')]));
		const jsonl = rawFile(`${dir}/session-m.jsonl`, Buffer.from('{"sessionId":"s-1","projectHash":"p"}\n{"id":"u1","type":"user","content":"old"}\n{"id":"u2","type":"user","content":"new"}\n'));
		assert.equal(geminiCliImporter.groupKey(json.path), geminiCliImporter.groupKey(jsonl.path));
		const session = onlySession(parse(json, jsonl));
		assert.deepEqual(session.messages.map((m) => m.content), ['old', 'new']);
		assert.deepEqual(session.source_files, [json.path, jsonl.path]);
	});

	void it('parses deterministically', () => {
		assert.deepEqual(parse(rawFile(FILE_OPS)), parse(rawFile(FILE_OPS)));
	});
});

void describe('gemini-cli importer: through the import runner', () => {
	function geminiTree(): string {
		const root = tempDir();
		const chats = path.join(root, '.gemini', 'tmp', 'p1', 'chats');
		fs.mkdirSync(path.join(chats, MAIN_ID), { recursive: true });
		for (const file of [FIRST, FILE_OPS, JSONL]) {
			fs.copyFileSync(file, path.join(chats, path.basename(file)));
		}
		fs.copyFileSync(SUBAGENT, path.join(chats, MAIN_ID, path.basename(SUBAGENT)));
		fs.copyFileSync(LOGS, path.join(root, '.gemini', 'tmp', 'p1', 'logs.json'));
		return root;
	}

	void it('imports every session file (never logs.json) and a second run changes nothing', () => {
		const root = geminiTree();
		const store = TraceStore.open(path.join(tempDir(), 'store.sqlite'));
		try {
			const first = new ImportRunner(store, [geminiCliImporter], noHome).run({ paths: [root] });
			assert.deepEqual(first.files, { scanned: 4, read: 4, unchanged: 0, rewritten: 0 });
			assert.deepEqual(first.sessions, { added: 4, updated: 0, unchanged: 0 });
			assert.deepEqual([first.torn, first.malformed, first.warnings], [0, 0, []]);
			const second = new ImportRunner(store, [geminiCliImporter], noHome).run({ paths: [root] });
			assert.deepEqual(second.files, { scanned: 4, read: 0, unchanged: 4, rewritten: 0 });
			assert.deepEqual(second.sessions, { added: 0, updated: 0, unchanged: 4 });
			assert.equal(store.sessions.get('gemini-cli:5b959dae-8655-4cd1-b10f-720b8c336ea2')?.messages.length, 24);
		} finally {
			store.close();
		}
	});

	void it('finds the sessions under GEMINI_CLI_HOME when no path is given', () => {
		const root = geminiTree();
		const store = TraceStore.open(path.join(tempDir(), 'store.sqlite'));
		try {
			const report = new ImportRunner(store, [geminiCliImporter], { home: '/nonexistent-home', env: { GEMINI_CLI_HOME: root }, platform: 'linux' }).run();
			assert.deepEqual(report.sessions, { added: 4, updated: 0, unchanged: 0 });
		} finally {
			store.close();
		}
	});

	void it('waits while a .json document is mid-write, then imports it', () => {
		const chats = path.join(tempDir(), 'chats');
		fs.mkdirSync(chats);
		const file = path.join(chats, path.basename(FIRST));
		const full = fs.readFileSync(FIRST);
		fs.writeFileSync(file, full.subarray(0, Math.floor(full.length / 2)));
		const store = TraceStore.open(path.join(tempDir(), 'store.sqlite'));
		try {
			const first = new ImportRunner(store, [geminiCliImporter], noHome).run({ paths: [chats] });
			assert.deepEqual([first.torn, first.files.read, first.sessions.added, first.warnings], [1, 0, 0, []]);
			fs.writeFileSync(file, full);
			const second = new ImportRunner(store, [geminiCliImporter], noHome).run({ paths: [chats] });
			assert.deepEqual([second.torn, second.files.read, second.sessions.added], [0, 1, 1]);
		} finally {
			store.close();
		}
	});

	void it('leaves a torn .jsonl line for the next import and reports a malformed one', () => {
		const chats = path.join(tempDir(), 'chats');
		fs.mkdirSync(chats);
		const file = path.join(chats, path.basename(JSONL));
		const lines = fs.readFileSync(JSONL, 'utf8').split('\n');
		const upTo = (n: number) => `${lines.slice(0, n).join('\n')}\n`;
		fs.writeFileSync(file, `${upTo(15)}${lines[15].slice(0, 30)}`); // line 16 (a response) half written
		const store = TraceStore.open(path.join(tempDir(), 'store.sqlite'));
		try {
			const id = `gemini-cli:${MAIN_ID}`;
			const first = new ImportRunner(store, [geminiCliImporter], noHome).run({ paths: [chats] });
			assert.deepEqual([first.torn, first.malformed, first.sessions.added], [1, 0, 1]);
			assert.equal(store.sessions.get(id)?.messages.at(-1)?.content, 'Ask the investigator why the test fails');
			fs.writeFileSync(file, `${upTo(16)}{"id": "broken",\n${lines.slice(16).join('\n')}`);
			const second = new ImportRunner(store, [geminiCliImporter], noHome).run({ paths: [chats] });
			assert.deepEqual([second.torn, second.malformed, second.sessions.updated], [0, 1, 1]);
			assert.deepEqual(second.warnings.map((w) => [w.line, w.message]), [[17, 'not valid JSON (expected one gemini-cli JSON record per line); line skipped and kept raw']]);
			assert.deepEqual(store.sessions.get(id)?.messages.map((m) => m.source?.line), onlySession(parse(rawFile(JSONL))).messages.map((m) => {
				const line = m.source!.line;
				return line > 16 ? line + 1 : line;
			}));
		} finally {
			store.close();
		}
	});
});

void describe('gemini-cli importer: discovery', () => {
	void it('looks under GEMINI_CLI_HOME or the home folder, on every OS', () => {
		assert.deepEqual(geminiCliImporter.defaultRoots({ home: '/home/u', env: {}, platform: 'linux' }), ['/home/u/.gemini/tmp']);
		assert.deepEqual(geminiCliImporter.defaultRoots({ home: '/Users/u', env: { GEMINI_CLI_HOME: '/data/g' }, platform: 'darwin' }), ['/data/g/.gemini/tmp']);
		assert.deepEqual(geminiCliImporter.defaultRoots({ home: 'C:\\Users\\u', env: {}, platform: 'win32' }), ['C:\\Users\\u\\.gemini\\tmp']);
	});

	void it('recognises session and subagent files by name, never logs.json or checkpoints', () => {
		assert.ok(geminiCliImporter.isSessionFile('/h/.gemini/tmp/p/chats/session-2025-12-01T21-45-5b959dae.json'));
		assert.ok(geminiCliImporter.isSessionFile('C:\\h\\.gemini\\tmp\\p\\chats\\session-2026-02-10T09-15-9c4e7a10.jsonl'));
		assert.ok(geminiCliImporter.isSessionFile(`/h/.gemini/tmp/p/chats/${MAIN_ID}/codebase_investigator-7f3e9a.jsonl`));
		assert.ok(!geminiCliImporter.isSessionFile('/h/.gemini/tmp/p/logs.json'));
		assert.ok(!geminiCliImporter.isSessionFile('/h/.gemini/tmp/p/checkpoint-mytag.json'));
		assert.ok(!geminiCliImporter.isSessionFile('/h/.gemini/tmp/p/chats/session-a.txt'));
		assert.ok(!geminiCliImporter.isSessionFile('/h/.gemini/tmp/p/tool-outputs/x/out.jsonl'));
		assert.equal(geminiCliImporter.layoutOf('/x/session-a.json'), 'json');
		assert.equal(geminiCliImporter.layoutOf('/x/session-a.jsonl'), 'jsonl');
		assert.equal(geminiCliImporter.groupKey('/x/chats/session-a.jsonl'), '/x/chats/session-a');
		assert.equal(geminiCliImporter.agent, 'gemini-cli');
		assert.equal(geminiCliImporter.parserVersion, 1);
	});

	void it('sniffs session documents and .jsonl headers, not logs.json nor the other agents\' files', () => {
		for (const file of [FIRST, FILE_OPS, JSONL, SUBAGENT]) {
			assert.ok(geminiCliImporter.sniff(readHead(file)!), file);
		}
		assert.ok(!geminiCliImporter.sniff(readHead(LOGS)!));
		const others = filesUnder(FIXTURES, '').filter((file) => !file.startsWith(GEMINI + path.sep));
		assert.ok(others.length > 20);
		for (const file of others) {
			assert.ok(!geminiCliImporter.sniff(readHead(file)!), file);
		}
		assert.ok(!geminiCliImporter.sniff(valueHead({ sessionId: 's', uuid: 'u', type: 'user', message: {} })), 'a Claude Code record');
	});
});
