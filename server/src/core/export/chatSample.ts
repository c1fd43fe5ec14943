/**
 * The one canonical training sample every format writer starts from: a session's redacted turns
 * reduced to what a trainer can use (system / user / assistant with tool calls / tool results),
 * with every call answered, every result matched to its call, tool names valid everywhere, and
 * a `train` flag on each assistant turn. Formats only change the shape, never the content.
 */
import type { TrainOn } from '../../../../shared/dataset';
import type { Message, Session } from '../../../../shared/model';
import type { SplitName } from '../../../../shared/quality';
import { asObject, parseJson } from '../capture/json';
import { sortedByKey } from './tallies';

export interface ChatToolCall {
	id: string;
	/** Valid for every format: letters, digits, `_` and `-`, at most 64 characters. */
	name: string;
	/** A JSON object encoded as a string (OpenAI's shape); `args` is the same object parsed. */
	arguments: string;
	args: Record<string, unknown>;
}

export type ChatMessage =
	| { role: 'system' | 'user'; content: string }
	| { role: 'assistant'; content: string; toolCalls: ChatToolCall[]; train: boolean }
	| { role: 'tool'; content: string; toolCallId: string; name: string };

export type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;

/** A function tool, with a JSON Schema inferred from the arguments seen in the sample. */
export interface ToolSpec {
	name: string;
	parameters: { type: 'object'; properties: Record<string, { type?: string }> };
}


export interface ChatSample {
	/** `<session id>` or, for a long session split in parts, `<session id>#<part>`. */
	id: string;
	sessionId: string;
	/** 1-based part and the number of parts the session was split into. */
	part: number;
	parts: number;
	split: SplitName;
	/** The session's reward (0..1), for the reward format and pair ranking. */
	reward: number;
	messages: ChatMessage[];
	/** Every tool the sample's calls use, sorted by name. */
	tools: ToolSpec[];
}

/** What the conversion had to leave out or repair, summed over an export. */
export interface SampleFixes {
	droppedContext: number;
	droppedUnansweredCalls: number;
	droppedOrphanResults: number;
	emptyToolOutputs: number;
	renamedTools: number;
	/** Arguments that were not a JSON object (free-form patches, plain text), wrapped as `{"input": …}`. */
	wrappedArguments: number;
}

export const EMPTY_TOOL_OUTPUT = '(no output)';
export const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** Context kept as system text; the rest (reminders, command wrappers, interrupts…) is noise for training. */
export const KEPT_CONTEXT: ReadonlySet<string | null> = new Set(['instructions', 'compaction']);

export function emptyFixes(): SampleFixes {
	return { droppedContext: 0, droppedUnansweredCalls: 0, droppedOrphanResults: 0, emptyToolOutputs: 0, renamedTools: 0, wrappedArguments: 0 };
}

/**
 * The session's trainable conversation, or undefined when it has no user turn or no assistant
 * turn. Ends at the last assistant turn (with the results of its calls): a trailing user turn
 * with no answer teaches nothing.
 */
export function toChat(session: Session, trainOn: TrainOn, fixes: SampleFixes): { messages: ChatMessage[]; tools: ToolSpec[] } | undefined {
	const answered = new Set(session.messages.filter((m) => m.role === 'tool' && m.tool_call_id).map((m) => m.tool_call_id!));
	const names = new ToolNames();
	const emittedCalls = new Map<string, string>();
	const messages: ChatMessage[] = [];
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
	let end = lastAssistant + 1;
	while (end < messages.length && messages[end].role === 'tool') {
		end++;
	}
	const kept = messages.slice(0, end);
	if (trainOn === 'final') {
		kept.forEach((m, i) => {
			if (m.role === 'assistant') {
				m.train = i === lastAssistant;
			}
		});
	}
	fixes.renamedTools += names.renamed;
	return { messages: kept, tools: toolsOf(kept, (name) => names.schemaOf(name)) };
}

/** The tools a slice of messages calls, sorted by name (used again on each part of a split sample). */
export function toolsOf(messages: readonly ChatMessage[], schemaOf: (name: string) => ToolSpec['parameters']): ToolSpec[] {
	const used = new Set(messages.flatMap((m) => (m.role === 'assistant' ? m.toolCalls : []).map((c) => c.name)));
	return [...used].sort().map((name) => ({ name, parameters: schemaOf(name) }));
}

function convert(m: Message, answered: Set<string>, emittedCalls: Map<string, string>, names: ToolNames, fixes: SampleFixes): ChatMessage | undefined {
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
				const ok = answered.has(c.id) && !emittedCalls.has(c.id);
				if (!ok) {
					fixes.droppedUnansweredCalls++;
				}
				return ok;
			});
			if (!m.content.trim() && calls.length === 0) {
				return undefined;
			}
			const toolCalls = calls.map((c): ChatToolCall => {
				const { text, args } = jsonArguments(c.function.arguments, fixes);
				const name = names.use(c.function.name, args);
				emittedCalls.set(c.id, name);
				return { id: c.id, name, arguments: text, args };
			});
			return { role: 'assistant', content: m.content, toolCalls, train: true };
		}
		case 'tool': {
			const name = m.tool_call_id === undefined ? undefined : emittedCalls.get(m.tool_call_id);
			if (name === undefined) {
				fixes.droppedOrphanResults++;
				return undefined;
			}
			// One answer per call: a second result for the same id would break every format's pairing.
			emittedCalls.delete(m.tool_call_id!);
			if (!m.content.trim()) {
				fixes.emptyToolOutputs++;
			}
			return { role: 'tool', content: m.content.trim() ? m.content : EMPTY_TOOL_OUTPUT, toolCallId: m.tool_call_id!, name };
		}
	}
}

function jsonArguments(raw: string, fixes: SampleFixes): { text: string; args: Record<string, unknown> } {
	const parsed = asObject(parseJson(raw));
	if (parsed) {
		return { text: raw, args: parsed };
	}
	fixes.wrappedArguments++;
	const args = { input: raw };
	return { text: JSON.stringify(args), args };
}

/** Tool names valid for every format, and parameter schemas inferred from the calls seen. */
class ToolNames {
	renamed = 0;
	private readonly mapped = new Map<string, string>();
	private readonly params = new Map<string, Record<string, { type?: string }>>();

	use(raw: string, args: Record<string, unknown>): string {
		let name = this.mapped.get(raw);
		if (!name) {
			name = TOOL_NAME.test(raw) ? raw : raw.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'tool';
			if (name !== raw) {
				this.renamed++;
			}
			this.mapped.set(raw, name);
		}
		const properties = this.params.get(name) ?? {};
		for (const [key, value] of Object.entries(args)) {
			const type = jsonType(value);
			const seen = properties[key];
			// A key seen with two types gets no type rather than a wrong one.
			properties[key] = !seen || seen.type === type ? { type } : {};
		}
		this.params.set(name, properties);
		return name;
	}

	schemaOf(name: string): ToolSpec['parameters'] {
		return { type: 'object', properties: sortedByKey(this.params.get(name) ?? {}) };
	}
}

function jsonType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
	return typeof value;
}
