/**
 * Preference pairs mined from sessions: repairs, rejections and rollouts.
 *
 * Sessions are real fixture logs with records appended in the agent's own format (Claude Code
 * tool_use / tool_result records, Codex response items), imported again by the real importers,
 * then reduced to chat by toChat as the export does; rollouts use real Claude Code logs re-homed
 * as new sessions (liveSession.mjs). The miners also run over every real fixture session.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Session } from '../../shared/model';
import type { SplitName } from '../../shared/quality';
import { claudeCodeImporter } from '../../server/src/core/capture/claudeCode';
import { codexImporter } from '../../server/src/core/capture/codex';
import { emptyFixes, toChat, type ChatMessage } from '../../server/src/core/export/chatSample';
import { mineSessionPairs, rolloutKeyOf, rolloutPair, rolloutPlan, type PreferencePair, type RolloutKey } from '../../server/src/core/export/preference';
import { recordsOf } from '../../server/src/core/importing/lines';
import { FIXTURES, tempDir } from '../support/fixtures';
import { fixtureSessions } from '../support/fixtureSessions';
import { writeLiveSession } from '../support/liveSession.mjs';
import { CLAUDE_FILE, ClaudeLog, FAIL_OUTPUT, NOT_FOUND, PASS_OUTPUT } from '../support/claudeLog';

// ---- Sessions in the agents' own formats ----

const CLAUDE_ID = 'claude-code:4c2ddfdc-b619-4525-8d03-1950fb1b0257';
const CODEX_FILE = path.join(FIXTURES, 'codex', 'madshn-localpush', 'rollout-2026-02-23T20-34-25-019c8bfe-ec25-79e0-97d7-bda6a9c575ff.jsonl');

type CodexRecord = { type: 'response_item' | 'event_msg'; payload: Record<string, unknown> };

/** A real Codex rollout with records appended. */
function codexWith(records: CodexRecord[]): Session {
	const text = fs.readFileSync(CODEX_FILE, 'utf8').trimEnd();
	let clock = Date.parse('2026-03-01T00:00:00.000Z');
	const appended = records.map((record) => JSON.stringify({ timestamp: new Date(clock += 1000).toISOString(), ...record }));
	const result = codexImporter.parse([{ path: CODEX_FILE, records: recordsOf(Buffer.from([text, ...appended].join('\n') + '\n')) }]);
	return Session.parse(result.sessions[0]);
}

const item = (payload: Record<string, unknown>): CodexRecord => ({ type: 'response_item', payload });
/** A typed turn is in the model stream and, as the UI showed it, an event: both make it a human turn. */
const codexUser = (text: string): CodexRecord[] => [
	item({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] }),
	{ type: 'event_msg', payload: { type: 'user_message', message: text, images: [], local_images: [], text_elements: [] } },
];
const execCall = (id: string, cmd: string) => item({ type: 'function_call', name: 'exec_command', arguments: JSON.stringify({ cmd, yield_time_ms: 10000 }), call_id: id });
const execOutput = (id: string, exit: number, output: string) => item({ type: 'function_call_output', call_id: id, output: `Chunk ID: 1a2b\nWall time: 2.0 seconds\nProcess exited with code ${exit}\nOriginal token count: 40\nOutput:\n${output}` });
const agentText = (text: string) => item({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] });

// ---- Mining as the export does ----

function chatOf(session: Session): NonNullable<ReturnType<typeof toChat>> {
	const chat = toChat(session, 'all', emptyFixes());
	assert.ok(chat, `${session.id} has no chat`);
	return chat;
}

function mine(session: Session, split: SplitName = 'train'): PreferencePair[] {
	const chat = chatOf(session);
	const pairs = mineSessionPairs(session, chat.messages, chat.tools, split);
	pairs.forEach((pair) => assert.deepEqual(problemsOf(pair), [], pair.id));
	return pairs;
}

/** The session index of the assistant message that made a call. */
function callIndex(session: Session, callId: string): number {
	return session.messages.findIndex((m) => m.tool_calls?.some((c) => c.id === callId));
}

/** The chat index of a user message. */
function chatIndex(messages: readonly ChatMessage[], text: string): number {
	return messages.findIndex((m) => m.role === 'user' && m.content === text);
}

/** One side as [tool, arguments] per call: the calls, never the text. */
function callsOf(side: readonly ChatMessage[]): Array<[string, string]> {
	return side.flatMap((m) => (m.role === 'assistant' ? m.toolCalls.map((c): [string, string] => [c.name, c.arguments]) : []));
}

/** Everything a pair promises (pair.ts), as a list of broken promises. */
function problemsOf(pair: PreferencePair): string[] {
	const problems: string[] = [];
	const last = pair.prompt.at(-1)?.role;
	if (last !== 'user' && last !== 'tool') problems.push(`prompt ends on ${last}`);
	if (!pair.prompt.some((m) => m.role === 'user')) problems.push('prompt has no user message');
	const answered = new Set(pair.prompt.flatMap((m) => (m.role === 'tool' ? [m.toolCallId] : [])));
	const called = pair.prompt.flatMap((m) => (m.role === 'assistant' ? m.toolCalls.map((c) => c.id) : []));
	if (called.some((id) => !answered.has(id)) || answered.size !== called.length) problems.push('prompt calls and results do not match');
	for (const [name, side] of [['chosen', pair.chosen], ['rejected', pair.rejected]] as const) {
		if (side.length === 0 || side[0].role !== 'assistant') problems.push(`${name} does not start with an assistant message`);
		if (pair.kind !== 'rollout' && (side.length !== 1 || side[0].role !== 'assistant' || side[0].toolCalls.length === 0)) problems.push(`${name} is not one assistant message with calls`);
	}
	if (JSON.stringify(callsOf(pair.chosen)) === JSON.stringify(callsOf(pair.rejected)) && pair.kind !== 'rollout') problems.push('chosen and rejected make the same calls');
	const used = new Set([...pair.prompt, ...pair.chosen, ...pair.rejected].flatMap((m) => (m.role === 'assistant' ? m.toolCalls.map((c) => c.name) : [])));
	if (JSON.stringify(pair.tools.map((t) => t.name)) !== JSON.stringify([...used].sort())) problems.push('tools are not the sorted set of tools used');
	const idShape = pair.kind === 'rollout' ? `rollout:${pair.sessionIds[0]}:${pair.sessionIds[1]}` : new RegExp(`^${pair.kind}:${pair.sessionIds[0]}:\\d+$`);
	if (typeof idShape === 'string' ? pair.id !== idShape : !idShape.test(pair.id)) problems.push(`id ${pair.id}`);
	if (pair.kind !== 'rollout' && pair.margin !== 1) problems.push(`margin ${pair.margin}`);
	if (!(pair.margin > 0) || pair.why.length === 0) problems.push('no margin or no why');
	return problems;
}

// ---- Repairs ----

void describe('repair pairs', () => {
	void it('pairs a failed pytest run with the corrected command that passed next, the prompt ending on the user turn', () => {
		const session = new ClaudeLog().user('make the login test pass')
			.bash('pytest -q tests/test_api.py', NOT_FOUND, 4, 'Running the login test.')
			.bash('pytest -q api/tests/test_api.py', PASS_OUTPUT, 0, 'The tests live under api/; running them there.')
			.say('The login test passes.').session();
		const { messages } = chatOf(session);
		const pairs = mine(session);
		assert.equal(pairs.length, 1);
		const [pair] = pairs;
		assert.equal(pair.id, `repair:${CLAUDE_ID}:${callIndex(session, 'toolu_pp_1')}`);
		assert.deepEqual(pair.prompt, messages.slice(0, chatIndex(messages, 'make the login test pass') + 1));
		// The text of both messages is left out: the retry's narrates the failure the prompt never showed.
		assert.deepEqual(pair.chosen, [{ role: 'assistant', content: '', train: true, toolCalls: [{ id: 'toolu_pp_2', name: 'Bash', arguments: JSON.stringify({ command: 'pytest -q api/tests/test_api.py', description: 'Run the tests' }), args: { command: 'pytest -q api/tests/test_api.py', description: 'Run the tests' } }] }]);
		assert.deepEqual(callsOf(pair.rejected), [['Bash', JSON.stringify({ command: 'pytest -q tests/test_api.py', description: 'Run the tests' })]]);
		assert.deepEqual(pair.tools.map((t) => t.name), ['Bash', 'Edit', 'Read', 'Write']); // the base log's calls are in the prompt
		assert.equal(pair.split, 'train');
		assert.equal(pair.why, '`pytest -q tests/test_api.py` failed (exit code 4); the retry `pytest -q api/tests/test_api.py`, with nothing else changed, passed (summary "3 passed in 0.29s").');
	});

	void it('ends the prompt on the last tool result before the failed run', () => {
		const session = new ClaudeLog().user('make the login test pass')
			.call('Read', { file_path: '/tmp/private/api/auth.py' }, '1\tdef login(): ...')
			.bash('pytest -q tests/test_api.py', NOT_FOUND, 4)
			.call('Glob', { pattern: '**/test_api.py' }, '/tmp/private/api/tests/test_api.py')
			.bash('pytest -q api/tests/test_api.py', PASS_OUTPUT)
			.say('Done.').session();
		const { messages } = chatOf(session);
		const [pair, ...rest] = mine(session);
		assert.equal(rest.length, 0);
		assert.deepEqual(pair.prompt, messages.slice(0, messages.findIndex((m) => m.role === 'tool' && m.toolCallId === 'toolu_pp_1') + 1));
		assert.deepEqual(pair.prompt.at(-1), { role: 'tool', content: '1\tdef login(): ...', toolCallId: 'toolu_pp_1', name: 'Read' });
		assert.deepEqual(callsOf(pair.chosen).map(([, args]) => JSON.parse(args).command), ['pytest -q api/tests/test_api.py']);
	});

	void it('makes no pair when the same test command passes after an edit: the fix, not the call, changed', () => {
		const session = new ClaudeLog().user('make the login test pass')
			.bash('cd api && pytest -q', FAIL_OUTPUT, 1)
			.edit('/tmp/private/api/auth.py', 'a')
			.bash('cd api && pytest -q', PASS_OUTPUT)
			.say('Fixed.').session();
		assert.deepEqual(mine(session), []);
	});

	void it('makes no pair when a different invocation of the failed runner passes after an edit', () => {
		const session = new ClaudeLog().user('make the login test pass')
			.bash('cd api && pytest -q', FAIL_OUTPUT, 1)
			.edit('/tmp/private/api/auth.py', 'a')
			.bash('cd api && pytest -q tests/test_api.py::test_login', PASS_OUTPUT)
			.say('Fixed.').session();
		assert.deepEqual(mine(session), []);
	});

	void it('pairs an Edit that failed with the later Edit of the same file that succeeded, a Read between', () => {
		const session = new ClaudeLog().user('rename the greeting in hello.py')
			.editError('/tmp/private/hello.py', 'print("hello")')
			.call('Read', { file_path: '/tmp/private/hello.py' }, '1\tprint("Hello, World!")')
			.edit('/tmp/private/hello.py', 'print("Hello, World!")')
			.say('Renamed.').session();
		const { messages } = chatOf(session);
		const [pair, ...rest] = mine(session);
		assert.equal(rest.length, 0);
		assert.equal(pair.id, `repair:${CLAUDE_ID}:${callIndex(session, 'toolu_pp_1')}`);
		assert.deepEqual(pair.prompt, messages.slice(0, chatIndex(messages, 'rename the greeting in hello.py') + 1));
		assert.deepEqual(callsOf(pair.rejected), [['Edit', JSON.stringify({ file_path: '/tmp/private/hello.py', old_string: 'print("hello")', new_string: 'fixed' })]]);
		assert.deepEqual(callsOf(pair.chosen), [['Edit', JSON.stringify({ file_path: '/tmp/private/hello.py', old_string: 'print("Hello, World!")', new_string: 'fixed' })]]);
		assert.deepEqual(pair.tools.map((t) => t.name), ['Bash', 'Edit', 'Read', 'Write']);
		assert.deepEqual(pair.tools.find((t) => t.name === 'Edit')?.parameters, { type: 'object', properties: { file_path: { type: 'string' }, new_string: { type: 'string' }, old_string: { type: 'string' } } });
		assert.equal(pair.why, 'Edit on /tmp/private/hello.py failed ("<tool_use_error>String to replace not found in file. String: print("hello")</tool_use_error>"); the retry with other arguments succeeded.');
	});

	void it('makes no pair for the very same Edit retried once the file was read', () => {
		const edit = { file_path: '/tmp/private/hello.py', old_string: 'a', new_string: 'b' };
		const session = new ClaudeLog().user('rename the greeting in hello.py')
			.call('Edit', edit, '<tool_use_error>File has not been read yet. Read it first before writing to it.</tool_use_error>', { error: true })
			.call('Read', { file_path: '/tmp/private/hello.py' }, '1\ta')
			.call('Edit', edit, 'The file /tmp/private/hello.py has been updated.')
			.say('Renamed.').session();
		assert.deepEqual(mine(session), []);
	});

	void it('makes no pair when a different command succeeds after a failed one', () => {
		const session = new ClaudeLog().user('make the login test pass')
			.bash('pytest -q tests/test_api.py', FAIL_OUTPUT, 1)
			.bash('npm test', 'Tests:       4 passed, 4 total')
			.bash('ls missing', 'ls: missing: No such file or directory', 2)
			.bash('ls', 'api\nhello.py')
			.say('Done.').session();
		assert.deepEqual(mine(session), []);
	});

	void it('never pairs across a user turn', () => {
		const session = new ClaudeLog().user('rename the greeting in hello.py')
			.editError('/tmp/private/hello.py', 'print("hello")')
			.say('The text is not in the file.')
			.user('use the capitalised one')
			.edit('/tmp/private/hello.py', 'print("Hello, World!")')
			.say('Renamed.').session();
		assert.deepEqual(mine(session), []);
	});

	void it('reads a Codex exec_command exit code and pairs the corrected run', () => {
		const session = codexWith([
			...codexUser('run the api tests'),
			execCall('e1', 'pytest -q tests/test_api.py'), execOutput('e1', 4, NOT_FOUND),
			execCall('e2', 'pytest -q api/tests/test_api.py'), execOutput('e2', 0, PASS_OUTPUT),
			agentText('They pass.'),
		]);
		const { messages } = chatOf(session);
		const [pair, ...rest] = mine(session, 'validation');
		assert.equal(rest.length, 0);
		assert.equal(pair.id, `repair:${session.id}:${callIndex(session, 'e1')}`);
		assert.equal(pair.split, 'validation');
		assert.deepEqual(pair.prompt, messages.slice(0, chatIndex(messages, 'run the api tests') + 1));
		assert.deepEqual(callsOf(pair.chosen), [['exec_command', JSON.stringify({ cmd: 'pytest -q api/tests/test_api.py', yield_time_ms: 10000 })]]);
		assert.equal(pair.why, '`pytest -q tests/test_api.py` failed (exit code 4); the retry `pytest -q api/tests/test_api.py`, with nothing else changed, passed (exit code 0, summary "3 passed in 0.29s").');
	});
});

// ---- Rejections ----

void describe('rejection pairs', () => {
	void it('pairs a rejected call with the accepted alternative that followed', () => {
		const session = new ClaudeLog().user('clean the build output')
			.reject('Bash', { command: 'rm -rf build', description: 'Remove build' }, 'use make clean')
			.bash('make clean', 'rm -rf build', 0, 'Using make clean as asked.')
			.say('Cleaned.').session();
		const { messages } = chatOf(session);
		const [pair, ...rest] = mine(session);
		assert.equal(rest.length, 0);
		assert.equal(pair.id, `rejection:${CLAUDE_ID}:${callIndex(session, 'toolu_pp_1')}`);
		assert.equal(pair.kind, 'rejection');
		assert.deepEqual(pair.prompt, messages.slice(0, chatIndex(messages, 'clean the build output') + 1));
		assert.deepEqual(callsOf(pair.rejected), [['Bash', JSON.stringify({ command: 'rm -rf build', description: 'Remove build' })]]);
		assert.deepEqual(callsOf(pair.chosen), [['Bash', JSON.stringify({ command: 'make clean', description: 'Run the tests' })]]);
		assert.equal(pair.chosen[0].content, '');
		assert.equal(pair.why, 'The user rejected Bash `rm -rf build` and said "use make clean", then let Bash `make clean` run instead.');
	});

	void it('skips a second rejected proposal and pairs with the accepted one', () => {
		const session = new ClaudeLog().user('clean the build output')
			.reject('Bash', { command: 'rm -rf build', description: 'Remove build' }, 'not rm')
			.reject('Bash', { command: 'git clean -fdx', description: 'Clean' }, 'use make')
			.bash('make clean', 'ok')
			.say('Cleaned.').session();
		const pairs = mine(session);
		assert.deepEqual(pairs.map((p) => [p.id, callsOf(p.rejected)[0][1], callsOf(p.chosen)[0][1]]), [
			[`rejection:${CLAUDE_ID}:${callIndex(session, 'toolu_pp_1')}`, JSON.stringify({ command: 'rm -rf build', description: 'Remove build' }), JSON.stringify({ command: 'make clean', description: 'Run the tests' })],
			[`rejection:${CLAUDE_ID}:${callIndex(session, 'toolu_pp_2')}`, JSON.stringify({ command: 'git clean -fdx', description: 'Clean' }), JSON.stringify({ command: 'make clean', description: 'Run the tests' })],
		]);
		// The second prompt holds the first rejection.
		assert.equal(pairs[1].prompt.at(-1)?.role, 'tool');
	});

	void it('makes no pair when the user speaks before the next accepted call', () => {
		const session = new ClaudeLog().user('clean the build output')
			.reject('Bash', { command: 'rm -rf build', description: 'Remove build' })
			.user('list the files instead')
			.bash('ls', 'build\nhello.py')
			.say('Here they are.').session();
		assert.deepEqual(mine(session), []);
	});
});

// ---- Rollouts ----

/** Real Claude Code logs re-homed as new sessions of one workspace, each with its own last exchange. */
function liveSession(workspace: string, answer: string): Session {
	const projectsDir = tempDir('tracemint-pairs-');
	const { file } = writeLiveSession({ source: CLAUDE_FILE, workspace, projectsDir, prompt: 'thanks, anything else?', answer, now: Date.parse('2026-03-01T00:00:00Z') });
	const result = claudeCodeImporter.parse([{ path: file, records: recordsOf(fs.readFileSync(file)) }]);
	return Session.parse(result.sessions[0]);
}

function keyOf(session: Session, reward: number, split: SplitName = 'train'): RolloutKey {
	const key = rolloutKeyOf(session, chatOf(session).messages, reward, split);
	assert.ok(key);
	return key;
}

void describe('rollout pairs', () => {
	void it('pairs the best session against each one at least the margin below, and builds the pair from both chats', () => {
		const [best, worst, close] = ['best', 'worst', 'close'].map((answer) => liveSession('/srv/repo-a', answer));
		const keys = [keyOf(best, 0.9), keyOf(worst, 0.5), keyOf(close, 0.85)];
		const plan = rolloutPlan(keys, 0.1);
		assert.deepEqual(plan.map((s) => [s.chosen.sessionId, s.rejected.sessionId, s.margin]), [[best.id, worst.id, 0.4]]);
		const chosenChat = chatOf(best);
		const rejectedChat = chatOf(worst);
		const pair = rolloutPair(plan[0], chosenChat.messages, rejectedChat.messages, chosenChat.tools, rejectedChat.tools);
		assert.deepEqual(problemsOf(pair), []);
		assert.equal(pair.id, `rollout:${best.id}:${worst.id}`);
		assert.deepEqual(pair.sessionIds, [best.id, worst.id]);
		assert.deepEqual(pair.prompt, [{ role: 'user', content: 'create hello.py, md and js' }]);
		// Each side is the agent's run up to the next user turn: a completion never holds the person's words.
		const run = (messages: readonly ChatMessage[]) => messages.slice(1, messages.findIndex((m, i) => i > 0 && m.role === 'user'));
		assert.deepEqual(pair.chosen, run(chosenChat.messages));
		assert.deepEqual(pair.rejected, run(rejectedChat.messages));
		assert.ok(pair.chosen.length > 0 && pair.chosen.every((m) => m.role !== 'user'));
		assert.equal(pair.margin, 0.4);
		assert.equal(pair.split, 'train');
		assert.deepEqual(pair.tools.map((t) => t.name), ['Write']); // the first run only writes the three files
		assert.equal(pair.why, `Both sessions take on the same first prompt in the same repository; ${best.id} scored reward 0.90 and ${worst.id} 0.50, a margin of 0.40.`);
		// 0.9 against 0.85 clears a margin of 0.05; 0.9 - 0.8 is the 0.1 it looks like.
		assert.equal(rolloutPlan(keys, 0.05).length, 2);
		assert.equal(rolloutPlan([keyOf(best, 0.9), keyOf(worst, 0.8)], 0.1).length, 1);
	});

	void it('makes none across repositories, across splits, or between equal rewards', () => {
		const a = liveSession('/srv/repo-a', 'a');
		const b = liveSession('/srv/repo-b', 'b');
		assert.deepEqual(rolloutPlan([keyOf(a, 0.9), keyOf(b, 0.2)], 0.1), []);
		const c = liveSession('/srv/repo-a', 'c');
		assert.deepEqual(rolloutPlan([keyOf(a, 0.9, 'train'), keyOf(c, 0.2, 'test')], 0.1), []);
		assert.deepEqual(rolloutPlan([keyOf(a, 0.5), keyOf(c, 0.5)], 0), []);
	});

	void it('takes near-identical long prompts as one task and short ones only when equal after normalisation', () => {
		const words = Array.from({ length: 120 }, (_, i) => `word${i}`).join(' ');
		const session = (id: string, prompt: string): Session => Session.parse({
			schema_version: 1, id, agent: 'claude-code', agent_version: null, parser_version: 1, title: null, source_files: ['x.jsonl'],
			cwd: '/srv/repo-a', git_branch: null, git_commit: null, repository_url: null, model: null, models: [], started_at: null, ended_at: null,
			usage: { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0 },
			parent_session_id: null, parent_tool_call_id: null, subagent_type: null,
			messages: [{ role: 'user', content: prompt, context: null }, { role: 'assistant', content: `answer ${id}`, context: null }],
		});
		const key = (s: Session, reward: number) => rolloutKeyOf(s, toChat(s, 'all', emptyFixes())!.messages, reward, 'train')!;
		const pairs = (x: string, y: string) => rolloutPlan([key(session('s:1', x), 0.9), key(session('s:2', y), 0.1)]).length;
		assert.equal(pairs(`${words} end`, `${words} finish`), 1);
		assert.equal(pairs('fix the login test', 'fix the logout test'), 0);
		assert.equal(pairs('Fix the test in /tmp/tmp.abc123/app', 'fix  the test in /tmp/tmp.zz9/app'), 1);
	});
});

// ---- The real fixture sessions ----

void describe('pairs over the real fixture sessions', () => {
	const sessions = fixtureSessions();

	void it('finds no repair or rejection pair in them, exactly', () => {
		// The three rejections there are followed by a new user turn or by nothing; the one tool error (TaskOutput) is never retried.
		const pairs = sessions.flatMap((s) => (toChat(s, 'all', emptyFixes()) ? mine(s) : []));
		assert.deepEqual(pairs, []);
	});

	void it('groups the real subagent sessions that got the same prompt, and builds well-formed pairs from them', () => {
		const chats = new Map(sessions.map((s) => [s.id, toChat(s, 'all', emptyFixes())]));
		const withChat = sessions.filter((s) => chats.get(s.id));
		// A distinct reward per session (its rank by id), so that every group of the same task yields pairs.
		const ids = withChat.map((s) => s.id).sort();
		const keys = withChat.flatMap((s) => rolloutKeyOf(s, chats.get(s.id)!.messages, 1 - ids.indexOf(s.id) / ids.length, 'train') ?? []);
		assert.equal(keys.length, withChat.length);
		const plan = rolloutPlan(keys, 0);
		// The two "Warmup" sidechains, the two green-curry and the two yellow-curry poem agents (relaunched).
		assert.deepEqual(plan.map((s) => [s.chosen.sessionId, s.rejected.sessionId]), [
			['claude-code:0ccf1a04-1b4c-43b6-8aa5-79e41db43a68:a5bdbc1', 'claude-code:0ccf1a04-1b4c-43b6-8aa5-79e41db43a68:aa5ef13'],
			['claude-code:0ccf1a04-1b4c-43b6-8aa5-79e41db43a68:a9cad17', 'claude-code:0ccf1a04-1b4c-43b6-8aa5-79e41db43a68:afbbf75'],
			['claude-code:4c2ddfdc-b619-4525-8d03-1950fb1b0257:36541525', 'claude-code:4c2ddfdc-b619-4525-8d03-1950fb1b0257:50243ee8'],
		]);
		for (const step of plan) {
			const chosen = chats.get(step.chosen.sessionId)!;
			const rejected = chats.get(step.rejected.sessionId)!;
			const pair = rolloutPair(step, chosen.messages, rejected.messages, chosen.tools, rejected.tools);
			assert.deepEqual(problemsOf(pair), [], pair.id);
			assert.deepEqual(pair.prompt.map((m) => m.role), ['user']);
		}
		// With the rewards the scorer gives them (all equal within each group) there is nothing to prefer.
		assert.equal(rolloutPlan(keys.map((k) => ({ ...k, reward: 0.29 }))).length, 0);
	});
});
