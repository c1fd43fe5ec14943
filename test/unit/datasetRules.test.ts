import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { FormatName } from '../../shared/dataset';
import { parseYaml } from '../support/cardYaml';
import { checkFileUniformity, problemLines, validateDatasetFolder, validateRow } from '../support/datasetRules';
import { tempDir } from '../support/fixtures';
import { writeSampleVersion } from '../support/sampleDataset';

const tools = [{ type: 'function', function: { name: 'Read', parameters: { type: 'object', properties: { path: { type: 'string' } } } } }];
const call = (id: string, args: unknown = '{"path":"a.py"}') => ({ id, type: 'function', function: { name: 'Read', arguments: args } });
const user = { role: 'user', content: 'read a.py' };
const chat = (...messages: unknown[]) => ({ messages, tools });
const trlCall = (args: unknown = { path: 'a.py' }) => ({ type: 'function', function: { name: 'Read', arguments: args } });
const obs = (value: string) => ({ from: 'observation', value });
const fc = (args: unknown = { path: 'a.py' }) => ({ from: 'function_call', value: JSON.stringify({ name: 'Read', arguments: args }) });
const sharegptTools = JSON.stringify([{ name: 'Read', description: 'read', parameters: { type: 'object', properties: { path: { type: 'string' } } } }]);

const VALID: [FormatName, unknown][] = [
	['openai_chat', chat(user, { role: 'assistant', content: null, tool_calls: [call('c1')], weight: 0 }, { role: 'tool', content: 'x = 1', tool_call_id: 'c1' }, { role: 'assistant', content: 'done', weight: 1 })],
	['openai_chat', chat(user, { role: 'assistant', content: 'reading', tool_calls: [call('c1')] })],
	['openai_dpo', { input: { messages: [user], tools }, preferred_output: [{ role: 'assistant', content: 'sure' }], non_preferred_output: [{ role: 'assistant', content: 'no' }] }],
	['trl_messages', { messages: [user, { role: 'assistant', content: '', tool_calls: [trlCall()] }, { role: 'tool', name: 'Read', content: 'x = 1' }, { role: 'assistant', content: 'done' }], tools }],
	['trl_prompt_completion', { prompt: [user], completion: [{ role: 'assistant', content: '', tool_calls: [trlCall()] }, { role: 'tool', name: 'Read', content: 'x' }, { role: 'assistant', content: 'done' }], tools }],
	['trl_prompt_completion', { prompt: 'Q: 2+2?', completion: ' 4' }],
	['trl_preference', { prompt: [user], chosen: [{ role: 'assistant', content: 'a' }], rejected: [{ role: 'assistant', content: 'b' }], tools }],
	['trl_kto', { prompt: [user], completion: [{ role: 'assistant', content: 'a' }], label: false, tools }],
	['reward', { prompt: [user], completion: [{ role: 'assistant', content: 'a' }], reward: 0.75, tools }],
	['sharegpt', { conversations: [{ from: 'human', value: 'read a.py' }, fc(), obs('x = 1'), { from: 'gpt', value: 'done' }], system: 'be brief', tools: sharegptTools }],
	['sharegpt', { conversations: [{ from: 'system', value: 's' }, { from: 'human', value: 'q' }], chosen: { from: 'gpt', value: 'a' }, rejected: { from: 'gpt', value: 'b' } }],
	['alpaca', { instruction: 'count lines', input: '', output: 'wc -l', system: '', history: [['hi', 'hello']] }],
];

void describe('dataset rules: valid rows', () => {
	for (const [format, row] of VALID) {
		void it(`accepts a valid ${format} row`, () => assert.deepEqual(validateRow(format, row), []));
	}
});

/** [format, trap, row, the exact problem expected among the row's problems]. */
const TRAPS: [FormatName, string, unknown, string][] = [
	// 1. arguments: a JSON string in OpenAI files, an object in ShareGPT and TRL.
	['openai_chat', 'arguments as an object', chat(user, { role: 'assistant', tool_calls: [call('c1', { path: 'a.py' })] }), 'messages[1].tool_calls[0].function.arguments: must be a JSON-encoded string, got object'],
	['openai_chat', 'arguments encoding a list', chat(user, { role: 'assistant', tool_calls: [call('c1', '[1]')] }), 'messages[1].tool_calls[0].function.arguments: must encode a JSON object'],
	['sharegpt', 'function_call arguments as a string', { conversations: [{ from: 'human', value: 'q' }, fc('{"path":"a.py"}'), obs('x'), { from: 'gpt', value: 'a' }] }, 'conversations[1]: function_call arguments must be a JSON object, got a string'],
	['trl_messages', 'arguments as a JSON string', { messages: [user, { role: 'assistant', content: '', tool_calls: [trlCall('{"path":"a.py"}')] }], tools }, 'messages[1].tool_calls[0].function.arguments: must be a JSON object, got a JSON string (templates want the object)'],
	// 2. tool results and their calls.
	['openai_chat', 'a result without its call', chat(user, { role: 'assistant', tool_calls: [call('c1')] }, { role: 'tool', content: 'x', tool_call_id: 'zz' }, { role: 'assistant', content: 'ok' }), 'messages[2]: tool_call_id "zz" answers no pending call of the assistant message right before it'],
	['openai_chat', 'duplicate ids', chat(user, { role: 'assistant', tool_calls: [call('c1')] }, { role: 'tool', content: 'x', tool_call_id: 'c1' }, { role: 'assistant', tool_calls: [call('c1')] }), 'messages[3].tool_calls[0]: duplicate tool call id "c1"'],
	['openai_chat', 'a call unanswered mid-chat', chat(user, { role: 'assistant', tool_calls: [call('c1')] }, { role: 'user', content: 'go on' }, { role: 'assistant', content: 'ok' }), 'messages[1].tool_calls[0]: call "c1" is not answered by the tool messages right after it'],
	['openai_chat', 'a result not right after its call', chat(user, { role: 'assistant', tool_calls: [call('c1')] }, { role: 'user', content: 'go on' }, { role: 'tool', content: 'x', tool_call_id: 'c1' }, { role: 'assistant', content: 'ok' }), 'messages[3]: tool_call_id "c1" answers no pending call of the assistant message right before it'],
	['trl_messages', 'a TRL call unanswered mid-chat', { messages: [user, { role: 'assistant', content: '', tool_calls: [trlCall()] }, { role: 'assistant', content: 'ok' }], tools }, 'messages[1].tool_calls[0]: call is not answered by the tool messages right after it'],
	// 3. weight.
	['openai_chat', 'a boolean weight', chat(user, { role: 'assistant', content: 'ok', weight: true }), 'messages[1]: weight must be the integer 0 or 1, got true'],
	['openai_chat', 'a string weight', chat(user, { role: 'assistant', content: 'ok', weight: '1' }), 'messages[1]: weight must be the integer 0 or 1, got "1"'],
	['openai_chat', 'a fractional weight', chat(user, { role: 'assistant', content: 'ok', weight: 0.5 }), 'messages[1]: weight must be the integer 0 or 1, got 0.5'],
	['openai_chat', 'a weight on a user message', chat({ ...user, weight: 1 }, { role: 'assistant', content: 'ok' }), 'messages[0]: weight is only allowed on assistant messages'],
	['openai_chat', 'every assistant turn at weight 0', chat(user, { role: 'assistant', content: 'ok', weight: 0 }), 'every assistant message has weight 0 (nothing to train)'],
	['trl_messages', 'weight in a TRL row', { messages: [user, { role: 'assistant', content: 'ok', weight: 1 }] }, 'messages[1]: weight means nothing to TRL (split the example or use prompt-completion)'],
	// 4. developer role, extra top-level keys.
	['openai_chat', 'the developer role', chat({ role: 'developer', content: 'x' }, user, { role: 'assistant', content: 'ok' }), 'messages[0]: unrecognized_role developer'],
	['openai_chat', 'an id key', { id: 'r1', ...chat(user, { role: 'assistant', content: 'ok' }) }, 'unrecognized top-level key "id"'],
	['openai_chat', 'a metadata key', { metadata: {}, ...chat(user, { role: 'assistant', content: 'ok' }) }, 'unrecognized top-level key "metadata"'],
	['openai_chat', 'a source key', { source: 'x', ...chat(user, { role: 'assistant', content: 'ok' }) }, 'unrecognized top-level key "source"'],
	// 5. DPO outputs.
	['openai_dpo', 'two messages in an output', { input: { messages: [user] }, preferred_output: [{ role: 'assistant', content: 'a' }, { role: 'assistant', content: 'b' }], non_preferred_output: [{ role: 'assistant', content: 'c' }] }, 'preferred_output: must hold exactly one assistant message, has 2'],
	['openai_dpo', 'the old *_completion names', { input: { messages: [user] }, preferred_completion: [{ role: 'assistant', content: 'a' }], non_preferred_output: [{ role: 'assistant', content: 'c' }] }, 'old field name "preferred_completion" (use "preferred_output")'],
	['openai_dpo', 'an identical pair', { input: { messages: [user] }, preferred_output: [{ role: 'assistant', content: 'a' }], non_preferred_output: [{ role: 'assistant', content: 'a' }] }, 'preferred_output and non_preferred_output are identical'],
	['trl_preference', 'an identical TRL pair', { prompt: [user], chosen: [{ role: 'assistant', content: 'a' }], rejected: [{ role: 'assistant', content: 'a' }] }, 'chosen and rejected are identical'],
	// 6. empty tool output.
	['openai_chat', 'an empty tool output', chat(user, { role: 'assistant', tool_calls: [call('c1')] }, { role: 'tool', content: '', tool_call_id: 'c1' }, { role: 'assistant', content: 'ok' }), 'messages[2]: missing_content'],
	['trl_messages', 'an empty TRL tool output', { messages: [user, { role: 'assistant', content: '', tool_calls: [trlCall()] }, { role: 'tool', content: '' }, { role: 'assistant', content: 'ok' }], tools }, 'messages[2]: empty content'],
	['sharegpt', 'an empty observation', { conversations: [{ from: 'human', value: 'q' }, fc(), obs(''), { from: 'gpt', value: 'a' }] }, 'conversations[2]: empty value'],
	// 7. ShareGPT alternation, string tags.
	['sharegpt', 'two observations in a row', { conversations: [{ from: 'human', value: 'q' }, fc(), obs('x'), obs('y'), { from: 'gpt', value: 'a' }, { from: 'human', value: 'q' }] }, 'conversations[3]: expected gpt or function_call at this position (turns alternate), got observation'],
	['sharegpt', 'a gpt turn straight after a function_call', { conversations: [{ from: 'human', value: 'q' }, fc(), { from: 'gpt', value: 'a' }, { from: 'human', value: 'q' }] }, 'conversations[2]: a function_call turn must be answered by an observation, got gpt'],
	['sharegpt', 'kto_tag as a string', { conversations: [{ from: 'human', value: 'q' }, { from: 'gpt', value: 'a' }], kto_tag: 'true' }, 'kto_tag: must be a boolean, got string'],
	['alpaca', 'kto_tag as a string', { instruction: 'q', output: 'a', kto_tag: 'false' }, 'kto_tag: must be a boolean, got string'],
	['trl_kto', 'label as a string', { prompt: [user], completion: [{ role: 'assistant', content: 'a' }], label: 'true' }, 'label: expected boolean, got string'],
	// 8. SDK response objects dumped as they are.
	['openai_chat', 'tool_calls: null', chat(user, { role: 'assistant', content: 'ok', tool_calls: null }), 'messages[1].tool_calls: expected array, got null'],
	['openai_chat', 'annotations', chat(user, { role: 'assistant', content: 'ok', annotations: [] }), 'messages[1]: unrecognized key "annotations"'],
	['openai_chat', 'audio', chat(user, { role: 'assistant', content: 'ok', audio: null }), 'messages[1]: unrecognized key "audio"'],
];

/** Each format's other public rules. */
const RULES: [FormatName, string, unknown, string][] = [
	['openai_chat', 'no assistant message', chat(user), 'example_missing_assistant_message'],
	['openai_chat', 'an undeclared tool', { messages: [user, { role: 'assistant', tool_calls: [call('c1')] }], tools: [] }, 'messages[1].tool_calls[0]: function "Read" is not declared in tools'],
	['openai_chat', 'parallel calls when parallel_tool_calls is false', { ...chat(user, { role: 'assistant', tool_calls: [call('c1'), call('c2')] }), parallel_tool_calls: false }, 'messages[1]: 2 tool calls but parallel_tool_calls is false'],
	['openai_chat', 'not an object', [1], 'data_type: a line must be a JSON object'],
	['openai_dpo', 'an input ending on the assistant', { input: { messages: [user, { role: 'assistant', content: 'a' }] }, preferred_output: [{ role: 'assistant', content: 'b' }], non_preferred_output: [{ role: 'assistant', content: 'c' }] }, 'input.messages: must end with a user or tool message, ends with assistant'],
	['openai_dpo', 'a user message as output', { input: { messages: [user] }, preferred_output: [{ role: 'user', content: 'b' }], non_preferred_output: [{ role: 'assistant', content: 'c' }] }, 'preferred_output[0]: must be an assistant message, got user'],
	['trl_messages', 'tools as a JSON string', { messages: [user, { role: 'assistant', content: 'a' }], tools: JSON.stringify(tools) }, 'tools: must be a list of tool schemas (JSON objects), got a JSON string'],
	['trl_messages', 'no assistant turn', { messages: [user] }, 'messages: no assistant message (assistant_only_loss would have nothing to train)'],
	['trl_prompt_completion', 'a string prompt with a message completion', { prompt: 'q', completion: [{ role: 'assistant', content: 'a' }] }, 'prompt and completion must both be message lists or both be strings'],
	['trl_prompt_completion', 'a prompt ending on the assistant', { prompt: [user, { role: 'assistant', content: 'a' }], completion: [{ role: 'assistant', content: 'b' }] }, 'prompt: must end with a user or tool message, ends with assistant'],
	['trl_prompt_completion', 'a user turn in the completion', { prompt: [user], completion: [{ role: 'assistant', content: 'a' }, user, { role: 'assistant', content: 'b' }] }, 'completion[1]: only assistant and tool messages belong in a completion, got user'],
	['reward', 'a reward above 1', { prompt: 'q', completion: 'a', reward: 1.5 }, 'reward: must be a number in [0, 1], got 1.5'],
	['reward', 'a reward as a string', { prompt: 'q', completion: 'a', reward: '0.5' }, 'reward: must be a number in [0, 1], got "0.5"'],
	['sharegpt', 'an odd number of turns', { conversations: [{ from: 'human', value: 'q' }, { from: 'gpt', value: 'a' }, { from: 'human', value: 'q' }] }, 'conversations: odd number of turns (3); SFT needs human/gpt pairs'],
	['sharegpt', 'tools as a list', { conversations: [{ from: 'human', value: 'q' }, { from: 'gpt', value: 'a' }], tools: [] }, 'tools: must be a JSON string, got array'],
	['sharegpt', 'a tool without parameters.properties', { conversations: [{ from: 'human', value: 'q' }, { from: 'gpt', value: 'a' }], tools: JSON.stringify([{ name: 'Read', parameters: { type: 'object' } }]) }, 'tools[0]: parameters.properties is missing (use {} for a tool without arguments)'],
	['sharegpt', 'function_call that is not JSON', { conversations: [{ from: 'human', value: 'q' }, { from: 'function_call', value: 'Read(a.py)' }, obs('x'), { from: 'gpt', value: 'a' }] }, 'conversations[1]: function_call value is not valid JSON'],
	['sharegpt', 'a preference row ending on gpt', { conversations: [{ from: 'human', value: 'q' }, { from: 'gpt', value: 'a' }], chosen: { from: 'gpt', value: 'b' }, rejected: { from: 'gpt', value: 'c' } }, 'conversations: a preference row needs an odd number of turns ending on human or observation, has 2'],
	['alpaca', 'no output', { instruction: 'q' }, 'output: missing'],
	['alpaca', 'a history entry that is not a pair', { instruction: 'q', output: 'a', history: [['only one']] }, 'history[0]: must be a [user, assistant] pair of non-empty strings'],
	['alpaca', 'an extra key', { instruction: 'q', output: 'a', id: 3 }, 'unrecognized top-level key "id"'],
];

void describe('dataset rules: the exporter traps (doc section 7) and other public rules', () => {
	for (const [format, name, row, expected] of [...TRAPS, ...RULES]) {
		void it(`${format}: rejects ${name}`, () => {
			const problems = validateRow(format, row);
			assert.ok(problems.includes(expected), `expected ${JSON.stringify(expected)} in ${JSON.stringify(problems, null, 1)}`);
		});
	}
});

void describe('checkFileUniformity', () => {
	void it('accepts rows of one shape, with nulls and keys missing inside list items', () => {
		assert.deepEqual(checkFileUniformity([
			{ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: null, tool_calls: [{ id: 'c1' }] }] },
			{ messages: [{ role: 'user', content: 'b', name: 'x' }] },
		]), []);
	});

	void it('reports rows whose top-level keys differ', () => {
		assert.deepEqual(checkFileUniformity([{ a: 1, b: 'x' }, { a: 2 }, { a: 3, b: 'y', c: true }]), [
			{ line: 2, problem: 'keys differ from line 1: missing "b"' },
			{ line: 3, problem: 'keys differ from line 1: extra "c"' },
		]);
	});

	void it('reports a path whose kind changes, inside lists of messages too', () => {
		assert.deepEqual(checkFileUniformity([
			{ messages: [{ role: 'user', content: 'x' }] },
			{ messages: [{ role: 'user', content: 'y' }, { role: 'assistant', content: 5 }] },
		]), [{ line: 2, problem: 'messages[].content: number here, string on line 1' }]);
	});

	void it('skips paths declared json (free-form arguments)', () => {
		const rows = [
			{ tool_calls: [{ function: { arguments: { path: 'a' } } }] },
			{ tool_calls: [{ function: { arguments: { path: 3, extra: [1] } } }] },
		];
		assert.equal(checkFileUniformity(rows).length, 1);
		assert.deepEqual(checkFileUniformity(rows, new Set(['tool_calls[].function.arguments'])), []);
	});
});

void describe('validateDatasetFolder', () => {
	void it('accepts the hand-written sample of every format', () => {
		const report = validateDatasetFolder(writeSampleVersion(tempDir()));
		assert.deepEqual(problemLines(report), []);
		assert.deepEqual(Object.keys(report.configs).sort(), ['alpaca', 'openai_chat', 'openai_dpo', 'reward', 'sharegpt', 'trl_kto', 'trl_messages', 'trl_preference', 'trl_prompt_completion']);
		assert.deepEqual(report.configs.trl_kto, { train: 6, validation: 2 });
	});

	void it('names the file and line of a broken row', () => {
		const dir = writeSampleVersion(tempDir(), {
			edit: (format, split, rows) => format === 'openai_chat' && split === 'train'
				? rows.map((row, i) => i === 1 ? { ...row, id: 'x' } : row)
				: rows,
		});
		const lines = problemLines(validateDatasetFolder(dir));
		assert.ok(lines.includes('openai_chat/train.jsonl:2: unrecognized top-level key "id"'), lines.join('\n'));
		assert.ok(lines.includes('openai_chat/train.jsonl:2: keys differ from openai_chat/train.jsonl:1: extra "id"'), lines.join('\n'));
		// The sample's card is inferred from the rows written, so it declares the planted column.
		assert.ok(lines.includes('openai_chat/train.jsonl:1: features: id is declared but missing from the row'), lines.join('\n'));
	});

	void it('catches counts and hashes that no longer match the files', () => {
		const dir = writeSampleVersion(tempDir());
		fs.appendFileSync(path.join(dir, 'alpaca/train.jsonl'), `${JSON.stringify({ instruction: 'q', input: '', output: 'a', system: '', history: [] })}\n`);
		fs.writeFileSync(path.join(dir, 'alpaca/test.jsonl'), `${JSON.stringify({ instruction: 'q', input: '', output: 'a', system: '', history: [] })}\n`);
		const lines = problemLines(validateDatasetFolder(dir));
		for (const expected of [
			'README.md: dataset_info[alpaca].splits.train.num_examples is 1, alpaca/train.jsonl has 2 rows',
			'manifest.json: alpaca/train.jsonl: sha256 does not match the file',
			'manifest.json: alpaca/train.jsonl: rows is 1, the file has 2',
			'manifest.json: alpaca/test.jsonl: sha256 does not match the file',
			'alpaca/test.jsonl: has rows but no config in the card lists it',
		]) {
			assert.ok(lines.includes(expected), `expected ${expected} in\n${lines.join('\n')}`);
		}
	});

	void it('checks the card: license, categories, config names and declared features', () => {
		const dir = writeSampleVersion(tempDir());
		const card = path.join(dir, 'README.md');
		const text = fs.readFileSync(card, 'utf8')
			.replace('license: mit\n', '')
			.replace(/size_categories:\n- n<1K\n/, 'size_categories:\n- 1K<n<10K\n')
			.replace('- config_name: alpaca\n  data_files:', '- data_files:')
			.replace(/(- name: label\n\s+dtype: )bool/, '$1string')
			.replace(/ {2}- name: reward\n {4}dtype: float64\n/, '');
		fs.writeFileSync(card, text);
		const lines = problemLines(validateDatasetFolder(dir));
		for (const expected of [
			'README.md: license: missing',
			'README.md: size_categories: "1K<n<10K" does not fit the row counts (n<1K)',
			'README.md: configs[7]: config_name missing',
			'alpaca/train.jsonl: has rows but no config in the card lists it',
			'trl_kto/train.jsonl:1: features: label is declared string, got boolean',
			'reward/train.jsonl:1: features: reward is not declared',
		]) {
			assert.ok(lines.includes(expected), `expected ${expected} in\n${lines.join('\n')}`);
		}
	});

	void it('reports a missing card, manifest and reports', () => {
		const dir = writeSampleVersion(tempDir());
		for (const file of ['README.md', 'manifest.json', 'reports/rejection.json']) {
			fs.rmSync(path.join(dir, file));
		}
		const lines = problemLines(validateDatasetFolder(dir));
		for (const expected of ['README.md: missing', 'manifest.json: missing', 'reports/rejection.json: missing']) {
			assert.ok(lines.includes(expected), `expected ${expected} in\n${lines.join('\n')}`);
		}
	});
});

void describe('card YAML reader', () => {
	void it('reads the block and flow forms a dataset card uses', () => {
		assert.deepEqual(parseYaml([
			'license: other  # see below',
			'pretty_name: "Tracemint: traces"',
			'tags: [agents, \'code\', {k: 1}]',
			'configs:',
			'- config_name: trl_kto',
			'  default: true',
			'  data_files:',
			'    - split: train',
			'      path: trl_kto/train.jsonl',
			'note: |-',
			'  two',
			'  lines',
			'size: 1.5',
			'empty:',
		].join('\n')), {
			license: 'other', pretty_name: 'Tracemint: traces', tags: ['agents', 'code', { k: 1 }],
			configs: [{ config_name: 'trl_kto', default: true, data_files: [{ split: 'train', path: 'trl_kto/train.jsonl' }] }],
			note: 'two\nlines', size: 1.5, empty: null,
		});
	});
});
