import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codexImporter } from '../../server/src/core/capture/codex';
import type { ParseResult } from '../../server/src/core/capture/importer';
import { recordsOf } from '../../server/src/core/importing/lines';
import { valueHead } from '../support/fixtures';
import { Session, type Message } from '../../shared/model';
import { FIXTURES } from '../support/fixtures';
import { assertOpenAiShape, nameCounts, toolCalls } from '../support/sessionShape';

const CODEX = path.join(FIXTURES, 'codex');
const CODEMIE = path.join(CODEX, 'codemie-code', 'rollout-2026-01-02T18-39-45-019b7f94-51b4-7593-922e-ba12b5b73b52.jsonl');
const MADSHN_LONG = path.join(CODEX, 'madshn-localpush', 'rollout-2026-02-23T12-41-04-019c8a4d-8f45-7010-8b5d-7fad920aa6f9.jsonl');
const MADSHN_MCP = path.join(CODEX, 'madshn-localpush', 'rollout-2026-02-23T20-34-25-019c8bfe-ec25-79e0-97d7-bda6a9c575ff.jsonl');

function parseBytes(file: string, bytes: Buffer): ParseResult {
	return codexImporter.parse([{ path: file, records: recordsOf(bytes) }]);
}

function parseFixture(file: string): ParseResult {
	return parseBytes(file, fs.readFileSync(file));
}

function onlySession(result: ParseResult): Session {
	assert.equal(result.sessions.length, 1);
	return Session.parse(result.sessions[0]);
}

/** Raw lines of a fixture as parsed JSON, read without the importer. */
function rawLines(file: string): Array<{ timestamp: string; type: string; payload: Record<string, unknown> }> {
	return fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line));
}

function rawCallIds(file: string, payloadType: string): string[] {
	return rawLines(file)
		.filter((line) => line.type === 'response_item' && line.payload.type === payloadType)
		.map((line) => String(line.payload.call_id));
}

const humans = (s: Session) => s.messages.filter((m) => m.role === 'user' && m.context === null);
const userContext = (s: Session) => s.messages.filter((m) => m.role === 'user' && m.context !== null);
const withRole = (s: Session, role: Message['role']) => s.messages.filter((m) => m.role === role);

function sumUsage(messages: Message[]) {
	const sum = { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0 };
	for (const m of messages) {
		for (const key of Object.keys(sum) as Array<keyof typeof sum>) {
			sum[key] += m.usage?.[key] ?? 0;
		}
	}
	return sum;
}

// Every expected number below was counted from the raw files with jq, never from the parser.
// "$F" stands for the fixture file.

void describe('codex importer: codemie-code rollout (codex exec 0.77.0, shell tool)', () => {
	const result = parseFixture(CODEMIE);
	const session = onlySession(result);

	void it('reads the session metadata from session_meta and turn_context', () => {
		// jq -c 'select(.type=="session_meta") | .payload | {id, cwd, cli_version, git}' "$F"
		assert.equal(session.id, 'codex:019b7f94-51b4-7593-922e-ba12b5b73b52');
		assert.equal(session.agent, 'codex');
		assert.equal(session.agent_version, '0.77.0');
		assert.equal(session.cwd, '/Users/Nikita_Levyankov/repos/EPMCDME/codemie-ai/codemie-code');
		assert.equal(session.git_branch, 'codex');
		assert.equal(session.git_commit, '02942347cadda24d3080fbfbc2d13295bb3a496d');
		assert.equal(session.repository_url, 'git@github.com:codemie-ai/codemie-code.git');
		// jq -r 'select(.type=="turn_context") | .payload.model' "$F" | sort | uniq -c  → 4 × gpt-5-1-codex-2025-11-13
		assert.equal(session.model, 'gpt-5-1-codex-2025-11-13');
		assert.deepEqual(session.models, ['gpt-5-1-codex-2025-11-13']);
		// jq -r .timestamp "$F" | sort | sed -n '1p;$p'
		assert.equal(session.started_at, '2026-01-02T16:39:45.349Z');
		assert.equal(session.ended_at, '2026-01-02T16:39:58.808Z');
		assert.deepEqual(session.source_files, [CODEMIE]);
		assert.deepEqual(result.warnings, []);
	});

	void it('separates AGENTS.md and environment context from the one human turn', () => {
		// jq 'select(.type=="response_item" and .payload.type=="message") | [.payload.role, .payload.content[0].text[0:30]]' "$F"
		// → 3 user messages: "# AGENTS.md instructions for …", "<environment_context>…", the prompt;
		// jq 'select(.payload.type=="user_message")' "$F" → exactly 1 UI user message, the same prompt.
		assert.equal(withRole(session, 'user').length, 3);
		assert.deepEqual(userContext(session).map((m) => m.context), ['instructions', 'environment']);
		assert.deepEqual(humans(session).map((m) => m.content), ['what is current repository about? summarize purpuse and explain goals']);
		assert.equal(session.title, 'what is current repository about? summarize purpuse and explain goals');
		assert.equal(withRole(session, 'system').length, 0);
	});

	void it('turns each shell call into an assistant message answered by its tool result', () => {
		// jq -r 'select(.payload.type=="function_call") | .payload.name' "$F" → 3 × shell; no assistant message items.
		// jq -s '[.[]|select(.type=="response_item" and .payload.type!="ghost_snapshot")|…]' → "xxxRFxRFxRFx":
		// three responses, each a reasoning item and one call → 3 assistant messages of one call.
		assert.deepEqual(nameCounts(session), { shell: 3 });
		assert.equal(withRole(session, 'assistant').length, 3);
		assert.deepEqual(withRole(session, 'assistant').map((m) => m.tool_calls?.length), [1, 1, 1]);
		assert.equal(withRole(session, 'tool').length, 3);
		assert.equal(session.messages.length, 9, 'ghost_snapshot and event_msg records add no messages');
		assertOpenAiShape(session.messages, { anyOrder: true });
		const calls = rawCallIds(CODEMIE, 'function_call');
		assert.deepEqual(new Set(toolCalls(session).map((c) => c.id)), new Set(calls));
		assert.deepEqual(new Set(withRole(session, 'tool').map((m) => m.tool_call_id)), new Set(rawCallIds(CODEMIE, 'function_call_output')));
	});

	void it('unwraps the shell JSON output and derives is_error from exit_code', () => {
		// jq -r 'select(.payload.type=="function_call_output") | .payload.output | fromjson | .metadata.exit_code' "$F" → 0 0 0
		const tools = withRole(session, 'tool');
		assert.deepEqual(tools.map((m) => m.is_error), [false, false, false]);
		// jq -r 'select(.payload.call_id=="call_GJwkZaB7U9xw2agS4AgfU0iw" and .payload.type=="function_call_output") | .payload.output | fromjson | .output' "$F"
		assert.equal(tools[1].content, 'docs/AGENTS.md\n');
		assert.equal(tools[1].name, 'shell');
		assert.equal(tools[1].source_id, 'call_GJwkZaB7U9xw2agS4AgfU0iw');
		// function_call arguments are kept verbatim (they already are a JSON object string).
		const raw = rawLines(CODEMIE).find((l) => l.payload.call_id === 'call_1sXxutbQI29Z41aSr0GPiMSO' && l.payload.type === 'function_call');
		assert.equal(toolCalls(session)[0].function.arguments, raw?.payload.arguments);
	});

	void it('attaches reasoning summaries only where the log has one', () => {
		// jq -r 'select(.payload.type=="reasoning") | .payload.summary | length' "$F" → 0 0 1 (third response only)
		const assistants = withRole(session, 'assistant');
		assert.deepEqual(assistants.map((m) => m.reasoning !== undefined), [false, false, true]);
		assert.ok(assistants[2].reasoning?.startsWith('**Clarifying documentation instructions**'));
		assert.ok(assistants.every((m) => m.model === 'gpt-5-1-codex-2025-11-13'));
	});

	void it('takes usage from the last cumulative total and bills each response once', () => {
		// jq -c 'select(.payload.type=="token_count" and .payload.info!=null) | .payload.info.total_token_usage' "$F" | tail -1
		// → input 22474 (cached 14848), output 300 (reasoning 128). Canonical: input = 22474 - 14848 = 7626.
		assert.deepEqual(session.usage, { input_tokens: 7626, output_tokens: 300, cache_read_tokens: 14848, cache_creation_tokens: 0, reasoning_tokens: 128 });
		// 6 token_count events: 1 with info null, then 3 distinct totals each repeated once; the
		// last_token_usage of the 3 distinct ones sums to the final total (jq -s reduce over distinct totals).
		const billed = withRole(session, 'assistant').filter((m) => m.usage !== undefined);
		assert.equal(billed.length, 3);
		assert.deepEqual(sumUsage(session.messages), session.usage);
	});
});

void describe('codex importer: madshn long rollout (Codex Desktop 0.104.0-alpha.1, redacted upstream)', () => {
	const result = parseFixture(MADSHN_LONG);
	const session = onlySession(result);

	void it('reads the session metadata', () => {
		// jq -c 'select(.type=="session_meta") | .payload | {id, cwd, cli_version, git}' "$F"
		assert.equal(session.id, 'codex:019c8a4d-8f45-7010-8b5d-7fad920aa6f9');
		assert.equal(session.agent_version, '0.104.0-alpha.1');
		assert.equal(session.cwd, '/redacted/path/da0ba47443');
		assert.equal(session.git_branch, 'main');
		assert.equal(session.git_commit, '86b4a8d9581d63089e53845daf7dd787129a9972');
		assert.equal(session.repository_url, 'redacted://url/d18f1190d0');
		// jq -r 'select(.type=="turn_context") | .payload.model' "$F" | uniq -c → 28 × gpt-5.3-codex
		assert.equal(session.model, 'gpt-5.3-codex');
		assert.deepEqual(session.models, ['gpt-5.3-codex']);
		// jq -r .timestamp "$F" | sort | sed -n '1p;$p'
		assert.equal(session.started_at, '2026-02-23T11:41:32.239Z');
		assert.equal(session.ended_at, '2026-02-23T11:46:43.618Z');
	});

	void it('counts messages per role without duplicating the UI stream', () => {
		// jq -r 'select(.type=="response_item" and .payload.type=="message") | .payload.role' "$F" | sort | uniq -c
		// → developer 4, user 3, assistant 17. jq 'select(.type=="event_msg") | .payload.type' → user_message 1, agent_message 17.
		assert.equal(withRole(session, 'system').length, 4);
		assert.ok(withRole(session, 'system').every((m) => m.context === 'instructions'));
		assert.equal(withRole(session, 'user').length, 3);
		// The text is redacted, so markers cannot classify it; the single user_message event names the one human turn.
		assert.equal(humans(session).length, 1);
		assert.equal(userContext(session).length, 2);
		assert.equal(session.title, '[REDACTED_TEXT len=115 sha=a83ebe6f]');
		// 17 assistant text items, 17 agent_message events: 17 texts in the transcript, not 34.
		assert.equal(withRole(session, 'assistant').filter((m) => m.content !== '').length, 17);
		// Assistant messages: each text item plus each run of calls not directly after a text item
		// (jq -s over response_items, counting "A" and "F" whose predecessor is neither) → 28.
		assert.equal(withRole(session, 'assistant').length, 28);
		assert.equal(withRole(session, 'tool').length, 118);
	});

	void it('imports 116 exec_command and 2 write_stdin calls, grouped as parallel calls', () => {
		// jq -r 'select(.payload.type=="function_call") | .payload.name' "$F" | sort | uniq -c → 116 exec_command, 2 write_stdin
		assert.deepEqual(nameCounts(session), { exec_command: 116, write_stdin: 2 });
		// jq -s -c '[.[]|select(.type=="response_item")|if .payload.type=="function_call" then "F" else "x" end]|join("")|[scan("F+")|length]' "$F"
		const runs = [2, 4, 5, 4, 5, 6, 5, 3, 5, 5, 6, 6, 3, 6, 2, 2, 6, 6, 5, 5, 7, 5, 1, 6, 2, 3, 3];
		assert.deepEqual(withRole(session, 'assistant').map((m) => m.tool_calls?.length ?? 0).filter((n) => n > 0), runs);
		assertOpenAiShape(session.messages, { anyOrder: true });
		const calls = new Set(rawCallIds(MADSHN_LONG, 'function_call'));
		assert.equal(calls.size, 118);
		assert.deepEqual(new Set(toolCalls(session).map((c) => c.id)), calls);
		assert.deepEqual(new Set(withRole(session, 'tool').map((m) => m.tool_call_id)), new Set(rawCallIds(MADSHN_LONG, 'function_call_output')));
		// Outputs are "[REDACTED_OUTPUT …]" (jq … | .payload.output[0:17] | uniq -c → 118): no exit status to read.
		assert.ok(withRole(session, 'tool').every((m) => m.is_error === undefined));
		// Arguments were redacted to plain text: wrapped so they stay a JSON object string, with one warning.
		assert.ok(toolCalls(session).every((c) => typeof JSON.parse(c.function.arguments).input === 'string'));
		assert.deepEqual(result.warnings.map((w) => w.message), ['118 tool call(s) had arguments that are not a JSON object; wrapped as {"input": …}']);
	});

	void it('attaches 26 reasoning summaries and the model of the turn', () => {
		// jq -r 'select(.payload.type=="reasoning") | (.payload.summary|map(.text)|join("")|length>0)' "$F" | uniq -c → 26 true;
		// each is followed by a text item or a call before the next one.
		assert.equal(withRole(session, 'assistant').filter((m) => m.reasoning !== undefined).length, 26);
		assert.ok(withRole(session, 'assistant').every((m) => m.model === 'gpt-5.3-codex'));
	});

	void it('takes usage from the last cumulative total and bills 28 responses', () => {
		// jq … total_token_usage | tail -1 → input 1751428 (cached 1651968), output 14600 (reasoning 4293)
		assert.deepEqual(session.usage, { input_tokens: 99460, output_tokens: 14600, cache_read_tokens: 1651968, cache_creation_tokens: 0, reasoning_tokens: 4293 });
		// 56 token_count events = 1 info:null + 28 distinct totals + 27 repeats; the 28 distinct
		// last_token_usage values add up to the final total (jq -s reduce), so no double count.
		assert.equal(withRole(session, 'assistant').filter((m) => m.usage !== undefined).length, 28);
		assert.deepEqual(sumUsage(session.messages), session.usage);
	});
});

void describe('codex importer: madshn MCP rollout', () => {
	const result = parseFixture(MADSHN_MCP);
	const session = onlySession(result);

	void it('keeps MCP tool names and pairs every call', () => {
		// jq -r 'select(.payload.type=="function_call") | .payload.name' "$F" | sort | uniq -c
		assert.deepEqual(nameCounts(session), {
			'mcp__cloud-associates__search_workflows': 1,
			'mcp__cloud-associates__execute_workflow': 3,
			'[REDACTED_NAME len=43 sha=c186413b]': 1,
		});
		assertOpenAiShape(session.messages, { anyOrder: true });
		assert.deepEqual(new Set(toolCalls(session).map((c) => c.id)), new Set(rawCallIds(MADSHN_MCP, 'function_call')));
		assert.deepEqual(new Set(withRole(session, 'tool').map((m) => m.tool_call_id)), new Set(rawCallIds(MADSHN_MCP, 'function_call_output')));
		assert.equal(withRole(session, 'tool').length, 5);
	});

	void it('counts messages per role', () => {
		// uniq -c over response_item message roles → developer 4, user 3, assistant 6; events: user_message 1, agent_message 6.
		// Response items read "RAFxRAFxRAFxRAFxRAFxRA": 6 assistant messages, the first 5 with one call.
		assert.equal(withRole(session, 'system').length, 4);
		assert.equal(humans(session).length, 1);
		assert.equal(userContext(session).length, 2);
		assert.deepEqual(withRole(session, 'assistant').map((m) => m.tool_calls?.length ?? 0), [1, 1, 1, 1, 1, 0]);
		assert.equal(withRole(session, 'assistant').filter((m) => m.reasoning !== undefined).length, 6);
		assert.equal(session.messages.length, 4 + 3 + 6 + 5);
	});

	void it('reads metadata, model and usage', () => {
		assert.equal(session.id, 'codex:019c8bfe-ec25-79e0-97d7-bda6a9c575ff');
		assert.equal(session.git_branch, 'main');
		assert.equal(session.git_commit, '19f8748648146d82ee1ad92387fc9d93613f022b');
		assert.equal(session.repository_url, 'redacted://url/4eecca0551');
		assert.equal(session.cwd, '/redacted/path/ea96e59ed9');
		assert.equal(session.model, 'gpt-5.3-codex');
		assert.equal(session.started_at, '2026-02-23T19:34:26.098Z');
		assert.equal(session.ended_at, '2026-02-23T19:36:02.635Z');
		// last total_token_usage → input 298373 (cached 238848), output 1123 (reasoning 483); 6 distinct totals.
		assert.deepEqual(session.usage, { input_tokens: 59525, output_tokens: 1123, cache_read_tokens: 238848, cache_creation_tokens: 0, reasoning_tokens: 483 });
		assert.equal(withRole(session, 'assistant').filter((m) => m.usage !== undefined).length, 6);
		assert.deepEqual(sumUsage(session.messages), session.usage);
	});
});

void describe('codex importer: robustness on the real files', () => {
	for (const file of [CODEMIE, MADSHN_LONG, MADSHN_MCP]) {
		void it(`parses ${path.basename(file)} deterministically and without touching its records`, () => {
			const records = recordsOf(fs.readFileSync(file));
			const snapshot = structuredClone(records);
			const first = codexImporter.parse([{ path: file, records }]);
			const second = codexImporter.parse([{ path: file, records }]);
			assert.deepEqual(second, first);
			assert.deepEqual(records, snapshot);
		});
	}

	void it('a torn last record loses only that record', () => {
		const bytes = fs.readFileSync(MADSHN_LONG);
		const full = onlySession(parseBytes(MADSHN_LONG, bytes));
		// Cut inside the last line (task_complete): the line splitter leaves it for the next read.
		const torn = onlySession(parseBytes(MADSHN_LONG, bytes.subarray(0, bytes.length - 40)));
		assert.deepEqual(torn.messages, full.messages);
		assert.deepEqual(torn.usage, full.usage);
		// jq -r .timestamp "$F" | tail -2 | head -1: the line before the torn one.
		assert.equal(torn.ended_at, '2026-02-23T11:46:43.614Z');
	});

	void it('a malformed line inserted in the middle changes nothing but later line numbers', () => {
		const lines = fs.readFileSync(MADSHN_LONG, 'utf8').split('\n');
		const at = 200;
		const broken = [...lines.slice(0, at), '{"timestamp":"2026-02-23T11:43:00.000Z","type":"respo', ...lines.slice(at)].join('\n');
		const result = parseBytes(MADSHN_LONG, Buffer.from(broken));
		const full = onlySession(parseFixture(MADSHN_LONG));
		const shifted = onlySession(result);
		const unshift = (m: Message): Message => (m.source && m.source.line > at ? { ...m, source: { ...m.source, line: m.source.line - 1 } } : m);
		assert.deepEqual(shifted.messages.map(unshift), full.messages);
		assert.deepEqual(shifted.usage, full.usage);
		assert.equal(result.warnings.length, 1, 'only the wrapped-arguments note; the runner reports malformed lines');
	});

	void it('a malformed tool-result line drops that result only and reports the unanswered call', () => {
		const lines = fs.readFileSync(MADSHN_LONG, 'utf8').split('\n');
		// Line 52 is the function_call_output for call_AOMEuYKdDZNY18kXl7eDJrK3, whose call is on line 46 (grep -n).
		assert.ok(lines[51].includes('"function_call_output","call_id":"call_AOMEuYKdDZNY18kXl7eDJrK3"'));
		lines[51] = lines[51].slice(0, 60);
		const result = parseBytes(MADSHN_LONG, Buffer.from(lines.join('\n')));
		const session = onlySession(result);
		const full = onlySession(parseFixture(MADSHN_LONG));
		assert.deepEqual(session.messages, full.messages.filter((m) => !(m.role === 'tool' && m.tool_call_id === 'call_AOMEuYKdDZNY18kXl7eDJrK3')));
		assert.ok(result.warnings.some((w) => w.line === 46 && w.message.includes('call_AOMEuYKdDZNY18kXl7eDJrK3') && w.message.includes('no result')));
	});
});

// ---- Synthetic rollouts for rules the real fixtures do not exercise ----

type Line = { type: string; payload: Record<string, unknown>; timestamp?: string };

let clock = Date.parse('2026-03-01T10:00:00.000Z');
function rollout(lines: Line[]): Buffer {
	return Buffer.from(lines.map((line) => JSON.stringify({ timestamp: line.timestamp ?? new Date(clock++).toISOString(), type: line.type, payload: line.payload })).join('\n') + '\n');
}

const SYNTH = 'sessions/2026/03/01/rollout-2026-03-01T10-00-00-01234567-89ab-7cde-8f01-23456789abcd.jsonl';
const meta = (id = 'synthetic-1', extra: Record<string, unknown> = {}): Line => ({ type: 'session_meta', payload: { id, cwd: '/w', cli_version: '0.60.0', ...extra } });
const turn = (model = 'gpt-5-codex'): Line => ({ type: 'turn_context', payload: { cwd: '/w', model } });
const item = (payload: Record<string, unknown>): Line => ({ type: 'response_item', payload });
const event = (payload: Record<string, unknown>): Line => ({ type: 'event_msg', payload });
const userText = (text: string): Line => item({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const assistantText = (text: string): Line => item({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] });
const call = (id: string, name = 'shell', args: unknown = '{"command":["ls"]}'): Line => item({ type: 'function_call', name, arguments: args, call_id: id });
const output = (id: string, out: unknown): Line => item({ type: 'function_call_output', call_id: id, output: out });
const tokens = (input: number, cached: number, out: number, lastInput: number, lastOut: number): Line => event({
	type: 'token_count',
	info: {
		total_token_usage: { input_tokens: input, cached_input_tokens: cached, output_tokens: out, reasoning_output_tokens: 0, total_tokens: input + out },
		last_token_usage: { input_tokens: lastInput, cached_input_tokens: 0, output_tokens: lastOut, reasoning_output_tokens: 0, total_tokens: lastInput + lastOut },
	},
});

function parseSynthetic(lines: Line[], file = SYNTH): { session: Session; warnings: ParseResult['warnings'] } {
	const result = parseBytes(file, rollout(lines));
	return { session: onlySession(result), warnings: result.warnings };
}

void describe('codex importer: tool calls and results', () => {
	void it('derives is_error from shell exit codes and exec_command headers', () => {
		const { session, warnings } = parseSynthetic([
			meta(), userText('run things'), turn(),
			call('c1'), output('c1', JSON.stringify({ output: 'boom\n', metadata: { exit_code: 2, duration_seconds: 0.1 } })),
			call('c2', 'exec_command', '{"cmd":"false"}'), output('c2', 'Chunk ID: 1\nWall time: 0.1 seconds\nProcess exited with code 1\nOutput:\nerr\n'),
			call('c3', 'exec_command', '{"cmd":"true"}'), output('c3', 'Wall time: 0.1 seconds\nProcess exited with code 0\nOutput:\nProcess exited with code 9\n'),
			call('c4', 'exec_command', '{"cmd":"sleep 9"}'), output('c4', 'Process running with session ID 7\nOutput:\n'),
			call('c5', 'shell_command', '{"command":"x"}'), output('c5', 'Exit code: 127\nWall time: 0 seconds\nOutput:\nnot found\n'),
			call('c6', 'mcp__s__t', '{}'), output('c6', { content: 'denied', success: false }),
			assistantText('done'),
		]);
		const tools = withRole(session, 'tool');
		assert.deepEqual(tools.map((m) => [m.tool_call_id, m.is_error]), [['c1', true], ['c2', true], ['c3', false], ['c4', undefined], ['c5', true], ['c6', true]]);
		assert.equal(tools[0].content, 'boom\n');
		assert.equal(tools[5].content, 'denied');
		assertOpenAiShape(session.messages, { anyOrder: true });
		assert.deepEqual(warnings, []);
	});

	void it('groups consecutive calls into one assistant message and places results after it', () => {
		const { session } = parseSynthetic([
			meta(), userText('go'), turn(),
			assistantText('Looking around.'), call('a'), call('b'),
			output('b', 'B'), output('a', 'A'),
			call('c'), assistantText('text before the result'), output('c', 'C'),
		]);
		const roles = session.messages.map((m) => m.role + (m.tool_call_id ? `:${m.tool_call_id}` : ''));
		assert.deepEqual(roles, ['user', 'assistant', 'tool:a', 'tool:b', 'assistant', 'tool:c', 'assistant']);
		assert.equal(session.messages[1].content, 'Looking around.');
		assert.deepEqual(session.messages[1].tool_calls?.map((c) => c.id), ['a', 'b']);
		assertOpenAiShape(session.messages, { anyOrder: true });
	});

	void it('wraps freeform custom tool input and pairs custom_tool_call_output', () => {
		const patch = '*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch';
		const { session } = parseSynthetic([
			meta(), userText('patch it'), turn(),
			item({ type: 'custom_tool_call', status: 'completed', call_id: 'p1', name: 'apply_patch', input: patch }),
			item({ type: 'custom_tool_call_output', call_id: 'p1', output: JSON.stringify({ output: 'Success. Updated the following files:\nA a.txt\n', metadata: { exit_code: 0 } }) }),
		]);
		const [patchCall] = toolCalls(session);
		assert.equal(patchCall.function.name, 'apply_patch');
		assert.deepEqual(JSON.parse(patchCall.function.arguments), { input: patch });
		const [result] = withRole(session, 'tool');
		assert.equal(result.name, 'apply_patch');
		assert.equal(result.is_error, false);
		assert.equal(result.content, 'Success. Updated the following files:\nA a.txt\n');
	});

	void it('keeps a trailing unanswered call silently but reports one in the middle', () => {
		const { session, warnings } = parseSynthetic([
			meta(), userText('first'), turn(), call('lost'), userText('second'), turn(), call('running'),
		]);
		assert.deepEqual(toolCalls(session).map((c) => c.id), ['lost', 'running']);
		assert.equal(withRole(session, 'tool').length, 0);
		// line 4 holds the 'lost' call (meta, user, turn_context, call).
		assert.deepEqual(warnings.map((w) => [w.line, w.message]), [[4, 'tool call lost (shell) has no result']]);
	});

	void it('drops orphan and duplicate results with warnings', () => {
		const { session, warnings } = parseSynthetic([
			meta(), userText('x'), turn(), call('k'), output('k', 'one'), output('k', 'two'), output('ghost', 'none'), assistantText('ok'),
		]);
		assert.deepEqual(withRole(session, 'tool').map((m) => m.content), ['one']);
		assert.deepEqual(warnings.map((w) => w.line), [6, 7]);
		assertOpenAiShape(session.messages, { anyOrder: true });
	});

	void it('represents call items with a call id, skips the rest with a warning, never throws on unknown items', () => {
		const { session, warnings } = parseSynthetic([
			meta(), userText('search'), turn(),
			item({ type: 'local_shell_call', call_id: 'ls1', status: 'completed', action: { type: 'exec', command: ['pwd'] } }),
			output('ls1', JSON.stringify({ output: '/w\n', metadata: { exit_code: 0 } })),
			item({ type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'codex' } }),
			item({ type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'again' } }),
			item({ type: 'ghost_snapshot', ghost_commit: { id: 'abc', parent: 'def' } }),
			item({ type: 'hologram', data: 1 }),
			{ type: 'telemetry', payload: { x: 1 } },
			assistantText('found it'),
		]);
		assert.deepEqual(toolCalls(session).map((c) => [c.function.name, JSON.parse(c.function.arguments)]), [['local_shell', { type: 'exec', command: ['pwd'] }]]);
		assert.equal(withRole(session, 'tool')[0].content, '/w\n');
		assert.deepEqual(warnings.map((w) => [w.line, w.message]), [
			[6, 'skipped 2 web_search_call records without a call id (first shown at this line)'],
			[9, 'skipped 1 response_item records of unknown type "hologram" (first shown at this line)'],
			[10, 'skipped 1 records of unknown type "telemetry" (first shown at this line)'],
		]);
	});
});

void describe('codex importer: turns, context and metadata', () => {
	void it('classifies injected user text by marker when the file has no UI stream', () => {
		const { session } = parseSynthetic([
			meta(),
			item({ type: 'message', role: 'developer', content: [{ type: 'input_text', text: '<permissions instructions>sandboxed</permissions instructions>' }] }),
			userText('<user_instructions>\nbe brief\n</user_instructions>'),
			userText('<environment_context>\n  <cwd>/w</cwd>\n</environment_context>'),
			userText('# Context from my IDE setup:\n\n## Active file: a.ts\n\n## My request for Codex:\nFix   the\nbug'),
			turn(), assistantText('Fixed.'),
			userText('<turn_aborted>\nThe user interrupted.\n</turn_aborted>'),
			userText('<user_shell_command>\n<command>ls</command>\n</user_shell_command>'),
		]);
		assert.deepEqual(session.messages.map((m) => [m.role, m.context]), [
			['system', 'instructions'], ['user', 'instructions'], ['user', 'environment'], ['user', null],
			['assistant', null], ['user', 'interrupt'], ['user', 'command'],
		]);
		assert.equal(session.title, 'Fix the bug');
	});

	void it('uses user_message events to confirm human turns and reports a turn only the UI saw', () => {
		const { session, warnings } = parseSynthetic([
			meta(),
			userText('unmarked harness preamble'),
			userText('real question'),
			event({ type: 'user_message', message: 'real question', images: [] }),
			turn(), assistantText('answer'),
			event({ type: 'agent_message', message: 'answer' }),
			event({ type: 'user_message', message: 'typed but never sent', images: [] }),
			turn(), assistantText('second answer'),
		]);
		assert.deepEqual(humans(session).map((m) => m.content), ['real question']);
		assert.deepEqual(userContext(session).map((m) => [m.content, m.context]), [['unmarked harness preamble', 'meta']]);
		assert.equal(withRole(session, 'assistant').length, 2, 'agent_message events never add messages');
		assert.deepEqual(warnings.map((w) => w.line), [8]);
	});

	void it('matches a prompt to its event by text even across a model output (input sent mid-turn)', () => {
		const { session, warnings } = parseSynthetic([
			meta(), userText('start'), event({ type: 'user_message', message: 'start' }),
			turn(), call('m1'),
			event({ type: 'user_message', message: 'also check the tests' }),
			output('m1', 'x'), userText('also check the tests'), turn(), assistantText('checked'),
		]);
		assert.deepEqual(humans(session).map((m) => m.content), ['start', 'also check the tests']);
		assert.deepEqual(warnings, []);
	});

	void it('counts images and truncates the title to one line of 80 characters', () => {
		const long = `${'word '.repeat(30)}\nsecond line`;
		const { session } = parseSynthetic([
			meta(),
			item({ type: 'message', role: 'user', content: [{ type: 'input_text', text: long }, { type: 'input_image', image_url: 'data:image/png;base64,AAAA' }] }),
		]);
		assert.equal(humans(session)[0].images, 1);
		assert.equal(session.title?.length, 80);
		assert.ok(session.title?.endsWith('…'));
		assert.ok(!session.title?.includes('\n'));
	});

	void it('turns compacted records into compaction context', () => {
		const { session, warnings } = parseSynthetic([
			meta(), userText('long task'), turn(), assistantText('working'),
			{ type: 'compacted', payload: { message: 'Summary: we refactored the parser.' } },
			{ type: 'compacted', payload: { message: '', replacement_history: [] } },
			userText('continue'), turn(), assistantText('continuing'),
		]);
		assert.deepEqual(session.messages.map((m) => [m.role, m.context]), [
			['user', null], ['assistant', null], ['user', 'compaction'], ['user', null], ['assistant', null],
		]);
		assert.equal(session.messages[2].content, 'Summary: we refactored the parser.');
		assert.deepEqual(warnings.map((w) => w.line), [6]);
	});

	void it('keeps the first session id across a resume and fills metadata the first meta lacked', () => {
		const { session } = parseSynthetic([
			meta('first-id'), userText('one'), turn('gpt-5-codex'), assistantText('a'),
			meta('second-id', { cli_version: '0.70.0', git: { branch: 'dev', commit_hash: 'c0ffee', repository_url: 'https://example.invalid/r.git' } }),
			userText('two'), turn('gpt-5.1-codex'), assistantText('b'), turn('gpt-5.1-codex'), assistantText('c'),
		]);
		assert.equal(session.id, 'codex:first-id');
		assert.equal(session.agent_version, '0.60.0');
		assert.equal(session.git_branch, 'dev');
		assert.equal(session.git_commit, 'c0ffee');
		assert.deepEqual(withRole(session, 'assistant').map((m) => m.model), ['gpt-5-codex', 'gpt-5.1-codex', 'gpt-5.1-codex']);
		assert.equal(session.model, 'gpt-5.1-codex');
		assert.deepEqual(session.models, ['gpt-5-codex', 'gpt-5.1-codex']);
	});

	void it('falls back to the uuid in the file name and links subagent threads to their parent', () => {
		const noMeta = parseSynthetic([userText('hi'), turn(), assistantText('hello')]);
		assert.equal(noMeta.session.id, 'codex:01234567-89ab-7cde-8f01-23456789abcd');
		assert.equal(noMeta.session.agent_version, null);
		assert.equal(noMeta.session.git_branch, null);
		const child = parseSynthetic([
			meta('child', { source: { subagent: { thread_spawn: { parent_thread_id: 'parent', depth: 1, agent_role: 'explorer' } } } }),
			userText('look'),
		]);
		assert.equal(child.session.parent_session_id, 'codex:parent');
		assert.equal(child.session.subagent_type, 'explorer');
	});

	void it('attaches reasoning to the next assistant output and drops it when the turn is cut off', () => {
		const reasoning = (text: string): Line => item({ type: 'reasoning', summary: [{ type: 'summary_text', text }], content: null, encrypted_content: 'opaque' });
		const { session, warnings } = parseSynthetic([
			meta(), userText('q'), turn(), reasoning('thinking A'), call('r1'), output('r1', 'x'), reasoning('thinking B'), assistantText('final'),
			reasoning('cut off'), userText('stop'),
		]);
		assert.deepEqual(withRole(session, 'assistant').map((m) => m.reasoning), ['thinking A', 'thinking B']);
		assert.deepEqual(warnings.map((w) => w.line), [9]);
	});
});

void describe('codex importer: token usage', () => {
	void it('ignores info:null and repeated totals, and bills each response once', () => {
		const { session } = parseSynthetic([
			meta(), userText('q'), turn(),
			event({ type: 'token_count', info: null, rate_limits: {} }),
			call('t1'), tokens(1000, 200, 50, 1000, 50), output('t1', 'x'), turn(),
			tokens(1000, 200, 50, 1000, 50),
			assistantText('done'), tokens(2500, 900, 80, 1500, 30),
			assistantText('no new call behind this one'), tokens(2500, 900, 80, 1500, 30),
		]);
		assert.deepEqual(session.usage, { input_tokens: 1600, output_tokens: 80, cache_read_tokens: 900, cache_creation_tokens: 0, reasoning_tokens: 0 });
		// A repeated total reports no new call, so it bills nothing (not the previous call again).
		assert.deepEqual(withRole(session, 'assistant').map((m) => m.usage?.output_tokens), [50, 30, undefined]);
	});

	void it('adds segments when a resumed process restarts its cumulative totals', () => {
		const { session } = parseSynthetic([
			meta(), userText('q'), turn(), assistantText('a'), tokens(1000, 0, 100, 1000, 100),
			meta(), userText('again'), turn(), assistantText('b'), tokens(300, 0, 10, 300, 10),
		]);
		assert.deepEqual(session.usage, { input_tokens: 1300, output_tokens: 110, cache_read_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0 });
	});
});

void describe('codex importer: discovery', () => {
	void it('finds rollouts under CODEX_HOME or ~/.codex, live and archived', () => {
		assert.deepEqual(codexImporter.defaultRoots({ home: '/home/u', env: {}, platform: 'linux' }), ['/home/u/.codex/sessions', '/home/u/.codex/archived_sessions']);
		assert.deepEqual(codexImporter.defaultRoots({ home: '/home/u', env: { CODEX_HOME: '/data/codex' }, platform: 'darwin' }), ['/data/codex/sessions', '/data/codex/archived_sessions']);
		assert.deepEqual(codexImporter.defaultRoots({ home: 'C:\\Users\\u', env: {}, platform: 'win32' }), ['C:\\Users\\u\\.codex\\sessions', 'C:\\Users\\u\\.codex\\archived_sessions']);
	});

	void it('recognises rollout files by name and by their first record', () => {
		assert.ok(codexImporter.isSessionFile('/x/sessions/2026/01/02/rollout-2026-01-02T18-39-45-019b7f94-51b4-7593-922e-ba12b5b73b52.jsonl'));
		assert.ok(codexImporter.isSessionFile('C:\\x\\archived_sessions\\rollout-2026-01-02T18-39-45-abc.jsonl'));
		assert.ok(!codexImporter.isSessionFile('/x/history.jsonl'));
		assert.ok(!codexImporter.isSessionFile('/x/rollout-2025-01-01-abc.json'));
		for (const file of [CODEMIE, MADSHN_LONG, MADSHN_MCP]) {
			assert.ok(codexImporter.sniff(valueHead(recordsOf(fs.readFileSync(file))[0].value)), file);
		}
		assert.ok(!codexImporter.sniff(valueHead({ type: 'user', sessionId: 's', uuid: 'u', timestamp: '2026-01-01T00:00:00Z', message: {} })));
		assert.ok(!codexImporter.sniff(valueHead({ type: 'summary', summary: 'x', leafUuid: 'u' })));
		assert.ok(!codexImporter.sniff(valueHead({ timestamp: '2026-01-01T00:00:00Z', type: 'message', payload: {} })));
		assert.ok(!codexImporter.sniff(valueHead(null)));
	});

	void it('keys each rollout alone, and the same rollout in sessions/ and archived_sessions/ gives the same session', () => {
		const live = '/h/.codex/sessions/2026/02/23/rollout-a.jsonl';
		const archived = '/h/.codex/archived_sessions/rollout-a.jsonl';
		assert.equal(codexImporter.groupKey(live), live);
		assert.notEqual(codexImporter.groupKey(live), codexImporter.groupKey(archived));
		const bytes = fs.readFileSync(MADSHN_MCP);
		const a = onlySession(parseBytes(live, bytes));
		const b = onlySession(parseBytes(archived, bytes));
		assert.equal(a.id, b.id);
		assert.equal(codexImporter.agent, 'codex');
		assert.equal(codexImporter.parserVersion, 1);
	});
});
