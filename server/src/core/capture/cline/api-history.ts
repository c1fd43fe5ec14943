/**
 * Reads `api_conversation_history.json`, the model-facing history, into entries of plain blocks.
 *
 * Two layouts: the Anthropic-style array all three agents have written (`{role, content[]}` plus
 * Cline's `modelInfo`/`metrics` and Roo's `ts`/`isSummary`), and Roo's versioned envelope
 * `{version: 2, messages}` in the AI SDK shape (`tool-call`/`tool-result` parts, `role: "tool"`).
 * Both become the same blocks, so the rest of the importer never sees the difference.
 */
import type { ImportWarning } from '../importer';
import { asArray, asCount, asId, asNumber, asObject, asString, asText, type JsonObject } from '../json';
import { arrayElementLines } from '../elementLines';

export type Block =
	| { kind: 'text'; text: string }
	| { kind: 'image' }
	| { kind: 'reasoning'; text: string }
	| { kind: 'tool-call'; id: string | undefined; name: string; input: unknown }
	| { kind: 'tool-result'; id: string; content: string; images: number; isError: boolean | undefined }
	/** Cline's `agents_instructions` block (AGENTS.md and rules files sent as user content). */
	| { kind: 'instructions'; text: string }
	/** A PDF the user attached, as the text the model is sent when it cannot read PDFs. */
	| { kind: 'attachment'; text: string };

export type EntryRole = 'user' | 'assistant' | 'tool' | 'reasoning';

export interface CallTokens {
	prompt: number;
	completion: number;
	/** Cline's `cached`: cache reads and cache writes together (checked against ui_messages on the real task). */
	cached: number;
}

export interface HistoryEntry {
	/** Position in the stored array: Cline's `conversationHistoryIndex` counts these. */
	index: number;
	line: number;
	/** `reasoning`: a standalone reasoning item (OpenAI Responses models) that precedes its assistant message. */
	role: EntryRole;
	blocks: Block[];
	ts?: number;
	model?: string;
	tokens?: CallTokens;
	/** Roo's condense summary that replaced the messages before it. */
	summary: boolean;
	/** Roo's sliding-window marker standing for messages it hid from the model. */
	truncationMarker: boolean;
}

export interface HistoryRead {
	/** Undefined when the document is not a message history at all. */
	entries?: HistoryEntry[];
	warnings: ImportWarning[];
}

const ROLES = new Set(['user', 'assistant', 'tool']);
/** Blocks that carry nothing to import: signatures, encrypted reasoning, provider replay data. */
const SILENT_BLOCKS = new Set(['redacted_thinking', 'thoughtSignature']);

export function readHistory(value: unknown, text: string, file: string): HistoryRead {
	const warnings: ImportWarning[] = [];
	const envelope = asObject(value);
	const elements = Array.isArray(value) ? value : envelope !== undefined && Array.isArray(envelope.messages) ? envelope.messages : undefined;
	if (elements === undefined) {
		warnings.push({ file, line: 1, message: 'not a message history (expected a JSON array of {role, content} messages or {version: 2, messages: [...]}); file skipped' });
		return { warnings };
	}
	const lines = arrayElementLines(text, 'messages');
	const skippedBlocks = new Map<string, { count: number; line: number }>();
	const entries: HistoryEntry[] = [];
	elements.forEach((element, index) => {
		const line = lines[index] ?? 1;
		const entry = readEntry(element, index, line, skippedBlocks);
		if (typeof entry === 'string') {
			warnings.push({ file, line, message: `message ${index} ${entry}; skipped` });
		} else {
			entries.push(entry);
		}
	});
	for (const [type, { count, line }] of skippedBlocks) {
		warnings.push({ file, line, message: `skipped ${count} content block(s) of type "${type}" (not text, image, thinking, tool_use or tool_result; first at this line)` });
	}
	return { entries, warnings };
}

/** An entry, or why the element is not one. */
function readEntry(element: unknown, index: number, line: number, skipped: Map<string, { count: number; line: number }>): HistoryEntry | string {
	const message = asObject(element);
	if (message === undefined) {
		return 'is not an object (expected {role, content})';
	}
	const base = {
		index,
		line,
		...optionalTs(message.ts),
		summary: message.isSummary === true,
		truncationMarker: message.isTruncationMarker === true,
	};
	const role = asString(message.role);
	if (role === undefined && asString(message.type) === 'reasoning') {
		const summary = asArray(message.summary).map((part) => asString(asObject(part)?.text) ?? '').filter((part) => part.trim().length > 0);
		const blocks: Block[] = summary.length > 0 ? [{ kind: 'reasoning', text: summary.join('\n\n') }] : [];
		return { ...base, role: 'reasoning', blocks };
	}
	if (role === undefined || !ROLES.has(role)) {
		return `has role ${JSON.stringify(message.role ?? null)} (expected "user", "assistant" or "tool")`;
	}
	const blocks: Block[] = [];
	const reasoningContent = asText(message.reasoning_content);
	if (reasoningContent !== undefined) {
		blocks.push({ kind: 'reasoning', text: reasoningContent });
	}
	if (typeof message.content === 'string') {
		blocks.push({ kind: 'text', text: message.content });
	} else if (Array.isArray(message.content)) {
		for (const raw of message.content) {
			const block = readBlock(asObject(raw), reasoningContent !== undefined);
			if (typeof block === 'string') {
				const seen = skipped.get(block);
				skipped.set(block, { count: (seen?.count ?? 0) + 1, line: seen?.line ?? line });
			} else if (block !== undefined) {
				blocks.push(block);
			}
		}
	} else {
		return 'has no content (expected a string or an array of content blocks)';
	}
	return { ...base, role: role as EntryRole, blocks, ...modelAndTokens(message) };
}

/** A block, undefined for one that carries nothing, or the type name of one that is skipped. */
function readBlock(block: JsonObject | undefined, hasReasoningContent: boolean): Block | string | undefined {
	const type = asString(block?.type);
	if (block === undefined || type === undefined) {
		return '(none)';
	}
	switch (type) {
		case 'text':
			return { kind: 'text', text: asString(block.text) ?? '' };
		case 'image':
			return { kind: 'image' };
		case 'file':
			return asString(block.mediaType)?.startsWith('image/') === true ? { kind: 'image' } : type;
		case 'thinking':
		case 'reasoning': {
			// DeepSeek-style `reasoning_content` on the message already holds the same text.
			const text = asText(block.thinking) ?? asText(block.text);
			return hasReasoningContent || text === undefined ? undefined : { kind: 'reasoning', text };
		}
		case 'tool_use':
		case 'tool-call':
			return {
				kind: 'tool-call',
				// `function_id` is the id field of a Cline fork's canonical blocks.
				id: asId(block.id) ?? asId(block.toolCallId) ?? asId(block.function_id),
				name: asText(block.name) ?? asText(block.toolName) ?? 'tool',
				input: block.input ?? block.args ?? {},
			};
		case 'tool_result':
		case 'tool-result':
			return toolResult(block);
		case 'agents_instructions':
			return { kind: 'instructions', text: asString(block.content) ?? '' };
		case 'attached_document':
			return { kind: 'attachment', text: asString(block.fallback_text) ?? '' };
		default:
			return SILENT_BLOCKS.has(type) ? undefined : type;
	}
}

function toolResult(block: JsonObject): Block | string {
	const id = asId(block.tool_use_id) ?? asId(block.toolCallId) ?? asId(block.function_id);
	if (id === undefined) {
		return `${asString(block.type) ?? 'tool_result'} without a call id`;
	}
	if ('output' in block) {
		return { kind: 'tool-result', id, ...aiSdkOutput(block.output) };
	}
	const content = resultContent(block.content);
	return { kind: 'tool-result', id, ...content, isError: typeof block.is_error === 'boolean' ? block.is_error : undefined };
}

/** Anthropic `tool_result.content`: a string or text and image blocks. */
export function resultContent(content: unknown): { content: string; images: number } {
	if (typeof content === 'string') {
		return { content, images: 0 };
	}
	const texts: string[] = [];
	let images = 0;
	for (const item of asArray(content)) {
		const part = asObject(item);
		const type = asString(part?.type);
		if (type === 'image' || type === 'media' || type === 'image-data' || type === 'image-url') {
			images++;
		} else {
			const text = asString(part?.text) ?? asString(part?.value);
			if (text !== undefined) {
				texts.push(text);
			}
		}
	}
	return { content: texts.join('\n'), images };
}

/** AI SDK `ToolResultPart.output`; errors follow Roo's own rule (an error type, or text starting `[ERROR]`). */
function aiSdkOutput(output: unknown): { content: string; images: number; isError: boolean | undefined } {
	const value = asObject(output);
	const type = asString(value?.type) ?? '';
	let content: string;
	let images = 0;
	if (typeof value?.value === 'string') {
		content = value.value;
	} else if (type === 'content') {
		({ content, images } = resultContent(value?.value));
	} else {
		content = JSON.stringify(value?.value ?? output ?? null);
	}
	const isError = type.startsWith('error-') || content.trimStart().startsWith('[ERROR]');
	return { content, images, isError };
}

function optionalTs(value: unknown): { ts?: number } {
	const ts = asNumber(value);
	return ts === undefined ? {} : { ts };
}

/** Cline 3.5x: `modelInfo.modelId` and `metrics.tokens` on each assistant message. */
function modelAndTokens(message: JsonObject): { model?: string; tokens?: CallTokens } {
	const model = asText(asObject(message.modelInfo)?.modelId);
	const tokens = asObject(asObject(message.metrics)?.tokens);
	return {
		...(model === undefined ? {} : { model }),
		...(tokens === undefined ? {} : { tokens: { prompt: asCount(tokens.prompt), completion: asCount(tokens.completion), cached: asCount(tokens.cached) } }),
	};
}
