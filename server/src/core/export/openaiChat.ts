/**
 * One canonical session → one OpenAI chat fine-tuning line, and a validator of the format's
 * public rules (used on every line written, and by the tests).
 */
import type { Message, Session } from '../../../../shared/model';

export interface OpenAiToolCall { id: string; type: 'function'; function: { name: string; arguments: string } }
export type OpenAiMessage =
	| { role: 'system' | 'user'; content: string }
	| { role: 'assistant'; content: string; tool_calls?: OpenAiToolCall[]; weight: 0 | 1 }
	| { role: 'tool'; content: string; tool_call_id: string };
export interface OpenAiTool { type: 'function'; function: { name: string; parameters: JsonSchemaObject } }
export interface OpenAiChatLine { messages: OpenAiMessage[]; tools: OpenAiTool[]; parallel_tool_calls: boolean }
interface JsonSchemaObject { type: 'object'; properties: Record<string, { type?: string }> }

export interface SampleFixes {
	droppedContext: number;
	droppedUnansweredCalls: number;
	droppedOrphanResults: number;
	emptyToolOutputs: number;
	renamedTools: number;
}

export const EMPTY_TOOL_OUTPUT = '(no output)';
const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** Context kept as system text; the rest (reminders, command wrappers, interrupts…) is noise for training. */
export const KEPT_CONTEXT: ReadonlySet<string | null> = new Set(['instructions', 'compaction']);

export function emptyFixes(): SampleFixes {
	return { droppedContext: 0, droppedUnansweredCalls: 0, droppedOrphanResults: 0, emptyToolOutputs: 0, renamedTools: 0 };
}

/** Returns undefined when the session has no user turn or no assistant turn to train on. */
export function toOpenAiChat(session: Session, fixes: SampleFixes): OpenAiChatLine | undefined {
	const answered = new Set(session.messages.filter((m) => m.role === 'tool' && m.tool_call_id).map((m) => m.tool_call_id!));
	const names = new ToolNames();
	const messages: OpenAiMessage[] = [];
	const emittedCalls = new Set<string>();
	for (const m of session.messages) {
		const converted = convert(m, answered, emittedCalls, names, fixes);
		if (converted) {
			messages.push(converted);
		}
	}
	const lastAssistant = messages.map((m) => m.role).lastIndexOf('assistant');
	if (lastAssistant < 0 || !messages.some((m) => m.role === 'user')) {
		return undefined;
	}
	// A trailing user turn with no answer teaches nothing; keep the tool results of the last call.
	let end = lastAssistant + 1;
	while (end < messages.length && messages[end].role === 'tool') {
		end++;
	}
	const kept = messages.slice(0, end);
	fixes.renamedTools += names.renamed;
	return { messages: kept, tools: names.tools(kept), parallel_tool_calls: true };
}

function convert(m: Message, answered: Set<string>, emittedCalls: Set<string>, names: ToolNames, fixes: SampleFixes): OpenAiMessage | undefined {
	if (m.context) {
		if (KEPT_CONTEXT.has(m.context) && m.content.trim()) {
			return { role: 'system', content: m.content };
		}
		fixes.droppedContext++;
		return undefined;
	}
	switch (m.role) {
		case 'system':
		case 'user':
			return m.content.trim() ? { role: m.role, content: m.content } : undefined;
		case 'assistant': {
			const calls = (m.tool_calls ?? []).filter((c) => {
				const ok = answered.has(c.id);
				if (!ok) {
					fixes.droppedUnansweredCalls++;
				}
				return ok;
			});
			if (!m.content.trim() && calls.length === 0) {
				return undefined;
			}
			calls.forEach((c) => emittedCalls.add(c.id));
			const message: OpenAiMessage = { role: 'assistant', content: m.content, weight: 1 };
			if (calls.length > 0) {
				message.tool_calls = calls.map((c) => ({ id: c.id, type: 'function', function: { name: names.use(c.function.name, c.function.arguments), arguments: c.function.arguments } }));
			}
			return message;
		}
		case 'tool': {
			if (!m.tool_call_id || !emittedCalls.has(m.tool_call_id)) {
				fixes.droppedOrphanResults++;
				return undefined;
			}
			if (!m.content.trim()) {
				fixes.emptyToolOutputs++;
			}
			return { role: 'tool', content: m.content.trim() ? m.content : EMPTY_TOOL_OUTPUT, tool_call_id: m.tool_call_id };
		}
	}
}

/** Tool names valid for OpenAI (letters, digits, _ and -), and parameter schemas inferred from the calls seen. */
class ToolNames {
	renamed = 0;
	private readonly mapped = new Map<string, string>();
	private readonly params = new Map<string, Record<string, { type?: string }>>();

	use(raw: string, args: string): string {
		let name = this.mapped.get(raw);
		if (!name) {
			name = TOOL_NAME.test(raw) ? raw : raw.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'tool';
			if (name !== raw) {
				this.renamed++;
			}
			this.mapped.set(raw, name);
		}
		const properties = this.params.get(name) ?? {};
		try {
			const parsed = JSON.parse(args) as unknown;
			if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
				for (const [key, value] of Object.entries(parsed)) {
					const type = jsonType(value);
					const seen = properties[key];
					properties[key] = !seen || seen.type === type ? { type } : {};
				}
			}
		} catch {
			// arguments that are not JSON still name the tool
		}
		this.params.set(name, properties);
		return name;
	}

	tools(messages: OpenAiMessage[]): OpenAiTool[] {
		const used = new Set(messages.flatMap((m) => (m.role === 'assistant' ? m.tool_calls ?? [] : []).map((c) => c.function.name)));
		return [...used].sort().map((name) => ({
			type: 'function',
			function: { name, parameters: { type: 'object', properties: sortKeys(this.params.get(name) ?? {}) } },
		}));
	}
}

function jsonType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
	return typeof value;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
	return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/** Every rule of the format this exporter promises; returns the problems found (empty = valid). */
export function validateOpenAiChatLine(line: unknown): string[] {
	const problems: string[] = [];
	if (!isObject(line)) {
		return ['data_type: line is not a JSON object'];
	}
	for (const key of Object.keys(line)) {
		if (!['messages', 'tools', 'parallel_tool_calls'].includes(key)) {
			problems.push(`unrecognized top-level key "${key}"`);
		}
	}
	const messages = line.messages;
	if (!Array.isArray(messages) || messages.length === 0) {
		return [...problems, 'missing_messages_list'];
	}
	const toolNames = new Set<string>();
	if (line.tools !== undefined) {
		if (!Array.isArray(line.tools)) {
			problems.push('tools is not a list');
		} else {
			for (const tool of line.tools) {
				const fn = isObject(tool) && isObject(tool.function) ? tool.function : undefined;
				if (!fn || tool.type !== 'function' || typeof fn.name !== 'string' || !TOOL_NAME.test(fn.name)) {
					problems.push(`invalid tool definition ${JSON.stringify(tool)}`);
				} else {
					toolNames.add(fn.name);
				}
			}
		}
	}
	let pending: Set<string> | undefined;
	let sawUser = false;
	let sawAssistant = false;
	messages.forEach((m, i) => {
		const at = `messages[${i}]`;
		if (!isObject(m) || typeof m.role !== 'string') {
			problems.push(`${at}: message_missing_key role`);
			return;
		}
		const allowed: Record<string, string[]> = {
			system: ['role', 'content', 'name'], user: ['role', 'content', 'name'],
			assistant: ['role', 'content', 'name', 'tool_calls', 'weight', 'refusal'], tool: ['role', 'content', 'tool_call_id'],
		};
		if (!allowed[m.role]) {
			problems.push(`${at}: unrecognized_role ${m.role}`);
			return;
		}
		for (const key of Object.keys(m)) {
			if (!allowed[m.role].includes(key)) {
				problems.push(`${at}: message_unrecognized_key ${key}`);
			}
		}
		if (pending && pending.size > 0 && m.role !== 'tool') {
			problems.push(`${at}: tool calls ${[...pending].join(', ')} are not answered before the next turn`);
			pending = undefined;
		}
		const calls = m.role === 'assistant' && Array.isArray(m.tool_calls) ? m.tool_calls : undefined;
		if (typeof m.content !== 'string') {
			problems.push(`${at}: content must be a string`);
		} else if (!m.content.trim() && !(calls && calls.length > 0)) {
			problems.push(`${at}: missing_content`);
		}
		if (m.role === 'user') sawUser = true;
		if (m.role === 'assistant') {
			sawAssistant = true;
			if (m.weight !== undefined && m.weight !== 0 && m.weight !== 1) {
				problems.push(`${at}: weight must be the integer 0 or 1`);
			}
			if (m.tool_calls !== undefined) {
				if (!calls || calls.length === 0) {
					problems.push(`${at}: tool_calls must be a non-empty list when present`);
				}
				pending = new Set();
				for (const call of calls ?? []) {
					const fn = isObject(call) && isObject(call.function) ? call.function : undefined;
					if (!isObject(call) || typeof call.id !== 'string' || call.type !== 'function' || !fn || typeof fn.name !== 'string') {
						problems.push(`${at}: malformed tool call ${JSON.stringify(call)}`);
						continue;
					}
					if (typeof fn.arguments !== 'string') {
						problems.push(`${at}: arguments of ${call.id} must be a JSON-encoded string`);
					} else if (!isJson(fn.arguments)) {
						problems.push(`${at}: arguments of ${call.id} are not valid JSON`);
					}
					if (!toolNames.has(fn.name)) {
						problems.push(`${at}: tool ${fn.name} is not declared in tools`);
					}
					pending.add(call.id);
				}
			}
		}
		if (m.role === 'tool') {
			if (typeof m.tool_call_id !== 'string' || !pending?.has(m.tool_call_id)) {
				problems.push(`${at}: tool message answers no pending call (${String(m.tool_call_id)})`);
			} else {
				pending.delete(m.tool_call_id);
			}
		}
	});
	if (!sawUser) problems.push('example_missing_user_message');
	if (!sawAssistant) problems.push('example_missing_assistant_message');
	return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isJson(text: string): boolean {
	try {
		JSON.parse(text);
		return true;
	} catch {
		return false;
	}
}
