/**
 * LLaMA-Factory ShareGPT JSONL: `{conversations: [{from, value}], system, tools}` with strict
 * alternation (even positions human|observation, odd gpt|function_call, ending on the latter).
 * What the format cannot say, and what is done instead:
 * - one system prompt: leading system messages become `system`; a later one (a compaction
 *   summary) is put before the next user turn, where it was said, or appended to `system` when
 *   no user turn follows;
 * - a turn is text or calls, never both: assistant text right before a call is dropped;
 * - parallel results: one observation turn, a JSON list of the result strings in call order,
 *   mirroring the JSON list of calls in the function_call turn so each result pairs by position
 *   (a single result stays plain text);
 * - a user turn right after a tool result (the user rejected or interrupted the call) is
 *   appended to that observation: two even turns cannot follow each other, and the result must stay;
 * - no per-turn weights: LLaMA-Factory trains every gpt turn (its `mask_history` option trains
 *   the last one only), so train-on-final samples are kept and counted.
 */
import { asObject, parseJson } from '../../capture/json';
import { TOOL_NAME, type ChatMessage, type ChatSample, type ChatToolCall } from '../chatSample';
import type { ChatFormat, FormatNotes } from './format';
import { isObject, onlyKeys, unrecognizedKeys } from './openaiChat';

export type TurnFrom = 'human' | 'gpt' | 'function_call' | 'observation';
export interface Turn { from: TurnFrom; value: string }
export interface ShareGptRow { conversations: Turn[]; system: string; tools: string }

const EVEN: readonly string[] = ['human', 'observation'];
const ODD: readonly string[] = ['gpt', 'function_call'];

export const sharegpt: ChatFormat<ShareGptRow> = {
	name: 'sharegpt',
	source: 'chat',
	description: 'LLaMA-Factory ShareGPT JSONL (`conversations` of human/gpt/function_call/observation turns, `system`, `tools` as a JSON string); every gpt turn is trained.',
	taskCategory: 'text-generation',
	features: { conversations: { list: { struct: { from: 'string', value: 'string' } } }, system: 'string', tools: 'string' },
	validate: validateShareGptLine,
	rows(sample: ChatSample, notes) {
		const conversation = conversationOf(sample.messages, notes);
		if (!conversation) {
			return [];
		}
		if (sample.messages.some((m) => m.role === 'assistant' && !m.train)) {
			notes.fixed('sharegpt trains every assistant turn');
		}
		const tools = sample.tools.map((t) => ({ name: t.name, description: '', parameters: t.parameters }));
		return [{ conversations: conversation.turns, system: conversation.system, tools: JSON.stringify(tools) }];
	},
};

/**
 * The sample as alternating ShareGPT turns and one system string (the module comment says how),
 * or undefined after `notes.dropped` when it cannot be or has no trained assistant turn (every gpt
 * turn is trained, so the flags only say whether the sample is wanted). Fixes are counted only for samples kept.
 */
export function conversationOf(messages: readonly ChatMessage[], notes: FormatNotes): { system: string; turns: Turn[] } | undefined {
	if (!messages.some((m) => m.role === 'assistant' && m.train)) {
		notes.dropped('no trained assistant turn');
		return undefined;
	}
	const fixed = new Map<string, number>();
	const fix = (reason: string, n = 1) => fixed.set(reason, (fixed.get(reason) ?? 0) + n);
	const system: string[] = [];
	let i = 0;
	for (; i < messages.length && messages[i].role === 'system'; i++) {
		system.push(messages[i].content);
	}
	const turns: Turn[] = [];
	let held: string[] = [];
	for (; i < messages.length; i++) {
		const m = messages[i];
		if (m.role === 'assistant') {
			if (m.toolCalls.length === 0) {
				add(turns, { from: 'gpt', value: m.content }, fix);
				continue;
			}
			if (m.content.trim()) {
				fix('assistant text before a tool call dropped');
			}
			add(turns, { from: 'function_call', value: callsValue(m.toolCalls) }, fix);
			const results = new Map<string, string>();
			for (let next = messages[i + 1]; next?.role === 'tool'; next = messages[i + 1]) {
				results.set(next.toolCallId, next.content);
				i++;
			}
			if (results.size !== m.toolCalls.length || m.toolCalls.some((c) => !results.has(c.id))) {
				notes.dropped('tool result not right after its call');
				return undefined;
			}
			const values = m.toolCalls.map((c) => results.get(c.id)!);
			add(turns, { from: 'observation', value: values.length === 1 ? values[0] : JSON.stringify(values) }, fix);
		} else if (m.role === 'tool') {
			notes.dropped('tool result not right after its call');
			return undefined;
		} else if (m.role === 'system') {
			held.push(m.content);
		} else {
			if (held.length > 0) {
				fix('later system message moved into the next user turn', held.length);
			}
			add(turns, { from: 'human', value: [...held, m.content].join('\n\n') }, fix);
			held = [];
		}
	}
	if (held.length > 0) {
		fix('later system message moved into the system prompt', held.length);
		system.push(...held);
	}
	// The results of a final call teach nothing, and a conversation must end on the model's turn.
	if (turns.at(-1)?.from === 'observation') {
		turns.pop();
		fix('trailing tool results dropped');
	}
	if (turns[0]?.from !== 'human') {
		notes.dropped('conversation does not start with a user turn');
		return undefined;
	}
	for (const [reason, n] of fixed) {
		notes.fixed(reason, n);
	}
	return { system: system.join('\n\n'), turns };
}

/** Appends a turn, merging or dropping what would break the alternation. */
function add(turns: Turn[], turn: Turn, fix: (reason: string) => void): void {
	const prev = turns.at(-1);
	if (prev && turn.from === 'human' && EVEN.includes(prev.from)) {
		prev.value += `\n\n${turn.value}`;
		fix(prev.from === 'human' ? 'consecutive user turns merged' : 'user turn after a tool result merged into the observation');
		return;
	}
	if (prev?.from === 'gpt' && turn.from === 'gpt') {
		prev.value += `\n\n${turn.value}`;
		fix('consecutive assistant turns merged');
		return;
	}
	if (prev?.from === 'gpt' && turn.from === 'function_call') {
		turns.pop();
		fix('assistant text before a tool call dropped');
	}
	turns.push(turn);
}

/** `{"name", "arguments"}` with arguments as an object (LLaMA-Factory re-encodes them), a list for parallel calls. */
function callsValue(calls: readonly ChatToolCall[]): string {
	const values = calls.map((c) => ({ name: c.name, arguments: c.args }));
	return JSON.stringify(values.length === 1 ? values[0] : values);
}

/** LLaMA-Factory's rules for a ShareGPT SFT row, plus the export's own (every key on every row, no empty turn). */
export function validateShareGptLine(line: unknown): string[] {
	if (!isObject(line)) {
		return ['data_type: line is not a JSON object'];
	}
	const problems = unrecognizedKeys(line, ['conversations', 'system', 'tools']);
	if (typeof line.system !== 'string') {
		problems.add('system must be a string');
	}
	const declared = toolNames(line.tools, problems);
	const turns = line.conversations;
	if (!Array.isArray(turns) || turns.length === 0) {
		problems.add('conversations must be a non-empty list');
		return [...problems];
	}
	if (turns.length % 2 !== 0) {
		problems.add('conversations must have an even number of turns, ending on gpt or function_call');
	}
	turns.forEach((turn, i) => {
		if (!isObject(turn) || typeof turn.from !== 'string' || typeof turn.value !== 'string' || !onlyKeys(turn, ['from', 'value'])) {
			problems.add('turns must be {from, value} with string values');
			return;
		}
		if (!(i % 2 === 0 ? EVEN : ODD).includes(turn.from)) {
			problems.add(turn.from === 'system' ? 'system turn inside conversations (use the system column)' : 'turns do not alternate human|observation then gpt|function_call');
		}
		if (!turn.value.trim()) {
			problems.add('empty turn value');
		}
		if (turn.from === 'function_call') {
			callProblems(turn.value, declared, problems);
		}
	});
	return [...problems];
}

/** `tools` is a JSON string of `[{name, description, parameters}]` (the wrapped OpenAI form is accepted too). */
function toolNames(tools: unknown, problems: Set<string>): Set<string> {
	const names = new Set<string>();
	const list = typeof tools === 'string' ? parseJson(tools) : undefined;
	if (!Array.isArray(list)) {
		problems.add('tools must be a JSON string holding a list');
		return names;
	}
	for (const entry of list) {
		const tool = isObject(entry) && entry.type === 'function' ? asObject(entry.function) : asObject(entry);
		if (!tool || typeof tool.name !== 'string' || !TOOL_NAME.test(tool.name)) {
			problems.add('tools entries must be {name, description, parameters} with a valid name');
			continue;
		}
		names.add(tool.name);
		// The default tool formatter reads parameters.properties of every tool.
		if (!isObject(tool.parameters) || !isObject(tool.parameters.properties)) {
			problems.add('tool parameters must include a properties object');
		}
		if (tool.description !== undefined && typeof tool.description !== 'string') {
			problems.add('tool description must be a string');
		}
	}
	return names;
}

function callProblems(value: string, declared: Set<string>, problems: Set<string>): void {
	const parsed = parseJson(value);
	const calls = Array.isArray(parsed) ? parsed : [parsed];
	if (calls.length === 0) {
		problems.add('function_call must be a JSON object {name, arguments} or a non-empty list of them');
	}
	for (const call of calls) {
		if (!isObject(call) || typeof call.name !== 'string' || !onlyKeys(call, ['name', 'arguments']) || !('arguments' in call)) {
			problems.add('function_call must be a JSON object {name, arguments} or a non-empty list of them');
		} else if (!isObject(call.arguments)) {
			problems.add('function_call arguments must be a JSON object, not a string');
		} else if (!declared.has(call.name)) {
			problems.add('function_call names a tool not declared in tools');
		}
	}
}
