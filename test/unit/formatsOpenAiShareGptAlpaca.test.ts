/**
 * The OpenAI chat, OpenAI DPO, ShareGPT and Alpaca formats: exact rows from hand-built samples
 * and pairs (parallel calls, placeholders, train flags, every merge and drop), validators
 * rejecting each trap of the format notes, and every real fixture session through `toChat` and
 * each chat format (every row valid, every row of a format with the same keys and value kinds).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyUsage, Session, type MessageInput } from '../../shared/model';
import { EMPTY_TOOL_OUTPUT, emptyFixes, toChat, type ChatMessage, type ChatSample, type ChatToolCall, type ToolSpec } from '../../server/src/core/export/chatSample';
import { alpaca } from '../../server/src/core/export/formats/alpaca';
import type { ChatFormat, FormatNotes } from '../../server/src/core/export/formats/format';
import { openaiChat, validateOpenAiChatLine } from '../../server/src/core/export/formats/openaiChat';
import { openaiDpo } from '../../server/src/core/export/formats/openaiDpo';
import { sharegpt } from '../../server/src/core/export/formats/sharegpt';
import type { PreferencePair } from '../../server/src/core/export/preference/pair';
import { fixtureSessions } from '../support/fixtureSessions';

// ---- Building samples ----

const system = (content: string): ChatMessage => ({ role: 'system', content });
const user = (content: string): ChatMessage => ({ role: 'user', content });
const say = (content: string, train = true): ChatMessage => ({ role: 'assistant', content, toolCalls: [], train });
const calls = (content: string, toolCalls: ChatToolCall[], train = true): ChatMessage => ({ role: 'assistant', content, toolCalls, train });
const result = (c: ChatToolCall, content: string): ChatMessage => ({ role: 'tool', content, toolCallId: c.id, name: c.name });
const call = (id: string, name: string, args: Record<string, unknown>): ChatToolCall => ({ id, name, arguments: JSON.stringify(args), args });

function spec(name: string, properties: ToolSpec['parameters']['properties']): ToolSpec {
	return { name, parameters: { type: 'object', properties } };
}

function sample(messages: ChatMessage[], tools: ToolSpec[] = []): ChatSample {
	return { id: 's1', sessionId: 's1', part: 1, parts: 1, split: 'train', reward: 0.5, messages, tools };
}

function collect(): { notes: FormatNotes; dropped: Record<string, number>; fixed: Record<string, number> } {
	const dropped: Record<string, number> = {};
	const fixed: Record<string, number> = {};
	return {
		dropped, fixed, notes: {
			dropped: (reason) => { dropped[reason] = (dropped[reason] ?? 0) + 1; },
			fixed: (reason, n = 1) => { fixed[reason] = (fixed[reason] ?? 0) + n; },
		},
	};
}

const READ = call('c1', 'Read', { path: 'a.py' });
const GREP = call('c2', 'Grep', { pattern: 'def' });
const TEST = call('c3', 'Bash', { command: 'npm test' });
const FAST = call('c4', 'Bash', { command: 'npm run fast' });
const TOOLS = [spec('Bash', { command: { type: 'string' } }), spec('Grep', { pattern: { type: 'string' } }), spec('Read', { path: { type: 'string' } })];

/** Every shape at once: parallel calls answered out of order, a later system message, a placeholder result, an interjection, train-on-final. */
const AGENT_SAMPLE = sample([
	system('Rules.'),
	user('Fix a.py'),
	user('Quickly.'),
	calls('Looking.', [READ, GREP], false),
	result(GREP, 'a.py:1:def f'),
	result(READ, 'def f(): pass'),
	say('Found it.', false),
	say('It is f.', false),
	system('Summary: earlier work.'),
	user('Now run the tests.'),
	calls('', [TEST], false),
	result(TEST, EMPTY_TOOL_OUTPUT),
	user('Stop, use the fast suite.'),
	say('Running the fast suite.', false),
	calls('', [FAST], true),
	result(FAST, 'ok'),
], TOOLS);

const openAiCall = (c: ChatToolCall) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } });
const openAiTools = TOOLS.map((t) => ({ type: 'function', function: { name: t.name, parameters: t.parameters } }));

// ---- OpenAI chat ----

void describe('openai_chat rows', () => {
	void it('writes weights from train flags, calls with string arguments, results by id', () => {
		const { notes, dropped, fixed } = collect();
		const rows = openaiChat.rows(AGENT_SAMPLE, notes);
		assert.deepEqual(rows, [{
			messages: [
				{ role: 'system', content: 'Rules.' },
				{ role: 'user', content: 'Fix a.py' },
				{ role: 'user', content: 'Quickly.' },
				{ role: 'assistant', content: 'Looking.', weight: 0, tool_calls: [openAiCall(READ), openAiCall(GREP)] },
				{ role: 'tool', content: 'a.py:1:def f', tool_call_id: 'c2' },
				{ role: 'tool', content: 'def f(): pass', tool_call_id: 'c1' },
				{ role: 'assistant', content: 'Found it.', weight: 0 },
				{ role: 'assistant', content: 'It is f.', weight: 0 },
				{ role: 'system', content: 'Summary: earlier work.' },
				{ role: 'user', content: 'Now run the tests.' },
				{ role: 'assistant', content: '', weight: 0, tool_calls: [openAiCall(TEST)] },
				{ role: 'tool', content: '(no output)', tool_call_id: 'c3' },
				{ role: 'user', content: 'Stop, use the fast suite.' },
				{ role: 'assistant', content: 'Running the fast suite.', weight: 0 },
				{ role: 'assistant', content: '', weight: 1, tool_calls: [openAiCall(FAST)] },
				{ role: 'tool', content: 'ok', tool_call_id: 'c4' },
			],
			tools: openAiTools,
			parallel_tool_calls: true,
		}]);
		assert.deepEqual(Object.keys(rows[0]), Object.keys(openaiChat.features));
		assert.deepEqual(Object.keys(rows[0].messages[3]), ['role', 'content', 'weight', 'tool_calls']);
		assert.deepEqual(openaiChat.validate(rows[0]), []);
		assert.deepEqual([dropped, fixed], [{}, {}]);
	});

	void it('puts the placeholder in an empty tool result (through toChat)', () => {
		const session = sessionOf([
			{ role: 'user', content: 'list files' },
			{ role: 'assistant', content: '', tool_calls: [{ id: 't1', type: 'function', function: { name: 'Bash', arguments: '{"command":"ls"}' } }] },
			{ role: 'tool', content: '  ', tool_call_id: 't1', name: 'Bash' },
			{ role: 'assistant', content: 'Empty folder.' },
		]);
		const chat = toChat(session, 'all', emptyFixes())!;
		const [row] = openaiChat.rows(sample(chat.messages, chat.tools), collect().notes);
		assert.deepEqual(row.messages[2], { role: 'tool', content: '(no output)', tool_call_id: 't1' });
		assert.deepEqual(openaiChat.validate(row), []);
	});

	void it('drops a sample with no trained assistant turn', () => {
		const { notes, dropped } = collect();
		assert.deepEqual(openaiChat.rows(sample([user('hi'), say('hello', false)]), notes), []);
		assert.deepEqual(dropped, { 'no trained assistant turn': 1 });
	});
});

void describe('openai_chat validator', () => {
	const base = () => structuredClone(openaiChat.rows(AGENT_SAMPLE, collect().notes)[0]) as unknown as { messages: Record<string, unknown>[]; tools: Record<string, unknown>[]; [key: string]: unknown };
	const asst = (content: string, extra: Record<string, unknown> = {}) => ({ role: 'assistant', content, weight: 1, ...extra });
	const line = (messages: unknown[], tools: unknown[] = openAiTools) => ({ messages, tools, parallel_tool_calls: true });
	const readCall = (args: unknown = '{"path":"a.py"}', id = 'c1') => ({ id, type: 'function', function: { name: 'Read', arguments: args } });

	void it('accepts a trailing unanswered call (the spec\'s own example ends on one)', () => {
		assert.deepEqual(validateOpenAiChatLine(line([{ role: 'user', content: 'x' }, asst('', { tool_calls: [readCall()] })])), []);
	});

	const cases: Array<[string, unknown, RegExp]> = [
		['not an object', [1, 2], /data_type/],
		['no messages', { messages: [], tools: [] }, /missing_messages_list/],
		['an extra top-level key (id)', { ...base(), id: 's1' }, /unrecognized top-level key "id"/],
		['an extra top-level key (metadata)', { ...base(), metadata: {} }, /unrecognized top-level key "metadata"/],
		['legacy functions', { ...base(), functions: [] }, /unrecognized top-level key "functions"/],
		['the developer role', line([{ role: 'developer', content: 'x' }, { role: 'user', content: 'x' }, asst('ok')]), /unrecognized_role developer/],
		['the legacy function role', line([{ role: 'user', content: 'x' }, { role: 'function', content: 'x', name: 'f' }, asst('ok')]), /unrecognized_role function/],
		['arguments as an object', line([{ role: 'user', content: 'x' }, asst('', { tool_calls: [readCall({ path: 'a' })] }), { role: 'tool', content: 'y', tool_call_id: 'c1' }, asst('ok')]), /JSON-encoded string/],
		['arguments that are not JSON', line([{ role: 'user', content: 'x' }, asst('', { tool_calls: [readCall('{path')] })]), /encode a JSON object/],
		['arguments that encode a list', line([{ role: 'user', content: 'x' }, asst('', { tool_calls: [readCall('[1]')] })]), /encode a JSON object/],
		['an unanswered call mid-chat', line([{ role: 'user', content: 'x' }, asst('', { tool_calls: [readCall()] }), { role: 'user', content: 'go on' }, asst('ok')]), /not answered/],
		['a result without its call', line([{ role: 'user', content: 'x' }, { role: 'tool', content: 'y', tool_call_id: 'zz' }, asst('ok')]), /answers no pending call/],
		['a result not right after its call', line([{ role: 'user', content: 'x' }, asst('', { tool_calls: [readCall()] }), asst('hm'), { role: 'tool', content: 'y', tool_call_id: 'c1' }, asst('ok')]), /answers no pending call/],
		['duplicate call ids', line([{ role: 'user', content: 'x' }, asst('', { tool_calls: [readCall()] }), { role: 'tool', content: 'y', tool_call_id: 'c1' }, asst('', { tool_calls: [readCall()] }), { role: 'tool', content: 'y', tool_call_id: 'c1' }, asst('ok')]), /duplicate tool call id/],
		['tool_calls: null', line([{ role: 'user', content: 'x' }, asst('ok', { tool_calls: null })]), /non-empty list/],
		['an SDK annotations key', line([{ role: 'user', content: 'x' }, asst('ok', { annotations: [] })]), /message_unrecognized_key annotations/],
		['a boolean weight', line([{ role: 'user', content: 'x' }, asst('ok', { weight: true })]), /weight must be the integer 0 or 1/],
		['a string weight', line([{ role: 'user', content: 'x' }, asst('ok', { weight: '1' })]), /weight must be the integer 0 or 1/],
		['a fractional weight', line([{ role: 'user', content: 'x' }, asst('ok', { weight: 0.5 })]), /weight must be the integer 0 or 1/],
		['a weight on a user message', line([{ role: 'user', content: 'x', weight: 1 }, asst('ok')]), /only allowed on assistant/],
		['a weight on a tool message', line([{ role: 'user', content: 'x' }, asst('', { tool_calls: [readCall()] }), { role: 'tool', content: 'y', tool_call_id: 'c1', weight: 0 }, asst('ok')]), /only allowed on assistant/],
		['every assistant turn at weight 0', line([{ role: 'user', content: 'x' }, asst('ok', { weight: 0 })]), /every assistant message has weight 0/],
		['empty user content', line([{ role: 'user', content: '' }, asst('ok')]), /missing_content/],
		['an empty tool result', line([{ role: 'user', content: 'x' }, asst('', { tool_calls: [readCall()] }), { role: 'tool', content: '', tool_call_id: 'c1' }, asst('ok')]), /missing_content/],
		['empty assistant content without calls', line([{ role: 'user', content: 'x' }, asst(' ')]), /missing_content/],
		['content-part arrays', line([{ role: 'user', content: [{ type: 'text', text: 'x' }] }, asst('ok')]), /content must be a string/],
		['a missing content key', line([{ role: 'user' }, asst('ok')]), /message_missing_key content/],
		['no user message', line([{ role: 'system', content: 'x' }, asst('ok')]), /example_missing_user_message/],
		['no assistant message', line([{ role: 'user', content: 'x' }]), /example_missing_assistant_message/],
		['an undeclared tool', line([{ role: 'user', content: 'x' }, asst('', { tool_calls: [readCall()] })], []), /not declared in tools/],
		['an invalid tool name', line([{ role: 'user', content: 'x' }, asst('', { tool_calls: [{ id: 'c1', type: 'function', function: { name: 'mcp.read file', arguments: '{}' } }] })]), /1-64 letters/],
		['a wrapped tool without type', line([{ role: 'user', content: 'x' }, asst('ok')], [{ function: { name: 'Read' } }]), /tool definitions must be/],
		['a string parallel_tool_calls', { ...line([{ role: 'user', content: 'x' }, asst('ok')]), parallel_tool_calls: 'true' }, /must be a boolean/],
		['two calls with parallel_tool_calls false', { ...line([{ role: 'user', content: 'x' }, asst('', { tool_calls: [readCall(), readCall(undefined, 'c2')] })]), parallel_tool_calls: false }, /parallel_tool_calls is false/],
	];
	for (const [name, row, expected] of cases) {
		void it(`rejects ${name}`, () => {
			const problems = validateOpenAiChatLine(row);
			assert.ok(problems.some((p) => expected.test(p)), `expected ${expected} in ${JSON.stringify(problems)}`);
		});
	}
});

// ---- OpenAI DPO ----

const EDIT = call('c2', 'Edit', { path: 'a.py', old: 'x', new: 'y' });
const DPO_TOOLS = [spec('Edit', { new: { type: 'string' }, old: { type: 'string' }, path: { type: 'string' } }), spec('Read', { path: { type: 'string' } })];

function pair(chosen: ChatMessage[], rejected: ChatMessage[], prompt: ChatMessage[] = [user('Fix a.py'), calls('', [READ]), result(READ, 'Traceback: x')]): PreferencePair {
	return { id: 'repair:s1:3', kind: 'repair', sessionIds: ['s1'], split: 'train', prompt, chosen, rejected, tools: DPO_TOOLS, margin: 1, why: 'the edit fixed the error' };
}

void describe('openai_dpo rows', () => {
	void it('writes the input without weights and one assistant message per side, calls included', () => {
		const { notes, dropped } = collect();
		const rows = openaiDpo.rows(pair([calls('', [EDIT])], [say('It works now.')]), notes);
		assert.deepEqual(rows, [{
			input: {
				messages: [
					{ role: 'user', content: 'Fix a.py' },
					{ role: 'assistant', content: '', tool_calls: [openAiCall(READ)] },
					{ role: 'tool', content: 'Traceback: x', tool_call_id: 'c1' },
				],
				tools: DPO_TOOLS.map((t) => ({ type: 'function', function: { name: t.name, parameters: t.parameters } })),
				parallel_tool_calls: true,
			},
			preferred_output: [{ role: 'assistant', content: '', tool_calls: [openAiCall(EDIT)] }],
			non_preferred_output: [{ role: 'assistant', content: 'It works now.' }],
		}]);
		assert.deepEqual(Object.keys(rows[0]), Object.keys(openaiDpo.features));
		assert.deepEqual(openaiDpo.validate(rows[0]), []);
		assert.deepEqual(dropped, {});
	});

	const drops: Array<[string, PreferencePair, string]> = [
		['a rollout holding a trajectory', pair([calls('', [EDIT]), result(EDIT, 'ok'), say('Done.')], [say('It works now.')]), 'openai dpo outputs hold exactly one assistant message'],
		['a side that is not an assistant message', pair([user('x')], [say('It works now.')]), 'openai dpo outputs hold exactly one assistant message'],
		['identical sides (call ids aside)', pair([calls('', [EDIT])], [calls('', [{ ...EDIT, id: 'c9', arguments: '{"new":"y","old":"x","path":"a.py"}' }])]), 'chosen and rejected are identical'],
		['an input ending on an assistant turn', pair([say('a')], [say('b')], [user('x'), say('hm')]), 'dpo input does not end on a user or tool message'],
	];
	for (const [name, p, reason] of drops) {
		void it(`drops ${name}`, () => {
			const { notes, dropped } = collect();
			assert.deepEqual(openaiDpo.rows(p, notes), []);
			assert.deepEqual(dropped, { [reason]: 1 });
		});
	}
});

void describe('openai_dpo validator', () => {
	const valid = () => structuredClone(openaiDpo.rows(pair([calls('', [EDIT])], [say('It works now.')]), collect().notes)[0]) as unknown as Record<string, unknown> & { input: { messages: unknown[] } };
	const withInput = (messages: unknown[]) => ({ ...valid(), input: { ...valid().input, messages } });
	const cases: Array<[string, unknown, RegExp]> = [
		['the old _completion names', (() => { const { preferred_output: p, non_preferred_output: n, input } = valid(); return { input, preferred_completion: p, non_preferred_completion: n }; })(), /unrecognized top-level key "preferred_completion"/],
		['two messages in an output', { ...valid(), preferred_output: [{ role: 'assistant', content: 'a' }, { role: 'assistant', content: 'b' }] }, /preferred_output must hold exactly one message/],
		['a user message as output', { ...valid(), non_preferred_output: [{ role: 'user', content: 'a' }] }, /must be an assistant message/],
		['identical outputs', { ...valid(), non_preferred_output: valid().preferred_output }, /identical/],
		['an input ending on an assistant turn', withInput([{ role: 'user', content: 'x' }, { role: 'assistant', content: 'y' }]), /end on a user or tool message/],
		['a weight in the input', withInput([{ role: 'user', content: 'x' }, { role: 'assistant', content: 'y', weight: 1 }, { role: 'user', content: 'z' }]), /message_unrecognized_key weight/],
		['a weight on an output', { ...valid(), preferred_output: [{ role: 'assistant', content: 'a', weight: 1 }] }, /message_unrecognized_key weight/],
		['an input call left unanswered', withInput([{ role: 'user', content: 'x' }, { role: 'assistant', content: '', tool_calls: [openAiCall(READ), openAiCall(call('c5', 'Read', {}))] }, { role: 'tool', content: 'y', tool_call_id: 'c1' }]), /not answered/],
		['object arguments in an output', { ...valid(), preferred_output: [{ role: 'assistant', content: '', tool_calls: [{ ...openAiCall(EDIT), function: { name: 'Edit', arguments: EDIT.args } }] }] }, /JSON-encoded string/],
		['an extra key in the input', { ...valid(), input: { ...valid().input, id: 'x' } }, /input holds only/],
		['no input', { preferred_output: valid().preferred_output, non_preferred_output: valid().non_preferred_output }, /input must be an object/],
	];
	for (const [name, row, expected] of cases) {
		void it(`rejects ${name}`, () => {
			const problems = openaiDpo.validate(row);
			assert.ok(problems.some((p) => expected.test(p)), `expected ${expected} in ${JSON.stringify(problems)}`);
		});
	}
});

// ---- ShareGPT ----

void describe('sharegpt rows', () => {
	void it('alternates turns: merges, parallel results in call order, drops text before calls and trailing results', () => {
		const { notes, dropped, fixed } = collect();
		const rows = sharegpt.rows(AGENT_SAMPLE, notes);
		assert.deepEqual(rows, [{
			conversations: [
				{ from: 'human', value: 'Fix a.py\n\nQuickly.' },
				{ from: 'function_call', value: '[{"name":"Read","arguments":{"path":"a.py"}},{"name":"Grep","arguments":{"pattern":"def"}}]' },
				{ from: 'observation', value: '["def f(): pass","a.py:1:def f"]' },
				{ from: 'gpt', value: 'Found it.\n\nIt is f.' },
				{ from: 'human', value: 'Summary: earlier work.\n\nNow run the tests.' },
				{ from: 'function_call', value: '{"name":"Bash","arguments":{"command":"npm test"}}' },
				{ from: 'observation', value: '(no output)\n\nStop, use the fast suite.' },
				{ from: 'function_call', value: '{"name":"Bash","arguments":{"command":"npm run fast"}}' },
			],
			system: 'Rules.',
			tools: JSON.stringify(TOOLS.map((t) => ({ name: t.name, description: '', parameters: t.parameters }))),
		}]);
		assert.deepEqual(Object.keys(rows[0]), Object.keys(sharegpt.features));
		assert.deepEqual(sharegpt.validate(rows[0]), []);
		assert.deepEqual(dropped, {});
		assert.deepEqual(fixed, {
			'consecutive user turns merged': 1,
			'assistant text before a tool call dropped': 2,
			'consecutive assistant turns merged': 1,
			'later system message moved into the next user turn': 1,
			'user turn after a tool result merged into the observation': 1,
			'trailing tool results dropped': 1,
			'sharegpt trains every assistant turn': 1,
		});
	});

	void it('writes empty system and tools where there are none; a late system message with no user turn after it joins system', () => {
		const { notes, fixed } = collect();
		const rows = sharegpt.rows(sample([user('hi'), say('hello'), system('Summary.'), say('bye')]), notes);
		assert.deepEqual(rows, [{ conversations: [{ from: 'human', value: 'hi' }, { from: 'gpt', value: 'hello\n\nbye' }], system: 'Summary.', tools: '[]' }]);
		assert.deepEqual(sharegpt.rows(sample([user('hi'), say('hello')]), notes), [{ conversations: [{ from: 'human', value: 'hi' }, { from: 'gpt', value: 'hello' }], system: '', tools: '[]' }]);
		assert.deepEqual(fixed, { 'later system message moved into the system prompt': 1, 'consecutive assistant turns merged': 1 });
	});

	const drops: Array<[string, ChatSample, string]> = [
		['no trained assistant turn', sample([user('hi'), say('hello', false)]), 'no trained assistant turn'],
		['a conversation opening on the model', sample([say('Hello, how can I help?'), user('hi'), say('hello')]), 'conversation does not start with a user turn'],
		['a result away from its call', sample([user('x'), calls('', [READ]), user('y'), result(READ, 'z'), say('ok')], TOOLS), 'tool result not right after its call'],
	];
	for (const [name, s, reason] of drops) {
		void it(`drops ${name}, counting no fixes`, () => {
			const { notes, dropped, fixed } = collect();
			assert.deepEqual(sharegpt.rows(s, notes), []);
			assert.deepEqual([dropped, fixed], [{ [reason]: 1 }, {}]);
		});
	}
});

void describe('sharegpt validator', () => {
	const tools = JSON.stringify([{ name: 'Read', description: '', parameters: { type: 'object', properties: { path: { type: 'string' } } } }]);
	const fc = '{"name":"Read","arguments":{"path":"a.py"}}';
	const row = (conversations: unknown[], extra: Record<string, unknown> = {}) => ({ conversations, system: '', tools, ...extra });
	const turn = (from: string, value: string) => ({ from, value });

	void it('accepts a tool-calling conversation', () => {
		assert.deepEqual(sharegpt.validate(row([turn('human', 'x'), turn('function_call', fc), turn('observation', 'y'), turn('gpt', 'ok')])), []);
	});

	const cases: Array<[string, unknown, RegExp]> = [
		['two observations in a row', row([turn('human', 'x'), turn('function_call', fc), turn('observation', 'a'), turn('observation', 'b')]), /do not alternate/],
		['a gpt turn straight after a function_call', row([turn('human', 'x'), turn('function_call', fc), turn('gpt', 'ok'), turn('human', 'y')]), /do not alternate/],
		['an odd number of turns', row([turn('human', 'x'), turn('gpt', 'ok'), turn('human', 'y')]), /even number/],
		['arguments as a string', row([turn('human', 'x'), turn('function_call', '{"name":"Read","arguments":"{\\"path\\":\\"a.py\\"}"}')]), /arguments must be a JSON object/],
		['a function_call that is not JSON', row([turn('human', 'x'), turn('function_call', 'Read(a.py)')]), /function_call must be/],
		['an undeclared function', row([turn('human', 'x'), turn('function_call', '{"name":"Edit","arguments":{}}')]), /not declared/],
		['tools as a list instead of a JSON string', row([turn('human', 'x'), turn('gpt', 'ok')], { tools: [] }), /JSON string/],
		['a tool without parameters.properties', row([turn('human', 'x'), turn('gpt', 'ok')], { tools: '[{"name":"Read","parameters":{"type":"object"}}]' }), /properties/],
		['a system turn in conversations', row([turn('system', 's'), turn('gpt', 'ok')]), /system turn inside conversations/],
		['user/assistant role names', row([turn('user', 'x'), turn('assistant', 'ok')]), /do not alternate/],
		['an empty value', row([turn('human', 'x'), turn('gpt', ' ')]), /empty turn value/],
		['an extra key', row([turn('human', 'x'), turn('gpt', 'ok')], { id: 's1' }), /unrecognized top-level key "id"/],
		['a missing system', { conversations: [turn('human', 'x'), turn('gpt', 'ok')], tools }, /system must be a string/],
		['extra turn keys', row([{ from: 'human', value: 'x', weight: 1 }, turn('gpt', 'ok')]), /\{from, value\}/],
	];
	for (const [name, r, expected] of cases) {
		void it(`rejects ${name}`, () => {
			const problems = sharegpt.validate(r);
			assert.ok(problems.some((p) => expected.test(p)), `expected ${expected} in ${JSON.stringify(problems)}`);
		});
	}
});

// ---- Alpaca ----

void describe('alpaca rows', () => {
	void it('puts the last exchange in instruction/output and earlier ones in history', () => {
		const { notes, dropped, fixed } = collect();
		const rows = alpaca.rows(sample([
			system('Be brief.'), user('Hi'), say('Hello.', false), user('What is 2+2?'), user('Just the number.'), say('4'), say('Definitely 4.'),
		]), notes);
		assert.deepEqual(rows, [{ instruction: 'What is 2+2?\n\nJust the number.', input: '', output: '4\n\nDefinitely 4.', system: 'Be brief.', history: [['Hi', 'Hello.']] }]);
		assert.deepEqual(Object.keys(rows[0]), Object.keys(alpaca.features));
		assert.deepEqual(alpaca.validate(rows[0]), []);
		assert.deepEqual(dropped, {});
		assert.deepEqual(fixed, { 'consecutive user turns merged': 1, 'consecutive assistant turns merged': 1, 'alpaca trains every assistant turn': 1 });
	});

	void it('writes empty system and history where there are none', () => {
		assert.deepEqual(alpaca.rows(sample([user('hi'), say('hello')]), collect().notes), [{ instruction: 'hi', input: '', output: 'hello', system: '', history: [] }]);
	});

	void it('drops a sample with a tool call', () => {
		const { notes, dropped } = collect();
		assert.deepEqual(alpaca.rows(sample([user('x'), calls('', [READ]), result(READ, 'y'), say('ok')], TOOLS), notes), []);
		assert.deepEqual(dropped, { 'tool calls cannot be expressed in alpaca': 1 });
	});

	const cases: Array<[string, unknown, RegExp]> = [
		['history pairs of three', { instruction: 'x', input: '', output: 'y', system: '', history: [['a', 'b', 'c']] }, /history must be/],
		['a missing history', { instruction: 'x', input: '', output: 'y', system: '' }, /history must be/],
		['an empty output', { instruction: 'x', input: '', output: '', system: '', history: [] }, /output must be a non-empty string/],
		['a null system', { instruction: 'x', input: '', output: 'y', system: null, history: [] }, /system must be a string/],
		['an extra key', { instruction: 'x', input: '', output: 'y', system: '', history: [], id: 1 }, /rows hold only/],
	];
	for (const [name, row, expected] of cases) {
		void it(`validator rejects ${name}`, () => {
			const problems = alpaca.validate(row);
			assert.ok(problems.some((p) => expected.test(p)), `expected ${expected} in ${JSON.stringify(problems)}`);
		});
	}
});

// ---- Real sessions ----

/** Keys and value kinds, into objects (arrays as one kind): what `datasets` infers a schema from. */
function shape(value: unknown): unknown {
	if (Array.isArray(value)) return 'array';
	if (value === null) return 'null';
	if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
	return typeof value;
}

void describe('real fixture sessions through every chat format', () => {
	const samples: ChatSample[] = [];
	for (const session of fixtureSessions()) {
		for (const trainOn of ['all', 'final'] as const) {
			const chat = toChat(session, trainOn, emptyFixes());
			if (chat) {
				samples.push({ ...sample(chat.messages, chat.tools), id: `${session.id}/${trainOn}` });
			}
		}
	}
	const formats: ChatFormat[] = [openaiChat, sharegpt, alpaca];

	void it('has samples with parallel calls, tools and several turns', () => {
		assert.ok(samples.length >= 20, `${samples.length} samples`);
		assert.ok(samples.some((s) => s.messages.some((m) => m.role === 'assistant' && m.toolCalls.length > 1)));
	});

	for (const format of formats) {
		void it(`${format.name}: every row valid, every row the same keys and value kinds`, () => {
			const { notes, dropped } = collect();
			const rows = samples.flatMap((s) => format.rows(s, notes).map((row) => ({ id: s.id, row })));
			assert.ok(rows.length > 0);
			for (const { id, row } of rows) {
				assert.deepEqual(format.validate(row), [], id);
				assert.deepEqual(Object.keys(row as object), Object.keys(format.features), id);
				assert.deepEqual(shape(row), shape(rows[0].row), id);
			}
			// Only alpaca may refuse a real session, and only for its tool calls.
			assert.deepEqual(Object.keys(dropped).filter((r) => r !== 'tool calls cannot be expressed in alpaca'), []);
			if (format !== alpaca) {
				assert.equal(rows.length, samples.length);
			}
		});
	}

	void it('openai_chat keeps every message, and messages of a kind share their keys', () => {
		const shapes = new Set<string>();
		for (const s of samples) {
			const [row] = openaiChat.rows(s, collect().notes);
			assert.equal(row.messages.length, s.messages.length);
			row.messages.forEach((m) => shapes.add(JSON.stringify(shape(m))));
		}
		assert.deepEqual([...shapes].sort(), [
			{ role: 'string', content: 'string' },
			{ role: 'string', content: 'string', tool_call_id: 'string' },
			{ role: 'string', content: 'string', weight: 'number' },
			{ role: 'string', content: 'string', weight: 'number', tool_calls: 'array' },
		].map((s) => JSON.stringify(s)).sort());
	});

	void it('sharegpt carries every call, arguments as the objects of the sample', () => {
		for (const s of samples) {
			const [row] = sharegpt.rows(s, collect().notes);
			const written = row.conversations.filter((t) => t.from === 'function_call').flatMap((t) => [JSON.parse(t.value) as unknown].flat());
			const expected = s.messages.flatMap((m) => (m.role === 'assistant' ? m.toolCalls : [])).map((c) => ({ name: c.name, arguments: c.args }));
			assert.deepEqual(written, expected, s.id);
		}
	});
});

function sessionOf(messages: MessageInput[]): Session {
	return Session.parse({
		schema_version: 1, id: 'claude-code:test', agent: 'claude-code', agent_version: null, parser_version: 1, title: null, source_files: ['test.jsonl'],
		cwd: null, git_branch: null, git_commit: null, repository_url: null, model: null, models: [], started_at: null, ended_at: null,
		usage: emptyUsage(), parent_session_id: null, parent_tool_call_id: null, subagent_type: null, messages,
	});
}
