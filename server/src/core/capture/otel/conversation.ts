/**
 * GenAI spans to sessions. A session is one `gen_ai.conversation.id` (a span without one takes the
 * id another span of its trace carries), else one trace. Inference spans (`chat`,
 * `text_completion`, `generate_content`, …) are read in start-time order: each sends the whole
 * history again, so only what follows the history the previous call ended with is new.
 * `execute_tool` spans answer calls the transcript does not answer yet, or stand for a call the
 * model made when message content was not recorded. Agent spans (`invoke_agent`) are only read
 * when no inference span of the session recorded messages, so nothing is counted twice.
 */
import { MODEL_SCHEMA_VERSION, emptyUsage, type ContextKind, type MessageInput, type SessionInput, type TokenUsage, type ToolCall } from '../../../../../shared/model';
import { addUsage, argumentsJson, hasTokens, mostCommon, pairToolResults, textOf, timeBounds, titleFrom } from '../canonical';
import type { ImportWarning } from '../importer';
import { asCount, asText } from '../json';
import { flattenedMessages, instructionsOf, messagesOf, type ChatTurn } from './messages';
import type { Span } from './spans';

export const AGENT = 'otel';

const NOT_INFERENCE = new Set(['execute_tool', 'embeddings', 'retrieval', 'create_agent', 'invoke_agent']);
const AGENT_OPERATIONS = new Set(['invoke_agent', 'create_agent']);

const operationOf = (span: Span): string | undefined => asText(span.attributes.get('gen_ai.operation.name'));
const isGenAi = (span: Span): boolean => [...span.attributes.keys()].some((key) => key.startsWith('gen_ai.'));

export function buildSessions(spans: readonly Span[], parserVersion: number, warnings: ImportWarning[]): SessionInput[] {
	const genAi = spans.filter(isGenAi);
	const traceConversation = new Map<string, string>();
	for (const span of genAi) {
		const conversation = asText(span.attributes.get('gen_ai.conversation.id'));
		if (conversation !== undefined && !traceConversation.has(span.traceId)) {
			traceConversation.set(span.traceId, conversation);
		}
	}
	const groups = new Map<string, Span[]>();
	for (const span of genAi) {
		const key = asText(span.attributes.get('gen_ai.conversation.id')) ?? traceConversation.get(span.traceId) ?? span.traceId;
		groups.set(key, [...(groups.get(key) ?? []), span]);
	}
	const sessions = [...groups].map(([key, group]) => new ConversationBuilder(`${AGENT}:${key}`, byStart(group), warnings).build(parserVersion));
	const silent = sessions.filter((session) => session.messages.length === 0);
	if (silent.length > 0) {
		const first = groups.get(silent[0].id.slice(AGENT.length + 1))![0];
		warnings.push({ file: first.file, line: first.line, message: `${silent.length} conversation(s) with GenAI spans but no recorded messages or tool calls (message content capture off?); not imported` });
	}
	return sessions.filter((session) => session.messages.length > 0);
}

function byStart(spans: readonly Span[]): Span[] {
	return spans.map((span, index) => ({ span, index }))
		.sort((a, b) => ((a.span.start ?? '') < (b.span.start ?? '') ? -1 : (a.span.start ?? '') > (b.span.start ?? '') ? 1 : a.index - b.index))
		.map(({ span }) => span);
}

class ConversationBuilder {
	private messages: MessageInput[] = [];
	/** The history the last inference call ended with (its input and output), as comparable keys. */
	private seen: string[] = [];
	private instructions: string | undefined;
	private unanswered: string[] = [];
	private calls = 0;
	private usage = emptyUsage();
	private readonly models = new Map<string, number>();

	constructor(private readonly id: string, private readonly spans: Span[], private readonly warnings: ImportWarning[]) {}

	build(parserVersion: number): SessionInput {
		const inference = this.spans.filter((span) => !NOT_INFERENCE.has(operationOf(span) ?? ''));
		const agents = this.spans.filter((span) => AGENT_OPERATIONS.has(operationOf(span) ?? ''));
		const recorded = (list: Span[]): boolean => list.some((span) => this.turns(span, 'input', false) !== undefined || this.turns(span, 'output', false) !== undefined);
		for (const span of inference.length > 0 ? inference : agents) {
			this.noteModelAndUsage(span);
		}
		for (const span of recorded(inference) || !recorded(agents) ? inference : agents) {
			this.readMessages(span);
		}
		for (const span of this.spans.filter((s) => operationOf(s) === 'execute_tool')) {
			this.readTool(span);
		}
		const messages = pairToolResults(this.messages, this.warnings);
		const bounds = timeBounds(this.spans.flatMap((span) => [span.start, span.end]));
		const resource = this.spans[0].resource;
		const service = [asText(resource.get('service.name')), asText(resource.get('service.version'))].filter((part) => part !== undefined).join(' ');
		const agentName = this.spans.map((span) => asText(span.attributes.get('gen_ai.agent.name'))).find((name) => name !== undefined);
		return {
			schema_version: MODEL_SCHEMA_VERSION,
			id: this.id,
			agent: AGENT,
			agent_version: service.length > 0 ? service : null,
			parser_version: parserVersion,
			title: titleFrom(messages) ?? agentName ?? null,
			source_files: [...new Set(this.spans.map((span) => span.file))],
			cwd: null,
			git_branch: null,
			git_commit: null,
			repository_url: null,
			model: mostCommon(this.models),
			models: [...this.models.keys()],
			started_at: bounds.first ?? null,
			ended_at: bounds.last ?? null,
			usage: this.usage,
			parent_session_id: null,
			parent_tool_call_id: null,
			subagent_type: null,
			messages,
		};
	}

	private noteModelAndUsage(span: Span): void {
		const model = modelOf(span);
		if (model !== undefined) {
			this.models.set(model, (this.models.get(model) ?? 0) + 1);
		}
		const usage = usageOf(span.attributes);
		if (usage !== undefined) {
			this.usage = addUsage(this.usage, usage);
		}
	}

	private readMessages(span: Span): void {
		const model = modelOf(span);
		const usage = usageOf(span.attributes);
		const instructions = instructionsOf(span.attributes.get('gen_ai.system_instructions'));
		if (instructions !== undefined && instructions !== this.instructions) {
			this.instructions = instructions;
			this.messages.push({ role: 'system', content: instructions, context: 'instructions', ...provenance(span, span.start) });
		}
		const input = this.turns(span, 'input', true) ?? [];
		const output = this.turns(span, 'output', true) ?? [];
		const inputKeys = input.map(turnKey);
		let common = 0;
		while (common < inputKeys.length && common < this.seen.length && inputKeys[common] === this.seen[common]) {
			common++;
		}
		for (const turn of input.slice(common)) {
			this.addTurn(turn, span, span.start);
		}
		const answers: MessageInput[] = [];
		for (const turn of output) {
			answers.push(...this.addTurn(turn, span, span.end ?? span.start, model));
		}
		const last = answers.filter((message) => message.role === 'assistant').pop();
		if (last !== undefined && usage !== undefined) {
			last.usage = usage;
		}
		if (input.length > 0 || output.length > 0) {
			this.seen = [...inputKeys, ...output.map(turnKey)];
		}
	}

	/** Input or output messages from whichever attribute or event the instrumentation used. */
	private turns(span: Span, side: 'input' | 'output', warn: boolean): ChatTurn[] | undefined {
		const legacy = side === 'input' ? 'gen_ai.prompt' : 'gen_ai.completion';
		const legacyEvent = side === 'input' ? 'gen_ai.content.prompt' : 'gen_ai.content.completion';
		const details = span.events.find((event) => event.name === 'gen_ai.client.inference.operation.details');
		const candidates: [string, unknown][] = [
			[`gen_ai.${side}.messages`, span.attributes.get(`gen_ai.${side}.messages`)],
			[`gen_ai.${side}.messages`, details?.attributes.get(`gen_ai.${side}.messages`)],
			[legacy, span.attributes.get(legacy)],
			[legacy, span.events.find((event) => event.name === legacyEvent)?.attributes.get(legacy)],
		];
		for (const [name, value] of candidates) {
			if (value === undefined) continue;
			const turns = messagesOf(value);
			if (turns !== undefined) {
				return turns;
			}
			if (warn) {
				this.warnings.push({ file: span.file, line: span.line, message: `${name} of span ${span.spanId} is not a JSON array of messages; ignored` });
			}
		}
		return flattenedMessages(span.attributes, legacy);
	}

	/** One message turn to canonical messages; returns what it added. */
	private addTurn(turn: ChatTurn, span: Span, time: string | undefined, model?: string): MessageInput[] {
		const added: MessageInput[] = [];
		const base = provenance(span, time);
		const text = turn.parts.flatMap((part) => (part.type === 'text' ? [part.content] : [])).join('\n\n');
		const media = turn.parts.filter((part) => part.type === 'media').length;
		const images = media > 0 ? { images: media } : {};
		for (const part of turn.parts) {
			if (part.type !== 'tool_call_response') continue;
			const id = part.id?.trim() || this.unanswered[0];
			if (id === undefined) {
				this.warnings.push({ file: span.file, line: span.line, message: `tool response without an id and no open tool call in span ${span.spanId}; dropped` });
				continue;
			}
			this.unanswered = this.unanswered.filter((open) => open !== id);
			added.push({ role: 'tool', content: textOf(part.response), tool_call_id: id, context: null, ...(turn.name === undefined ? {} : { name: turn.name }), ...base });
		}
		switch (turn.role) {
			case 'system':
			case 'developer':
				added.unshift({ role: 'system', content: text, context: 'instructions' satisfies ContextKind, ...base });
				break;
			case 'user':
				if (text.length > 0 || media > 0) added.unshift({ role: 'user', content: text, context: null, ...images, ...base });
				break;
			case 'assistant':
			case 'model': {
				const calls: ToolCall[] = turn.parts.flatMap((part) => (part.type === 'tool_call'
					? [{ id: part.id?.trim() || `${this.id}:call:${++this.calls}`, type: 'function' as const, function: { name: part.name, arguments: argumentsJson(part.arguments) } }]
					: []));
				const reasoning = turn.parts.flatMap((part) => (part.type === 'reasoning' ? [part.content] : [])).join('\n\n');
				this.unanswered.push(...calls.map((call) => call.id));
				added.unshift({
					role: 'assistant', content: text, context: null,
					...(calls.length > 0 ? { tool_calls: calls } : {}),
					...(reasoning.length > 0 ? { reasoning } : {}),
					...(model === undefined ? {} : { model }),
					...images, ...base,
				});
				break;
			}
			case 'tool':
				break;
			default:
				this.warnings.push({ file: span.file, line: span.line, message: `message with role "${turn.role}" in span ${span.spanId} (expected system, user, assistant or tool); skipped` });
		}
		this.messages.push(...added);
		return added;
	}

	private readTool(span: Span): void {
		const attributes = span.attributes;
		const name = asText(attributes.get('gen_ai.tool.name')) ?? (span.name.replace(/^execute_tool\s*/, '') || 'tool');
		const failed = span.failed || asText(attributes.get('error.type')) !== undefined;
		const given = asText(attributes.get('gen_ai.tool.call.id'))?.trim();
		const answered = given === undefined ? undefined : this.messages.find((m) => m.role === 'tool' && m.tool_call_id === given);
		if (answered !== undefined) {
			if (failed) answered.is_error = true;
			return;
		}
		const known = given !== undefined && this.messages.some((m) => m.tool_calls?.some((call) => call.id === given));
		const id = given ?? `${this.id}:call:${++this.calls}`;
		const result = attributes.get('gen_ai.tool.call.result');
		const reason = [asText(attributes.get('error.type')), span.statusMessage].filter((part) => part !== undefined).join(': ');
		const content = result !== undefined ? textOf(result) : failed ? `(tool failed: ${reason || 'error'})` : '';
		const answer: MessageInput = { role: 'tool', content, tool_call_id: id, name, context: null, is_error: failed, ...provenance(span, span.end ?? span.start) };
		if (known) {
			this.messages.push(answer);
			return;
		}
		// The model's call was not recorded (no message content captured): the span stands for it.
		const call: MessageInput = {
			role: 'assistant', content: '', context: null,
			tool_calls: [{ id, type: 'function', function: { name, arguments: argumentsJson(attributes.get('gen_ai.tool.call.arguments')) } }],
			...provenance(span, span.start),
		};
		const at = this.messages.findIndex((m) => m.timestamp !== undefined && span.start !== undefined && m.timestamp > span.start);
		this.messages.splice(at === -1 ? this.messages.length : at, 0, call, answer);
	}
}

function modelOf(span: Span): string | undefined {
	return asText(span.attributes.get('gen_ai.response.model')) ?? asText(span.attributes.get('gen_ai.request.model'));
}

function turnKey(turn: ChatTurn): string {
	return JSON.stringify([turn.role, turn.parts]);
}

function provenance(span: Span, time: string | undefined): Pick<MessageInput, 'timestamp' | 'source_id' | 'source'> {
	return { ...(time === undefined ? {} : { timestamp: time }), source_id: span.spanId, source: { file: span.file, line: span.line } };
}

/**
 * Token counts of one inference span. The conventions count cached tokens inside
 * `gen_ai.usage.input_tokens`; the canonical split keeps them apart, so they are subtracted.
 * Reasoning tokens stay inside output, as in the conventions. `prompt_tokens` and
 * `completion_tokens` are the deprecated names.
 */
export function usageOf(attributes: ReadonlyMap<string, unknown>): TokenUsage | undefined {
	const count = (key: string): number => asCount(attributes.get(key));
	const cacheRead = count('gen_ai.usage.cache_read.input_tokens');
	const cacheCreation = count('gen_ai.usage.cache_creation.input_tokens');
	const input = count('gen_ai.usage.input_tokens') || count('gen_ai.usage.prompt_tokens');
	const usage: TokenUsage = {
		input_tokens: Math.max(0, input - cacheRead - cacheCreation),
		output_tokens: count('gen_ai.usage.output_tokens') || count('gen_ai.usage.completion_tokens'),
		cache_read_tokens: cacheRead,
		cache_creation_tokens: cacheCreation,
		reasoning_tokens: count('gen_ai.usage.reasoning.output_tokens'),
	};
	return hasTokens(usage) ? usage : undefined;
}
