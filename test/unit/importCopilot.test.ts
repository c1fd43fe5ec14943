/**
 * Copilot Chat and Copilot CLI importers.
 *
 * Real files: the four "Chat: Export Chat…" files under fixtures/sessions/copilot-chat/
 * dealenx-copilot-chat-analyzer (see SOURCES.md). No real on-disk `chatSessions` file, Copilot
 * CLI event log or legacy CLI history file was available, so the files under
 * fixtures/sessions/copilot-chat/schema and fixtures/sessions/copilot-cli/schema are
 * schema-faithful fixtures written from VS Code's chat serialization (ObjectMutationLog,
 * chatSessionOperationLog) and the session-events schema of the Copilot SDK. Every expected
 * number below was counted from the raw files (python json / grep), never from the parser.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copilotChatImporter } from '../../server/src/core/capture/copilotChat';
import { copilotCliImporter } from '../../server/src/core/capture/copilotCli';
import { claudeCodeImporter } from '../../server/src/core/capture/claudeCode';
import { codexImporter } from '../../server/src/core/capture/codex';
import type { AgentImporter, ParseResult, RawFile } from '../../server/src/core/capture/importer';
import { replayMutationLog } from '../../server/src/core/capture/copilot/mutationLog';
import { pathFromUri, workspaceFolder } from '../../server/src/core/capture/copilot/uri';
import { headOf, readHead, walkFiles } from '../../server/src/core/importing/discover';
import { ImportRunner } from '../../server/src/core/importing/importRunner';
import { recordsOfLayout } from '../../server/src/core/importing/readers';
import { TraceStore } from '../../server/src/core/store/store';
import { Session, type Message } from '../../shared/model';
import { FIXTURES, noHome, tempDir, valueHead } from '../support/fixtures';

const DEALENX = path.join(FIXTURES, 'copilot-chat', 'dealenx-copilot-chat-analyzer');
const CHAT = path.join(DEALENX, 'chat.json');
const CHAT_ERROR = path.join(DEALENX, 'chat_error_mcp.json');
const CHAT_SUCCESS = path.join(DEALENX, 'chat_succes_mcp.json');
const IN_PROGRESS = path.join(DEALENX, 'in_progress_chat.json');
const CHAT_SCHEMA = path.join(FIXTURES, 'copilot-chat', 'schema');
const WORKSPACE = path.join(CHAT_SCHEMA, 'workspaceStorage', '8d4e2f6a1b3c5d7e9f0a1b2c3d4e5f60');
const SESSION_ID = '3f2b8c1e-7a4d-4e2b-9c61-0d5e8a9b1c24';
const WORKSPACE_JSON = path.join(WORKSPACE, 'workspace.json');
const SESSION_JSON = path.join(WORKSPACE, 'chatSessions', `${SESSION_ID}.json`);
const SESSION_JSONL = path.join(WORKSPACE, 'chatSessions', `${SESSION_ID}.jsonl`);
const EMPTY_WINDOW = path.join(CHAT_SCHEMA, 'globalStorage', 'emptyWindowChatSessions', 'c7d9e1f3-2a4b-4c6d-8e0f-1a2b3c4d5e6f.json');
const CLI_SCHEMA = path.join(FIXTURES, 'copilot-cli', 'schema');
const CLI_ID = '5b8e2c4a-1d3f-4a6b-9c8e-7f0a2b4c6d8e';
const CLI_EVENTS = path.join(CLI_SCHEMA, 'session-state', CLI_ID, 'events.jsonl');
const CLI_LEGACY = path.join(CLI_SCHEMA, 'history-session-state', 'session_2d4f6a8c-0e1b-4c3d-9e5f-7a9b1c3d5e7f_1757685731305.json');

function rawFile(importer: AgentImporter, file: string, bytes: Buffer = fs.readFileSync(file)): RawFile {
	const layout = importer.layoutOf(file);
	assert.notEqual(layout, 'sqlite');
	return { path: file, records: recordsOfLayout(layout as 'json' | 'jsonl', bytes) };
}

function parse(importer: AgentImporter, ...files: string[]): ParseResult {
	return importer.parse(files.map((file) => rawFile(importer, file)));
}

function onlySession(result: ParseResult): Session {
	assert.equal(result.sessions.length, 1);
	return Session.parse(result.sessions[0]);
}

const withRole = (s: Session, role: Message['role']) => s.messages.filter((m) => m.role === role);
const humans = (s: Session) => s.messages.filter((m) => m.role === 'user' && m.context === null);
const calls = (s: Session) => s.messages.flatMap((m) => m.tool_calls ?? []);
const shape = (s: Session) => s.messages.map((m) => (m.role === 'assistant' ? `a${m.tool_calls?.length ?? 0}` : m.role === 'tool' ? 't' : m.context === null ? 'u' : `(${m.context})`));

/** Every tool call is answered right after its message by exactly one tool message with its name. */
function assertPaired(messages: Message[]): void {
	for (let i = 0; i < messages.length; i++) {
		const own = messages[i].tool_calls ?? [];
		const answers = messages.slice(i + 1, i + 1 + own.length);
		assert.deepEqual(answers.map((m) => [m.role, m.tool_call_id, m.name]), own.map((c) => ['tool', c.id, c.function.name]), `answers of message ${i}`);
		i += own.length;
	}
}

function exportId(file: string, firstRequestId: string): string {
	return `copilot-chat:export-${createHash('sha256').update(`${file}\n${firstRequestId}`).digest('hex').slice(0, 16)}`;
}

/** The line of the first occurrence of `needle` in a file (grep -n). */
function lineOf(file: string, needle: string): number {
	const text = fs.readFileSync(file, 'utf8');
	return text.slice(0, text.indexOf(needle)).split('\n').length;
}

void describe('copilot-chat: real exported chats (dealenx/copilot-chat-analyzer)', () => {
	void it('reads an ask-mode export: two turns, the environment block once, times from the requests', () => {
		const result = parse(copilotChatImporter, CHAT);
		const session = onlySession(result);
		assert.deepEqual(result.warnings, []);
		// An export has no sessionId: the id hashes the path and the first requestId.
		assert.equal(session.id, exportId(CHAT, 'request_b954e50d-60d0-4510-aa0e-9ddb6c264ceb'));
		assert.equal(session.agent, 'copilot-chat');
		assert.equal(session.agent_version, '0.31.3');
		assert.equal(session.parser_version, 1);
		assert.equal(session.model, 'copilot/gemini-2.5-pro');
		assert.deepEqual(session.models, ['copilot/gemini-2.5-pro']);
		assert.equal(session.cwd, null, 'no workspace.json and no markdown baseUri');
		assert.equal(session.title, 'hi');
		// timestamps 1759418211240 and 1759418255799 + totalElapsed 2900
		assert.equal(session.started_at, '2025-10-02T15:16:51.240Z');
		assert.equal(session.ended_at, '2025-10-02T15:17:38.699Z');
		// renderedGlobalContext only on the first request; one round without calls per request
		assert.deepEqual(shape(session), ['(environment)', 'u', 'a0', 'u', 'a0']);
		assert.match(session.messages[0].content, /^<environment_info>\nThe user's current OS is: Windows/);
		assert.deepEqual(humans(session).map((m) => [m.content, m.timestamp, m.source_id]), [
			['hi', '2025-10-02T15:16:51.240Z', 'request_b954e50d-60d0-4510-aa0e-9ddb6c264ceb'],
			['hello', '2025-10-02T15:17:35.799Z', 'request_677e0e3a-20dc-4d32-946a-b3f6225e3105'],
		]);
		assert.deepEqual(withRole(session, 'assistant').map((m) => [m.content, m.model, m.source_id]), [
			['Hello! How can I help you today?', 'copilot/gemini-2.5-pro', '2ad833bb-57c6-4ed3-a932-33a9ee4654d4'],
			['Hello! How can I help you?', 'copilot/gemini-2.5-pro', '065e1e68-64ee-4762-b28e-42858298432b'],
		]);
		assert.deepEqual(session.usage, { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0 });
	});

	void it('points each message at the line its request starts on in the pretty-printed file', () => {
		const session = onlySession(parse(copilotChatImporter, CHAT));
		const first = lineOf(CHAT, '"requestId": "request_b954e50d');
		const second = lineOf(CHAT, '"requestId": "request_677e0e3a');
		assert.deepEqual([first, second], [17, 134]);
		assert.deepEqual(session.messages.map((m) => m.source?.line), [17, 17, 17, 134, 134]);
		assert.ok(session.messages.every((m) => m.source?.file === CHAT));
	});

	void it('takes the model-side rounds of an agent-mode MCP call that failed, with the error flag from the chat view', () => {
		const result = parse(copilotChatImporter, CHAT_ERROR);
		const session = onlySession(result);
		assert.deepEqual(result.warnings, []);
		assert.equal(session.id, exportId(CHAT_ERROR, 'request_465c6a97-e584-42eb-ac5c-18340882bbbc'));
		// the markdown parts' baseUri file:///c:/Users/dealenx/dev/mimicai/copilot-chat-analyzer/
		assert.equal(session.cwd, 'c:/Users/dealenx/dev/mimicai/copilot-chat-analyzer');
		assert.equal(session.model, 'copilot/claude-sonnet-4');
		assert.equal(session.started_at, '2025-10-02T19:22:57.192Z');
		assert.equal(session.ended_at, '2025-10-02T19:23:06.585Z');
		assert.deepEqual(shape(session), ['(environment)', 'u', 'a1', 't', 'a0']);
		assertPaired(session.messages);
		assert.deepEqual(calls(session), [{
			id: 'toolu_vrtx_01HNGkGxN98S77pNx4xq4WBc__vscode-1759432867808',
			type: 'function',
			function: { name: 'mcp_micmicai-mcp_update_entry_fields', arguments: '{"entry_id": "invalid_id", "fields": {}}' },
		}]);
		const tool = withRole(session, 'tool')[0];
		assert.equal(tool.content, "Error calling tool 'update_entry_fields': 400: GraphQL ошибка при обновлении полей: Internal server error");
		assert.equal(tool.is_error, true);
	});

	void it('answers three MCP calls with what the model was sent (toolCallResults), not the chat view output', () => {
		const result = parse(copilotChatImporter, CHAT_SUCCESS);
		const session = onlySession(result);
		assert.deepEqual(result.warnings, []);
		assert.deepEqual(shape(session), ['(environment)', 'u', 'a1', 't', 'a1', 't', 'a1', 't', 'a0']);
		assertPaired(session.messages);
		assert.deepEqual(calls(session).map((c) => [c.function.name, c.function.arguments]), [
			['mcp_micmicai-mcp_get_documents', '{}'],
			['mcp_micmicai-mcp_get_entries', '{"document_id": "18", "first": 5, "page": 1}'],
			['mcp_micmicai-mcp_update_entry_fields', '{"entry_id": "686", "fields": {"D":"1250.00","H":"1180.50"}}'],
		]);
		const raw = JSON.parse(fs.readFileSync(CHAT_SUCCESS, 'utf8')) as { requests: [{ result: { metadata: { toolCallResults: Record<string, { content: [{ value: string }] }> } } }] };
		const expected = Object.entries(raw.requests[0].result.metadata.toolCallResults).map(([id, value]) => [id, value.content[0].value, false]);
		assert.deepEqual(withRole(session, 'tool').map((m) => [m.tool_call_id, m.content, m.is_error]), expected);
		assert.ok(withRole(session, 'tool')[0].content.startsWith('{"result":"[\\n'), 'the MCP wrapper the model saw');
	});

	void it('reads a request still running from its response parts: both invocations, no warnings', () => {
		const result = parse(copilotChatImporter, IN_PROGRESS);
		const session = onlySession(result);
		assert.deepEqual(result.warnings, []);
		assert.deepEqual(shape(session), ['u', 'a2', 't', 't', 'a0']);
		assertPaired(session.messages);
		assert.deepEqual(calls(session).map((c) => [c.id, c.function.name, c.function.arguments]), [
			['16a3088a-dbed-49f6-b9c7-2742be395a0c', 'copilot_fetchWebPage', '{}'],
			['f68c1772-b4f0-431a-9b77-f0c421818017', 'vscode_fetchWebPage_internal', '{}'],
		]);
		const [hidden, fetched] = withRole(session, 'tool');
		assert.equal(hidden.content, '');
		assert.equal(fetched.content, [
			'https://ru.wikipedia.org/wiki/%D0%A1%D0%BD%D0%B5%D0%B6%D0%BD%D1%8B%D0%B9_%D0%B1%D0%B0%D1%80%D1%81',
			'https://www.wwf.ru/species/snow-leopard/',
			'https://www.nationalgeographic.com/animals/mammals/facts/snow-leopard',
		].join('\n'));
		assert.equal(session.started_at, '2025-10-01T21:12:41.760Z');
		assert.equal(session.ended_at, '2025-10-01T21:12:41.760Z');
	});

	void it('parses deterministically and leaves the records untouched', () => {
		for (const file of [CHAT, CHAT_ERROR, CHAT_SUCCESS, IN_PROGRESS]) {
			const raw = rawFile(copilotChatImporter, file);
			const snapshot = structuredClone(raw);
			assert.deepEqual(copilotChatImporter.parse([raw]), copilotChatImporter.parse([raw]));
			assert.deepEqual(raw, snapshot);
		}
	});
});

void describe('copilot-chat: workspace chatSessions (schema-faithful)', () => {
	void it('replays the .jsonl mutation log to exactly the .json document', () => {
		const replay = replayMutationLog(SESSION_JSONL, rawFile(copilotChatImporter, SESSION_JSONL).records);
		assert.deepEqual(replay.warnings, []);
		assert.deepEqual(replay.document, JSON.parse(fs.readFileSync(SESSION_JSON, 'utf8')));
		// request 0 is pushed on line 3, request 1 on line 9 (grep -n '"k":\["requests"\],')
		assert.deepEqual(replay.requestLines, [3, 9]);
	});

	void it('reads a two-request agent session with the cwd from workspace.json, keeping one of its two copies', () => {
		const result = parse(copilotChatImporter, WORKSPACE_JSON, SESSION_JSON, SESSION_JSONL);
		const session = onlySession(result);
		assert.deepEqual(result.warnings, [{
			file: SESSION_JSON,
			message: `same Copilot Chat session copilot-chat:${SESSION_ID} as ${SESSION_JSONL}; the copy that reaches further was imported`,
		}]);
		assert.equal(session.id, `copilot-chat:${SESSION_ID}`);
		assert.deepEqual(session.source_files, [SESSION_JSONL]);
		assert.equal(session.agent_version, '0.32.4');
		assert.equal(session.title, 'Health endpoint for Express server');
		assert.equal(session.cwd, '/home/dev/projects/inventory-api');
		assert.equal(session.git_branch, 'feature/health');
		assert.equal(session.git_commit, '4be1c0d9a7f3e2b18c6d5a4f3e2d1c0b9a8f7e6d');
		assert.equal(session.repository_url, 'https://github.com/example-dev/inventory-api.git');
		// creationDate 1761299965000; request 2 completedAt 1761300444310
		assert.equal(session.started_at, '2025-10-24T09:59:25.000Z');
		assert.equal(session.ended_at, '2025-10-24T10:07:24.310Z');
		// four rounds each; one global context block; a promptFile and a file attachment on request 1
		assert.deepEqual(shape(session), [
			'(environment)', '(instructions)', '(environment)', 'u', 'a1', 't', 'a1', 't', 'a1', 't', 'a0',
			'u', 'a1', 't', 'a1', 't', 'a1', 't', 'a0',
		]);
		assertPaired(session.messages);
		assert.equal(session.messages[1].content, '[promptFile] prompt:copilot-instructions.md (/home/dev/projects/inventory-api/.github/copilot-instructions.md)');
		assert.equal(session.messages[2].content, '[file] server.ts (/home/dev/projects/inventory-api/src/server.ts)');
		assert.deepEqual(humans(session).map((m) => m.content), ['Add a /health endpoint to the Express server and run the tests', 'Run the linter and fix what it reports']);
		assert.deepEqual(session.models, ['copilot/claude-sonnet-4', 'copilot/gpt-4.1']);
		assert.equal(session.model, 'copilot/claude-sonnet-4', 'four assistant messages each: the first seen wins');
		assert.equal(withRole(session, 'assistant')[0].reasoning, 'The user wants a health endpoint. I should read src/server.ts to see how routes are registered.');
		assert.equal(withRole(session, 'assistant').filter((m) => m.reasoning !== undefined).length, 1);
		// metadata.promptTokens/outputTokens: 18234 + 21507, 412 + 236
		assert.deepEqual(session.usage, { input_tokens: 39741, output_tokens: 648, cache_read_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0 });
		assert.deepEqual(withRole(session, 'assistant').map((m) => m.usage?.output_tokens ?? null), [null, null, null, 412, null, null, null, 236]);
		// the prompt-tsx result of replace_string_in_file, the failed lint run flagged by its invocation
		const tools = withRole(session, 'tool');
		assert.equal(tools[1].content, 'The following files were successfully edited:\n/home/dev/projects/inventory-api/src/server.ts');
		assert.deepEqual(tools.map((m) => m.is_error ?? null), [null, null, null, true, null, false]);
		assert.deepEqual(calls(session).map((c) => c.function.name), ['read_file', 'replace_string_in_file', 'run_in_terminal', 'run_in_terminal', 'replace_string_in_file', 'run_in_terminal']);
		assert.deepEqual([...new Set(session.messages.map((m) => m.source?.line))], [3, 9]);
		assert.deepEqual(session.messages[4].timestamp, '2025-10-24T10:00:01.200Z', 'round timestamp');
	});

	void it('reads the .json copy alone the same way, every message on its one line', () => {
		const fromJson = onlySession(parse(copilotChatImporter, WORKSPACE_JSON, SESSION_JSON));
		const fromLog = onlySession(parse(copilotChatImporter, WORKSPACE_JSON, SESSION_JSONL));
		const unsourced = (s: Session) => s.messages.map(({ source: _source, ...rest }) => rest);
		assert.deepEqual(unsourced(fromJson), unsourced(fromLog));
		assert.ok(fromJson.messages.every((m) => m.source?.line === 1 && m.source.file === SESSION_JSON));
	});

	void it('gets no session and no warning from a workspace.json alone', () => {
		assert.deepEqual(parse(copilotChatImporter, WORKSPACE_JSON), { sessions: [], warnings: [] });
	});

	void it('reads an empty-window ask chat from its parts: thinking, a paste, a cancelled turn, an undone turn', () => {
		const result = parse(copilotChatImporter, EMPTY_WINDOW);
		const session = onlySession(result);
		assert.deepEqual(result.warnings, []);
		assert.equal(session.id, 'copilot-chat:c7d9e1f3-2a4b-4c6d-8e0f-1a2b3c4d5e6f');
		assert.equal(session.cwd, null);
		// request 3 has shouldBeRemovedOnSend: undone in the editor, not part of the conversation
		assert.deepEqual(shape(session), ['(environment)', 'u', 'a0', 'u', 'a0']);
		assert.equal(session.messages[0].content, '[paste] Pasted code\n[10, 9, 1].sort()');
		assert.equal(session.messages[2].content, 'Without a compare function, `sort` converts every element to a string and compares them in UTF-16 code unit order. As strings, `"10"` comes before `"9"` because `"1"` < `"9"`.');
		assert.equal(session.messages[2].reasoning, 'Array.prototype.sort without a comparator converts elements to strings and compares UTF-16 code units.');
		assert.equal(session.messages[4].content, 'Pass a compare function:\n\n```js\n[10, 9, 1].sort((a, b) =>', 'the cancelled answer as far as it got');
		assert.equal(session.agent_version, '0.29.1');
		// creationDate 1753869995000, lastMessageDate 1753870120000
		assert.equal(session.started_at, '2025-07-30T10:06:35.000Z');
		assert.equal(session.ended_at, '2025-07-30T10:08:40.000Z');
	});
});

void describe('copilot-chat: damaged input', () => {
	const doc = () => JSON.parse(fs.readFileSync(SESSION_JSON, 'utf8')) as { requests: Record<string, unknown>[] } & Record<string, unknown>;
	const parseDoc = (value: unknown, file = SESSION_JSON) => copilotChatImporter.parse([{ path: file, records: recordsOfLayout('json', Buffer.from(JSON.stringify(value))) }]);

	void it('skips a request that is not an object and keeps the rest', () => {
		const broken = doc();
		(broken.requests as unknown[]).splice(0, 1, 42);
		const result = parseDoc(broken);
		const session = onlySession(result);
		assert.deepEqual(result.warnings, [{ file: SESSION_JSON, line: 1, message: 'skipped 1 requests that are not objects (first shown at this line)' }]);
		assert.deepEqual(humans(session).map((m) => m.content), ['Run the linter and fix what it reports']);
	});

	void it('reports a call without an id and an unknown response part, and imports the rest', () => {
		const broken = doc();
		const rounds = (broken.requests[1].result as { metadata: { toolCallRounds: { toolCalls: Record<string, unknown>[] }[]; toolCallResults: Record<string, unknown> } }).metadata;
		delete rounds.toolCallRounds[0].toolCalls[0].id;
		delete rounds.toolCallResults['call_Tg2hJ6kP4zLw8nDq3vCm9xRb__vscode-1761299990006'];
		const empty = JSON.parse(fs.readFileSync(EMPTY_WINDOW, 'utf8')) as { requests: { response: unknown[] }[] };
		empty.requests[0].response.push({ kind: 'somethingNew', value: 1 });
		const result = parseDoc(broken);
		const session = onlySession(result);
		assert.deepEqual(result.warnings, [
			// the third call's invocation still has output: only the model-side copy is gone
			{ file: SESSION_JSON, line: 1, message: 'skipped 1 tool calls without an id or name in toolCallRounds (first shown at this line)' },
		]);
		assert.equal(calls(session).length, 5);
		assert.equal(withRole(session, 'tool')[4].content, '\n> inventory-api@1.0.0 lint\n> eslint src\n\n', 'from the invocation resultDetails');
		const parts = parseDoc(empty, EMPTY_WINDOW);
		assert.deepEqual(parts.warnings, [{ file: EMPTY_WINDOW, line: 1, message: 'skipped 1 response parts of unknown kind "somethingNew" (first shown at this line)' }]);
		assert.equal(onlySession(parts).messages.length, 5);
	});

	void it('warns when a finished request leaves a call unanswered', () => {
		const broken = doc();
		const request = broken.requests[1] as { response: Record<string, unknown>[]; result: { metadata: { toolCallResults: Record<string, unknown> } } };
		delete request.result.metadata.toolCallResults['call_Tg2hJ6kP4zLw8nDq3vCm9xRb__vscode-1761299990006'];
		delete request.response[4].resultDetails;
		request.response[4].isComplete = false;
		const result = parseDoc(broken);
		assert.deepEqual(result.warnings, [{ file: SESSION_JSON, line: 1, message: 'tool call call_Tg2hJ6kP4zLw8nDq3vCm9xRb__vscode-1761299990006 (run_in_terminal) has no result' }]);
		assert.equal(calls(onlySession(result)).length, 6);
		assert.equal(withRole(onlySession(result), 'tool').length, 5);
	});

	void it('skips a document that is not a chat session with one warning', () => {
		assert.deepEqual(parseDoc({ version: 3, sessionId: 'x' }), { sessions: [], warnings: [{ file: SESSION_JSON, line: 1, message: 'not a Copilot Chat session (expected an object with a requests array); file skipped' }] });
		assert.deepEqual(parseDoc([1, 2]).warnings, [{ file: SESSION_JSON, line: 1, message: 'not a Copilot Chat session (expected an object with a requests array); file skipped' }]);
	});

	void it('replays around bad log lines and says which ones were skipped', () => {
		const initial = JSON.stringify({ kind: 0, v: { version: 3, sessionId: 's1', responderUsername: 'GitHub Copilot', requests: [], inputState: { inputText: 'x' } } });
		const lines = [
			'{"kind":1,"k":["customTitle"],"v":"too early"}',
			initial,
			'{"hello":1}',
			'{"kind":1,"k":"customTitle","v":"x"}',
			'{"kind":7,"k":["x"]}',
			'{"kind":1,"k":["requests",5,"result"],"v":{}}',
			'not json',
			JSON.stringify({ kind: 2, k: ['requests'], v: [{ requestId: 'r1', message: { text: 'one' } }, { requestId: 'r2', message: { text: 'two' } }] }),
			JSON.stringify({ kind: 2, k: ['requests'], i: 1, v: [{ requestId: 'r3', message: { text: 'three' } }] }),
			'{"kind":3,"k":["inputState"]}',
			'{"kind":1,"k":["requests",0,"modelState"],"v":{"value":1}}',
		];
		const file = '/ws/abc/chatSessions/s1.jsonl';
		const replay = replayMutationLog(file, recordsOfLayout('jsonl', Buffer.from(`${lines.join('\n')}\n`)));
		const tail = '; mutation skipped (expected a Copilot Chat log entry {kind: 0|1|2|3, k: key path, v: value})';
		assert.deepEqual(replay.warnings, [
			{ file, line: 1, message: `entry before the initial session entry${tail}` },
			{ file, line: 3, message: `line is not a mutation entry${tail}` },
			{ file, line: 4, message: `entry of kind 1 without a valid key path${tail}` },
			{ file, line: 5, message: `unknown entry kind 7${tail}` },
			{ file, line: 6, message: `key path ["requests",5,"result"] does not lead into the session${tail}` },
		]);
		assert.deepEqual(replay.document, {
			version: 3, sessionId: 's1', responderUsername: 'GitHub Copilot',
			requests: [{ requestId: 'r1', message: { text: 'one' }, modelState: { value: 1 } }, { requestId: 'r3', message: { text: 'three' } }],
		});
		assert.deepEqual(replay.requestLines, [8, 9]);
		const parsed = copilotChatImporter.parse([{ path: file, records: recordsOfLayout('jsonl', Buffer.from(`${lines.join('\n')}\n`)) }]);
		assert.deepEqual(humans(onlySession(parsed)).map((m) => [m.content, m.source?.line]), [['one', 8], ['three', 9]]);
		assert.equal(parsed.warnings.length, 5);
	});

	void it('replaces the whole document on a root Set and reports a log without an initial entry', () => {
		const file = '/ws/abc/chatSessions/s2.jsonl';
		const records = recordsOfLayout('jsonl', Buffer.from([
			JSON.stringify({ kind: 0, v: { sessionId: 's2', requests: [{ requestId: 'a', message: { text: 'old' } }] } }),
			JSON.stringify({ kind: 1, k: [], v: { sessionId: 's2', requests: [{ requestId: 'b', message: { text: 'new' } }] } }),
		].join('\n') + '\n'));
		const replay = replayMutationLog(file, records);
		assert.deepEqual(replay.document, { sessionId: 's2', requests: [{ requestId: 'b', message: { text: 'new' } }] });
		assert.deepEqual(replay.requestLines, [2]);
		const noInitial = copilotChatImporter.parse([{ path: file, records: recordsOfLayout('jsonl', Buffer.from('{"kind":1,"k":["customTitle"],"v":"x"}\n')) }]);
		assert.deepEqual(noInitial.sessions, []);
		assert.deepEqual(noInitial.warnings.map((w) => w.message), [
			'entry before the initial session entry; mutation skipped (expected a Copilot Chat log entry {kind: 0|1|2|3, k: key path, v: value})',
			'no initial session entry ({kind: 0, v: session}); nothing to replay',
		]);
	});
});

void describe('copilot-chat: uris and workspace folders', () => {
	void it('turns file and remote URIs into paths', () => {
		assert.equal(pathFromUri('file:///home/dev/my%20app'), '/home/dev/my app');
		assert.equal(pathFromUri('file:///c%3A/Users/dev/app/'), 'c:/Users/dev/app');
		assert.equal(pathFromUri('vscode-remote://ssh-remote%2Bbox/home/dev/app'), '/home/dev/app');
		assert.equal(pathFromUri('https://example.com/x'), undefined);
		assert.equal(pathFromUri('not a uri'), undefined);
		assert.equal(workspaceFolder({ folder: 'file:///home/dev/app' }), '/home/dev/app');
		assert.equal(workspaceFolder({ workspace: 'file:///home/dev/all.code-workspace' }), '/home/dev');
		assert.equal(workspaceFolder({ configuration: 1 }), undefined);
	});
});

void describe('copilot-cli: event log (schema-faithful)', () => {
	const result = parse(copilotCliImporter, CLI_EVENTS);

	void it('reads the main session: metadata from session.start, usage from session.shutdown', () => {
		assert.deepEqual(result.warnings, []);
		assert.equal(result.sessions.length, 2);
		const session = Session.parse(result.sessions[0]);
		assert.equal(session.id, `copilot-cli:${CLI_ID}`);
		assert.equal(session.agent, 'copilot-cli');
		assert.equal(session.agent_version, '0.0.354');
		assert.equal(session.cwd, '/home/dev/projects/inventory-api');
		assert.equal(session.git_branch, 'main');
		assert.equal(session.git_commit, '9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d');
		assert.equal(session.repository_url, 'https://github.com/example-dev/inventory-api');
		assert.equal(session.title, 'List the TODO comments in src and fix the first one');
		assert.equal(session.started_at, '2025-11-03T09:15:02.104Z', 'data.startTime');
		assert.equal(session.ended_at, '2025-11-03T09:17:10.552Z', 'the shutdown event');
		// 4 assistant messages on claude-sonnet-4.5, 2 on gpt-5 (after the /model switch)
		assert.equal(session.model, 'claude-sonnet-4.5');
		assert.deepEqual(session.models, ['claude-sonnet-4.5', 'gpt-5']);
		// inputTokens include cache reads and writes: (84210-61440-9216) + (30125-18432)
		assert.deepEqual(session.usage, { input_tokens: 25247, output_tokens: 624, cache_read_tokens: 79872, cache_creation_tokens: 9216, reasoning_tokens: 128 });
		assert.equal(session.parent_session_id, null);
	});

	void it('builds the transcript from messages, tool requests and completions', () => {
		const session = Session.parse(result.sessions[0]);
		assert.deepEqual(shape(session), ['(environment)', 'u', 'a1', 't', 'a2', 't', 't', 'a1', 't', 'a0', '(command)', 'u', 'a1', 't', 'a0']);
		assertPaired(session.messages);
		assert.equal(session.messages[0].content, '[file] /home/dev/projects/inventory-api/src/server.ts');
		assert.deepEqual(calls(session).map((c) => [c.id, c.function.name]), [
			['toolu_01Hq7cV3xNwB5eJ2', 'grep'], ['toolu_01Kd2wR6yTqM9sA4', 'view'], ['toolu_01Lp5nG8zUcX3fB7', 'bash'],
			['toolu_01Mr9bH2aVdY6gC1', 'str_replace'], ['call_R7sT2uV9wX4yZ1aB', 'task'],
		]);
		assert.equal(calls(session)[0].function.arguments, '{"pattern":"TODO","path":"src","output_mode":"content","-n":true}');
		assert.deepEqual(withRole(session, 'tool').map((m) => m.is_error), [false, false, true, false, false]);
		assert.equal(withRole(session, 'tool')[2].content, 'grep: .env.example: No such file or directory\n<exited with exit code 2>');
		assert.equal(withRole(session, 'tool')[3].content, 'File /home/dev/projects/inventory-api/src/server.ts updated with changes.', 'content, not detailedContent');
		const assistants = withRole(session, 'assistant');
		assert.equal(assistants[0].reasoning, 'I should search the src folder for TODO markers before editing anything.', 'assistant.reasoning');
		assert.equal(assistants[4].reasoning, 'A code-review sub-agent can check the edit independently.', 'reasoningText');
		assert.deepEqual(assistants.map((m) => m.source_id), ['msg_01Fh2kD9', 'msg_01Jx8mP4', 'msg_01Nq3vT7', 'msg_01Pw4xJ9', 'msg_02Ab5cD6', 'msg_02Gh1iJ2']);
		// grep -n: the first user.message is line 3, the str_replace request line 14
		assert.equal(humans(session)[0].source?.line, 3);
		assert.equal(assistants[2].source?.line, 14);
		assert.equal(humans(session)[0].timestamp, '2025-11-03T09:15:20.412Z');
	});

	void it('splits the sub-agent into a child session linked to the task call', () => {
		const main = Session.parse(result.sessions[0]);
		const child = Session.parse(result.sessions[1]);
		assert.equal(child.id, `copilot-cli:${CLI_ID}:agent-3e7f1c9a`);
		assert.equal(child.parent_session_id, main.id);
		assert.equal(child.parent_tool_call_id, 'call_R7sT2uV9wX4yZ1aB');
		assert.equal(child.subagent_type, 'code-review');
		assert.deepEqual(shape(child), ['u', 'a1', 't', 'a0']);
		assertPaired(child.messages);
		assert.deepEqual(child.models, ['gpt-5']);
		assert.deepEqual(child.usage, { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0 });
		assert.equal(child.started_at, '2025-11-03T09:16:34.170Z');
		assert.equal(child.ended_at, '2025-11-03T09:16:44.377Z');
		const task = main.messages.find((m) => m.tool_call_id === 'call_R7sT2uV9wX4yZ1aB');
		assert.equal(task?.subagent_session_id, child.id);
	});

	void it('reads a legacy history-session-state document', () => {
		const legacy = parse(copilotCliImporter, CLI_LEGACY);
		const session = onlySession(legacy);
		assert.deepEqual(legacy.warnings, []);
		assert.equal(session.id, 'copilot-cli:2d4f6a8c-0e1b-4c3d-9e5f-7a9b1c3d5e7f');
		assert.deepEqual(shape(session), ['u', 'a1', 't', 'a0']);
		assertPaired(session.messages);
		assert.equal(session.started_at, '2025-09-12T14:02:11.305Z');
		assert.equal(session.ended_at, '2025-09-12T14:02:16.902Z');
		assert.equal(session.model, null);
		assert.equal(session.title, "What does this repo's build script do?");
	});
});

void describe('copilot-cli: damaged and unusual logs', () => {
	const lines = () => fs.readFileSync(CLI_EVENTS, 'utf8').split('\n');
	const parseLines = (text: string[]) => copilotCliImporter.parse([{ path: CLI_EVENTS, records: recordsOfLayout('jsonl', Buffer.from(text.join('\n'))) }]);

	void it('a torn last line (the shutdown) loses only the session totals, which fall back to output tokens', () => {
		const bytes = fs.readFileSync(CLI_EVENTS);
		const torn = copilotCliImporter.parse([{ path: CLI_EVENTS, records: recordsOfLayout('jsonl', bytes.subarray(0, bytes.length - 60)) }]);
		const full = parse(copilotCliImporter, CLI_EVENTS);
		assert.deepEqual(torn.warnings, []);
		assert.deepEqual(torn.sessions[0].messages, full.sessions[0].messages);
		// outputTokens of the 8 assistant.message events: 86+122+140+61+97+41+58+19
		assert.deepEqual(torn.sessions[0].usage, { input_tokens: 0, output_tokens: 624, cache_read_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0 });
		assert.deepEqual(torn.sessions[0].models, ['claude-sonnet-4.5', 'gpt-5']);
	});

	void it('skips an event without its envelope, keeps the rest, and reports a call left unanswered mid-session', () => {
		const text = lines();
		assert.ok(text[7].includes('"type":"tool.execution_complete"') && text[7].includes('toolu_01Hq7cV3xNwB5eJ2'));
		text.splice(7, 1, '{"type":"tool.execution_complete"}');
		const result = parseLines(text);
		assert.deepEqual(result.warnings, [
			{ file: CLI_EVENTS, line: 8, message: 'skipped 1 records without a Copilot CLI {type, data} event envelope (first shown at this line)' },
			{ file: CLI_EVENTS, line: 6, message: 'tool call toolu_01Hq7cV3xNwB5eJ2 (grep) has no result' },
		]);
		assert.equal(withRole(Session.parse(result.sessions[0]), 'tool').length, 4);
	});

	void it('ignores ephemeral events and gives a tool that started without a request its own call', () => {
		const start = lines()[0];
		const result = parseLines([
			start,
			'{"type":"user.message","data":{"content":"list files"},"id":"u1","timestamp":"2025-11-03T10:00:00.000Z","parentId":null}',
			'{"type":"assistant.message_delta","data":{"messageId":"m0","deltaContent":"Sure"},"id":"d1","timestamp":"2025-11-03T10:00:00.500Z","parentId":"u1","ephemeral":true}',
			'{"type":"tool.execution_start","data":{"toolCallId":"t1","toolName":"bash","arguments":{"command":"ls"}},"id":"s1","timestamp":"2025-11-03T10:00:01.000Z","parentId":"u1"}',
			'{"type":"tool.execution_complete","data":{"toolCallId":"t1","success":true,"result":{"content":"src\\npackage.json"}},"id":"c1","timestamp":"2025-11-03T10:00:01.200Z","parentId":"s1"}',
			'{"type":"assistant.message","data":{"messageId":"m1","content":"Two entries.","toolRequests":[]},"id":"a1","timestamp":"2025-11-03T10:00:02.000Z","parentId":"c1"}',
		]);
		const session = onlySession(result);
		assert.deepEqual(result.warnings, []);
		assert.deepEqual(shape(session), ['u', 'a1', 't', 'a0']);
		assert.deepEqual(calls(session), [{ id: 't1', type: 'function', function: { name: 'bash', arguments: '{"command":"ls"}' } }]);
		assert.equal(session.messages[1].content, '');
	});

	void it('says why a file gives no session', () => {
		assert.deepEqual(copilotCliImporter.parse([{ path: '/x/history-session-state/session_a_1.json', records: recordsOfLayout('json', Buffer.from('{"sessionId":"a"}')) }]).warnings, [
			{ file: '/x/history-session-state/session_a_1.json', line: 1, message: 'not a Copilot CLI history session (expected an object with a chatMessages array); file skipped' },
		]);
		const noEvents = copilotCliImporter.parse([{ path: '/x/session-state/abc/events.jsonl', records: recordsOfLayout('jsonl', Buffer.from('{"a":1}\n')) }]);
		assert.deepEqual(noEvents, { sessions: [], warnings: [{ file: '/x/session-state/abc/events.jsonl', message: 'no Copilot CLI events' }] });
	});
});

void describe('copilot importers: discovery', () => {
	const products = ['Code', 'Code - Insiders', 'VSCodium', 'Cursor', 'Windsurf'];
	const servers = ['.vscode-server', '.vscode-server-insiders', '.vscodium-server', '.cursor-server', '.windsurf-server'];

	void it('looks in every VS Code-family user folder for workspace and empty-window chats', () => {
		const linuxUsers = [...products.map((p) => `/home/u/.config/${p}/User`), ...servers.map((s) => `/home/u/${s}/data/User`)];
		assert.deepEqual(copilotChatImporter.defaultRoots({ home: '/home/u', env: {}, platform: 'linux' }), [
			...linuxUsers.map((u) => `${u}/workspaceStorage`), ...linuxUsers.map((u) => `${u}/globalStorage/emptyWindowChatSessions`),
		]);
		const macUsers = [...products.map((p) => `/Users/u/Library/Application Support/${p}/User`), ...servers.map((s) => `/Users/u/${s}/data/User`)];
		assert.deepEqual(copilotChatImporter.defaultRoots({ home: '/Users/u', env: {}, platform: 'darwin' }), [
			...macUsers.map((u) => `${u}/workspaceStorage`), ...macUsers.map((u) => `${u}/globalStorage/emptyWindowChatSessions`),
		]);
		const winUsers = products.map((p) => `D:\\Roaming\\${p}\\User`);
		assert.deepEqual(copilotChatImporter.defaultRoots({ home: 'C:\\Users\\u', env: { APPDATA: 'D:\\Roaming' }, platform: 'win32' }), [
			...winUsers.map((u) => `${u}\\workspaceStorage`), ...winUsers.map((u) => `${u}\\globalStorage\\emptyWindowChatSessions`),
		]);
	});

	void it('looks in $COPILOT_HOME or ~/.copilot for the CLI', () => {
		assert.deepEqual(copilotCliImporter.defaultRoots({ home: '/home/u', env: {}, platform: 'linux' }), ['/home/u/.copilot/session-state', '/home/u/.copilot/history-session-state']);
		assert.deepEqual(copilotCliImporter.defaultRoots({ home: '/Users/u', env: { COPILOT_HOME: '/data/copilot' }, platform: 'darwin' }), ['/data/copilot/session-state', '/data/copilot/history-session-state']);
		assert.deepEqual(copilotCliImporter.defaultRoots({ home: 'C:\\Users\\u', env: {}, platform: 'win32' }), ['C:\\Users\\u\\.copilot\\session-state', 'C:\\Users\\u\\.copilot\\history-session-state']);
	});

	void it('recognises their files by name', () => {
		const chat = copilotChatImporter.isSessionFile;
		assert.ok(chat('/h/.config/Code/User/workspaceStorage/abc/chatSessions/s.json'));
		assert.ok(chat('C:\\Users\\u\\AppData\\Roaming\\Code\\User\\workspaceStorage\\abc\\chatSessions\\s.jsonl'));
		assert.ok(chat('/h/.config/Code/User/globalStorage/emptyWindowChatSessions/s.json'));
		assert.ok(chat('/h/.config/Code/User/workspaceStorage/abc/workspace.json'));
		assert.ok(!chat('/h/.config/Code/User/workspaceStorage/abc/state.vscdb'));
		assert.ok(!chat('/h/projects/app/workspace.json'), 'a workspace.json not in a workspaceStorage hash folder');
		assert.ok(!chat('/h/Downloads/chat.json'), 'an export is read only when named');
		assert.ok(!chat('/h/.config/Code/User/workspaceStorage/abc/chatEditingSessions/s/state.json'));
		const cli = copilotCliImporter.isSessionFile;
		assert.ok(cli('/h/.copilot/session-state/5b8e/events.jsonl'));
		assert.ok(cli('/h/.copilot/session-state/5b8e.jsonl'));
		assert.ok(cli('C:\\Users\\u\\.copilot\\history-session-state\\session_a_1.json'));
		assert.ok(!cli('/h/.copilot/session-state/5b8e/checkpoints/index.json'));
		assert.ok(!cli('/h/.copilot/session-state/5b8e/files/notes.jsonl'));
		assert.ok(!cli('/h/.copilot/config.json'));
	});

	void it('groups a workspace with its workspace.json and keeps other files alone', () => {
		assert.equal(copilotChatImporter.groupKey(SESSION_JSON), WORKSPACE);
		assert.equal(copilotChatImporter.groupKey(WORKSPACE_JSON), WORKSPACE);
		assert.equal(copilotChatImporter.groupKey(EMPTY_WINDOW), EMPTY_WINDOW);
		assert.equal(copilotChatImporter.groupKey(CHAT), CHAT);
		assert.equal(copilotCliImporter.groupKey(CLI_EVENTS), CLI_EVENTS);
		assert.deepEqual([copilotChatImporter.layoutOf(SESSION_JSON), copilotChatImporter.layoutOf(SESSION_JSONL)], ['json', 'jsonl']);
		assert.deepEqual([copilotCliImporter.layoutOf(CLI_EVENTS), copilotCliImporter.layoutOf(CLI_LEGACY)], ['jsonl', 'json']);
		assert.deepEqual([copilotChatImporter.agent, copilotChatImporter.parserVersion, copilotCliImporter.agent, copilotCliImporter.parserVersion], ['copilot-chat', 1, 'copilot-cli', 1]);
	});

	void it('sniffs their own files, and no other agent claims them', () => {
		for (const file of [CHAT, CHAT_ERROR, CHAT_SUCCESS, IN_PROGRESS, SESSION_JSON, SESSION_JSONL, EMPTY_WINDOW]) {
			const head = readHead(file)!;
			assert.ok(copilotChatImporter.sniff(head), file);
			assert.ok(!copilotCliImporter.sniff(head), file);
		}
		for (const file of [CLI_EVENTS, CLI_LEGACY]) {
			const head = readHead(file)!;
			assert.ok(copilotCliImporter.sniff(head), file);
			assert.ok(!copilotChatImporter.sniff(head), file);
		}
		for (const file of [SESSION_JSONL, CLI_EVENTS]) {
			assert.ok(!claudeCodeImporter.sniff(readHead(file)!), `claude-code claims ${file}`);
			assert.ok(!codexImporter.sniff(readHead(file)!), `codex claims ${file}`);
		}
		assert.ok(!copilotChatImporter.sniff(readHead(WORKSPACE_JSON)!), 'workspace.json alone is no session');
		// a document longer than the head, its display names written after requests[]
		assert.ok(copilotChatImporter.sniff(headOf('/x/big.json', '{"version":3,"initialLocation":"panel","requests":[{"requestId":"request_1","message":{"text":"')));
		assert.ok(!copilotChatImporter.sniff(headOf('/x/other.json', '{"requests":[{"id":1}],"total":1}')));
		assert.ok(copilotChatImporter.sniff(valueHead({ kind: 0, v: { version: 3, sessionId: 's', requests: [] } })));
		assert.ok(!copilotChatImporter.sniff(valueHead({ kind: 1, k: ['requests'], v: [] })));
		assert.ok(!copilotCliImporter.sniff(valueHead({ type: 'user', sessionId: 's', uuid: 'u', timestamp: 't', data: {} })));
	});

	void it('does not sniff the other agents\' fixtures', () => {
		const others = walkFiles(FIXTURES, (file) => {
			const agent = path.relative(FIXTURES, file).split(path.sep)[0];
			return agent !== 'copilot-chat' && agent !== 'copilot-cli' && !file.endsWith('SOURCES.md');
		});
		assert.ok(others.length >= 20, `found ${others.length}`);
		for (const file of others) {
			const head = readHead(file)!;
			assert.ok(!copilotChatImporter.sniff(head), `copilot-chat claims ${file}`);
			assert.ok(!copilotCliImporter.sniff(head), `copilot-cli claims ${file}`);
		}
	});
});

void describe('copilot importers: through the import runner', () => {
	/** The schema trees copied to a fresh folder, plus the export files named on their own. */
	function workspace(): { root: string; exports: string[] } {
		const root = tempDir();
		fs.cpSync(CHAT_SCHEMA, path.join(root, 'chat'), { recursive: true });
		fs.cpSync(CLI_SCHEMA, path.join(root, 'cli'), { recursive: true });
		const exports = [CHAT, CHAT_ERROR, CHAT_SUCCESS, IN_PROGRESS].map((file) => {
			const copy = path.join(root, 'exports', path.basename(file));
			fs.mkdirSync(path.dirname(copy), { recursive: true });
			fs.copyFileSync(file, copy);
			return copy;
		});
		return { root, exports };
	}

	void it('imports everything once and a second run reports every session unchanged', () => {
		const { root, exports } = workspace();
		const store = TraceStore.open(path.join(root, 'store.sqlite'));
		const runner = new ImportRunner(store, [copilotChatImporter, copilotCliImporter], noHome);
		const first = runner.run({ paths: [path.join(root, 'chat'), path.join(root, 'cli'), ...exports] });
		// chat: workspace.json, .json, .jsonl, empty window; cli: events.jsonl, legacy json; 4 exports
		assert.deepEqual(first.files, { scanned: 10, read: 10, unchanged: 0, rewritten: 0 });
		assert.deepEqual([first.torn, first.malformed], [0, 0]);
		// 1 workspace session + 1 empty window + 4 exports; cli main + sub-agent + legacy
		assert.deepEqual(first.sessions, { added: 9, updated: 0, unchanged: 0 });
		assert.deepEqual(first.warnings.map((w) => path.basename(w.file)), [`${SESSION_ID}.json`]);
		const second = runner.run({ paths: [path.join(root, 'chat'), path.join(root, 'cli'), ...exports] });
		assert.deepEqual(second.files, { scanned: 10, read: 0, unchanged: 10, rewritten: 0 });
		assert.deepEqual(second.sessions, { added: 0, updated: 0, unchanged: 9 });
		const stored = store.sessions.get(`copilot-chat:${SESSION_ID}`);
		assert.equal(stored?.cwd, '/home/dev/projects/inventory-api');
		assert.equal(stored?.messages.length, 19);
		assert.equal(store.sessions.get(`copilot-cli:${CLI_ID}:agent-3e7f1c9a`)?.parent_tool_call_id, 'call_R7sT2uV9wX4yZ1aB');
		store.close();
	});

	void it('waits for a chat document being rewritten, then imports it', () => {
		const root = tempDir();
		const file = path.join(root, 'exported.json');
		const bytes = fs.readFileSync(CHAT_SUCCESS);
		fs.writeFileSync(file, bytes.subarray(0, 4000));
		const store = TraceStore.open(path.join(root, 'store.sqlite'));
		const runner = new ImportRunner(store, [copilotChatImporter, copilotCliImporter], noHome);
		const first = runner.run({ paths: [file] });
		assert.deepEqual([first.torn, first.files.read, first.sessions.added], [1, 0, 0]);
		fs.writeFileSync(file, bytes);
		const second = runner.run({ paths: [file] });
		assert.deepEqual([second.torn, second.files.read, second.sessions.added], [0, 1, 1]);
		store.close();
	});

	void it('reads a growing chat log and a growing CLI log from where they stopped', () => {
		const root = tempDir();
		const chatDir = path.join(root, 'workspaceStorage', 'abc');
		const log = path.join(chatDir, 'chatSessions', `${SESSION_ID}.jsonl`);
		const events = path.join(root, 'session-state', CLI_ID, 'events.jsonl');
		fs.mkdirSync(path.dirname(log), { recursive: true });
		fs.mkdirSync(path.dirname(events), { recursive: true });
		fs.copyFileSync(WORKSPACE_JSON, path.join(chatDir, 'workspace.json'));
		const logBytes = fs.readFileSync(SESSION_JSONL);
		const eventBytes = fs.readFileSync(CLI_EVENTS);
		// cut 30 bytes into the last line of each (repoData; session.shutdown)
		const logLast = logBytes.lastIndexOf(0x0a, logBytes.length - 2) + 1;
		const eventLast = eventBytes.lastIndexOf(0x0a, eventBytes.length - 2) + 1;
		const [logCut, eventCut] = [logLast + 30, eventLast + 30];
		fs.writeFileSync(log, logBytes.subarray(0, logCut));
		fs.writeFileSync(events, eventBytes.subarray(0, eventCut));
		const store = TraceStore.open(path.join(root, 'store.sqlite'));
		const runner = new ImportRunner(store, [copilotChatImporter, copilotCliImporter], noHome);
		const first = runner.run({ paths: [root] });
		assert.equal(first.torn, 2);
		assert.deepEqual(first.sessions, { added: 3, updated: 0, unchanged: 0 });
		assert.equal(store.sessions.get(`copilot-chat:${SESSION_ID}`)?.git_branch, null);
		assert.equal(store.sessions.get(`copilot-cli:${CLI_ID}`)?.usage.cache_read_tokens, 0);
		fs.appendFileSync(log, logBytes.subarray(logCut));
		fs.appendFileSync(events, eventBytes.subarray(eventCut));
		const second = runner.run({ paths: [root] });
		assert.equal(second.torn, 0);
		assert.equal(second.bytes, logBytes.length - logLast + eventBytes.length - eventLast, 'read on from the start of the torn line');
		assert.deepEqual(second.sessions, { added: 0, updated: 2, unchanged: 1 });
		assert.equal(store.sessions.get(`copilot-chat:${SESSION_ID}`)?.git_branch, 'feature/health');
		assert.equal(store.sessions.get(`copilot-cli:${CLI_ID}`)?.usage.cache_read_tokens, 79872);
		store.close();
	});
});
