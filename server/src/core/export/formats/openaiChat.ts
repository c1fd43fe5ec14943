/**
 * OpenAI chat fine-tuning JSONL (method `supervised`): one `{messages, tools, parallel_tool_calls}`
 * line per sample, assistant turns weighted 1/0 from their train flag. The validator checks the
 * fine-tune schema, stricter than the server where the sources are silent (extra keys, legacy
 * roles and content-part arrays are errors); the DPO format reuses its message rules.
 */
import { asObject, parseJson } from '../../capture/json';
import { TOOL_NAME, type ChatMessage, type ChatSample, type ToolSpec } from '../chatSample';
import type { ChatFormat, Feature } from './format';

export interface OpenAiToolCall { id: string; type: 'function'; function: { name: string; arguments: string } }
export type OpenAiMessage =
	| { role: 'system' | 'user'; content: string }
	| { role: 'assistant'; content: string; weight?: 0 | 1; tool_calls?: OpenAiToolCall[] }
	| { role: 'tool'; content: string; tool_call_id: string };
export interface OpenAiTool { type: 'function'; function: { name: string; parameters: ToolSpec['parameters'] } }
export interface OpenAiChatRow { messages: OpenAiMessage[]; tools: OpenAiTool[]; parallel_tool_calls: boolean }

/** `weights`: write `weight` on assistant turns (chat fine-tuning) or not (DPO, where it means nothing). */
export function openAiMessage(m: ChatMessage, weights: boolean): OpenAiMessage {
	switch (m.role) {
		case 'system':
		case 'user':
			return { role: m.role, content: m.content };
		case 'tool':
			return { role: 'tool', content: m.content, tool_call_id: m.toolCallId };
		case 'assistant': {
			const out: OpenAiMessage = weights ? { role: 'assistant', content: m.content, weight: m.train ? 1 : 0 } : { role: 'assistant', content: m.content };
			if (m.toolCalls.length > 0) {
				out.tool_calls = m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
			}
			return out;
		}
	}
}

export function openAiTools(tools: readonly ToolSpec[]): OpenAiTool[] {
	return tools.map((t) => ({ type: 'function', function: { name: t.name, parameters: t.parameters } }));
}

export function openAiMessageFeature(weights: boolean): Feature {
	const toolCall: Feature = { struct: { id: 'string', type: 'string', function: { struct: { name: 'string', arguments: 'string' } } } };
	return { struct: { role: 'string', content: 'string', ...(weights ? { weight: 'int64' as const } : {}), tool_calls: { list: toolCall }, tool_call_id: 'string' } };
}

export const OPENAI_TOOLS_FEATURE: Feature = { list: { struct: { type: 'string', function: { struct: { name: 'string', parameters: 'json' } } } } };

export const openaiChat: ChatFormat<OpenAiChatRow> = {
	name: 'openai_chat',
	source: 'chat',
	description: 'OpenAI chat fine-tuning JSONL (`messages`, `tools`, `parallel_tool_calls`); assistant turns carry `weight` 1 (trained) or 0.',
	taskCategory: 'text-generation',
	features: { messages: { list: openAiMessageFeature(true) }, tools: OPENAI_TOOLS_FEATURE, parallel_tool_calls: 'bool' },
	validate: validateOpenAiChatLine,
	rows(sample: ChatSample, notes) {
		if (!sample.messages.some((m) => m.role === 'assistant' && m.train)) {
			notes.dropped('no trained assistant turn');
			return [];
		}
		if (!sample.messages.some((m) => m.role === 'user')) {
			notes.dropped('no user turn');
			return [];
		}
		// Always true: agents do call tools in parallel, and false would contradict rows that show it.
		return [{ messages: sample.messages.map((m) => openAiMessage(m, true)), tools: openAiTools(sample.tools), parallel_tool_calls: true }];
	},
};

/**
 * Every rule of the format this exporter promises; returns the problems found (empty = valid).
 * Problems are stable sentences (no positions or ids) so an export can count rejected rows by problem.
 */
export function validateOpenAiChatLine(line: unknown): string[] {
	if (!isObject(line)) {
		return ['data_type: line is not a JSON object'];
	}
	const problems = unrecognizedKeys(line, ['messages', 'tools', 'parallel_tool_calls']);
	const declared = toolProblems(line, problems);
	if (!Array.isArray(line.messages) || line.messages.length === 0) {
		problems.add('missing_messages_list');
		return [...problems];
	}
	messageProblems(line.messages, { declared, parallel: line.parallel_tool_calls !== false, weights: true }, problems);
	return [...problems];
}

/**
 * The `tools` and `parallel_tool_calls` of a chat line or a DPO input. Returns the declared tool
 * names, or undefined when `tools` is absent (calls then go unchecked: a warning in OpenAI's own checks).
 */
export function toolProblems(holder: Record<string, unknown>, problems: Set<string>): Set<string> | undefined {
	if (holder.parallel_tool_calls !== undefined && typeof holder.parallel_tool_calls !== 'boolean') {
		problems.add('parallel_tool_calls must be a boolean');
	}
	if (holder.tools === undefined) {
		return undefined;
	}
	const names = new Set<string>();
	if (!Array.isArray(holder.tools)) {
		problems.add('tools must be a list');
		return names;
	}
	for (const tool of holder.tools) {
		const fn = isObject(tool) ? asObject(tool.function) : undefined;
		if (!isObject(tool) || tool.type !== 'function' || !fn || !onlyKeys(tool, ['type', 'function']) || !onlyKeys(fn, ['name', 'description', 'parameters', 'strict'])) {
			problems.add('tool definitions must be {type: "function", function: {name, description?, parameters?, strict?}}');
			continue;
		}
		if (typeof fn.name !== 'string' || !TOOL_NAME.test(fn.name)) {
			problems.add('tool names must be 1-64 letters, digits, _ or -');
			continue;
		}
		if (names.has(fn.name)) {
			problems.add('duplicate tool name in tools');
		}
		names.add(fn.name);
		if (fn.parameters !== undefined && !isObject(fn.parameters)) {
			problems.add('tool parameters must be a JSON Schema object');
		}
		if (fn.description !== undefined && typeof fn.description !== 'string') {
			problems.add('tool description must be a string');
		}
	}
	return names;
}

export interface MessageRules {
	/** Tool names a call may use; undefined when the line declares no tools. */
	declared: Set<string> | undefined;
	/** `parallel_tool_calls`: false forbids more than one call per message. */
	parallel: boolean;
	/** `weight` is allowed on assistant turns (chat fine-tuning), or is an unknown key (DPO). */
	weights: boolean;
}

const ALLOWED_KEYS: Record<string, string[]> = {
	system: ['role', 'content', 'name'],
	user: ['role', 'content', 'name'],
	assistant: ['role', 'content', 'name', 'tool_calls', 'refusal'],
	tool: ['role', 'content', 'tool_call_id'],
};

/** The per-message rules shared by chat lines and DPO rows (input messages followed by one output). */
export function messageProblems(messages: readonly unknown[], rules: MessageRules, problems: Set<string>): void {
	const callIds = new Set<string>();
	let pending = new Set<string>();
	let users = 0;
	let assistants = 0;
	let trained = 0;
	for (const m of messages) {
		if (!isObject(m) || typeof m.role !== 'string') {
			problems.add('message_missing_key role');
			continue;
		}
		const allowed = ALLOWED_KEYS[m.role];
		if (!allowed) {
			problems.add(`unrecognized_role ${m.role}`);
			continue;
		}
		for (const key of Object.keys(m)) {
			if (key === 'weight' && rules.weights && m.role !== 'assistant') {
				problems.add('weight is only allowed on assistant messages');
			} else if (!allowed.includes(key) && !(key === 'weight' && rules.weights)) {
				problems.add(`message_unrecognized_key ${key}`);
			}
		}
		if (pending.size > 0 && m.role !== 'tool') {
			// A call may go unanswered only at the very end (the spec's own example ends on one).
			problems.add('tool calls are not answered before the next turn');
			pending = new Set();
		}
		if (m.name !== undefined && typeof m.name !== 'string') {
			problems.add('name must be a string');
		}
		const hasCalls = m.role === 'assistant' && m.tool_calls !== undefined;
		if (!hasCalls || (m.content !== undefined && m.content !== null)) {
			contentProblems(m, !hasCalls, problems);
		}
		if (m.role === 'user') {
			users++;
		} else if (m.role === 'assistant') {
			assistants++;
			if (rules.weights && m.weight !== undefined && m.weight !== 0 && m.weight !== 1) {
				problems.add('weight must be the integer 0 or 1');
			}
			if (m.weight !== 0) {
				trained++;
			}
			if (m.refusal !== undefined && typeof m.refusal !== 'string') {
				problems.add('refusal must be a string');
			}
			if (hasCalls) {
				pending = callProblems(m.tool_calls, rules, callIds, problems);
			}
		} else if (m.role === 'tool') {
			if (typeof m.tool_call_id !== 'string' || !pending.has(m.tool_call_id)) {
				problems.add('tool message answers no pending call of the turn right before it');
			} else {
				pending.delete(m.tool_call_id);
			}
		}
	}
	if (users === 0) problems.add('example_missing_user_message');
	if (assistants === 0) problems.add('example_missing_assistant_message');
	if (rules.weights && assistants > 0 && trained === 0) problems.add('every assistant message has weight 0');
}

function contentProblems(m: Record<string, unknown>, required: boolean, problems: Set<string>): void {
	if (!('content' in m)) {
		problems.add('message_missing_key content');
	} else if (typeof m.content !== 'string') {
		problems.add('content must be a string (content-part arrays and null are not emitted)');
	} else if (required && !m.content.trim()) {
		problems.add('missing_content');
	}
}

/** Checks one assistant turn's calls; returns their ids, which the next messages must answer. */
function callProblems(toolCalls: unknown, rules: MessageRules, seenIds: Set<string>, problems: Set<string>): Set<string> {
	const pending = new Set<string>();
	if (!Array.isArray(toolCalls) || toolCalls.length === 0) {
		problems.add('tool_calls must be a non-empty list when present');
		return pending;
	}
	if (toolCalls.length > 1 && !rules.parallel) {
		problems.add('several tool calls in one message while parallel_tool_calls is false');
	}
	for (const call of toolCalls) {
		const fn = isObject(call) ? asObject(call.function) : undefined;
		if (!isObject(call) || typeof call.id !== 'string' || !call.id || call.type !== 'function' || !fn || typeof fn.name !== 'string'
			|| !onlyKeys(call, ['id', 'type', 'function']) || !onlyKeys(fn, ['name', 'arguments'])) {
			problems.add('tool calls must be {id, type: "function", function: {name, arguments}}');
			continue;
		}
		if (seenIds.has(call.id)) {
			problems.add('duplicate tool call id');
		}
		seenIds.add(call.id);
		pending.add(call.id);
		if (!TOOL_NAME.test(fn.name)) {
			problems.add('tool names must be 1-64 letters, digits, _ or -');
		} else if (rules.declared && !rules.declared.has(fn.name)) {
			problems.add('tool call names a tool not declared in tools');
		}
		if (typeof fn.arguments !== 'string') {
			problems.add('arguments must be a JSON-encoded string');
		} else if (!asObject(parseJson(fn.arguments))) {
			problems.add('arguments must encode a JSON object');
		}
	}
	return pending;
}

/** A line's problem set, started with its keys outside `keys`: OpenAI rejects unknown keys, and LLaMA-Factory rows are held to the same. */
export function unrecognizedKeys(line: Record<string, unknown>, keys: readonly string[]): Set<string> {
	return new Set(Object.keys(line).filter((key) => !keys.includes(key)).map((key) => `unrecognized top-level key "${key}"`));
}

export function isObject(value: unknown): value is Record<string, unknown> {
	return asObject(value) !== undefined;
}

export function onlyKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
	return Object.keys(value).every((k) => keys.includes(k));
}
