/**
 * One Continue session file (`Session` in continuedev/continue core/index.d.ts) to a canonical
 * session. History items are `{message, contextItems, promptLogs?, toolCallStates?, reasoning?,
 * conversationSummary?}`; message roles are user, assistant, thinking, tool and system.
 * - contextItems (attached files, @-mentions, rules) become `environment` context before the
 *   message they came with; a conversationSummary becomes a `compaction` message after it.
 * - A `thinking` message and an item's `reasoning` go to the next assistant message's reasoning.
 * - Tool results are the `tool` messages (`toolCallId`); a call answered only in the assistant
 *   item's `toolCallStates[].output` gets its result from there (errored/canceled are errors).
 * - Usage follows Continue's OpenAI-style `Usage`: promptTokens include cached tokens and cache
 *   writes, so those are subtracted from the input count.
 * Continue keeps no per-message times; an assistant message with reasoning gets its end time.
 */
import { MODEL_SCHEMA_VERSION, type MessageInput, type SessionInput, type TokenUsage, type ToolCall } from '../../../../../shared/model';
import { argumentsJson, hasTokens, isoFromMillis, modelsOf, pairToolResults, pathFromUri, titleFrom, totalUsage } from '../canonical';
import type { ImportWarning, RawRecord } from '../importer';
import { asArray, asCount, asObject, asString, asText, type JsonObject } from '../json';
import { arrayElementLines } from '../elementLines';

export const AGENT = 'continue';
/** The title Continue gives a session before it names it. */
const NEW_SESSION_TITLE = 'New Session';
const ERROR_STATES = new Set(['errored', 'canceled']);

export function readSession(file: string, sessionId: string, record: RawRecord, parserVersion: number, warnings: ImportWarning[]): SessionInput | undefined {
	const document = asObject(record.value);
	if (document === undefined || !Array.isArray(document.history)) {
		warnings.push({ file, line: record.line, message: 'expected a Continue session ({sessionId, title, workspaceDirectory, history: [...]}); skipped' });
		return undefined;
	}
	const lines = arrayElementLines(record.text, 'history');
	const reader = new HistoryReader(file, `${AGENT}:${sessionId}`, asText(document.chatModelTitle), warnings);
	asArray(document.history).forEach((item, index) => reader.read(item, lines[index] ?? record.line));
	reader.finish();
	const messages = pairToolResults(reader.messages, warnings);
	const { model, models } = modelsOf(messages);
	const declaredUsage = usageOf(document.usage);
	const title = asText(document.title);
	const workspace = asText(document.workspaceDirectory);
	return {
		schema_version: MODEL_SCHEMA_VERSION,
		id: `${AGENT}:${sessionId}`,
		agent: AGENT,
		agent_version: null,
		parser_version: parserVersion,
		title: title !== undefined && title !== NEW_SESSION_TITLE ? title : titleFrom(messages),
		source_files: [file],
		cwd: workspace === undefined ? null : pathFromUri(workspace),
		git_branch: null,
		git_commit: null,
		repository_url: null,
		model: model ?? asText(document.chatModelTitle) ?? null,
		models: models.length > 0 ? models : [asText(document.chatModelTitle)].filter((m): m is string => m !== undefined),
		// Continue records no session times (the index's dateCreated is another file); reasoning times are too sparse to bound it.
		started_at: null,
		ended_at: null,
		// The session's own total also counts calls whose messages are not in the history (titles, summaries).
		usage: declaredUsage ?? totalUsage(messages),
		parent_session_id: null,
		parent_tool_call_id: null,
		subagent_type: null,
		messages,
	};
}

class HistoryReader {
	readonly messages: MessageInput[] = [];
	private pendingReasoning: string[] = [];
	private unanswered: string[] = [];
	/** Results from `toolCallStates`, used for calls no `tool` message answers. */
	private readonly stateResults = new Map<string, MessageInput>();
	private calls = 0;

	constructor(private readonly file: string, private readonly sessionId: string, private readonly sessionModel: string | undefined, private readonly warnings: ImportWarning[]) {}

	read(raw: unknown, line: number): void {
		const item = asObject(raw);
		const message = asObject(item?.message);
		const role = asString(message?.role);
		if (item === undefined || message === undefined || role === undefined) {
			this.warn(line, 'history item without a message {role, content} (expected a Continue ChatHistoryItem); skipped');
			return;
		}
		const source = { file: this.file, line };
		for (const raw of asArray(item.contextItems)) {
			const context = asObject(raw);
			const text = contextText(context);
			if (text !== undefined) {
				// Rules are instructions; files, selections, docs and the like are what the agent was shown.
				const kind = asString(asObject(context?.id)?.providerTitle) === 'rules' ? 'instructions' : 'environment';
				this.messages.push({ role: 'user', content: text, context: kind, source });
			}
		}
		const { text, images } = contentOf(message.content);
		const media = images > 0 ? { images } : {};
		switch (role) {
			case 'user':
				this.dropPendingReasoning(line);
				this.messages.push({ role: 'user', content: text, context: null, ...media, source });
				break;
			case 'system':
				this.messages.push({ role: 'system', content: text, context: 'instructions', source });
				break;
			case 'thinking':
				if (text.trim().length > 0) this.pendingReasoning.push(text);
				break;
			case 'assistant':
				this.readAssistant(item, message, text, media, line);
				break;
			case 'tool':
				this.readTool(message, text, line);
				break;
			default:
				this.warn(line, `history message with role "${role}" (expected user, assistant, thinking, tool or system); skipped`);
		}
		const summary = asText(item.conversationSummary);
		if (summary !== undefined) {
			this.messages.push({ role: 'user', content: summary, context: 'compaction', source });
		}
	}

	finish(): void {
		for (const [id, result] of this.stateResults) {
			if (!this.messages.some((m) => m.role === 'tool' && m.tool_call_id === id)) {
				this.messages.push(result);
			}
		}
		this.dropPendingReasoning(undefined);
	}

	private readAssistant(item: JsonObject, message: JsonObject, text: string, media: Pick<MessageInput, 'images'>, line: number): void {
		const reasoningItem = asObject(item.reasoning);
		const reasoning = [...this.pendingReasoning, ...[asText(reasoningItem?.text)].filter((t): t is string => t !== undefined)];
		this.pendingReasoning = [];
		const calls: ToolCall[] = asArray(message.toolCalls).flatMap((raw) => {
			const call = asObject(raw);
			const name = asText(asObject(call?.function)?.name);
			if (name === undefined) return [];
			return [{ id: asText(call?.id) ?? `${this.sessionId}:call:${++this.calls}`, type: 'function' as const, function: { name, arguments: argumentsJson(asObject(call?.function)?.arguments) } }];
		});
		const model = asText(asObject(asArray(item.promptLogs)[0])?.modelTitle) ?? this.sessionModel;
		const time = isoFromMillis(reasoningItem?.endAt) ?? isoFromMillis(reasoningItem?.startAt);
		const usage = usageOf(message.usage);
		this.messages.push({
			role: 'assistant', content: text, context: null,
			...(calls.length > 0 ? { tool_calls: calls } : {}),
			...(reasoning.length > 0 ? { reasoning: reasoning.join('\n\n') } : {}),
			...(model === undefined ? {} : { model }),
			...(usage === undefined ? {} : { usage }),
			...(time === undefined ? {} : { timestamp: time }),
			...media,
			source: { file: this.file, line },
		});
		this.unanswered.push(...calls.map((call) => call.id));
		for (const raw of asArray(item.toolCallStates)) {
			const state = asObject(raw);
			const id = asText(state?.toolCallId);
			if (state === undefined || id === undefined) continue;
			const status = asString(state.status);
			const output = asArray(state.output).map((o) => asString(asObject(o)?.content) ?? '').filter((o) => o.length > 0).join('\n\n');
			if (output.length === 0 && (status === undefined || !ERROR_STATES.has(status))) continue;
			this.stateResults.set(id, {
				role: 'tool', content: output.length > 0 ? output : `(tool call ${status})`, tool_call_id: id, context: null,
				is_error: status !== undefined && ERROR_STATES.has(status), source: { file: this.file, line },
			});
		}
	}

	private readTool(message: JsonObject, text: string, line: number): void {
		const id = asText(message.toolCallId) ?? this.unanswered[0];
		if (id === undefined) {
			this.warn(line, 'tool message without toolCallId and no open tool call; dropped');
			return;
		}
		this.unanswered = this.unanswered.filter((open) => open !== id);
		const state = this.stateResults.get(id);
		this.messages.push({
			role: 'tool', content: text, tool_call_id: id, context: null,
			...(state?.is_error ? { is_error: true } : {}),
			source: { file: this.file, line },
		});
	}

	private dropPendingReasoning(line: number | undefined): void {
		if (this.pendingReasoning.length > 0) {
			this.warnings.push({ file: this.file, ...(line === undefined ? {} : { line }), message: 'thinking with no following assistant message (interrupted turn?); dropped' });
		}
		this.pendingReasoning = [];
	}

	private warn(line: number, message: string): void {
		this.warnings.push({ file: this.file, line, message });
	}
}

/** `string | [{type: "text", text} | {type: "imageUrl", imageUrl}]`. */
function contentOf(content: unknown): { text: string; images: number } {
	if (typeof content === 'string') {
		return { text: content, images: 0 };
	}
	const texts: string[] = [];
	let images = 0;
	for (const raw of asArray(content)) {
		const part = asObject(raw);
		if (part?.type === 'text') texts.push(asString(part.text) ?? '');
		else if (part?.type === 'imageUrl') images++;
	}
	return { text: texts.join('\n\n'), images };
}

/** A ContextItem `{name, description, content, uri?}` as the text the model was shown, with where it came from. */
function contextText(item: JsonObject | undefined): string | undefined {
	const content = asString(item?.content);
	if (item === undefined || content === undefined) {
		return undefined;
	}
	const name = asText(item.name) ?? 'context';
	const description = asText(item.description);
	const uri = asText(asObject(item.uri)?.value);
	const header = [description === undefined || description === name ? name : `${name} (${description})`, uri].filter((part) => part !== undefined).join(' ');
	return `${header}\n\n${content}`;
}

function usageOf(raw: unknown): TokenUsage | undefined {
	const usage = asObject(raw);
	if (usage === undefined) return undefined;
	const prompt = asObject(usage.promptTokensDetails);
	const completion = asObject(usage.completionTokensDetails);
	const cached = asCount(prompt?.cachedTokens);
	const written = asCount(prompt?.cacheWriteTokens);
	const result: TokenUsage = {
		input_tokens: Math.max(0, asCount(usage.promptTokens) - cached - written),
		output_tokens: asCount(usage.completionTokens),
		cache_read_tokens: cached,
		cache_creation_tokens: written,
		reasoning_tokens: asCount(completion?.reasoningTokens),
	};
	return hasTokens(result) ? result : undefined;
}
