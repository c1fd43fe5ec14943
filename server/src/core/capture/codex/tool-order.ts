/**
 * Enforces the OpenAI shape: every assistant tool call is followed by exactly one tool
 * message answering it, before the next user or assistant turn. Results are paired by
 * call id and moved directly after their call; a result without a call, or a second result
 * for one call, cannot be placed and is dropped with a warning.
 */
import type { MessageInput } from '../../../../../shared/model';
import type { ImportWarning } from '../importer';

export function placeToolResults(
	messages: readonly MessageInput[],
	callLines: ReadonlyMap<string, number>,
	file: string,
	warnings: ImportWarning[],
): MessageInput[] {
	const callNames = new Map<string, string>();
	for (const message of messages) {
		for (const call of message.tool_calls ?? []) {
			callNames.set(call.id, call.function.name);
		}
	}
	const results = new Map<string, MessageInput>();
	for (const message of messages) {
		const id = message.tool_call_id;
		if (message.role !== 'tool' || id === undefined) {
			continue;
		}
		const name = callNames.get(id);
		if (name === undefined) {
			warnings.push({ file, line: message.source?.line, message: `tool result for call ${id} has no matching tool call; dropped` });
		} else if (results.has(id)) {
			warnings.push({ file, line: message.source?.line, message: `second tool result for call ${id}; dropped` });
		} else {
			results.set(id, { ...message, name });
		}
	}
	// A call in the last turn may still be running in a live file: no result yet is expected.
	let lastTurn = -1;
	messages.forEach((message, index) => {
		if (message.role !== 'tool') {
			lastTurn = index;
		}
	});
	const ordered: MessageInput[] = [];
	messages.forEach((message, index) => {
		if (message.role === 'tool') {
			return;
		}
		ordered.push(message);
		for (const call of message.tool_calls ?? []) {
			const result = results.get(call.id);
			if (result !== undefined) {
				ordered.push(result);
			} else if (index < lastTurn) {
				warnings.push({
					file,
					line: callLines.get(call.id) ?? message.source?.line,
					message: `tool call ${call.id} (${call.function.name}) has no result`,
				});
			}
		}
	});
	return ordered;
}
