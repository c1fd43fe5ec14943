/**
 * The reward scorer on real sessions and on sessions built for one rule each.
 *
 * Real: every Claude Code and Codex fixture through the importers; and real fixture files with
 * records appended in the agent's own format (a Claude Code Bash call whose result starts
 * "Exit code 1", a Codex `shell` call whose output is the JSON envelope with `exit_code`, a Codex
 * `exec_command` whose output header says "Process exited with code 1"), imported again, so the
 * importer and the scorer are tested together. Built: a small `Trace` helper below.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { emptyUsage, Session, type ContextKind, type MessageInput } from '../../shared/model';
import { defaultRewardConfig, type RewardComponent, type SessionScore } from '../../shared/quality';
import { claudeCodeImporter } from '../../server/src/core/capture/claudeCode';
import { codexImporter } from '../../server/src/core/capture/codex';
import { recordsOf } from '../../server/src/core/importing/lines';
import { REWARD_FORMULA_VERSION, resolveRewardConfig, scoreSession, sessionFacts } from '../../server/src/core/reward';
import { FIXTURES } from '../support/fixtures';
import { fixtureSessions } from '../support/fixtureSessions';

// ---- Building sessions ----

/** A session built message by message; tool calls get their result right after them. */
class Trace {
	private readonly messages: MessageInput[] = [];
	private calls = 0;

	user(content: string, context: ContextKind | null = null): this {
		this.messages.push({ role: 'user', content, context });
		return this;
	}

	say(content: string): this {
		this.messages.push({ role: 'assistant', content, context: null });
		return this;
	}

	/** One call and its result; `isError` as the importer sets it. */
	tool(name: string, args: unknown, result: string, isError?: boolean, extra: Partial<MessageInput> = {}): this {
		const id = `call_${++this.calls}`;
		this.messages.push({ role: 'assistant', content: '', context: null, tool_calls: [{ id, type: 'function', function: { name, arguments: JSON.stringify(args) } }] });
		this.messages.push({ role: 'tool', content: result, tool_call_id: id, name, context: null, ...(isError === undefined ? {} : { is_error: isError }), ...extra });
		return this;
	}

	/** A Claude Code Bash call: a failure's result starts "Exit code N" and is flagged; success carries no code. */
	bash(command: string, output: string, exit = 0): this {
		return this.tool('Bash', { command, description: 'run' }, exit === 0 ? output : `Exit code ${exit}\n${output}`, exit === 0 ? undefined : true);
	}

	rejected(name: string, args: unknown, feedback?: string): this {
		const text = "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). "
			+ (feedback === undefined ? 'STOP what you are doing and wait for the user to tell you how to proceed.' : `To tell you how to proceed, the user said:\n${feedback}`);
		return this.tool(name, args, text, true);
	}

	session(id = 'claude-code:test'): Session {
		return Session.parse({
			schema_version: 1, id, agent: 'claude-code', agent_version: null, parser_version: 1, title: null, source_files: ['test.jsonl'],
			cwd: null, git_branch: null, git_commit: null, repository_url: null, model: null, models: [], started_at: null, ended_at: null,
			usage: emptyUsage(), parent_session_id: null, parent_tool_call_id: null, subagent_type: null, messages: this.messages,
		});
	}
}

const FAIL_OUTPUT = 'F..\n=================================== FAILURES ===================================\nFAILED tests/test_api.py::test_login - AssertionError\n========================= 1 failed, 2 passed in 0.31s ==========================';
const PASS_OUTPUT = '...\n3 passed in 0.29s';

function component(score: SessionScore, id: RewardComponent['id']): RewardComponent {
	const found = score.components.find((c) => c.id === id);
	assert.ok(found, `no ${id} component`);
	return found;
}

/** Fixes a pytest session: fails, fixes, passes. */
function passAfterFail(): Trace {
	return new Trace().user('make the login test pass')
		.bash('cd api && pytest -q', FAIL_OUTPUT, 1)
		.tool('Edit', { file_path: 'api/auth.py', old_string: 'a', new_string: 'b' }, 'The file api/auth.py has been updated.')
		.bash('cd api && pytest -q', PASS_OUTPUT)
		.say('Fixed: the login test passes now.');
}

/** Tries twice, still failing at the end. */
function endsFailing(): Trace {
	return new Trace().user('make the login test pass')
		.bash('cd api && pytest -q', FAIL_OUTPUT, 1)
		.tool('Edit', { file_path: 'api/auth.py', old_string: 'a', new_string: 'b' }, 'The file api/auth.py has been updated.')
		.bash('cd api && pytest -q', FAIL_OUTPUT, 1)
		.say('The login test still fails.');
}

// ---- Real fixtures ----

const CLAUDE_FILE = path.join(FIXTURES, 'claude-code', 'codemie-code', '-tmp-private', '4c2ddfdc-b619-4525-8d03-1950fb1b0257.jsonl');
const CODEX_SHELL_FILE = path.join(FIXTURES, 'codex', 'codemie-code', 'rollout-2026-01-02T18-39-45-019b7f94-51b4-7593-922e-ba12b5b73b52.jsonl');
const CODEX_EXEC_FILE = path.join(FIXTURES, 'codex', 'madshn-localpush', 'rollout-2026-02-23T20-34-25-019c8bfe-ec25-79e0-97d7-bda6a9c575ff.jsonl');

interface Step { command: string; output: string; exit: number }

/** The real Claude Code file with Bash calls appended as Claude Code writes them, chained to its last record. */
function claudeFixtureWith(steps: Step[], finalText: string): Session {
	const lines = fs.readFileSync(CLAUDE_FILE, 'utf8').trimEnd().split('\n');
	const last = JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
	const common = { isSidechain: false, userType: 'external', cwd: last.cwd, sessionId: last.sessionId, version: last.version, gitBranch: last.gitBranch };
	let parent = last.uuid as string;
	let clock = Date.parse(last.timestamp as string);
	const add = (record: Record<string, unknown>): void => {
		const uuid = `00000000-0000-4000-8000-${String(lines.length).padStart(12, '0')}`;
		lines.push(JSON.stringify({ parentUuid: parent, ...common, ...record, uuid, timestamp: new Date(clock += 1000).toISOString() }));
		parent = uuid;
	};
	const usage = { input_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 100, output_tokens: 20 };
	steps.forEach((step, i) => {
		const id = `toolu_test_${i}`;
		add({ type: 'assistant', message: { model: 'claude-sonnet-4-5-20250929', id: `msg_test_${i}`, type: 'message', role: 'assistant', content: [{ type: 'tool_use', id, name: 'Bash', input: { command: step.command, description: 'Run the tests' } }], stop_reason: 'tool_use', stop_sequence: null, usage } });
		add({ type: 'user', message: { role: 'user', content: [{ tool_use_id: id, type: 'tool_result', content: step.exit === 0 ? step.output : `Exit code ${step.exit}\n${step.output}`, is_error: step.exit !== 0 }] }, toolUseResult: step.exit === 0 ? { stdout: step.output, stderr: '', interrupted: false, isImage: false } : `Error: Exit code ${step.exit}\n${step.output}` });
	});
	add({ type: 'assistant', message: { model: 'claude-sonnet-4-5-20250929', id: 'msg_test_final', type: 'message', role: 'assistant', content: [{ type: 'text', text: finalText }], stop_reason: 'end_turn', stop_sequence: null, usage } });
	const result = claudeCodeImporter.parse([{ path: CLAUDE_FILE, records: recordsOf(Buffer.from(lines.join('\n') + '\n')) }]);
	return Session.parse(result.sessions.find((s) => s.id === 'claude-code:4c2ddfdc-b619-4525-8d03-1950fb1b0257'));
}

/** A real Codex rollout with response items appended. */
function codexFixtureWith(file: string, items: Array<Record<string, unknown>>): Session {
	const text = fs.readFileSync(file, 'utf8').trimEnd();
	let clock = Date.parse('2026-03-01T00:00:00.000Z');
	const appended = items.map((payload) => JSON.stringify({ timestamp: new Date(clock += 1000).toISOString(), type: 'response_item', payload }));
	const result = codexImporter.parse([{ path: file, records: recordsOf(Buffer.from([text, ...appended].join('\n') + '\n')) }]);
	assert.equal(result.sessions.length, 1);
	return Session.parse(result.sessions[0]);
}

const shellCall = (id: string, script: string) => ({ type: 'function_call', name: 'shell', arguments: JSON.stringify({ command: ['bash', '-lc', script], workdir: '/w' }), call_id: id });
const shellOutput = (id: string, output: string, exit: number) => ({ type: 'function_call_output', call_id: id, output: JSON.stringify({ output, metadata: { exit_code: exit, duration_seconds: 1.2 } }) });
const execCall = (id: string, cmd: string) => ({ type: 'function_call', name: 'exec_command', arguments: JSON.stringify({ cmd, yield_time_ms: 10000 }), call_id: id });
const execOutput = (id: string, header: string, output: string) => ({ type: 'function_call_output', call_id: id, output: `Chunk ID: 1a2b\nWall time: 2.0 seconds\n${header}\nOriginal token count: 40\nOutput:\n${output}` });
const agentText = (text: string) => ({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] });

// ---- Tests ----

void describe('reward: pass after failures vs ending failing', () => {
	void it('scores a session that ends passing after a failure above one that ends failing, naming the commands', () => {
		const good = scoreSession(passAfterFail().session());
		const bad = scoreSession(endsFailing().session());
		assert.ok(good.reward > bad.reward, `${good.reward} <= ${bad.reward}`);
		const outcome = component(good, 'outcome');
		assert.deepEqual([outcome.value, outcome.source], [1, 'derived']);
		assert.match(outcome.explanation, /`cd api && pytest -q` \(message 6\) passed \(summary "3 passed in 0.29s"\), after 1 failed run/);
		assert.deepEqual(outcome.evidence.map((e) => [e.messageIndex, e.kind, e.detail, e.exitCode, e.passed]), [
			[2, 'test', 'cd api && pytest -q', 1, false],
			[6, 'test', 'cd api && pytest -q', null, true],
		]);
		const badOutcome = component(bad, 'outcome');
		assert.deepEqual([badOutcome.value, badOutcome.source], [0, 'derived']);
		assert.match(badOutcome.explanation, /failed \(exit code 1\); 0 of 2 runs passed/);
	});

	void it('breaks the pass-after-fail reward down as the default formula says', () => {
		const score = scoreSession(passAfterFail().session());
		assert.deepEqual(score.components.map((c) => [c.id, c.weight, c.value, c.source]), [
			['outcome', 0.4, 1, 'derived'],
			['criteria', 0.25, 1, 'derived'], // the one distinct command passed on its last run
			['review', 0.2, 1, 'derived'], // SHIP: no rejections or interrupts, outcome passed
			['iterations', 0.15, 0.9, 'derived'], // one failed run
		]);
		assert.equal(score.reward, 0.985);
		const bad = scoreSession(endsFailing().session());
		assert.deepEqual(bad.components.map((c) => [c.id, c.value]), [['outcome', 0], ['criteria', 0], ['review', 0.7], ['iterations', 0.8]]);
		assert.equal(bad.reward, 0.26);
	});

	void it('ranks the same way on a real Claude Code session with Bash runs appended in its own format', () => {
		const fixed = claudeFixtureWith([
			{ command: 'python -m pytest tests/', output: FAIL_OUTPUT, exit: 1 },
			{ command: 'python -m pytest tests/', output: PASS_OUTPUT, exit: 0 },
		], 'All tests pass now.');
		const broken = claudeFixtureWith([
			{ command: 'python -m pytest tests/', output: FAIL_OUTPUT, exit: 1 },
			{ command: 'python -m pytest tests/', output: FAIL_OUTPUT, exit: 1 },
		], 'The test still fails.');
		const good = scoreSession(fixed);
		const bad = scoreSession(broken);
		assert.ok(good.reward > bad.reward, `${good.reward} <= ${bad.reward}`);
		assert.equal(good.facts.lastVerificationPassed, true);
		assert.equal(bad.facts.lastVerificationPassed, false);
		assert.deepEqual(component(good, 'outcome').evidence.map((e) => [e.detail, e.exitCode, e.passed]), [['python -m pytest tests/', 1, false], ['python -m pytest tests/', null, true]]);
		assert.deepEqual(component(bad, 'outcome').evidence.map((e) => [e.detail, e.exitCode, e.passed]), [['python -m pytest tests/', 1, false], ['python -m pytest tests/', 1, false]]);
		// The real part still counts: 3 human turns (2 follow-ups) and the real Write/Edit calls.
		assert.equal(good.facts.userTurns, 3);
		assert.equal(good.facts.codeChanged, true);
		assert.equal(good.facts.iterations, 3);
	});

	void it('ranks the same way on a real Codex rollout with `shell` runs (exit code in the JSON envelope)', () => {
		const fixed = codexFixtureWith(CODEX_SHELL_FILE, [
			shellCall('t1', 'npm test'), shellOutput('t1', 'Tests:       1 failed, 9 passed, 10 total', 1),
			shellCall('t2', 'npm test'), shellOutput('t2', 'Tests:       10 passed, 10 total', 0),
			agentText('Tests pass.'),
		]);
		const broken = codexFixtureWith(CODEX_SHELL_FILE, [
			shellCall('t1', 'npm test'), shellOutput('t1', 'Tests:       1 failed, 9 passed, 10 total', 1),
			agentText('One test still fails.'),
		]);
		const good = scoreSession(fixed);
		const bad = scoreSession(broken);
		assert.ok(good.reward > bad.reward);
		const outcome = component(good, 'outcome');
		assert.equal(outcome.value, 1);
		// The importer keeps only is_error from the envelope: the number itself is gone.
		assert.match(outcome.explanation, /`npm test` \(message \d+\) passed \(the tool reported no error\), after 1 failed run/);
		assert.deepEqual(outcome.evidence.map((e) => [e.detail, e.exitCode, e.passed]), [['npm test', null, false], ['npm test', null, true]]);
		assert.equal(component(bad, 'outcome').value, 0);
	});

	void it('ranks the same way on a real Codex Desktop rollout with `exec_command` runs, one finishing in a write_stdin poll', () => {
		const fixed = codexFixtureWith(CODEX_EXEC_FILE, [
			execCall('e1', 'cargo test'), execOutput('e1', 'Process exited with code 101', 'test result: FAILED. 3 passed; 1 failed; 0 ignored'),
			execCall('e2', 'cargo test'), execOutput('e2', 'Process running with session ID 4242', 'Compiling app v0.1.0'),
			{ type: 'function_call', name: 'write_stdin', arguments: JSON.stringify({ session_id: 4242, chars: '', yield_time_ms: 30000 }), call_id: 'e3' },
			execOutput('e3', 'Process exited with code 0', 'test result: ok. 4 passed; 0 failed; 0 ignored'),
			agentText('All four tests pass.'),
		]);
		const broken = codexFixtureWith(CODEX_EXEC_FILE, [
			execCall('e1', 'cargo test'), execOutput('e1', 'Process exited with code 101', 'test result: FAILED. 3 passed; 1 failed; 0 ignored'),
			agentText('Still failing.'),
		]);
		const good = scoreSession(fixed);
		assert.ok(good.reward > scoreSession(broken).reward);
		const outcome = component(good, 'outcome');
		assert.deepEqual(outcome.evidence.map((e) => [e.detail, e.exitCode, e.passed]), [['cargo test', 101, false], ['cargo test', 0, true]]);
		// The second run is decided by the poll's message, after its start.
		const [first, second] = outcome.evidence;
		assert.ok(second.messageIndex! > first.messageIndex! + 2);
		assert.equal(good.facts.verificationRuns, 2);
	});
});

void describe('reward: the real fixtures', () => {
	const sessions = fixtureSessions();

	void it('scores every real session within 0..1, components in order, formula version and config stamped', () => {
		assert.ok(sessions.length >= 19, `${sessions.length} sessions`);
		for (const session of sessions) {
			const score = scoreSession(session);
			assert.equal(score.sessionId, session.id);
			assert.equal(score.formulaVersion, REWARD_FORMULA_VERSION);
			assert.deepEqual(score.config, defaultRewardConfig);
			assert.deepEqual(score.components.map((c) => c.id), ['outcome', 'criteria', 'review', 'iterations']);
			assert.ok(score.reward >= 0 && score.reward <= 1, `${session.id}: ${score.reward}`);
			assert.equal(score.reward, Math.round(score.reward * 10_000) / 10_000);
			for (const c of score.components) {
				assert.ok(c.explanation.length > 0);
				for (const e of c.evidence) assert.ok(e.detail.length <= 160, e.detail);
			}
		}
	});

	void it('says nothing verified the real sessions: none of them ran a test, build or lint command', () => {
		for (const session of sessions) {
			const outcome = component(scoreSession(session), 'outcome');
			assert.deepEqual([outcome.value, outcome.source], [0, 'default'], session.id);
			assert.match(outcome.explanation, /Nothing verified the result/);
		}
	});

	void it('counts the real rejected calls and interrupts, the "for tool use" marker folded into the rejection', () => {
		const byId = new Map(sessions.map((s) => [s.id, sessionFacts(s)]));
		// short.jsonl: `mix phx.server | head` and a Glob rejected, then the marker.
		assert.deepEqual(pick(byId.get('claude-code:55604662-cf2a-4331-851a-ec234028f8ca')!), { rejectedToolCalls: 2, interrupts: 0, userTurns: 1, iterations: 0 });
		// session-9eda1058: a rejected Write and its marker, then two more prompts.
		assert.deepEqual(pick(byId.get('claude-code:9eda1058-9706-484a-b992-d03f9cfa2546')!), { rejectedToolCalls: 1, interrupts: 0, userTurns: 3, iterations: 2 });
		// tool_heavy.jsonl: two "[Request interrupted by user]" with no rejected call before them.
		assert.deepEqual(pick(byId.get('claude-code:d6e0bada-1959-4eec-a9d2-0bfade768d8f')!), { rejectedToolCalls: 0, interrupts: 2, userTurns: 2, iterations: 1 });
		// The failed TaskOutput call is a tool error, not a rejection.
		assert.equal(byId.get('claude-code:0ccf1a04-1b4c-43b6-8aa5-79e41db43a68')!.toolErrors, 1);
		const review = component(scoreSession(sessions.find((s) => s.id === 'claude-code:55604662-cf2a-4331-851a-ec234028f8ca')!), 'review');
		assert.deepEqual(review.evidence.map((e) => [e.kind, e.detail]), [
			['rejection', 'Bash: mix phx.server 2>&1 | head -80'],
			['rejection', 'Glob'],
		]);
	});

	void it('does not count injected context as human turns (AGENTS.md, environment, commands, notifications)', () => {
		const codex = sessionFacts(sessions.find((s) => s.id === 'codex:019b7f94-51b4-7593-922e-ba12b5b73b52')!);
		assert.equal(codex.userTurns, 1);
		const curry = sessionFacts(sessions.find((s) => s.id === 'claude-code:0ccf1a04-1b4c-43b6-8aa5-79e41db43a68')!);
		assert.equal(curry.userTurns, 2); // the request and "why won't you run it?"; notifications and /plugin are context
		assert.equal(sessionFacts(sessions.find((s) => s.id === 'claude-code:4c2ddfdc-b619-4525-8d03-1950fb1b0257')!).codeChanged, true);
	});

	void it('is deterministic', () => {
		for (const session of sessions.slice(0, 6)) {
			assert.deepEqual(scoreSession(session), scoreSession(structuredClone(session)));
		}
		assert.equal(JSON.stringify(scoreSession(passAfterFail().session())), JSON.stringify(scoreSession(passAfterFail().session())));
	});
});

function pick(facts: ReturnType<typeof sessionFacts>) {
	return { rejectedToolCalls: facts.rejectedToolCalls, interrupts: facts.interrupts, userTurns: facts.userTurns, iterations: facts.iterations };
}

void describe('reward: criteria from task lists', () => {
	void it('uses the last Claude Code TodoWrite state', () => {
		const todos = (statuses: string[]) => ({ todos: statuses.map((status, i) => ({ content: `step ${i + 1}`, status, activeForm: `Doing step ${i + 1}` })) });
		const session = new Trace().user('do three things')
			.tool('TodoWrite', todos(['in_progress', 'pending', 'pending']), 'Todos have been modified successfully.')
			.tool('TodoWrite', todos(['completed', 'completed', 'in_progress']), 'Todos have been modified successfully.')
			.say('Two of three done.').session();
		const criteria = component(scoreSession(session), 'criteria');
		assert.equal(criteria.source, 'derived');
		assert.equal(criteria.value, 0.6667);
		assert.match(criteria.explanation, /2 of 3 items of the agent's last task list \(TodoWrite, message 4\)/);
		assert.deepEqual(criteria.evidence.map((e) => [e.kind, e.detail, e.passed]), [['todo', 'step 1', true], ['todo', 'step 2', true], ['todo', 'step 3', false]]);
	});

	void it('uses Codex update_plan, skips cancelled items, keeps the last non-empty list and ignores a rejected update', () => {
		const plan = (statuses: string[]) => ({ explanation: 'plan', plan: statuses.map((status, i) => ({ step: `s${i}`, status })) });
		const session = new Trace().user('go')
			.tool('update_plan', plan(['completed', 'completed', 'cancelled', 'in_progress']), 'Plan updated')
			.tool('update_plan', { plan: [] }, 'Plan updated')
			.rejected('update_plan', plan(['completed', 'completed', 'completed', 'completed']))
			.say('done').session();
		const criteria = component(scoreSession(session), 'criteria');
		assert.equal(criteria.value, 0.6667);
		assert.deepEqual(criteria.evidence.map((e) => e.detail), ['s0', 's1', 's3']);
	});

	void it('follows Claude Code TaskCreate / TaskUpdate by task id', () => {
		const session = new Trace().user('go')
			.tool('TaskCreate', { subject: 'write the parser', activeForm: 'Writing' }, 'Task #1 created successfully: write the parser')
			.tool('TaskCreate', { subject: 'test it' }, 'Task #2 created successfully: test it')
			.tool('TaskCreate', { subject: 'obsolete' }, 'Task #3 created successfully: obsolete')
			.tool('TaskUpdate', { taskId: '1', status: 'completed' }, 'Updated task #1 status')
			.tool('TaskUpdate', { taskId: '3', status: 'deleted' }, 'Updated task #3 deleted')
			.say('done').session();
		const criteria = component(scoreSession(session), 'criteria');
		assert.equal(criteria.value, 0.5);
		assert.deepEqual(criteria.evidence.map((e) => [e.detail, e.passed]), [['write the parser', true], ['test it', false]]);
	});

	void it('falls back to distinct verification commands when there is no list', () => {
		const session = new Trace().user('go')
			.bash('npm run lint', '✖ 2 problems (2 errors, 0 warnings)', 1)
			.bash('npm test', 'Tests:       4 passed, 4 total')
			.bash('npm run lint', '')
			.bash('npm run build', 'error TS2304: Cannot find name', 2)
			.say('done').session();
		const criteria = component(scoreSession(session), 'criteria');
		assert.equal(criteria.value, 0.6667);
		assert.match(criteria.explanation, /2 of 3 distinct verification commands passed on their last run/);
		assert.deepEqual(criteria.evidence.map((e) => [e.detail, e.passed]), [['npm test', true], ['npm run lint', true], ['npm run build', false]]);
	});
});

void describe('reward: explicit verdicts and criteria', () => {
	void it('takes the last review verdict from the agent, a reviewer subagent or a notification', () => {
		const verdict = (text: string) => component(scoreSession(passAfterFail().say(text).session()), 'review');
		assert.deepEqual(pickVerdict(verdict('Review done.\n\nVERDICT: SHIP')), [1, 'explicit']);
		assert.deepEqual(pickVerdict(verdict('## Verdict: ADVISORY\n\nTwo non-blocking remarks.')), [0.7, 'explicit']);
		assert.deepEqual(pickVerdict(verdict('**Review:** HOLD')), [0, 'explicit']);
		assert.deepEqual(pickVerdict(verdict('Verdict: Ship')), [1, 'explicit']);
		assert.deepEqual(pickVerdict(verdict('{"verdict": "HOLD", "findings": 3}')), [0, 'explicit']);
		const subagent = new Trace().user('review it').tool('Task', { subagent_type: 'reviewer', prompt: 'review' }, 'Findings: none blocking.\nVERDICT: ADVISORY').say('Reviewed.').session();
		assert.deepEqual(pickVerdict(component(scoreSession(subagent), 'review')), [0.7, 'explicit']);
		const notified = new Trace().user('go').say('started').user('<task-notification>\n<summary>review finished</summary>\nVerdict: HOLD\n</task-notification>', 'notification').session();
		const review = component(scoreSession(notified), 'review');
		assert.deepEqual(pickVerdict(review), [0, 'explicit']);
		assert.deepEqual(review.evidence.map((e) => [e.messageIndex, e.kind, e.detail, e.passed]), [[2, 'verdict', 'Verdict: HOLD', false]]);
	});

	void it('ignores templates, prose, quoted blocks, the human prompt and command output', () => {
		for (const trace of [
			passAfterFail().say('Answer with VERDICT: SHIP | HOLD'),
			passAfterFail().say('Verdict: SHIP IT!'),
			passAfterFail().say('The reviewer said the verdict: SHIP was premature.'),
			passAfterFail().say('Template:\n```\nVERDICT: HOLD\n```'),
			passAfterFail().user('End your answer with "VERDICT: SHIP" or\nVERDICT: HOLD').say('ok'),
			passAfterFail().bash('cat review.md', '# Old review\nVERDICT: HOLD'),
		]) {
			assert.equal(component(scoreSession(trace.session()), 'review').source, 'derived');
		}
	});

	void it('reads gate lines as the outcome, over the test evidence', () => {
		const score = scoreSession(passAfterFail().say('Gate: HOLD').session());
		const outcome = component(score, 'outcome');
		assert.deepEqual([outcome.value, outcome.source], [0, 'explicit']);
		assert.match(outcome.explanation, /last gate verdict is HOLD \(message 8\)/);
		assert.equal(component(score, 'review').source, 'derived');
		assert.equal(component(scoreSession(endsFailing().say('**Gate:** ADVISORY').session()), 'outcome').value, 1);
	});

	void it('reads criteria marked in the final report, over the task list', () => {
		const session = new Trace().user('implement the spec')
			.say('Plan:\n- [ ] parse\n- [ ] validate\n- [ ] report') // a plan, not the report
			.tool('TodoWrite', { todos: [{ content: 'parse', status: 'completed' }, { content: 'validate', status: 'completed' }] }, 'ok')
			.say('Summary:\n- [x] parse input\n- [x] validate schema\n- [ ] report errors\n\nAC4: PASS\n[FAIL] handles empty input\n| Check | Result |\n| lint | FAIL |')
			.session();
		const criteria = component(scoreSession(session), 'criteria');
		assert.deepEqual([criteria.value, criteria.source], [0.6, 'explicit']);
		assert.deepEqual(criteria.evidence.map((e) => [e.kind, e.detail, e.passed]), [
			['criterion', 'parse input', true], ['criterion', 'validate schema', true], ['criterion', 'report errors', false],
			['criterion', 'AC4', true], ['criterion', 'handles empty input', false],
		]);
	});

	void it('takes no criteria from a report the human answered afterwards', () => {
		const session = new Trace().user('go').say('- [x] done').user('no, redo it').session();
		assert.equal(component(scoreSession(session), 'criteria').source, 'default');
	});
});

function pickVerdict(c: RewardComponent): [number, string] {
	return [c.value, c.source];
}

void describe('reward: the developer rating', () => {
	void it('decides outcome and review when the trace has no verdict, and leaves criteria and iterations alone', () => {
		const base = endsFailing().session();
		const up = scoreSession(base, { rating: 'up' });
		assert.deepEqual(up.components.map((c) => [c.id, c.value, c.source]), [
			['outcome', 1, 'rating'], ['criteria', 0, 'derived'], ['review', 1, 'rating'], ['iterations', 0.8, 'derived'],
		]);
		assert.deepEqual(component(up, 'outcome').evidence, [{ messageIndex: null, kind: 'rating', detail: 'developer rating: up', passed: true }]);
		const down = scoreSession(passAfterFail().session(), { rating: 'down' });
		assert.deepEqual(down.components.map((c) => [c.id, c.value, c.source]), [
			['outcome', 0, 'rating'], ['criteria', 1, 'derived'], ['review', 0, 'rating'], ['iterations', 0.9, 'derived'],
		]);
		assert.ok(up.reward > scoreSession(base).reward);
	});

	void it('ranks below explicit verdicts and is skipped by a component configured to another source', () => {
		const withVerdict = scoreSession(passAfterFail().say('VERDICT: SHIP').session(), { rating: 'down' });
		assert.equal(component(withVerdict, 'review').source, 'explicit');
		const derivedOnly = scoreSession(passAfterFail().session(), { rating: 'down', config: { sources: { outcome: 'derived' } } });
		assert.deepEqual(pickVerdict(component(derivedOnly, 'outcome')), [1, 'derived']);
		assert.deepEqual(pickVerdict(component(derivedOnly, 'review')), [0, 'rating']);
		const ratingCriteria = scoreSession(passAfterFail().session(), { rating: 'down', config: { sources: { criteria: 'rating' } } });
		assert.deepEqual(pickVerdict(component(ratingCriteria, 'criteria')), [0, 'rating']);
	});

	void it('falls back to the default, saying why, when the configured source has nothing', () => {
		const score = scoreSession(passAfterFail().session(), { config: { sources: { outcome: 'rating', iterations: 'explicit' } } });
		const outcome = component(score, 'outcome');
		assert.deepEqual([outcome.value, outcome.source], [0, 'default']);
		assert.equal(outcome.explanation, 'Source "rating" is configured and this session has no developer rating; scored 0.');
		assert.equal(outcome.evidence.length, 2); // the runs it looked at
		assert.deepEqual(pickVerdict(component(score, 'iterations')), [0, 'default']);
	});
});

void describe('reward: rejections, interrupts and the derived review', () => {
	void it('holds a session where the user pushed back and it ended failing', () => {
		const session = new Trace().user('fix the flaky test')
			.rejected('Bash', { command: 'rm -rf tests/' }, 'do not delete tests')
			.bash('npm test', 'Tests:       1 failed, 3 passed, 4 total', 1)
			.user('[Request interrupted by user]', 'interrupt')
			.session();
		const score = scoreSession(session);
		const review = component(score, 'review');
		assert.deepEqual([review.value, review.source], [0, 'derived']);
		assert.equal(review.explanation, 'Derived: HOLD — 1 rejected call and 1 interrupt, and the outcome failed.');
		assert.deepEqual(review.evidence.map((e) => [e.messageIndex, e.kind, e.detail]), [
			[2, 'rejection', 'Bash: rm -rf tests/ — user said: do not delete tests'],
			[5, 'interrupt', '[Request interrupted by user]'],
		]); // the failed test run is the outcome's evidence, not the review's

		assert.deepEqual({ rejected: score.facts.rejectedToolCalls, interrupts: score.facts.interrupts, errors: score.facts.toolErrors }, { rejected: 1, interrupts: 1, errors: 1 });
	});

	void it('gives ADVISORY when there was pushback but it passed, SHIP when clean and passing', () => {
		const pushed = passAfterFail().rejected('Write', { file_path: 'x' }).user('[Request interrupted by user for tool use]', 'interrupt').session();
		const review = component(scoreSession(pushed), 'review');
		assert.deepEqual([review.value, review.explanation], [0.7, 'Derived: ADVISORY — 1 rejected call and 0 interrupts, the outcome passed.']);
		assert.equal(component(scoreSession(passAfterFail().session()), 'review').explanation, 'Derived: SHIP — no rejected calls or interrupts, and the outcome passed.');
	});

	void it('does not call a session SHIP when most of its other tool calls failed', () => {
		const session = passAfterFail()
			.tool('Read', { file_path: 'a' }, 'File does not exist.', true)
			.tool('Read', { file_path: 'b' }, 'File does not exist.', true)
			.session();
		const review = component(scoreSession(session), 'review');
		assert.equal(review.value, 0.7);
		assert.match(review.explanation, /67% of other tool calls failed/);
		assert.deepEqual(review.evidence.map((e) => [e.kind, e.detail]), [['tool-error', 'Read: File does not exist.'], ['tool-error', 'Read: File does not exist.']]);
	});

	void it('counts a stopped call once, and does not run it as a test', () => {
		const session = new Trace().user('test')
			.tool('Bash', { command: 'npm test' }, '[Request interrupted by user for tool use]', true)
			.user('[Request interrupted by user for tool use]', 'interrupt')
			.session();
		const facts = sessionFacts(session);
		assert.deepEqual([facts.interrupts, facts.verificationRuns, facts.toolErrors], [1, 0, 0]);
	});
});

void describe('reward: iterations and facts', () => {
	void it('counts failed runs and follow-up human turns, never injected context', () => {
		const session = new Trace().user('add a flag')
			.user('<system-reminder>remember the style guide</system-reminder>', 'system-reminder')
			.bash('go test ./...', '--- FAIL: TestFlag (0.00s)\nFAIL', 1)
			.user('[Request interrupted by user]', 'interrupt')
			.user('no, keep the old default')
			.bash('go test ./...', 'ok  \texample.com/flag\t0.01s')
			.user('<environment_context>cwd</environment_context>', 'environment')
			.user('also update the docs')
			.tool('apply_patch', { input: '*** Begin Patch\n*** End Patch' }, 'Success. Updated the following files:\nM README.md')
			.say('Done.').session();
		const score = scoreSession(session, { config: { maxIterations: 4 } });
		const iterations = component(score, 'iterations');
		assert.equal(iterations.value, 0.25);
		assert.match(iterations.explanation, /1 failed verification run \+ 2 follow-up human turns = 3 iterations; max\(0, 1 - 3\/4\) = 0.25/);
		assert.deepEqual(iterations.evidence.map((e) => [e.messageIndex, e.kind, e.detail]), [
			[3, 'test', 'go test ./...'], [5, 'user-correction', 'no, keep the old default'], [9, 'user-correction', 'also update the docs'],
		]);
		assert.deepEqual(score.facts, {
			iterations: 3, codeChanged: true, userTurns: 3, assistantTurns: 4, toolCalls: 3, toolErrors: 1,
			rejectedToolCalls: 0, interrupts: 1, verificationRuns: 2, lastVerificationPassed: true,
		});
	});

	void it('sees code changes from edits and patches that went through, not rejected ones', () => {
		assert.equal(sessionFacts(new Trace().user('x').rejected('Write', { file_path: 'a', content: 'b' }).session()).codeChanged, false);
		assert.equal(sessionFacts(new Trace().user('x').tool('Read', { file_path: 'a' }, 'text').session()).codeChanged, false);
		assert.equal(sessionFacts(new Trace().user('x').tool('shell', { command: ['apply_patch', '*** Begin Patch\n*** Add File: a\n+x\n*** End Patch'] }, 'Done!', false).session()).codeChanged, true);
		assert.equal(sessionFacts(new Trace().user('x').tool('exec_command', { cmd: "apply_patch <<'EOF'\n*** Begin Patch\n*** End Patch\nEOF" }, 'Process exited with code 0\nOutput:\n', false).session()).codeChanged, true);
	});

	void it('reads masked runs by their summary, and leaves them undecided without one', () => {
		const masked = (output: string) => new Trace().user('go').tool('Bash', { command: 'pytest -q 2>&1 | tail -3' }, output).say('done').session();
		const failing = scoreSession(masked('FAILED tests/test_a.py::test_x\n1 failed, 4 passed in 0.2s'));
		assert.equal(failing.facts.lastVerificationPassed, false);
		assert.match(component(failing, 'outcome').explanation, /its status is hidden by the command line, summary "1 failed, 4 passed in 0.2s"/);
		const silent = scoreSession(masked('collected 5 items'));
		assert.equal(silent.facts.verificationRuns, 1);
		assert.equal(silent.facts.lastVerificationPassed, null);
		const outcome = component(silent, 'outcome');
		assert.deepEqual([outcome.value, outcome.source, outcome.evidence.map((e) => e.passed)], [0, 'default', [undefined]]);
	});

	void it('follows Claude Code background runs to their read-back or notification', () => {
		const readBack = new Trace().user('go')
			.tool('Bash', { command: 'npm test', run_in_background: true }, 'Command running in background with ID: b1x. Output is being written to: /tmp/b1x.output')
			.tool('TaskOutput', { task_id: 'b1x', block: false }, '<retrieval_status>timeout</retrieval_status>\n\n<task_id>b1x</task_id>\n\n<status>running</status>')
			.tool('TaskOutput', { task_id: 'b1x', block: true }, '<retrieval_status>success</retrieval_status>\n\n<task_id>b1x</task_id>\n\n<status>completed</status>\n\n<exit_code>1</exit_code>\n\n<output>\nTests: 1 failed, 1 total\n</output>')
			.say('failing').session();
		const run = component(scoreSession(readBack), 'outcome').evidence;
		assert.deepEqual(run.map((e) => [e.messageIndex, e.detail, e.exitCode, e.passed]), [[6, 'npm test', 1, false]]);
		const notified = new Trace().user('go')
			.tool('Bash', { command: 'cargo build', run_in_background: true }, 'Command running in background with ID: b2y. Output is being written to: /tmp/b2y.output')
			.say('building')
			.user('<task-notification>\n<task-id>b2y</task-id>\n<status>completed</status>\n<summary>Background command "cargo build" completed (exit code 0)</summary>\n</task-notification>', 'notification')
			.session();
		assert.deepEqual(component(scoreSession(notified), 'outcome').evidence.map((e) => [e.messageIndex, e.kind, e.exitCode, e.passed]), [[4, 'build', 0, true]]);
	});

	void it('clips evidence to one line of 160 characters', () => {
		const long = `npm test -- ${'--testNamePattern=something '.repeat(20)}`;
		const detail = component(scoreSession(new Trace().user('go').bash(long, 'Tests: 1 passed, 1 total').session()), 'outcome').evidence[0].detail;
		assert.equal(detail.length, 160);
		assert.ok(detail.endsWith('…'));
	});
});

void describe('reward: configuration', () => {
	void it('merges weights and sources per key over the defaults, without sharing the default objects', () => {
		const config = resolveRewardConfig({ weights: { outcome: 0.5 }, sources: { review: 'derived' } });
		assert.deepEqual(config, {
			weights: { outcome: 0.5, criteria: 0.25, review: 0.2, iterations: 0.15 },
			maxIterations: 10,
			sources: { outcome: 'auto', criteria: 'auto', review: 'derived', iterations: 'auto' },
		});
		const defaults = resolveRewardConfig();
		assert.deepEqual(defaults, defaultRewardConfig);
		defaults.weights.outcome = 9;
		assert.equal(defaultRewardConfig.weights.outcome, 0.4);
		assert.deepEqual(resolveRewardConfig(null), defaultRewardConfig);
	});

	void it('rejects invalid settings with a message naming them', () => {
		const bad: Array<[unknown, RegExp]> = [
			[{ weights: { review: -0.1 } }, /weight "review" must be a finite number ≥ 0, got -0.1/],
			[{ weights: { outcome: Number.NaN } }, /weight "outcome" must be a finite number/],
			[{ weights: { outcome: '0.4' } }, /weight "outcome" must be a finite number ≥ 0, got 0.4/],
			[{ weights: { outcome: 0, criteria: 0, review: 0, iterations: 0 } }, /weights are all 0/],
			[{ maxIterations: 0 }, /maxIterations must be a number ≥ 1, got 0/],
			[{ maxIterations: Number.POSITIVE_INFINITY }, /maxIterations must be a number ≥ 1/],
			[{ sources: { review: 'pipeline' } }, /Unknown reward source "pipeline" for "review"; use one of auto, explicit, rating, derived/],
			[{ sources: { outcomes: 'auto' } }, /Unknown reward component "outcomes" in sources/],
			[{ weights: { speed: 1 } }, /Unknown reward component "speed" in weights/],
			[{ weights: [1, 2] }, /Reward weights must be an object/],
		];
		for (const [input, message] of bad) {
			assert.throws(() => resolveRewardConfig(input as never), message, JSON.stringify(input));
			assert.throws(() => scoreSession(passAfterFail().session(), { config: input as never }), message);
		}
	});

	void it('keeps weights as configured and divides by their sum, so the reward stays within 0..1', () => {
		const session = endsFailing().session();
		const base = scoreSession(session);
		const doubled = scoreSession(session, { config: { weights: { outcome: 0.8, criteria: 0.5, review: 0.4, iterations: 0.3 } } });
		assert.deepEqual(doubled.components.map((c) => c.weight), [0.8, 0.5, 0.4, 0.3]);
		assert.equal(doubled.reward, base.reward);
		const reviewOnly = scoreSession(session, { config: { weights: { outcome: 0, criteria: 0, review: 3, iterations: 0 } } });
		assert.equal(reviewOnly.reward, 0.7);
		assert.deepEqual(reviewOnly.config.weights, { outcome: 0, criteria: 0, review: 3, iterations: 0 });
	});

	void it('stamps the formula version and the resolved config, and rounds to 4 decimals', () => {
		const score = scoreSession(new Trace().user('go').bash('npm test', 'Tests: 1 failed, 1 total', 1).bash('npm run lint', '').bash('tsc', 'error TS1005', 2).say('x').session(), { config: { maxIterations: 3 } });
		assert.equal(score.formulaVersion, REWARD_FORMULA_VERSION);
		assert.equal(score.config.maxIterations, 3);
		assert.equal(component(score, 'criteria').value, 0.3333);
		assert.equal(component(score, 'iterations').value, 0.3333);
		assert.equal(score.reward, Math.round(score.reward * 10_000) / 10_000);
		const recomputed = score.components.reduce((sum, c) => sum + c.weight * c.value, 0);
		assert.equal(score.reward, Math.round(recomputed * 10_000) / 10_000);
	});
});
