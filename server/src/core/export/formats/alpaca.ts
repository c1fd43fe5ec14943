/**
 * LLaMA-Factory Alpaca JSONL: the last exchange as `instruction` / `output`, earlier ones as
 * `history` pairs, the system prompt as `system`. Text only: a sample with any tool call is
 * dropped. Turns are built as for ShareGPT (same system and merging rules), so the two formats
 * agree on every text-only sample. LLaMA-Factory trains the history responses too.
 */
import type { ChatSample } from '../chatSample';
import type { ChatFormat } from './format';
import { isObject, onlyKeys } from './openaiChat';
import { conversationOf } from './sharegpt';

export interface AlpacaRow { instruction: string; input: string; output: string; system: string; history: Array<[string, string]> }

export const alpaca: ChatFormat<AlpacaRow> = {
	name: 'alpaca',
	source: 'chat',
	description: 'LLaMA-Factory Alpaca JSONL (`instruction`, `input`, `output`, `system`, `history` pairs); text-only samples, every response trained.',
	taskCategory: 'text-generation',
	features: { instruction: 'string', input: 'string', output: 'string', system: 'string', history: { list: { list: 'string' } } },
	validate: validateAlpacaLine,
	rows(sample: ChatSample, notes) {
		if (sample.messages.some((m) => m.role === 'tool' || (m.role === 'assistant' && m.toolCalls.length > 0))) {
			notes.dropped('tool calls cannot be expressed in alpaca');
			return [];
		}
		const conversation = conversationOf(sample.messages, notes);
		if (!conversation) {
			return [];
		}
		// conversationOf alternates human and gpt from a human turn; a text-only sample ends on gpt.
		const pairs: Array<[string, string]> = [];
		for (let i = 0; i + 1 < conversation.turns.length; i += 2) {
			pairs.push([conversation.turns[i].value, conversation.turns[i + 1].value]);
		}
		const last = pairs.pop();
		if (!last || conversation.turns.length % 2 !== 0) {
			notes.dropped('conversation does not end on an assistant turn');
			return [];
		}
		if (sample.messages.some((m) => m.role === 'assistant' && !m.train)) {
			notes.fixed('alpaca trains every assistant turn');
		}
		return [{ instruction: last[0], input: '', output: last[1], system: conversation.system, history: pairs }];
	},
};

export function validateAlpacaLine(line: unknown): string[] {
	if (!isObject(line)) {
		return ['data_type: line is not a JSON object'];
	}
	const problems: string[] = [];
	if (!onlyKeys(line, ['instruction', 'input', 'output', 'system', 'history'])) {
		problems.push('rows hold only instruction, input, output, system and history');
	}
	for (const key of ['instruction', 'output']) {
		if (typeof line[key] !== 'string' || !line[key].trim()) {
			problems.push(`${key} must be a non-empty string`);
		}
	}
	for (const key of ['input', 'system']) {
		if (typeof line[key] !== 'string') {
			problems.push(`${key} must be a string`);
		}
	}
	const history = line.history;
	if (!Array.isArray(history) || !history.every((p) => Array.isArray(p) && p.length === 2 && p.every((s) => typeof s === 'string' && s.trim()))) {
		problems.push('history must be a list of [user, assistant] pairs of non-empty strings');
	}
	return problems;
}
