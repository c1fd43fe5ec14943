/**
 * The TRL formats (messages, prompt-completion, preference, KTO) and the reward format: exact rows
 * from hand-built samples and pairs, the shared validator rejecting each trap, and every row of
 * the real fixture sessions valid with one key set and one value kind per column and per message.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TrainOn } from '../../shared/dataset';
import { type ChatMessage, type ChatSample, type ChatToolCall, type ToolSpec, emptyFixes, toChat, toolsOf } from '../../server/src/core/export/chatSample';
import type { ChatFormat, FormatNotes, PairFormat } from '../../server/src/core/export/formats/format';
import { reward } from '../../server/src/core/export/formats/reward';
import { trlKto } from '../../server/src/core/export/formats/trlKto';
import { MESSAGE_KEYS, trlConversation, trlMessage, trlTool } from '../../server/src/core/export/formats/trlMessage';
import { trlMessages } from '../../server/src/core/export/formats/trlMessages';
import { trlPreference } from '../../server/src/core/export/formats/trlPreference';
import { trlPromptCompletion } from '../../server/src/core/export/formats/trlPromptCompletion';
import type { PreferencePair } from '../../server/src/core/export/preference/pair';
import { sampleParts } from '../../server/src/core/export/sampleParts';
import { fixtureSessions } from '../support/fixtureSessions';

const CHAT_FORMATS: ChatFormat[] = [trlMessages, trlPromptCompletion, reward];
const PAIR_FORMATS: PairFormat[] = [trlPreference, trlKto];

function recorder(): { notes: FormatNotes; dropped: Record<string, number>; fixed: Record<string, number> } {
	const dropped: Record<string, number> = {};
	const fixed: Record<string, number> = {};
	return {
		dropped, fixed,
		notes: {
			dropped: (reason) => { dropped[reason] = (dropped[reason] ?? 0) + 1; },
			fixed: (reason, count = 1) => { fixed[reason] = (fixed[reason] ?? 0) + count; },
		},
	};
}

const call = (id: string, name: string, args: Record<string, unknown>): ChatToolCall => ({ id, name, arguments: JSON.stringify(args), args });
const system = (content: string): ChatMessage => ({ role: 'system', content });
const user = (content: string): ChatMessage => ({ role: 'user', content });
const assistant = (content: string, toolCalls: ChatToolCall[] = [], train = true): ChatMessage => ({ role: 'assistant', content, toolCalls, train });
const result = (toolCallId: string, name: string, content: string): ChatMessage => ({ role: 'tool', content, toolCallId, name });

const BASH: ToolSpec = { name: 'Bash', parameters: { type: 'object', properties: { command: { type: 'string' } } } };
const READ: ToolSpec = { name: 'Read', parameters: { type: 'object', properties: { limit: { type: 'integer' }, path: { type: 'string' } } } };

function sample(messages: ChatMessage[], extra: Partial<ChatSample> = {}): ChatSample {
	return { id: 's1', sessionId: 's1', part: 1, parts: 1, split: 'train', reward: 0.75, messages, tools: [BASH, READ], ...extra };
}

// The TRL messages the hand-built conversations below turn into.
const tSystem = { role: 'system', content: 'Be brief.', tool_calls: [], tool_call_id: '', name: '' };
const tUser = { role: 'user', content: 'Fix the test.', tool_calls: [], tool_call_id: '', name: '' };
const tCalls = {
	role: 'assistant', content: '', tool_call_id: '', name: '',
	tool_calls: [
		{ id: 'c1', type: 'function', function: { name: 'Bash', arguments: { command: 'npm test' } } },
		{ id: 'c2', type: 'function', function: { name: 'Read', arguments: { path: 'a.ts', limit: 20 } } },
	],
};
const tResult1 = { role: 'tool', content: '1 failing', tool_calls: [], tool_call_id: 'c1', name: 'Bash' };
const tResult2 = { role: 'tool', content: 'export const a = 1;', tool_calls: [], tool_call_id: 'c2', name: 'Read' };
const tDone = { role: 'assistant', content: 'Fixed.', tool_calls: [], tool_call_id: '', name: '' };
const tTools = [
	{ type: 'function', function: { name: 'Bash', description: '', parameters: BASH.parameters } },
	{ type: 'function', function: { name: 'Read', description: '', parameters: READ.parameters } },
];

/** System, task, two parallel calls, their results, the answer. */
function parallel(train = true): ChatMessage[] {
	return [
		system('Be brief.'), user('Fix the test.'),
		assistant('', [call('c1', 'Bash', { command: 'npm test' }), call('c2', 'Read', { path: 'a.ts', limit: 20 })], train),
		result('c1', 'Bash', '1 failing'), result('c2', 'Read', 'export const a = 1;'),
		assistant('Fixed.'),
	];
}

void describe('TRL message conversion', () => {
	void it('gives every role the same five keys, arguments as objects and results with id and name', () => {
		const r = recorder();
		assert.deepEqual(trlConversation(parallel(), r.notes), [tSystem, tUser, tCalls, tResult1, tResult2, tDone]);
		assert.deepEqual(Object.keys(trlMessage(user('x'))), [...MESSAGE_KEYS]);
		assert.deepEqual(r.fixed, {});
	});

	void it('writes a tool as a function spec with an empty description', () => {
		assert.deepEqual(trlTool(READ), tTools[1]);
	});

	void it('puts parallel results in the order of their calls', () => {
		const messages = parallel();
		[messages[3], messages[4]] = [messages[4], messages[3]];
		const r = recorder();
		assert.deepEqual(trlConversation(messages, r.notes).slice(3, 5), [tResult1, tResult2]);
		assert.deepEqual(r.fixed, { 'tool results put in the order of their calls': 1 });
	});
});

void describe('trl_messages', () => {
	void it('writes the whole conversation with its tools', () => {
		const r = recorder();
		const rows = trlMessages.rows(sample(parallel()), r.notes);
		assert.deepEqual(rows, [{ messages: [tSystem, tUser, tCalls, tResult1, tResult2, tDone], tools: tTools }]);
		assert.deepEqual(trlMessages.validate(rows[0]), []);
		assert.deepEqual(r.fixed, {});
	});

	void it('reports untrained turns it has to train, and drops a sample with no trained turn', () => {
		const r = recorder();
		assert.equal(trlMessages.rows(sample(parallel(false)), r.notes).length, 1);
		assert.deepEqual(r.fixed, { 'assistant turns marked untrained are trained too (no per-turn weight in TRL)': 1 });
		const none = parallel(false);
		none[5] = assistant('Fixed.', [], false);
		assert.deepEqual(trlMessages.rows(sample(none), r.notes), []);
		assert.deepEqual(r.dropped, { 'no trained assistant turn': 1 });
	});
});

void describe('trl_prompt_completion', () => {
	void it('makes the last trained turn the completion and everything before it the prompt', () => {
		const r = recorder();
		const rows = trlPromptCompletion.rows(sample(parallel()), r.notes);
		assert.deepEqual(rows, [{ prompt: [tSystem, tUser, tCalls, tResult1, tResult2], completion: [tDone], tools: tTools }]);
		assert.deepEqual(trlPromptCompletion.validate(rows[0]), []);
		assert.deepEqual(r.fixed, { 'trained turns before the final stretch became prompt context': 1 });
	});

	void it('joins the untrained messages of the final stretch, ends on the trained call and leaves its results out', () => {
		const r = recorder();
		const messages = [
			...parallel(false).slice(0, 5),
			assistant('Now the fix.', [], false),
			assistant('', [call('c3', 'Bash', { command: 'npm test' })]),
			result('c3', 'Bash', 'ok'),
		];
		const rows = trlPromptCompletion.rows(sample(messages), r.notes);
		const tNow = { ...tDone, content: 'Now the fix.' };
		const tFix = { ...tDone, content: '', tool_calls: [{ id: 'c3', type: 'function', function: { name: 'Bash', arguments: { command: 'npm test' } } }] };
		assert.deepEqual(rows, [{ prompt: [tSystem, tUser, tCalls, tResult1, tResult2], completion: [tNow, tFix], tools: tTools }]);
		assert.deepEqual(trlPromptCompletion.validate(rows[0]), []);
		assert.deepEqual(r.fixed, {
			'untrained assistant messages joined the trained turn they precede': 1,
			'messages after the last trained turn left out': 1,
		});
	});

	void it('drops a sample with no trained turn or nothing to prompt with', () => {
		const r = recorder();
		assert.deepEqual(trlPromptCompletion.rows(sample([user('x'), assistant('y', [], false)]), r.notes), []);
		assert.deepEqual(trlPromptCompletion.rows(sample([system('x'), assistant('y')]), r.notes), []);
		assert.deepEqual(r.dropped, { 'no trained assistant turn': 1, 'no user or tool message before the trained turn': 1 });
	});

	void it('writes a later part of a split session the same way', () => {
		const part = sample([system('Be brief.'), user('Fix the test.'), assistant('Done, all green.')], { id: 's1#2', part: 2, parts: 3 });
		assert.deepEqual(trlPromptCompletion.rows(part, recorder().notes), [{
			prompt: [tSystem, tUser], completion: [{ ...tDone, content: 'Done, all green.' }], tools: tTools,
		}]);
	});
});

/** A repair pair: the failed call and the one that worked after it. */
function repairPair(rejected = call('c3', 'Bash', { command: 'npm tset' })): PreferencePair {
	return {
		id: 'repair:s1:5', kind: 'repair', sessionIds: ['s1'], split: 'train',
		prompt: parallel().slice(0, 5),
		chosen: [assistant('', [call('c4', 'Bash', { command: 'npm test -- a' })])],
		rejected: [assistant('', [rejected])],
		tools: [BASH, READ], margin: 1, why: 'the retry exited 0',
	};
}

const tChosen = { ...tDone, content: '', tool_calls: [{ id: 'c4', type: 'function', function: { name: 'Bash', arguments: { command: 'npm test -- a' } } }] };
const tRejected = { ...tDone, content: '', tool_calls: [{ id: 'c3', type: 'function', function: { name: 'Bash', arguments: { command: 'npm tset' } } }] };
const tPrompt = [tSystem, tUser, tCalls, tResult1, tResult2];

void describe('trl_preference', () => {
	void it('writes prompt, chosen and rejected message lists with the tools', () => {
		const rows = trlPreference.rows(repairPair(), recorder().notes);
		assert.deepEqual(rows, [{ prompt: tPrompt, chosen: [tChosen], rejected: [tRejected], tools: tTools }]);
		assert.deepEqual(trlPreference.validate(rows[0]), []);
	});

	void it('accepts rollout answers that go on with tool results and turns', () => {
		const pair: PreferencePair = {
			...repairPair(), kind: 'rollout', sessionIds: ['s1', 's2'],
			prompt: parallel().slice(0, 2),
			chosen: parallel().slice(2),
			rejected: [assistant('', [call('c9', 'Bash', { command: 'ls' })]), result('c9', 'Bash', 'a.ts'), assistant('Cannot fix it.')],
		};
		const rows = trlPreference.rows(pair, recorder().notes);
		assert.deepEqual(rows.map((row) => trlPreference.validate(row)), [[]]);
	});

	void it('drops a pair whose answers are identical', () => {
		const r = recorder();
		assert.deepEqual(trlPreference.rows(repairPair(call('c4', 'Bash', { command: 'npm test -- a' })), r.notes), []);
		assert.deepEqual(r.dropped, { 'chosen and rejected are identical': 1 });
	});
});

void describe('trl_kto', () => {
	void it('writes the chosen answer labelled true and the rejected one labelled false', () => {
		const rows = trlKto.rows(repairPair(), recorder().notes);
		assert.deepEqual(rows, [
			{ prompt: tPrompt, completion: [tChosen], label: true, tools: tTools },
			{ prompt: tPrompt, completion: [tRejected], label: false, tools: tTools },
		]);
		assert.deepEqual(rows.map((row) => trlKto.validate(row)), [[], []]);
	});

	void it('drops a pair whose answers are identical', () => {
		const r = recorder();
		assert.deepEqual(trlKto.rows(repairPair(call('c4', 'Bash', { command: 'npm test -- a' })), r.notes), []);
		assert.deepEqual(r.dropped, { 'chosen and rejected are identical': 1 });
	});
});

void describe('reward', () => {
	void it('splits the task from what the session did and carries the reward', () => {
		const messages = parallel();
		messages.splice(2, 0, user('Only a.ts.'));
		const rows = reward.rows(sample(messages, { reward: 0.75 }), recorder().notes);
		assert.deepEqual(rows, [{
			prompt: [tSystem, tUser, { ...tUser, content: 'Only a.ts.' }],
			completion: [tCalls, tResult1, tResult2, tDone],
			reward: 0.75, tools: tTools,
		}]);
		assert.deepEqual(reward.validate(rows[0]), []);
	});

	void it('keeps a whole reward a number, and untrained turns in the completion', () => {
		const [row] = reward.rows(sample(parallel(false), { reward: 1 }), recorder().notes);
		assert.equal(row.reward, 1);
		assert.deepEqual(reward.validate(row), []);
	});

	void it('drops a sample whose first assistant turn answers no user message', () => {
		const r = recorder();
		assert.deepEqual(reward.rows(sample([system('x'), assistant('y'), user('z'), assistant('w')]), r.notes), []);
		assert.deepEqual(r.dropped, { 'no user message before the first assistant turn': 1 });
	});
});

void describe('TRL validators reject each trap', () => {
	const valid = () => structuredClone(trlMessages.rows(sample(parallel()), recorder().notes)[0]) as unknown as { messages: Record<string, unknown>[]; tools: unknown[] } & Record<string, unknown>;
	const calls = (row: ReturnType<typeof valid>) => row.messages[2].tool_calls as { id: string; function: Record<string, unknown> }[];
	const cases: [string, (row: ReturnType<typeof valid>) => void, string[]][] = [
		['arguments as a JSON string', (row) => { calls(row)[0].function.arguments = '{"command":"npm test"}'; }, ['messages: tool call arguments are a JSON string, not an object']],
		['arguments as a list', (row) => { calls(row)[0].function.arguments = ['npm test']; }, ['messages: tool call arguments are not an object']],
		['a call without type', (row) => { delete (calls(row)[0] as Record<string, unknown>).type; }, ['messages: a tool call is not {id, type, function: {name, arguments}}']],
		['an invalid tool name', (row) => { calls(row)[0].function.name = 'mcp.run'; }, ['messages: a tool call name is not 1-64 letters, digits, _ or -']],
		['tool_calls null', (row) => { row.messages[1].tool_calls = null; }, ['messages: a message tool_calls is not a list']],
		['a message missing a key', (row) => { delete row.messages[1].name; }, ['messages: a message does not have exactly the keys role, content, tool_calls, tool_call_id, name']],
		['an OpenAI weight on a turn', (row) => { row.messages[5].weight = 1; }, ['messages: a message does not have exactly the keys role, content, tool_calls, tool_call_id, name']],
		['the developer role', (row) => { row.messages[0].role = 'developer'; }, ['messages: a message role is not system, user, assistant or tool']],
		['content null', (row) => { row.messages[5].content = null; }, ['messages: a message content is not a string']],
		['content parts', (row) => { row.messages[1].content = [{ type: 'text', text: 'x' }]; }, ['messages: a message content is not a string']],
		['an empty tool output', (row) => { row.messages[3].content = ' '; }, ['messages: empty content (only an assistant turn that calls tools may have none)']],
		['an empty assistant turn', (row) => { row.messages[5].content = ''; }, ['messages: empty content (only an assistant turn that calls tools may have none)']],
		['tool calls on a user turn', (row) => { row.messages[1].tool_calls = [calls(row)[0]]; }, ['messages: a message that is not an assistant turn has tool calls']],
		['a tool_call_id on a user turn', (row) => { row.messages[1].tool_call_id = 'c1'; }, ['messages: tool_call_id and name are set on tool results only, and on every one']],
		['a tool result without a name', (row) => { row.messages[3].name = ''; }, ['messages: tool_call_id and name are set on tool results only, and on every one']],
		['a result for no call', (row) => { row.messages[4].tool_call_id = 'c7'; }, ['a tool result answers no call of the assistant turn before it', 'a tool call is left unanswered mid-conversation']],
		['results out of order', (row) => { [row.messages[3], row.messages[4]] = [row.messages[4], row.messages[3]]; }, ['tool results are not in the order of their calls']],
		['a result with the wrong name', (row) => { row.messages[3].name = 'Read'; }, ['a tool result name differs from the name of its call']],
		['a call left unanswered mid-conversation', (row) => { row.messages.splice(4, 1); }, ['a tool call is left unanswered mid-conversation']],
		['a result not straight after its call', (row) => { row.messages.splice(3, 0, { ...row.messages[1] }); }, ['a tool call is left unanswered mid-conversation', 'a tool result answers no call of the assistant turn before it']],
		['a duplicate call id', (row) => { calls(row)[1].id = 'c1'; row.messages[4].tool_call_id = 'c1'; }, ['a tool call id is used twice']],
		['an empty message list', (row) => { row.messages = []; }, ['messages: not a non-empty list of messages']],
		['no assistant message', (row) => { row.messages = row.messages.slice(0, 2); }, ['messages: no assistant message']],
		['an extra top-level key', (row) => { row.id = 's1'; }, ['row does not have exactly the keys messages, tools']],
		['tools as a JSON string', (row) => { (row as Record<string, unknown>).tools = JSON.stringify(row.tools); }, ['tools: not a list']],
		['a call to an undeclared tool', (row) => { row.tools = row.tools.slice(0, 1); }, ['tools: a tool call names a tool that is not declared']],
		['a tool declared twice', (row) => { row.tools.push(row.tools[0]); }, ['tools: a tool is declared twice']],
		['a bare tool schema', (row) => { row.tools[0] = { name: 'Bash', parameters: BASH.parameters }; }, ['tools: a tool is not {type: "function", function: {name, description, parameters: {type: "object", properties}}}', 'tools: a tool call names a tool that is not declared']],
	];
	for (const [name, breakIt, problems] of cases) {
		void it(`trl_messages: ${name}`, () => {
			const row = valid();
			breakIt(row);
			assert.deepEqual(trlMessages.validate(row), problems);
		});
	}

	void it('rejects a row that is not an object', () => {
		assert.deepEqual(trlMessages.validate([]), ['row is not an object']);
	});

	void it('trl_prompt_completion: a prompt ending on an assistant turn, a completion holding a result or nothing', () => {
		const [row] = trlPromptCompletion.rows(sample(parallel()), recorder().notes);
		assert.deepEqual(trlPromptCompletion.validate({ ...row, prompt: row.prompt.slice(0, 3), completion: row.completion }), [
			'prompt: does not end on a user or tool message', 'a tool call is left unanswered mid-conversation',
		]);
		assert.deepEqual(trlPromptCompletion.validate({ ...row, prompt: row.prompt.slice(0, 4), completion: [row.prompt[4], ...row.completion] }), [
			'completion: holds a message that is not assistant',
		]);
		assert.deepEqual(trlPromptCompletion.validate({ ...row, completion: [] }), ['completion: not a non-empty list of messages']);
	});

	void it('trl_preference: an answer starting with a result, identical answers, a missing answer', () => {
		const [row] = trlPreference.rows(repairPair(), recorder().notes);
		const stray = { ...tResult1, tool_call_id: 'c8' };
		assert.deepEqual(trlPreference.validate({ ...row, chosen: [stray, ...row.chosen] }), [
			'chosen: does not start with an assistant message', 'a tool result answers no call of the assistant turn before it',
		]);
		assert.deepEqual(trlPreference.validate({ ...row, rejected: row.chosen }), ['chosen and rejected are identical']);
		const { rejected: _rejected, ...implicit } = row;
		assert.deepEqual(trlPreference.validate(implicit), ['row does not have exactly the keys prompt, chosen, rejected, tools', 'rejected: not a non-empty list of messages']);
	});

	void it('trl_kto: a label that is a string or a number', () => {
		const [row] = trlKto.rows(repairPair(), recorder().notes);
		assert.deepEqual(trlKto.validate({ ...row, label: 'true' }), ['label is not a boolean']);
		assert.deepEqual(trlKto.validate({ ...row, label: 1 }), ['label is not a boolean']);
	});

	void it('reward: a reward that is a string or not finite, a prompt holding an assistant turn', () => {
		const [row] = reward.rows(sample(parallel()), recorder().notes);
		assert.deepEqual(reward.validate({ ...row, reward: '0.75' }), ['reward is not a finite number']);
		assert.deepEqual(reward.validate({ ...row, reward: Infinity }), ['reward is not a finite number']);
		assert.deepEqual(reward.validate({ ...row, prompt: [...row.prompt, tDone], completion: [tDone] }), [
			'prompt: holds a message that is not system or user', 'prompt: does not end on a user message',
		]);
	});
});

/** The value kinds of an object's keys, in order: what a schema inferred from one row would fix. */
function shapeOf(value: Record<string, unknown>): string {
	return JSON.stringify(Object.entries(value).map(([key, v]) => [key, v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v]));
}

function fixtureSamples(trainOn: TrainOn, maxTokens: number): ChatSample[] {
	const samples: ChatSample[] = [];
	fixtureSessions().forEach((session, n) => {
		const chat = toChat(session, trainOn, emptyFixes());
		if (!chat) {
			return;
		}
		const schemaOf = (name: string) => chat.tools.find((t) => t.name === name)!.parameters;
		const { parts } = sampleParts(chat.messages, maxTokens);
		parts.forEach((messages, i) => samples.push({
			id: parts.length > 1 ? `${session.id}#${i + 1}` : session.id, sessionId: session.id, part: i + 1, parts: parts.length,
			// Whole and fractional rewards both, as real scores are.
			split: 'train', reward: [0, 0.5, 1, 0.25][n % 4], messages, tools: toolsOf(messages, schemaOf),
		}));
	});
	return samples;
}

/** A rollout-like pair from a real sample: its final stretch (with what followed) against a short refusal. */
function fixturePair(s: ChatSample): PreferencePair | undefined {
	const last = s.messages.map((m) => m.role).lastIndexOf('assistant');
	const start = s.messages.slice(0, last).map((m) => m.role === 'user' || m.role === 'tool').lastIndexOf(true) + 1;
	if (start === 0) {
		return undefined;
	}
	return {
		id: `rollout:${s.id}:x`, kind: 'rollout', sessionIds: [s.sessionId, 'x'], split: s.split,
		prompt: s.messages.slice(0, start), chosen: s.messages.slice(start), rejected: [assistant('I could not finish this.')],
		tools: s.tools, margin: 0.5, why: 'higher reward',
	};
}

void describe('TRL formats on the real fixture sessions', () => {
	for (const [trainOn, maxTokens] of [['all', 0], ['final', 0], ['all', 1500]] as const) {
		void it(`every row valid, one key set and one value kind per column and per message (train on ${trainOn}, max tokens ${maxTokens})`, () => {
			const samples = fixtureSamples(trainOn, maxTokens);
			const pairs = samples.map(fixturePair).filter((p) => p !== undefined);
			assert.ok(samples.length >= 10 && pairs.length >= 10, `${samples.length} samples, ${pairs.length} pairs`);
			if (maxTokens > 0) {
				assert.ok(samples.some((s) => s.parts > 1), 'some session is split in parts');
			}
			const messageShapes = new Set<string>();
			const callShapes = new Set<string>();
			const toolShapes = new Set<string>();
			const made: [ChatFormat | PairFormat, unknown[]][] = [
				...CHAT_FORMATS.map((f): [ChatFormat, unknown[]] => [f, samples.flatMap((s) => f.rows(s, recorder().notes))]),
				...PAIR_FORMATS.map((f): [PairFormat, unknown[]] => [f, pairs.flatMap((p) => f.rows(p, recorder().notes))]),
			];
			for (const [format, rows] of made) {
				assert.ok(rows.length >= 10, `${format.name}: ${rows.length} rows`);
				const rowShapes = new Set<string>();
				for (const row of rows as Record<string, unknown>[]) {
					assert.deepEqual(format.validate(row), [], `${format.name}: ${JSON.stringify(row).slice(0, 300)}`);
					assert.deepEqual(Object.keys(row), Object.keys(format.features), format.name);
					rowShapes.add(shapeOf(row));
					for (const column of ['messages', 'prompt', 'completion', 'chosen', 'rejected'].filter((c) => c in row)) {
						for (const m of row[column] as Record<string, unknown>[]) {
							messageShapes.add(shapeOf(m));
							for (const c of m.tool_calls as Record<string, Record<string, unknown>>[]) {
								callShapes.add(`${shapeOf(c)} ${shapeOf(c.function)}`);
							}
						}
					}
					for (const t of row.tools as Record<string, Record<string, unknown>>[]) {
						toolShapes.add(`${shapeOf(t)} ${shapeOf(t.function)}`);
					}
				}
				assert.equal(rowShapes.size, 1, `${format.name}: ${[...rowShapes].join(' | ')}`);
			}
			assert.deepEqual([...messageShapes], [shapeOf({ role: '', content: '', tool_calls: [], tool_call_id: '', name: '' })]);
			assert.deepEqual([...callShapes], [`${shapeOf({ id: '', type: '', function: {} })} ${shapeOf({ name: '', arguments: {} })}`]);
			assert.deepEqual([...toolShapes], [`${shapeOf({ type: '', function: {} })} ${shapeOf({ name: '', description: '', parameters: {} })}`]);
		});
	}
});
