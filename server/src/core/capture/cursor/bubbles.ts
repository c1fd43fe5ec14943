/**
 * One Cursor bubble (`type` 1 = user, 2 = assistant) to canonical messages. An assistant bubble
 * holds text, `thinking` and at most one tool call (`toolFormerData{toolCallId?, name, params |
 * rawArgs, result, status}`); the call's result lives in the same bubble and becomes the tool
 * message answering it. A bubble with only thinking belongs to the next assistant output.
 */
import type { MessageInput, ToolCall } from '../../../../../shared/model';
import { isoFromMillis, textOf } from '../canonical';
import type { ImportWarning } from '../importer';
import { asCount, asNumber, asObject, asString, asText, isoTimestamp, parseJson, type JsonObject } from '../json';

/** Tool statuses after which no result will come: the call is answered as failed. */
const ENDED_WITHOUT_RESULT = new Set(['error', 'cancelled', 'canceled', 'rejected', 'aborted']);

export interface BubbleRef {
	value: JsonObject;
	line: number;
	bubbleId: string;
}

export class BubbleReader {
	readonly messages: MessageInput[] = [];
	/** `workspaceUris` of the first user bubble that has one: the conversation's folder. */
	workspaceUri: string | undefined;
	private pendingReasoning: { text: string; line: number }[] = [];
	private calls = 0;

	constructor(
		private readonly file: string,
		private readonly sessionId: string,
		private readonly model: string | undefined,
		private readonly warnings: ImportWarning[],
	) {}

	read(bubble: BubbleRef): void {
		const type = asNumber(bubble.value.type);
		if (type === 1) {
			this.readUser(bubble);
		} else if (type === 2) {
			this.readAssistant(bubble);
		} else {
			this.warn(bubble.line, `bubble ${bubble.bubbleId} has type ${JSON.stringify(bubble.value.type ?? null)} (expected 1 for user or 2 for assistant); skipped`);
		}
	}

	finish(): void {
		this.dropPendingReasoning();
	}

	private readUser(bubble: BubbleRef): void {
		this.dropPendingReasoning();
		const uris = bubble.value.workspaceUris;
		this.workspaceUri ??= Array.isArray(uris) ? asText(uris[0]) : undefined;
		const text = asText(bubble.value.text) ?? asText(bubble.value.rawText);
		if (text === undefined) {
			return; // an empty prompt box, nothing was sent
		}
		this.messages.push({ role: 'user', content: text, context: null, ...this.provenance(bubble) });
	}

	private readAssistant(bubble: BubbleRef): void {
		const text = asText(bubble.value.text) ?? asText(bubble.value.rawText);
		const thinking = asObject(bubble.value.thinking);
		const reasoning = asText(thinking?.text) ?? asText(bubble.value.thinking);
		const tool = asObject(bubble.value.toolFormerData);
		const toolName = asText(tool?.name);
		if (text === undefined && toolName === undefined) {
			if (reasoning !== undefined) {
				this.pendingReasoning.push({ text: reasoning, line: bubble.line });
			}
			return;
		}
		const reasoningParts = [...this.pendingReasoning.map((part) => part.text), ...(reasoning === undefined ? [] : [reasoning])];
		this.pendingReasoning = [];
		const message: MessageInput = {
			role: 'assistant',
			content: text ?? '',
			context: null,
			...(reasoningParts.length > 0 ? { reasoning: reasoningParts.join('\n\n') } : {}),
			...(this.model === undefined ? {} : { model: this.model }),
			...usageOf(bubble.value.tokenCount),
			...this.provenance(bubble),
		};
		this.messages.push(message);
		if (tool !== undefined && toolName !== undefined) {
			this.readTool(tool, toolName, message, bubble);
		}
	}

	private readTool(tool: JsonObject, name: string, message: MessageInput, bubble: BubbleRef): void {
		this.calls++;
		const id = asText(tool.toolCallId) ?? `${this.sessionId}:call:${this.calls}`;
		const call: ToolCall = { id, type: 'function', function: { name, arguments: toolArguments(tool.params ?? tool.rawArgs) } };
		message.tool_calls = [call];
		const status = asString(tool.status) ?? asString(asObject(tool.additionalData)?.status);
		const hasResult = tool.result !== undefined && tool.result !== null;
		const ended = status !== undefined && ENDED_WITHOUT_RESULT.has(status);
		if (!hasResult && !ended && status !== 'completed' && status !== 'success') {
			return; // still running, or the status is unknown: no result to pair
		}
		this.messages.push({
			role: 'tool',
			content: hasResult ? textOf(tool.result) : `(tool call ${status ?? 'ended'} without a result)`,
			tool_call_id: id,
			name,
			context: null,
			is_error: ended,
			...this.provenance(bubble),
		});
	}

	private dropPendingReasoning(): void {
		for (const part of this.pendingReasoning) {
			this.warn(part.line, 'thinking with no following assistant output (interrupted turn?); dropped');
		}
		this.pendingReasoning = [];
	}

	private provenance(bubble: BubbleRef): Pick<MessageInput, 'timestamp' | 'source_id' | 'source'> {
		const created = bubble.value.createdAt ?? bubble.value.timestamp;
		const iso = typeof created === 'number' ? isoFromMillis(created) : isoTimestamp(created);
		return { ...(iso === undefined ? {} : { timestamp: iso }), source_id: bubble.bubbleId, source: { file: this.file, line: bubble.line } };
	}

	private warn(line: number, message: string): void {
		this.warnings.push({ file: this.file, line, message });
	}
}

/** `params`/`rawArgs` are JSON strings (sometimes objects); anything that is not a JSON object is wrapped as `{"input": …}`. */
function toolArguments(raw: unknown): string {
	const parsed = typeof raw === 'string' ? parseJson(raw) : raw;
	if (asObject(parsed) !== undefined) {
		return typeof raw === 'string' ? raw : JSON.stringify(parsed);
	}
	return raw === undefined || raw === null ? '{}' : JSON.stringify({ input: raw });
}

/** `tokenCount{inputTokens, outputTokens}`; most bubbles carry zeros, which say nothing. */
function usageOf(raw: unknown): Pick<MessageInput, 'usage'> {
	const count = asObject(raw);
	const input = asCount(count?.inputTokens);
	const output = asCount(count?.outputTokens);
	if (input + output === 0) {
		return {};
	}
	return { usage: { input_tokens: input, output_tokens: output, cache_read_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0 } };
}
