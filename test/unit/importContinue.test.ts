/**
 * Continue importer. No real `~/.continue/sessions/*.json` was found in any public repository
 * (continuedev/continue's own tests build sessions in code), so the files under
 * continue/schema/sessions/ are schema-faithful: written from the `Session`, `ChatHistoryItem`,
 * `ChatMessage`, `ContextItemWithId`, `PromptLog`, `ToolCallState`, `Usage` and `SessionUsage`
 * types of continuedev/continue core/index.d.ts (commit d0a3c0b6, 2026-06), serialised the way
 * its HistoryManager.save writes them (JSON.stringify(session, undefined, 2), keys sessionId,
 * title, workspaceDirectory, history, then mode, chatModelTitle, usage), with the sessions.json
 * index beside them.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { continueImporter } from '../../server/src/core/capture/continueDev';
import type { ParseResult, RawFile } from '../../server/src/core/capture/importer';
import { readHead } from '../../server/src/core/importing/discover';
import { ImportRunner } from '../../server/src/core/importing/importRunner';
import { recordsOfLayout } from '../../server/src/core/importing/readers';
import { TraceStore } from '../../server/src/core/store/store';
import { Session, type Message } from '../../shared/model';
import { FIXTURES, filesUnder, noHome, tempDir, valueHead } from '../support/fixtures';

const DIR = path.join(FIXTURES, 'continue', 'schema', 'sessions');
const AGENT_ID = '3f1c7a52-6a1e-4c3e-9a6f-2f4f0c9d1b10';
const CHAT_ID = '9b2d4e61-0c5a-4f7b-8e3d-71a6c2f0e4b8';
const AGENT_FILE = path.join(DIR, `${AGENT_ID}.json`);
const CHAT_FILE = path.join(DIR, `${CHAT_ID}.json`);
const INDEX = path.join(DIR, 'sessions.json');

function rawFile(file: string, text = fs.readFileSync(file, 'utf8')): RawFile {
	return { path: file, records: recordsOfLayout('json', Buffer.from(text)) };
}

function only(result: ParseResult): Session {
	assert.equal(result.sessions.length, 1);
	return Session.parse(result.sessions[0]);
}

const shape = (messages: Message[]) => messages.map((m) => `${m.role}${m.context ? `/${m.context}` : ''}${m.tool_calls ? `+${m.tool_calls.length}` : ''}`);

void describe('continue importer: an agent-mode session with tools', () => {
	const result = continueImporter.parse([rawFile(AGENT_FILE)]);
	const session = only(result);

	void it('reads the session header', () => {
		assert.deepEqual(result.warnings, []);
		assert.equal(session.id, `continue:${AGENT_ID}`);
		assert.equal(session.agent, 'continue');
		assert.equal(session.agent_version, null);
		assert.equal(session.title, 'Validate the signup email');
		assert.equal(session.cwd, '/home/dev/shop', 'the workspace file URI as a path');
		assert.equal(session.model, 'Claude Sonnet 4');
		assert.deepEqual(session.models, ['Claude Sonnet 4']);
		assert.equal(session.started_at, null);
		assert.equal(session.ended_at, null);
		// the session's own usage: 4300 prompt tokens of which 1000 cached, 230 completion of which 30 reasoning
		assert.deepEqual(session.usage, { input_tokens: 3300, output_tokens: 230, cache_read_tokens: 1000, cache_creation_tokens: 0, reasoning_tokens: 30 });
	});

	void it('keeps attached context apart from the one-question human turns', () => {
		assert.deepEqual(shape(session.messages), [
			'user/environment', 'user/instructions', 'user', 'assistant+1', 'tool', 'assistant+1', 'tool', 'assistant', 'user', 'assistant', 'user/compaction',
		]);
		assert.equal(session.messages[0].content, "signup.ts (src/signup.ts) file:///home/dev/shop/src/signup.ts\n\n```ts src/signup.ts\nexport function signup(email: string) {\n  return createUser(email);\n}\n```");
		assert.equal(session.messages[1].content, 'Rules (Always write tests.)\n\nAlways write a test for every change.');
		assert.equal(session.messages[2].content, 'Validate the email field in signup.ts');
		assert.equal(session.messages[2].images, 1);
		assert.deepEqual(session.messages.filter((m) => m.role === 'user' && m.context === null).map((m) => m.content), ['Validate the email field in signup.ts', 'Thanks, that works.']);
		// each message points at the line its history item starts on (grep -n '^    {' "$F")
		assert.deepEqual(session.messages.map((m) => m.source?.line), [6, 6, 6, 74, 131, 139, 139, 192, 220, 227, 227]);
	});

	void it('pairs tool calls with tool messages, and falls back to toolCallStates for an errored call', () => {
		const [, , , read, readResult, edit, editResult, answer] = session.messages;
		assert.equal(read.reasoning, 'Read the file before editing it.', 'the thinking message goes to the next assistant message');
		assert.deepEqual(read.tool_calls, [{ id: 'toolu_01', type: 'function', function: { name: 'read_file', arguments: '{"filepath":"src/signup.ts"}' } }]);
		assert.deepEqual(read.usage, { input_tokens: 200, output_tokens: 40, cache_read_tokens: 1000, cache_creation_tokens: 0, reasoning_tokens: 0 });
		assert.deepEqual([readResult.tool_call_id, readResult.name, readResult.is_error], ['toolu_01', 'read_file', undefined]);
		assert.equal(readResult.content, 'export function signup(email: string) {\n  return createUser(email);\n}');
		assert.equal(edit.tool_calls?.[0].id, 'toolu_02');
		assert.deepEqual([editResult.tool_call_id, editResult.name, editResult.is_error, editResult.content], ['toolu_02', 'edit_existing_file', true, "EACCES: permission denied, open 'src/signup.ts'"]);
		assert.equal(answer.reasoning, 'The write failed; show the change instead.');
		assert.equal(answer.timestamp, '2026-01-01T00:00:03.500Z', 'reasoning endAt');
		assert.equal(answer.usage?.reasoning_tokens, 30);
		assert.equal(session.messages[10].content, 'The user asked for email validation in signup.ts; the file was read-only, so the check was shown instead of applied.');
	});
});

void describe('continue importer: a chat session still named "New Session"', () => {
	const session = only(continueImporter.parse([rawFile(CHAT_FILE)]));

	void it('titles it from the first question and takes the model from the prompt log', () => {
		assert.equal(session.id, `continue:${CHAT_ID}`);
		assert.equal(session.title, 'What is a monad, in one sentence?');
		assert.equal(session.cwd, '/home/dev/notes');
		assert.deepEqual(shape(session.messages), ['user', 'assistant']);
		assert.equal(session.messages[1].model, 'GPT-4o');
		assert.equal(session.model, 'GPT-4o');
		assert.deepEqual(session.usage, { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0 });
	});
});

void describe('continue importer: bad input', () => {
	void it('skips malformed history items with their line and imports the rest', () => {
		const file = '/c/.continue/sessions/broken.json';
		const text = JSON.stringify({
			sessionId: 'broken', title: 'Broken', workspaceDirectory: '/w',
			history: [
				{ message: { role: 'user', content: 'first' }, contextItems: [] },
				{ contextItems: [] },
				{ message: { role: 'critic', content: 'meh' }, contextItems: [] },
				{ message: { role: 'tool', content: 'orphan output' }, contextItems: [] },
				{ message: { role: 'assistant', content: 'answer' }, contextItems: [] },
			],
		}, undefined, 2);
		const result = continueImporter.parse([rawFile(file, text)]);
		assert.deepEqual(result.warnings, [
			{ file, line: 13, message: 'history item without a message {role, content} (expected a Continue ChatHistoryItem); skipped' },
			{ file, line: 16, message: 'history message with role "critic" (expected user, assistant, thinking, tool or system); skipped' },
			{ file, line: 23, message: 'tool message without toolCallId and no open tool call; dropped' },
		]);
		assert.deepEqual(only(result).messages.map((m) => m.content), ['first', 'answer']);
		const notSession = continueImporter.parse([rawFile(file, '{"sessionId":"x","history":{}}')]);
		assert.deepEqual(notSession, { sessions: [], warnings: [{ file, line: 1, message: 'expected a Continue session ({sessionId, title, workspaceDirectory, history: [...]}); skipped' }] });
	});

	void it('waits for a session file caught mid-write, through the runner', () => {
		const root = tempDir();
		fs.mkdirSync(path.join(root, 'sessions'));
		const file = path.join(root, 'sessions', `${AGENT_ID}.json`);
		const whole = fs.readFileSync(AGENT_FILE, 'utf8');
		fs.writeFileSync(file, whole.slice(0, 2000));
		const store = TraceStore.open(path.join(root, 'store.sqlite'));
		const runner = new ImportRunner(store, [continueImporter], noHome);
		const first = runner.run({ paths: [root] });
		assert.equal(first.torn, 1);
		assert.deepEqual(first.sessions, { added: 0, updated: 0, unchanged: 0 });
		fs.writeFileSync(file, whole);
		const second = runner.run({ paths: [root] });
		assert.equal(second.torn, 0);
		assert.deepEqual(second.sessions, { added: 1, updated: 0, unchanged: 0 });
		store.close();
	});
});

void describe('continue importer: through the import runner', () => {
	void it('imports the sessions folder, not its index, and a second run changes nothing', () => {
		const root = tempDir();
		fs.cpSync(DIR, path.join(root, 'sessions'), { recursive: true });
		const store = TraceStore.open(path.join(root, 'store.sqlite'));
		const runner = new ImportRunner(store, [continueImporter], noHome);
		const first = runner.run({ paths: [root] });
		assert.deepEqual(first.files, { scanned: 2, read: 2, unchanged: 0, rewritten: 0 });
		assert.deepEqual(first.sessions, { added: 2, updated: 0, unchanged: 0 });
		assert.equal(first.messages, 11 + 2);
		assert.deepEqual(first.warnings, []);
		const second = runner.run({ paths: [root] });
		assert.deepEqual(second.files, { scanned: 2, read: 0, unchanged: 2, rewritten: 0 });
		assert.deepEqual(second.sessions, { added: 0, updated: 0, unchanged: 2 });
		// Continue rewrites the whole file on each change: the same bytes again are no change.
		fs.writeFileSync(path.join(root, 'sessions', `${CHAT_ID}.json`), fs.readFileSync(CHAT_FILE));
		const third = runner.run({ paths: [root] });
		assert.deepEqual(third.sessions, { added: 0, updated: 0, unchanged: 2 });
		store.close();
	});
});

void describe('continue importer: where and what', () => {
	void it('looks in ~/.continue/sessions, or CONTINUE_GLOBAL_DIR/sessions', () => {
		assert.deepEqual(continueImporter.defaultRoots({ home: '/home/u', env: {}, platform: 'linux' }), ['/home/u/.continue/sessions']);
		assert.deepEqual(continueImporter.defaultRoots({ home: '/Users/u', env: {}, platform: 'darwin' }), ['/Users/u/.continue/sessions']);
		assert.deepEqual(continueImporter.defaultRoots({ home: 'C:\\Users\\u', env: {}, platform: 'win32' }), ['C:\\Users\\u\\.continue\\sessions']);
		assert.deepEqual(continueImporter.defaultRoots({ home: '/home/u', env: { CONTINUE_GLOBAL_DIR: '/opt/continue' }, platform: 'linux' }), ['/opt/continue/sessions']);
	});

	void it('takes <id>.json in a sessions folder, never the sessions.json index', () => {
		assert.equal(continueImporter.isSessionFile(AGENT_FILE), true);
		assert.equal(continueImporter.isSessionFile('C:\\Users\\u\\.continue\\sessions\\abc.json'), true);
		assert.equal(continueImporter.isSessionFile(INDEX), false);
		assert.equal(continueImporter.isSessionFile('/home/u/.continue/config.json'), false);
		assert.equal(continueImporter.layoutOf(AGENT_FILE), 'json');
		assert.equal(continueImporter.groupKey(AGENT_FILE), AGENT_FILE);
	});

	void it('sniffs Continue session documents and no other agent fixture', () => {
		assert.equal(continueImporter.sniff(readHead(AGENT_FILE)!), true);
		assert.equal(continueImporter.sniff(readHead(CHAT_FILE)!), true);
		assert.equal(continueImporter.sniff(valueHead({ sessionId: 'x', title: 't', workspaceDirectory: '', history: [] })), true, 'compact JSON');
		assert.equal(continueImporter.sniff(readHead(INDEX)!), false, 'the index is an array');
		assert.equal(continueImporter.sniff(valueHead({ sessionId: 'x', type: 'user' })), false, 'a Claude Code record');
		const others = filesUnder(FIXTURES, '').filter((f) => !f.startsWith(path.join(FIXTURES, 'continue')) && !f.endsWith('.md'));
		assert.ok(others.length >= 20);
		for (const file of others) {
			assert.equal(continueImporter.sniff(readHead(file)!), false, file);
		}
	});
});
