/**
 * The conversational message every TRL format (and the reward format) writes, the one
 * conversion to it, and the validator of a message list they all share.
 *
 * Every message has the same five keys whatever its role: `datasets` reads a message list as a
 * list of structs with one schema, so a key on some messages only would come back as null on
 * the others anyway. `tool_calls` is [] off assistant turns; `tool_call_id` and `name` are ''
 * off tool results (Jinja treats both as false). Call arguments are objects, as in TRL's own
 * examples: Llama 3.1 and Qwen templates render them with `tojson`, so a JSON string would be
 * encoded twice. Calls and tool schemas are free-form, so the card declares them `json`.
 */
import { type ChatMessage, type ChatToolCall, TOOL_NAME, type ToolSpec } from '../chatSample';
import type { PreferencePair } from '../preference/pair';
import type { Feature, FormatNotes } from './format';
import { isObject } from './openaiChat';

export interface TrlToolCall {
	id: string;
	type: 'function';
	function: { name: string; arguments: Record<string, unknown> };
}

export interface TrlMessage {
	role: 'system' | 'user' | 'assistant' | 'tool';
	content: string;
	tool_calls: TrlToolCall[];
	/** The call a tool result answers: templates that pair results by id (Gemma, Mistral) read it. */
	tool_call_id: string;
	/** The tool a result comes from, as in TRL's tool-calling example. */
	name: string;
}

export interface TrlTool {
	type: 'function';
	function: { name: string; description: string; parameters: ToolSpec['parameters'] };
}

export const MESSAGE_KEYS = ['role', 'content', 'tool_calls', 'tool_call_id', 'name'] as const;
export const TRL_MESSAGES: Feature = {
	list: { struct: { role: 'string', content: 'string', tool_calls: { list: 'json' }, tool_call_id: 'string', name: 'string' } },
};
export const TRL_TOOLS: Feature = { list: 'json' };

const ROLES: ReadonlySet<unknown> = new Set(['system', 'user', 'assistant', 'tool']);

export function trlMessage(m: ChatMessage): TrlMessage {
	switch (m.role) {
		case 'assistant':
			return { role: 'assistant', content: m.content, tool_calls: m.toolCalls.map(trlCall), tool_call_id: '', name: '' };
		case 'tool':
			return { role: 'tool', content: m.content, tool_calls: [], tool_call_id: m.toolCallId, name: m.name };
		default:
			return { role: m.role, content: m.content, tool_calls: [], tool_call_id: '', name: '' };
	}
}

function trlCall(c: ChatToolCall): TrlToolCall {
	return { id: c.id, type: 'function', function: { name: c.name, arguments: c.args } };
}

/** The sample records no tool descriptions; '' keeps the key on every tool. */
export function trlTool(t: ToolSpec): TrlTool {
	return { type: 'function', function: { name: t.name, description: '', parameters: t.parameters } };
}

/**
 * Messages converted, with each run of parallel results put in the order of its calls:
 * templates without ids (Qwen, Llama) pair results with calls by position.
 */
export function trlConversation(messages: readonly ChatMessage[], notes: FormatNotes): TrlMessage[] {
	const out = messages.map(trlMessage);
	let reordered = 0;
	for (let i = 0; i < out.length; i++) {
		const calls = out[i].tool_calls;
		if (calls.length < 2) {
			continue;
		}
		let end = i + 1;
		while (end < out.length && out[end].role === 'tool') {
			end++;
		}
		const rank = new Map(calls.map((c, k) => [c.id, k]));
		const block = out.slice(i + 1, end);
		const sorted = [...block].sort((a, b) => (rank.get(a.tool_call_id) ?? calls.length) - (rank.get(b.tool_call_id) ?? calls.length));
		if (sorted.some((m, k) => m !== block[k])) {
			out.splice(i + 1, sorted.length, ...sorted);
			reordered++;
		}
	}
	if (reordered > 0) {
		notes.fixed('tool results put in the order of their calls', reordered);
	}
	return out;
}

export interface TrlPair { prompt: TrlMessage[]; chosen: TrlMessage[]; rejected: TrlMessage[]; tools: TrlTool[] }

/** A pair converted, or undefined (dropped) when both answers convert to the same messages: that pair teaches nothing. */
export function trlPair(pair: PreferencePair, notes: FormatNotes): TrlPair | undefined {
	const chosen = trlConversation(pair.chosen, notes);
	const rejected = trlConversation(pair.rejected, notes);
	if (sameAnswer(chosen, rejected)) {
		notes.dropped('chosen and rejected are identical');
		return undefined;
	}
	return { prompt: trlConversation(pair.prompt, notes), chosen, rejected, tools: pair.tools.map(trlTool) };
}

// Validation. Problems are short fixed sentences (no ids or indexes): the export counts them by text.

/**
 * Every TRL validator: the row has exactly `keys`, each column of `lists` is a message list, the
 * format's own `rules` run on those lists (undefined where one is malformed), and `tools` declares
 * every call in them. Each problem once, in the order found.
 */
export function trlRowProblems(
	row: unknown,
	keys: readonly string[],
	lists: readonly string[],
	rules: (messages: Array<TrlMessage[] | undefined>, problems: string[], columns: Record<string, unknown>) => void,
): string[] {
	const problems: string[] = [];
	const columns = rowColumns(row, keys, problems);
	if (!columns) {
		return problems;
	}
	const messages = lists.map((column) => messageList(columns[column], column, problems));
	rules(messages, problems, columns);
	toolList(columns.tools, messages.flatMap((m) => m ?? []), problems);
	return [...new Set(problems)];
}

/** The row's columns when it is an object with exactly `keys`; otherwise undefined and a problem. */
function rowColumns(row: unknown, keys: readonly string[], problems: string[]): Record<string, unknown> | undefined {
	if (!isObject(row)) {
		problems.push('row is not an object');
		return undefined;
	}
	if (!sameKeys(row, keys)) {
		problems.push(`row does not have exactly the keys ${keys.join(', ')}`);
	}
	return row;
}

/** A non-empty list of well-formed messages, or undefined (with problems) when it is not one. */
function messageList(value: unknown, column: string, problems: string[]): TrlMessage[] | undefined {
	// TRL's `is_conversational` reads the first message of a column: an empty list fails there.
	if (!Array.isArray(value) || value.length === 0) {
		problems.push(`${column}: not a non-empty list of messages`);
		return undefined;
	}
	const found = value.flatMap(messageProblems);
	problems.push(...found.map((p) => `${column}: ${p}`));
	return found.length === 0 ? (value as TrlMessage[]) : undefined;
}

function messageProblems(m: unknown): string[] {
	if (!isObject(m)) {
		return ['a message is not an object'];
	}
	if (!sameKeys(m, MESSAGE_KEYS)) {
		return [`a message does not have exactly the keys ${MESSAGE_KEYS.join(', ')}`];
	}
	const problems: string[] = [];
	if (!ROLES.has(m.role)) {
		problems.push('a message role is not system, user, assistant or tool');
	}
	if (typeof m.content !== 'string') {
		problems.push('a message content is not a string');
	}
	if (typeof m.tool_call_id !== 'string' || typeof m.name !== 'string') {
		problems.push('a message tool_call_id or name is not a string');
	}
	if (!Array.isArray(m.tool_calls)) {
		problems.push('a message tool_calls is not a list');
		return problems;
	}
	problems.push(...m.tool_calls.flatMap(callProblems));
	if (problems.length > 0) {
		return problems;
	}
	const calls = m.tool_calls.length;
	const empty = !(m.content as string).trim();
	if (m.role !== 'assistant' && calls > 0) {
		problems.push('a message that is not an assistant turn has tool calls');
	}
	if (m.role === 'tool' ? !m.tool_call_id || !m.name : m.tool_call_id !== '' || m.name !== '') {
		problems.push('tool_call_id and name are set on tool results only, and on every one');
	}
	if (empty && !(m.role === 'assistant' && calls > 0)) {
		problems.push('empty content (only an assistant turn that calls tools may have none)');
	}
	return problems;
}

function callProblems(c: unknown): string[] {
	if (!isObject(c) || !sameKeys(c, ['id', 'type', 'function']) || !isObject(c.function) || !sameKeys(c.function, ['name', 'arguments'])) {
		return ['a tool call is not {id, type, function: {name, arguments}}'];
	}
	const problems: string[] = [];
	if (typeof c.id !== 'string' || !c.id) {
		problems.push('a tool call id is empty');
	}
	if (c.type !== 'function') {
		problems.push('a tool call type is not "function"');
	}
	if (typeof c.function.name !== 'string' || !TOOL_NAME.test(c.function.name)) {
		problems.push('a tool call name is not 1-64 letters, digits, _ or -');
	}
	if (typeof c.function.arguments === 'string') {
		problems.push('tool call arguments are a JSON string, not an object');
	} else if (!isObject(c.function.arguments)) {
		problems.push('tool call arguments are not an object');
	}
	return problems;
}

/**
 * Pairing over one conversation (a prompt and one answer to it): call ids are unique, results
 * come straight after their calling turn in the order of the calls, and no turn starts while a
 * call is unanswered. Calls left unanswered at the very end are fine (an answer may end on one).
 */
export function conversationProblems(messages: readonly TrlMessage[], problems: string[]): void {
	const seen = new Set<string>();
	let pending: TrlToolCall[] = [];
	for (const m of messages) {
		if (m.role === 'tool') {
			const k = pending.findIndex((c) => c.id === m.tool_call_id);
			if (k < 0) {
				problems.push('a tool result answers no call of the assistant turn before it');
				continue;
			}
			if (k > 0) {
				problems.push('tool results are not in the order of their calls');
			}
			if (pending[k].function.name !== m.name) {
				problems.push('a tool result name differs from the name of its call');
			}
			pending = pending.filter((_, i) => i !== k);
			continue;
		}
		if (pending.length > 0) {
			problems.push('a tool call is left unanswered mid-conversation');
		}
		for (const c of m.tool_calls) {
			if (seen.has(c.id)) {
				problems.push('a tool call id is used twice');
			}
			seen.add(c.id);
		}
		pending = [...m.tool_calls];
	}
}

/** One answer to the prompt: it starts with an assistant turn, and the two read as one conversation. */
export function answerProblems(prompt: TrlMessage[] | undefined, answer: TrlMessage[], column: string, problems: string[]): void {
	if (answer[0].role !== 'assistant') {
		problems.push(`${column}: does not start with an assistant message`);
	}
	if (prompt) {
		conversationProblems([...prompt, ...answer], problems);
	}
}

export function sameAnswer(a: readonly TrlMessage[], b: readonly TrlMessage[]): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

/** The tools column: function specs, each declared once, covering every call made in `messages`. */
function toolList(value: unknown, messages: readonly TrlMessage[], problems: string[]): void {
	if (!Array.isArray(value)) {
		problems.push('tools: not a list');
		return;
	}
	const names = new Set<string>();
	for (const t of value) {
		if (!isTool(t)) {
			problems.push('tools: a tool is not {type: "function", function: {name, description, parameters: {type: "object", properties}}}');
			continue;
		}
		if (names.has(t.function.name)) {
			problems.push('tools: a tool is declared twice');
		}
		names.add(t.function.name);
	}
	if (messages.some((m) => m.tool_calls.some((c) => !names.has(c.function.name)))) {
		problems.push('tools: a tool call names a tool that is not declared');
	}
}

function isTool(t: unknown): t is TrlTool {
	if (!isObject(t) || !sameKeys(t, ['type', 'function']) || t.type !== 'function') {
		return false;
	}
	const f = t.function;
	return isObject(f) && sameKeys(f, ['name', 'description', 'parameters'])
		&& typeof f.name === 'string' && TOOL_NAME.test(f.name) && typeof f.description === 'string'
		&& isObject(f.parameters) && f.parameters.type === 'object' && isObject(f.parameters.properties);
}

/** A problem unless the list's last message has one of `roles`. */
export function endsOn(messages: readonly TrlMessage[], roles: readonly TrlMessage['role'][], column: string, problems: string[]): void {
	if (!roles.includes(messages[messages.length - 1].role)) {
		problems.push(`${column}: does not end on a ${roles.join(' or ')} message`);
	}
}

/** A problem unless every message of the list has one of `roles`. */
export function onlyRoles(messages: readonly TrlMessage[], roles: readonly TrlMessage['role'][], column: string, problems: string[]): void {
	if (messages.some((m) => !roles.includes(m.role))) {
		problems.push(`${column}: holds a message that is not ${roles.join(' or ')}`);
	}
}

function sameKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
	const own = Object.keys(value);
	return own.length === keys.length && keys.every((k) => Object.hasOwn(value, k));
}
