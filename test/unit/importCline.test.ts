/**
 * Cline, Roo Code and Kilo Code importers.
 *
 * Real: `cline/gmfstu-online-card-architecture/1769053680585/` is a Cline 3.51.0 task copied byte for byte
 * from a public repository (native tool_use blocks, results returned as user text, thinking, modelInfo,
 * metrics.tokens, ui_messages with conversationHistoryIndex). Schema-faithful, written from the agents'
 * documented and source-code schemas because no real sample of these was found:
 * - `cline/schema/…/1733900000000/`: Cline before native tool calls (XML tool tags in assistant text,
 *   results as a header block plus a body block, ui rows without conversationHistoryIndex);
 * - `roo/schema/…/7f3c9a2e-…/`: Roo Code with native tool_use/tool_result blocks and `ts` on every message;
 * - `roo/schema/…/0b9d7c4e-…/`: Roo's versioned `{version: 2, messages}` history (AI SDK parts, condense summary);
 * - `kilo/schema/…/3c2b1a09-…/`: a two-message Kilo Code task, for the agent chosen by path.
 * Every expected number below was counted from the raw files (python over the JSON), never from the parser.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { clineImporter, kiloImporter, rooImporter } from '../../server/src/core/capture/cline';
import type { AgentImporter, ParseResult, RawFile } from '../../server/src/core/capture/importer';
import { headOf, readHead } from '../../server/src/core/importing/discover';
import { ImportRunner } from '../../server/src/core/importing/importRunner';
import { recordsOfLayout } from '../../server/src/core/importing/readers';
import { TraceStore } from '../../server/src/core/store/store';
import { Session, type Message } from '../../shared/model';
import { FIXTURES, filesUnder, noHome, tempDir } from '../support/fixtures';
import { assertOpenAiShape, nameCounts, toolCalls } from '../support/sessionShape';

const REAL = path.join(FIXTURES, 'cline', 'gmfstu-online-card-architecture', '1769053680585');
const LEGACY = path.join(FIXTURES, 'cline', 'schema', 'globalStorage', 'saoudrizwan.claude-dev', 'tasks', '1733900000000');
const ROO = path.join(FIXTURES, 'roo', 'schema', 'globalStorage', 'rooveterinaryinc.roo-cline', 'tasks', '7f3c9a2e-4b1d-4e8a-9c3f-2d5e6a7b8c90');
const ROO_V2 = path.join(FIXTURES, 'roo', 'schema', 'globalStorage', 'rooveterinaryinc.roo-cline', 'tasks', '0b9d7c4e-1a2f-4c3b-8d5e-6f7a8b9c0d1e');
const KILO = path.join(FIXTURES, 'kilo', 'schema', 'globalStorage', 'kilocode.kilo-code', 'tasks', '3c2b1a09-8f7e-4d6c-b5a4-9382716a5b4c');
const TASK_FILES = ['api_conversation_history.json', 'ui_messages.json', 'task_metadata.json'];
const IMPORTERS: readonly AgentImporter[] = [clineImporter, rooImporter, kiloImporter];

/** The files of a task folder as the import runner stores them. */
function taskFiles(dir: string): RawFile[] {
	return TASK_FILES.filter((name) => fs.existsSync(path.join(dir, name)))
		.map((name) => ({ path: path.join(dir, name), records: recordsOfLayout('json', fs.readFileSync(path.join(dir, name))) }));
}

function parseTask(dir: string, importer: AgentImporter = clineImporter): ParseResult {
	return importer.parse(taskFiles(dir));
}

function onlySession(result: ParseResult): Session {
	assert.equal(result.sessions.length, 1);
	return Session.parse(result.sessions[0]);
}

const withRole = (s: Session, role: Message['role']) => s.messages.filter((m) => m.role === role);
const humans = (s: Session) => s.messages.filter((m) => m.role === 'user' && m.context === null);

function contextCounts(s: Session): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const m of s.messages) {
		if (m.context !== null) {
			counts[m.context] = (counts[m.context] ?? 0) + 1;
		}
	}
	return counts;
}

function sumUsage(messages: Message[]) {
	const sum = { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0 };
	for (const m of messages) {
		for (const key of Object.keys(sum) as Array<keyof typeof sum>) {
			sum[key] += m.usage?.[key] ?? 0;
		}
	}
	return sum;
}

const rawJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));
interface RawBlock { type: string; id?: string; name?: string; input?: Record<string, unknown> }
interface RawMessage { role: string; content: RawBlock[] }

/** Lines where a pretty-printed top-level array element opens (`  {` at two spaces), counted without the importer. */
function elementStartLines(file: string, indent: string): number[] {
	return fs.readFileSync(file, 'utf8').split('\n').flatMap((line, i) => (line === `${indent}{` ? [i + 1] : []));
}

/** A copy of a task folder under `<root>/<relative>`, for runs that write or cut files. */
function copyTask(from: string, root: string, relative: string): string {
	const dir = path.join(root, relative);
	fs.mkdirSync(dir, { recursive: true });
	for (const name of TASK_FILES) {
		if (fs.existsSync(path.join(from, name))) {
			fs.copyFileSync(path.join(from, name), path.join(dir, name));
		}
	}
	return dir;
}

void describe('Cline importer on a real Cline 3.51 task', () => {
	const result = parseTask(REAL);
	const session = onlySession(result);
	const api = rawJson(path.join(REAL, 'api_conversation_history.json')) as RawMessage[];

	void it('reads the task header from all three files', () => {
		assert.deepEqual(result.warnings, []);
		assert.equal(session.id, 'cline:1769053680585');
		assert.equal(session.agent, 'cline');
		assert.equal(session.agent_version, '3.51.0');
		assert.equal(session.parser_version, 1);
		assert.equal(session.cwd, '/workspaces/Online-Card-Architecture');
		assert.equal(session.model, 'claude-sonnet-4-5-20250929');
		assert.deepEqual(session.models, ['claude-sonnet-4-5-20250929']);
		// First UI row 1769053680628; the last is a resume_completed_task prompt (1769056268961), which is not activity.
		assert.equal(session.started_at, '2026-01-22T03:48:00.628Z');
		assert.equal(session.ended_at, '2026-01-22T04:06:11.823Z');
		assert.equal(session.title, 'You have been given a Dockerized codebase for an unfinished 3D multiplayer Unit…');
		assert.deepEqual(session.source_files, TASK_FILES.map((name) => path.join(REAL, name)));
	});

	void it('keeps the 94 API messages as 148 canonical ones', () => {
		assert.equal(api.length, 94);
		assert.equal(session.messages.length, 148);
		assert.equal(humans(session).length, 1);
		assert.equal(withRole(session, 'assistant').length, 47);
		assert.equal(withRole(session, 'tool').length, 46);
		// 47 <environment_details> blocks, 1 "# task_progress RECOMMENDED" and 6 "# TODO LIST UPDATE REQUIRED" reminders.
		assert.deepEqual(contextCounts(session), { environment: 47, 'system-reminder': 7 });
		assert.ok(humans(session)[0].content.startsWith('<task>\nYou have been given a Dockerized codebase'));
	});

	void it('pairs the text results with the native tool_use ids by order', () => {
		assertOpenAiShape(session.messages);
		const rawIds = api.flatMap((m) => m.content.filter((b) => b.type === 'tool_use').map((b) => b.id));
		assert.equal(rawIds.length, 47);
		// The last call, attempt_completion, was never answered: it ends the task.
		assert.deepEqual(toolCalls(session).map((c) => c.id), rawIds.slice(0, 46));
		assert.deepEqual(nameCounts(session), { write_to_file: 26, read_file: 16, execute_command: 2, search_files: 1, replace_in_file: 1 });
		const first = withRole(session, 'tool')[0];
		assert.ok(first.content.startsWith('using System;\nusing System.Collections;'));
		assert.equal(withRole(session, 'tool').filter((m) => m.is_error === true).length, 0);
	});

	void it('turns the unanswered final attempt_completion into the answer text', () => {
		const last = session.messages[session.messages.length - 1];
		const completion = api[93].content.find((b) => b.name === 'attempt_completion')?.input?.result;
		assert.equal(typeof completion, 'string');
		assert.equal(last.role, 'assistant');
		assert.equal(last.content, completion);
		assert.equal(last.tool_calls, undefined);
	});

	void it('keeps thinking as reasoning, never as content', () => {
		assert.equal(withRole(session, 'assistant').filter((m) => (m.reasoning ?? '').length > 0).length, 47);
		assert.equal(withRole(session, 'assistant').filter((m) => m.content.length > 0).length, 8);
		assert.ok(withRole(session, 'assistant')[0].reasoning?.startsWith('This is a complex task involving a multiplayer Unity card game.'));
	});

	void it('splits usage by the matching api_req_started rows', () => {
		// ui_messages: tokensIn 470, tokensOut 23389, cacheReads 1514932, cacheWrites 66105 over 47 requests;
		// the API file's metrics.tokens.cached (1581037) is reads and writes together.
		const expected = { input_tokens: 470, output_tokens: 23389, cache_read_tokens: 1514932, cache_creation_tokens: 66105, reasoning_tokens: 0 };
		assert.deepEqual(session.usage, expected);
		assert.deepEqual(sumUsage(session.messages), expected);
		assert.deepEqual(withRole(session, 'assistant')[0].usage, { input_tokens: 10, output_tokens: 595, cache_read_tokens: 0, cache_creation_tokens: 9573, reasoning_tokens: 0 });
	});

	void it('dates messages from the UI rows and points each at its file', () => {
		assert.equal(session.messages[0].timestamp, '2026-01-22T03:48:00.628Z');
		assert.equal(withRole(session, 'assistant')[0].timestamp, '2026-01-22T03:48:02.591Z');
		assert.equal(withRole(session, 'tool')[0].timestamp, '2026-01-22T03:48:17.772Z');
		assert.ok(session.messages.every((m) => m.timestamp !== undefined));
		// Cline writes the whole array on one line.
		assert.ok(session.messages.every((m) => m.source?.file === path.join(REAL, 'api_conversation_history.json') && m.source.line === 1));
	});
});

void describe('Cline importer on a task from before native tool calls (schema-faithful)', () => {
	const result = parseTask(LEGACY);
	const session = onlySession(result);
	const apiFile = path.join(LEGACY, 'api_conversation_history.json');

	void it('reports only the interrupted call', () => {
		assert.deepEqual(result.warnings, [
			{ file: apiFile, line: 1, message: 'tool call cline:1733900000000:call:5 (read_file) has no result; the call is left out' },
		]);
	});

	void it('reads XML tool tags as calls with numbered ids', () => {
		assert.equal(session.id, 'cline:1733900000000');
		assert.deepEqual(toolCalls(session).map((c) => [c.id, c.function.name, JSON.parse(c.function.arguments)]), [
			['cline:1733900000000:call:1', 'list_files', { path: 'src', recursive: 'false' }],
			['cline:1733900000000:call:2', 'read_file', { path: 'src/index.ts' }],
			['cline:1733900000000:call:3', 'read_file', { path: 'src/other.ts' }],
			['cline:1733900000000:call:4', 'execute_command', { command: 'npm test', requires_approval: 'false' }],
			['cline:1733900000000:call:6', 'attempt_completion', { result: 'src/utils.ts exports add(a, b) as a named and a default export.' }],
		]);
		assertOpenAiShape(session.messages);
		assert.equal(withRole(session, 'assistant')[1].content, 'Let me read both files.');
	});

	void it('pairs header and body blocks, refusals and denials by order', () => {
		assert.deepEqual(withRole(session, 'tool').map((m) => [m.tool_call_id, m.is_error ?? null, m.images ?? 0, m.content.slice(0, 40)]), [
			['cline:1733900000000:call:1', null, 0, 'index.ts\nutils.ts'],
			['cline:1733900000000:call:2', null, 0, "import add from './utils'\nconsole.log(ad"],
			['cline:1733900000000:call:3', true, 0, 'Tool [read_file] was not executed becaus'],
			['cline:1733900000000:call:4', true, 0, 'The user denied this operation.'],
			['cline:1733900000000:call:6', null, 1, 'The user has provided feedback on the re'],
		]);
	});

	void it('separates the human turns from injected context', () => {
		assert.equal(session.messages.length, 24);
		assert.deepEqual(humans(session).map((m) => m.content), [
			"<task>\nSummarise 'src/utils.ts' (see below for file content) and check the tests pass\n</task>",
			'<user_message>\nJust summarise, skip the tests\n</user_message>',
		]);
		// 7 <environment_details> blocks plus the @-mentioned file's content.
		assert.deepEqual(contextCounts(session), { environment: 8, 'system-reminder': 1, meta: 1 });
		assert.ok(session.messages[1].content.startsWith('<file_content path="src/utils.ts">'));
		assert.ok(session.messages.find((m) => m.context === 'meta')?.content.startsWith('[TASK RESUMPTION] This task was interrupted 2 minutes ago.'));
		assert.equal(session.title, "Summarise 'src/utils.ts' (see below for file content) and check the tests pass");
		assert.equal(session.cwd, '/home/dev/app');
	});

	void it('moves <thinking> to reasoning and keeps the final completion as text', () => {
		const assistants = withRole(session, 'assistant');
		assert.equal(assistants.length, 7);
		assert.deepEqual(assistants.map((m) => m.reasoning ?? null), [
			'The file content is attached. I should see what else is in src.', null, null, null, 'Re-read utils.ts before answering.', null, 'index.ts logs add(1, 2).',
		]);
		assert.equal(assistants[6].content, 'index.ts prints 3.');
	});

	void it('takes usage and times from ui_messages only', () => {
		// Seven api_req_started rows; without conversationHistoryIndex or message ts no row names its message.
		assert.deepEqual(session.usage, { input_tokens: 16600, output_tokens: 495, cache_read_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0 });
		assert.ok(session.messages.every((m) => m.usage === undefined && m.timestamp === undefined));
		assert.equal(session.started_at, '2024-12-11T06:53:20.040Z');
		assert.equal(session.ended_at, '2024-12-11T06:54:32.100Z');
		assert.equal(session.agent_version, null);
		assert.equal(session.model, null);
	});
});

void describe('Roo Code importer (schema-faithful tasks)', () => {
	void it('reads a native tool-calling task with ts on every message', () => {
		const result = parseTask(ROO, rooImporter);
		assert.deepEqual(result.warnings, []);
		const session = onlySession(result);
		assert.equal(session.id, 'roo:7f3c9a2e-4b1d-4e8a-9c3f-2d5e6a7b8c90');
		assert.equal(session.agent, 'roo');
		assert.equal(session.cwd, '/home/dev/tool');
		assert.equal(session.agent_version, null);
		assert.deepEqual(session.models, []);
		assert.equal(session.messages.length, 18);
		assert.equal(humans(session).length, 1);
		assert.equal(humans(session)[0].images, 1);
		assert.deepEqual(contextCounts(session), { environment: 6 });
		assert.deepEqual(nameCounts(session), { read_file: 1, apply_diff: 1, write_to_file: 1, attempt_completion: 1, insert_content: 1 });
		assertOpenAiShape(session.messages);
		assert.deepEqual(withRole(session, 'tool').map((m) => m.is_error ?? null), [null, true, null, null, null]);
		assert.equal(withRole(session, 'tool')[3].content.includes('<feedback>\nAlso document it in README.md\n</feedback>'), true);
		assert.equal(session.messages[session.messages.length - 1].content, 'Done.\n\nAdded --verbose to cli.py and documented it in README.md.');
		assert.equal(withRole(session, 'assistant')[0].reasoning, 'Look at cli.py first to see how arguments are parsed.');
	});

	void it('bills each request to the answer written after it and counts cancelled ones in the total', () => {
		const session = onlySession(parseTask(ROO, rooImporter));
		assert.deepEqual(withRole(session, 'assistant').map((m) => [m.usage?.input_tokens, m.usage?.output_tokens, m.usage?.cache_read_tokens, m.usage?.cache_creation_tokens]), [
			[1200, 80, 0, 3000], [150, 220, 3000, 900], [200, 400, 3900, 1200], [90, 60, 5100, 500], [300, 120, 5600, 800], [110, 70, 6400, 300],
		]);
		// The user-cancelled request (tokensIn 50) answered no message but was billed.
		assert.deepEqual(session.usage, { input_tokens: 2100, output_tokens: 950, cache_read_tokens: 24000, cache_creation_tokens: 6700, reasoning_tokens: 0 });
		assert.equal(session.started_at, '2026-01-01T00:00:00.100Z');
		assert.equal(session.ended_at, '2026-01-01T00:00:27.100Z');
		assert.equal(session.messages[0].timestamp, '2026-01-01T00:00:00.600Z');
	});

	void it('points each message at the line of its element', () => {
		const session = onlySession(parseTask(ROO, rooImporter));
		const starts = elementStartLines(path.join(ROO, 'api_conversation_history.json'), '  ');
		assert.equal(starts.length, 12);
		const assistants = withRole(session, 'assistant').map((m) => m.source?.line);
		assert.deepEqual(assistants, [1, 3, 5, 7, 9, 11].map((i) => starts[i]));
	});

	void it('reads the versioned {version: 2, messages} history', () => {
		const result = parseTask(ROO_V2, rooImporter);
		assert.deepEqual(result.warnings, []);
		const session = onlySession(result);
		assert.equal(session.id, 'roo:0b9d7c4e-1a2f-4c3b-8d5e-6f7a8b9c0d1e');
		assert.equal(session.messages.length, 13);
		assert.deepEqual(contextCounts(session), { environment: 4, compaction: 1 });
		assertOpenAiShape(session.messages);
		assert.deepEqual(withRole(session, 'tool').map((m) => [m.tool_call_id, m.is_error, m.content]), [
			['call_a1', false, '1 | export function foo() { return 1 }'],
			['call_a2', true, '[ERROR] No sufficiently similar match found'],
			['call_a3', false, '{"path":"lib.ts","operation":"modified"}'],
		]);
		// The standalone reasoning item's summary goes to the assistant message after it.
		assert.deepEqual(withRole(session, 'assistant').map((m) => m.reasoning ?? null), ['Read lib.ts before renaming.', 'Replace the declaration.', null, null]);
		assert.deepEqual(session.usage, { input_tokens: 1700, output_tokens: 430, cache_read_tokens: 2700, cache_creation_tokens: 0, reasoning_tokens: 0 });
		assert.deepEqual(sumUsage(session.messages), session.usage);
		const starts = elementStartLines(path.join(ROO_V2, 'api_conversation_history.json'), '    ');
		assert.equal(session.messages.find((m) => m.context === 'compaction')?.source?.line, starts[8]);
	});
});

void describe('Kilo Code importer (schema-faithful task)', () => {
	void it('names the session after Kilo', () => {
		const result = parseTask(KILO, kiloImporter);
		assert.deepEqual(result.warnings, []);
		const session = onlySession(result);
		assert.equal(session.id, 'kilo:3c2b1a09-8f7e-4d6c-b5a4-9382716a5b4c');
		assert.equal(session.agent, 'kilo');
		assert.equal(session.cwd, '/home/dev/scratch');
		assert.deepEqual(session.messages.map((m) => [m.role, m.context, m.content.slice(0, 9)]), [['user', null, '<task>\nWh'], ['user', 'environment', '<environm'], ['assistant', null, '4']]);
		assert.deepEqual(session.messages[2].usage, { input_tokens: 400, output_tokens: 5, cache_read_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0 });
	});
});

void describe('bad input', () => {
	void it('skips malformed messages and rows with a warning and imports the rest', () => {
		const dir = tempDir();
		const apiFile = path.join(dir, 'api_conversation_history.json');
		const uiFile = path.join(dir, 'ui_messages.json');
		const api = [
			{ role: 'user', content: [{ type: 'text', text: '<task>\nhi\n</task>' }] },
			42,
			{ role: 'robot', content: 'beep' },
			{ role: 'assistant' },
			{ role: 'assistant', content: [{ type: 'text', text: 'hello' }, { type: 'server_tool_use', id: 'x' }, { nope: true }] },
		];
		fs.writeFileSync(apiFile, JSON.stringify(api, null, 1));
		fs.writeFileSync(uiFile, JSON.stringify([
			{ ts: 1000, type: 'say', say: 'text', text: 'hi' },
			{ ts: 'soon', type: 'say', say: 'text' },
			{ ts: 1100, type: 'say', say: 'api_req_started', text: '{"tokensIn":5' },
			{ ts: 1200, type: 'say', say: 'api_req_started', text: '{"tokensIn":5,"tokensOut":2}' },
		], null, 1));
		const result = clineImporter.parse([apiFile, uiFile].map((file) => ({ path: file, records: recordsOfLayout('json', fs.readFileSync(file)) })));
		assert.deepEqual(result.warnings, [
			{ file: apiFile, line: 11, message: 'message 1 is not an object (expected {role, content}); skipped' },
			{ file: apiFile, line: 12, message: 'message 2 has role "robot" (expected "user", "assistant" or "tool"); skipped' },
			{ file: apiFile, line: 16, message: 'message 3 has no content (expected a string or an array of content blocks); skipped' },
			{ file: apiFile, line: 19, message: 'skipped 1 content block(s) of type "server_tool_use" (not text, image, thinking, tool_use or tool_result; first at this line)' },
			{ file: apiFile, line: 19, message: 'skipped 1 content block(s) of type "(none)" (not text, image, thinking, tool_use or tool_result; first at this line)' },
			{ file: uiFile, line: 13, message: 'api_req_started row (ts 1100) has text that is not a JSON object (expected {tokensIn, tokensOut, cacheReads, cacheWrites}); its usage is not counted' },
			{ file: uiFile, line: 8, message: 'skipped 1 UI row(s) without {ts: number, type: "say"|"ask", say|ask} (first at this line)' },
		]);
		const session = onlySession(result);
		assert.deepEqual(session.messages.map((m) => [m.role, m.content]), [['user', '<task>\nhi\n</task>'], ['assistant', 'hello']]);
		assert.deepEqual(session.usage, { input_tokens: 5, output_tokens: 2, cache_read_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0 });
	});

	void it('says what it expected of a document of the wrong shape, and of a task without its history', () => {
		const dir = tempDir();
		const apiFile = path.join(dir, 'api_conversation_history.json');
		const uiFile = path.join(dir, 'ui_messages.json');
		const records = (value: unknown) => recordsOfLayout('json', Buffer.from(JSON.stringify(value)));
		assert.deepEqual(clineImporter.parse([{ path: apiFile, records: records({ messages: 'none' }) }]), {
			sessions: [],
			warnings: [{ file: apiFile, line: 1, message: 'not a message history (expected a JSON array of {role, content} messages or {version: 2, messages: [...]}); file skipped' }],
		});
		const onlyUi = clineImporter.parse([{ path: uiFile, records: records([{ ts: 1, type: 'say', say: 'text' }]) }]);
		assert.deepEqual(onlyUi, {
			sessions: [],
			warnings: [{ file: uiFile, message: 'task folder has no readable api_conversation_history.json yet (the transcript); nothing imported for it' }],
		});
		// Values no agent writes never make parse() throw.
		for (const value of [null, 'text', 7, [null, [], 'x', { role: 'user', content: [null, 3] }]]) {
			assert.doesNotThrow(() => clineImporter.parse([{ path: apiFile, records: records(value) }]));
		}
	});

	void it('leaves a truncated history for the next import and keeps the last good one', () => {
		const root = tempDir();
		const dir = copyTask(ROO, root, path.join('rooveterinaryinc.roo-cline', 'tasks', '7f3c9a2e-4b1d-4e8a-9c3f-2d5e6a7b8c90'));
		const apiFile = path.join(dir, 'api_conversation_history.json');
		const whole = fs.readFileSync(apiFile);
		fs.writeFileSync(apiFile, whole.subarray(0, 4000));
		const store = TraceStore.open(path.join(root, 'store.sqlite'));
		const runner = new ImportRunner(store, IMPORTERS, noHome);
		const torn = runner.run({ paths: [root] });
		assert.equal(torn.torn, 1);
		assert.deepEqual(torn.sessions, { added: 0, updated: 0, unchanged: 0 });
		assert.deepEqual(torn.warnings.map((w) => [path.basename(w.file), w.message]), [
			['ui_messages.json', 'task folder has no readable api_conversation_history.json yet (the transcript); nothing imported for it'],
		]);
		fs.writeFileSync(apiFile, whole);
		const complete = runner.run({ paths: [root] });
		assert.equal(complete.torn, 0);
		assert.deepEqual(complete.sessions, { added: 1, updated: 0, unchanged: 0 });
		// Cut again (a save in progress): the stored history still stands and nothing changes.
		fs.writeFileSync(apiFile, whole.subarray(0, 4000));
		const again = runner.run({ paths: [root] });
		assert.equal(again.torn, 1);
		assert.equal(store.sessions.get('roo:7f3c9a2e-4b1d-4e8a-9c3f-2d5e6a7b8c90')?.messages.length, 18);
		store.close();
	});
});

void describe('import through the runner', () => {
	/** All five tasks in the layout each agent writes, plus the real task outside any extension folder. */
	function library(): string {
		const root = tempDir();
		copyTask(REAL, root, path.join('exported', '1769053680585'));
		copyTask(LEGACY, root, path.join('Code', 'User', 'globalStorage', 'saoudrizwan.claude-dev', 'tasks', '1733900000000'));
		copyTask(ROO, root, path.join('Code', 'User', 'globalStorage', 'rooveterinaryinc.roo-cline', 'tasks', '7f3c9a2e-4b1d-4e8a-9c3f-2d5e6a7b8c90'));
		copyTask(ROO_V2, root, path.join('Cursor', 'User', 'globalStorage', 'roo-code.roo-cline', 'tasks', '0b9d7c4e-1a2f-4c3b-8d5e-6f7a8b9c0d1e'));
		copyTask(KILO, root, path.join('Code', 'User', 'globalStorage', 'kilocode.kilo-code', 'tasks', '3c2b1a09-8f7e-4d6c-b5a4-9382716a5b4c'));
		return root;
	}

	void it('imports each task as its agent, and a second run changes nothing', () => {
		const root = library();
		const store = TraceStore.open(path.join(tempDir(), 'store.sqlite'));
		const first = new ImportRunner(store, IMPORTERS, noHome).run({ paths: [root] });
		assert.deepEqual(first.files, { scanned: 13, read: 13, unchanged: 0, rewritten: 0 });
		assert.deepEqual(first.sessions, { added: 5, updated: 0, unchanged: 0 });
		assert.equal(first.messages, 148 + 24 + 18 + 13 + 3);
		assert.deepEqual(first.warnings.map((w) => w.message), ['tool call cline:1733900000000:call:5 (read_file) has no result; the call is left out']);
		assert.deepEqual(store.sessions.list().map((s) => s.id).sort(), [
			'cline:1733900000000', 'cline:1769053680585', 'kilo:3c2b1a09-8f7e-4d6c-b5a4-9382716a5b4c',
			'roo:0b9d7c4e-1a2f-4c3b-8d5e-6f7a8b9c0d1e', 'roo:7f3c9a2e-4b1d-4e8a-9c3f-2d5e6a7b8c90',
		]);
		const stored = store.sessions.get('cline:1769053680585');
		assert.deepEqual(stored, onlySession(parseTask(path.join(root, 'exported', '1769053680585'))));

		const second = new ImportRunner(store, IMPORTERS, noHome).run({ paths: [root] });
		assert.deepEqual(second.files, { scanned: 13, read: 0, unchanged: 13, rewritten: 0 });
		assert.deepEqual(second.sessions, { added: 0, updated: 0, unchanged: 5 });
		// The same bytes saved again (a new mtime) are recognised by their hash.
		const ui = path.join(root, 'exported', '1769053680585', 'ui_messages.json');
		fs.writeFileSync(ui, fs.readFileSync(ui));
		fs.utimesSync(ui, new Date(2030, 0, 1), new Date(2030, 0, 1));
		const third = new ImportRunner(store, IMPORTERS, noHome).run({ paths: [root] });
		assert.deepEqual(third.files, { scanned: 13, read: 0, unchanged: 13, rewritten: 0 });
		assert.deepEqual(third.sessions, { added: 0, updated: 0, unchanged: 5 });
		store.close();
	});

	void it('imports a task outside any extension folder as Cline, or as the agent named', () => {
		const root = tempDir();
		copyTask(ROO, root, path.join('backup', '7f3c9a2e-4b1d-4e8a-9c3f-2d5e6a7b8c90'));
		const asCline = TraceStore.open(path.join(tempDir(), 'store.sqlite'));
		new ImportRunner(asCline, IMPORTERS, noHome).run({ paths: [root] });
		assert.deepEqual(asCline.sessions.list().map((s) => s.id), ['cline:7f3c9a2e-4b1d-4e8a-9c3f-2d5e6a7b8c90']);
		asCline.close();
		const asRoo = TraceStore.open(path.join(tempDir(), 'store.sqlite'));
		new ImportRunner(asRoo, IMPORTERS, noHome).run({ paths: [root], agent: 'roo' });
		assert.deepEqual(asRoo.sessions.list().map((s) => s.id), ['roo:7f3c9a2e-4b1d-4e8a-9c3f-2d5e6a7b8c90']);
		asRoo.close();
	});

	void it('imports the tasks under the default roots', () => {
		const home = tempDir();
		copyTask(LEGACY, home, path.join('.config', 'Code', 'User', 'globalStorage', 'saoudrizwan.claude-dev', 'tasks', '1733900000000'));
		copyTask(ROO, home, path.join('.vscode-server', 'data', 'User', 'globalStorage', 'rooveterinaryinc.roo-cline', 'tasks', '7f3c9a2e-4b1d-4e8a-9c3f-2d5e6a7b8c90'));
		copyTask(KILO, home, path.join('.config', 'Cursor', 'User', 'globalStorage', 'kilocode.kilo-code', 'tasks', '3c2b1a09-8f7e-4d6c-b5a4-9382716a5b4c'));
		const store = TraceStore.open(path.join(tempDir(), 'store.sqlite'));
		const report = new ImportRunner(store, IMPORTERS, { home, env: {}, platform: 'linux' }).run();
		assert.deepEqual(report.sessions, { added: 3, updated: 0, unchanged: 0 });
		assert.deepEqual(store.sessions.list().map((s) => s.id).sort(), ['cline:1733900000000', 'kilo:3c2b1a09-8f7e-4d6c-b5a4-9382716a5b4c', 'roo:7f3c9a2e-4b1d-4e8a-9c3f-2d5e6a7b8c90']);
		store.close();
	});
});

void describe('finding task files', () => {
	void it('looks in every VS Code-family user folder on each OS', () => {
		const linux = { home: '/home/u', env: {}, platform: 'linux' as const };
		assert.deepEqual(clineImporter.defaultRoots(linux), [
			'/home/u/.config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks',
			'/home/u/.config/Code - Insiders/User/globalStorage/saoudrizwan.claude-dev/tasks',
			'/home/u/.config/VSCodium/User/globalStorage/saoudrizwan.claude-dev/tasks',
			'/home/u/.config/Cursor/User/globalStorage/saoudrizwan.claude-dev/tasks',
			'/home/u/.config/Windsurf/User/globalStorage/saoudrizwan.claude-dev/tasks',
			'/home/u/.vscode-server/data/User/globalStorage/saoudrizwan.claude-dev/tasks',
			'/home/u/.vscode-server-insiders/data/User/globalStorage/saoudrizwan.claude-dev/tasks',
			'/home/u/.vscodium-server/data/User/globalStorage/saoudrizwan.claude-dev/tasks',
			'/home/u/.cursor-server/data/User/globalStorage/saoudrizwan.claude-dev/tasks',
			'/home/u/.windsurf-server/data/User/globalStorage/saoudrizwan.claude-dev/tasks',
		]);
		const darwin = { home: '/Users/u', env: {}, platform: 'darwin' as const };
		assert.deepEqual(rooImporter.defaultRoots(darwin).slice(0, 4), [
			'/Users/u/Library/Application Support/Code/User/globalStorage/rooveterinaryinc.roo-cline/tasks',
			'/Users/u/Library/Application Support/Code/User/globalStorage/roo-code.roo-cline/tasks',
			'/Users/u/Library/Application Support/Code - Insiders/User/globalStorage/rooveterinaryinc.roo-cline/tasks',
			'/Users/u/Library/Application Support/Code - Insiders/User/globalStorage/roo-code.roo-cline/tasks',
		]);
		assert.equal(rooImporter.defaultRoots(darwin).length, 20);
		const win32 = { home: 'C:\\Users\\u', env: { APPDATA: 'D:\\Roaming' }, platform: 'win32' as const };
		assert.deepEqual(kiloImporter.defaultRoots(win32), [
			'D:\\Roaming\\Code\\User\\globalStorage\\kilocode.kilo-code\\tasks',
			'D:\\Roaming\\Code - Insiders\\User\\globalStorage\\kilocode.kilo-code\\tasks',
			'D:\\Roaming\\VSCodium\\User\\globalStorage\\kilocode.kilo-code\\tasks',
			'D:\\Roaming\\Cursor\\User\\globalStorage\\kilocode.kilo-code\\tasks',
			'D:\\Roaming\\Windsurf\\User\\globalStorage\\kilocode.kilo-code\\tasks',
		]);
	});

	void it('reads the three task files by name and groups them by task folder', () => {
		for (const importer of IMPORTERS) {
			for (const name of TASK_FILES) {
				assert.equal(importer.isSessionFile(`/x/tasks/1/${name}`), true);
				assert.equal(importer.layoutOf(`/x/tasks/1/${name}`), 'json');
			}
			assert.equal(importer.isSessionFile('/x/tasks/1/focus_chain_taskid_1.md'), false);
			assert.equal(importer.isSessionFile('/x/tasks/1/api_conversation_history.json.bak'), false);
			assert.equal(importer.isSessionFile('/x/settings/cline_mcp_settings.json'), false);
			assert.equal(importer.groupKey('/x/tasks/1/ui_messages.json'), '/x/tasks/1');
			assert.equal(importer.groupKey('C:\\x\\tasks\\1\\ui_messages.json'), 'C:\\x\\tasks\\1');
		}
	});

	void it('sniffs the task files for exactly one agent, by the extension folder in the path', () => {
		const owners: Array<[string, string]> = [[REAL, 'cline'], [LEGACY, 'cline'], [ROO, 'roo'], [ROO_V2, 'roo'], [KILO, 'kilo']];
		for (const [dir, owner] of owners) {
			for (const file of TASK_FILES.map((name) => path.join(dir, name)).filter((f) => fs.existsSync(f))) {
				const head = readHead(file);
				assert.ok(head !== undefined);
				assert.deepEqual(IMPORTERS.filter((i) => i.sniff(head)).map((i) => i.agent), [owner], file);
			}
		}
		// The real history is larger than a sniffing head: the cut text still sniffs.
		const cut = readHead(path.join(REAL, 'api_conversation_history.json'));
		assert.ok(cut !== undefined && cut.text.length < fs.statSync(path.join(REAL, 'api_conversation_history.json')).size && cut.firstRecord === undefined);
		// An empty task (`[]`) is still a task file.
		assert.equal(clineImporter.sniff(headOf('/t/1/ui_messages.json', '[]')), true);
	});

	void it('sniffs no other agent\'s logs and no look-alike', () => {
		const ours = new Set(['cline', 'roo', 'kilo']);
		const others = filesUnder(FIXTURES, '').filter((f) => !f.endsWith('SOURCES.md') && !ours.has(path.relative(FIXTURES, f).split(path.sep)[0]));
		assert.ok(others.length >= 20);
		for (const file of others) {
			const head = readHead(file);
			assert.ok(head !== undefined);
			assert.deepEqual(IMPORTERS.filter((i) => i.sniff(head)).map((i) => i.agent), [], file);
		}
		const lookAlikes: Array<[string, string]> = [
			['/t/1/api_conversation_history.json', '{"messages":[{"role":"user","content":"hi"}]}'],
			['/t/1/api_conversation_history.json', '[{"type":"say","ts":1}]'],
			['/t/1/ui_messages.json', '[{"role":"user","content":"hi"}]'],
			['/t/1/task_metadata.json', '{"version":1}'],
			['/t/1/session.json', '[{"role":"user","content":"hi"}]'],
		];
		for (const [file, text] of lookAlikes) {
			assert.deepEqual(IMPORTERS.filter((i) => i.sniff(headOf(file, text))).map((i) => i.agent), [], `${file}: ${text}`);
		}
	});
});
