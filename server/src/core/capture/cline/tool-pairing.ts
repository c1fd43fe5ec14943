/**
 * Enforces the OpenAI shape: every assistant tool call is followed by exactly one tool message
 * answering it. Results are moved right after their call; a call nobody answered is left out
 * (the raw record keeps it), except `attempt_completion`: an unanswered one is the task's final
 * answer shown to the user, so its `result` becomes the assistant's text instead of being lost.
 */
import type { MessageInput } from '../../../../../shared/model';
import type { ImportWarning } from '../importer';
import { asObject, asText, parseJson } from '../json';

const COMPLETION_TOOL = 'attempt_completion';

export function pairToolResults(messages: readonly MessageInput[], file: string, warnings: ImportWarning[]): MessageInput[] {
	const callNames = new Map<string, string>();
	for (const message of messages) {
		for (const call of message.tool_calls ?? []) {
			callNames.set(call.id, call.function.name);
		}
	}
	const results = new Map<string, MessageInput>();
	const kept: MessageInput[] = [];
	for (const message of messages) {
		const id = message.tool_call_id;
		if (message.role !== 'tool' || id === undefined) {
			kept.push(message);
			continue;
		}
		const name = callNames.get(id);
		if (name === undefined) {
			warnings.push({ file, line: message.source?.line, message: `tool result for call ${id} has no matching tool call; kept as context` });
			kept.push({ ...message, role: 'user', context: 'meta', tool_call_id: undefined, is_error: undefined });
		} else if (results.has(id)) {
			warnings.push({ file, line: message.source?.line, message: `second tool result for call ${id}; dropped` });
		} else {
			results.set(id, { ...message, name });
		}
	}
	const ordered: MessageInput[] = [];
	for (const message of kept) {
		if (message.tool_calls === undefined) {
			ordered.push(message);
			continue;
		}
		const answered = message.tool_calls.filter((call) => results.has(call.id));
		let content = message.content;
		for (const call of message.tool_calls) {
			if (results.has(call.id)) {
				continue;
			}
			const completion = call.function.name === COMPLETION_TOOL ? asText(asObject(parseJson(call.function.arguments))?.result) : undefined;
			if (completion !== undefined) {
				content = content.length > 0 ? `${content}\n\n${completion}` : completion;
			} else {
				warnings.push({ file, line: message.source?.line, message: `tool call ${call.id} (${call.function.name}) has no result; the call is left out` });
			}
		}
		const assistant: MessageInput = { ...message, content, tool_calls: answered.length > 0 ? answered : undefined };
		if (isEmpty(assistant)) {
			continue;
		}
		ordered.push(assistant);
		for (const call of answered) {
			ordered.push(results.get(call.id)!);
		}
	}
	return ordered.map(withoutUndefined);
}

function isEmpty(message: MessageInput): boolean {
	return message.content.trim().length === 0 && message.tool_calls === undefined && message.reasoning === undefined && (message.images ?? 0) === 0;
}

/** Keys set to undefined above would still be stored as absent keys; drop them. */
function withoutUndefined(message: MessageInput): MessageInput {
	return Object.fromEntries(Object.entries(message).filter(([, value]) => value !== undefined)) as MessageInput;
}
