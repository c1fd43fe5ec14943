/**
 * Turns a chosen conversation into OpenAI-shaped messages: the lines of one streamed response
 * merged into one assistant message, each tool result a `tool` message right after the
 * assistant message that made the call, injected context marked.
 */
import { emptyUsage, type ContextKind, type MessageInput, type ToolCall, type TokenUsage } from '../../../../../shared/model';
import type { ImportWarning } from '../importer';
import { assistantContent, toolOutput, uncarriedBlocks, userParts, type ToolUse } from './content';
import { asArray, asCount, asId, asObject, asString, type JsonObject } from '../json';
import { compareRecords, messageIdOf, messageOf, subtypeOf, type ClaudeRecord } from './records';
import type { Conversation } from './tree';

/** Claude Code's model name on assistant lines it wrote itself (API errors, "No response requested."). */
export const SYNTHETIC_MODEL = '<synthetic>';

export interface BuiltMessages {
	messages: MessageInput[];
	/** Tool message index by tool call id, to link subagent sessions afterwards. */
	toolMessages: Map<string, MessageInput>;
}

interface ToolResult {
	block: JsonObject;
	record: ClaudeRecord;
	used: boolean;
}

export function buildMessages(conversation: Conversation, warnings: ImportWarning[]): BuiltMessages {
	const responses = responsesOf(conversation);
	const results = resultsOf(conversation, warnings);
	const messages: MessageInput[] = [];
	const toolMessages = new Map<string, MessageInput>();
	const emitted = new Set<string>();
	const callIds = new Set<string>();
	for (const record of conversation.chain) {
		if (record.type === 'assistant') {
			const id = messageIdOf(record);
			if (id === undefined || emitted.has(id)) {
				continue;
			}
			emitted.add(id);
			const lines = responses.get(id)!;
			const { message, calls } = assistantMessage(lines, results, callIds, warnings);
			if (message) {
				messages.push(message);
			}
			for (const call of calls) {
				const tool = toolMessage(call, results.get(call.id)!);
				messages.push(tool);
				toolMessages.set(call.id, tool);
			}
		} else if (record.type === 'user') {
			messages.push(...userMessages(record, warnings));
		} else if (record.type === 'system' && subtypeOf(record) === 'local_command') {
			// Slash-command output, shown to the user like the command wrappers in user lines.
			const content = asString(record.value.content);
			if (content !== undefined && content.trim().length > 0) {
				messages.push(withProvenance({ role: 'user', content, context: 'command' }, record, record.uuid));
			}
		}
		// Other system lines (api_error, turn_duration, compact_boundary…), progress and unknown
		// types carry no conversation.
	}
	for (const [id, result] of results) {
		if (!result.used) {
			warnings.push({ file: result.record.file, line: result.record.line, message: `tool result for call ${id} dropped: the call is not in the conversation` });
		}
	}
	return { messages, toolMessages };
}

/** Lines of every response on the chain or its side branches, by message id, in file order. */
function responsesOf(conversation: Conversation): Map<string, ClaudeRecord[]> {
	const responses = new Map<string, ClaudeRecord[]>();
	const seenContent = new Set<string>();
	for (const record of [...conversation.chain, ...conversation.side].sort(compareRecords)) {
		const id = messageIdOf(record);
		if (id === undefined) {
			continue;
		}
		// A line repeated under another uuid (a re-written history) would double its block.
		const contentKey = `${id}\u0000${JSON.stringify(messageOf(record)?.content ?? null)}`;
		if (seenContent.has(contentKey)) {
			continue;
		}
		seenContent.add(contentKey);
		const lines = responses.get(id) ?? [];
		lines.push(record);
		responses.set(id, lines);
	}
	return responses;
}

/** Tool results by call id: chain first, then side branches. */
function resultsOf(conversation: Conversation, warnings: ImportWarning[]): Map<string, ToolResult> {
	const results = new Map<string, ToolResult>();
	for (const record of [...conversation.chain, ...conversation.side]) {
		if (record.type !== 'user') {
			continue;
		}
		for (const block of asArray(messageOf(record)?.content).map(asObject)) {
			if (!block || asString(block.type) !== 'tool_result') {
				continue;
			}
			const id = asId(block.tool_use_id);
			if (id === undefined) {
				warnings.push({ file: record.file, line: record.line, message: 'tool result without tool_use_id dropped' });
			} else if (results.has(id)) {
				warnings.push({ file: record.file, line: record.line, message: `second result for tool call ${id} dropped` });
			} else {
				results.set(id, { block, record, used: false });
			}
		}
	}
	return results;
}

function assistantMessage(lines: ClaudeRecord[], results: Map<string, ToolResult>, callIds: Set<string>, warnings: ImportWarning[]): { message: MessageInput | undefined; calls: ToolUse[] } {
	const first = lines[0];
	const last = lines[lines.length - 1];
	const content = assistantContent(lines.map((line) => messageOf(line)?.content));
	const calls: ToolUse[] = [];
	for (const call of content.toolUses) {
		const line = lines.find((l) => asArray(messageOf(l)?.content).some((b) => asObject(b)?.id === call.id)) ?? first;
		if (callIds.has(call.id)) {
			warnings.push({ file: line.file, line: line.line, message: `tool call ${call.id} repeated; the repeat is dropped` });
			continue;
		}
		callIds.add(call.id);
		const result = results.get(call.id);
		if (!result) {
			// An OpenAI-style conversation cannot hold a call without its answer; a call cut off by
			// the end of the log (or an interrupt that wrote no result) is dropped from the message.
			warnings.push({ file: line.file, line: line.line, message: `tool call ${call.id} (${call.name}) has no result; the call is left out` });
			continue;
		}
		result.used = true;
		calls.push(call);
	}
	if (content.text === '' && content.reasoning === '' && calls.length === 0) {
		return { message: undefined, calls };
	}
	const model = asString(messageOf(last)?.model);
	const synthetic = model === SYNTHETIC_MODEL || lines.some((l) => l.value.isApiErrorMessage === true);
	const message: MessageInput = {
		role: 'assistant',
		content: content.text,
		// Text Claude Code wrote itself (API errors) is not a model turn.
		context: synthetic ? 'meta' : null,
	};
	if (calls.length > 0) {
		message.tool_calls = calls.map(toolCall);
	}
	if (content.reasoning !== '') {
		message.reasoning = content.reasoning;
	}
	if (model !== undefined && !synthetic) {
		message.model = model;
	}
	const usage = usageOf(last);
	if (usage) {
		message.usage = usage;
	}
	return { message: withProvenance(message, first, messageIdOf(first)), calls };
}

function toolCall(call: ToolUse): ToolCall {
	return { id: call.id, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.input) ?? '{}' } };
}

function toolMessage(call: ToolUse, result: ToolResult): MessageInput {
	const output = toolOutput(result.block);
	const message: MessageInput = { role: 'tool', content: output.text, tool_call_id: call.id, name: call.name, context: null };
	if (result.block.is_error === true) {
		message.is_error = true;
	}
	if (output.images > 0) {
		message.images = output.images;
	}
	return withProvenance(message, result.record, result.record.uuid);
}

function userMessages(record: ClaudeRecord, warnings: ImportWarning[]): MessageInput[] {
	const content = messageOf(record)?.content;
	const uncarried = uncarriedBlocks(content);
	if (uncarried.length > 0) {
		warnings.push({ file: record.file, line: record.line, message: `${uncarried.length} content block(s) of type ${[...new Set(uncarried)].join(', ')} not carried` });
	}
	const wholeKind: ContextKind | null = record.value.isCompactSummary === true ? 'compaction' : record.value.isMeta === true ? 'meta' : null;
	return userParts(content, wholeKind).map((part) => {
		const message: MessageInput = { role: 'user', content: part.text, context: part.context };
		if (part.images > 0) {
			message.images = part.images;
		}
		return withProvenance(message, record, record.uuid);
	});
}

function withProvenance(message: MessageInput, record: ClaudeRecord, sourceId: string | undefined): MessageInput {
	if (record.timestamp !== undefined) {
		message.timestamp = record.timestamp;
	}
	if (sourceId !== undefined) {
		message.source_id = sourceId;
	}
	message.source = { file: record.file, line: record.line };
	return message;
}

/** The usage a response line reports (the last line of a response carries the final counts). */
export function usageOf(record: ClaudeRecord): TokenUsage | undefined {
	const usage = asObject(messageOf(record)?.usage);
	if (!usage) {
		return undefined;
	}
	return {
		...emptyUsage(),
		input_tokens: asCount(usage.input_tokens),
		output_tokens: asCount(usage.output_tokens),
		cache_read_tokens: asCount(usage.cache_read_input_tokens),
		cache_creation_tokens: asCount(usage.cache_creation_input_tokens),
	};
}
