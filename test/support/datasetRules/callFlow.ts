/**
 * The tool-call pairing rule of chat requests, shared by the OpenAI and TRL rows: the calls of an
 * assistant message are answered by tool messages right after it (by id where ids exist, else by
 * name or order), ids are unique, and nothing is left unanswered before the next turn.
 */
import { isObject } from './common';

interface Pending { id?: string; name?: string; index: number }

export interface CallFlowOptions {
	/** Path of message i, e.g. `messages[3]` (a prompt + completion pair numbers each part on its own). */
	pathOf: (i: number) => string;
	/** A final assistant message may end the list with its calls unanswered (OpenAI's own example does). */
	allowTrailingCalls: boolean;
}

export function callFlowProblems(messages: readonly unknown[], options: CallFlowOptions): string[] {
	const { pathOf, allowTrailingCalls } = options;
	const problems: string[] = [];
	const seen = new Set<string>();
	let pending: Pending[] = [];
	let caller = -1;
	const unanswered = () => {
		for (const call of pending) {
			problems.push(`${pathOf(caller)}.tool_calls[${call.index}]: call ${call.id ? `"${call.id}" ` : ''}is not answered by the tool messages right after it`);
		}
		pending = [];
	};
	messages.forEach((message, i) => {
		if (!isObject(message)) {
			return;
		}
		if (message.role === 'tool') {
			const id = typeof message.tool_call_id === 'string' ? message.tool_call_id : undefined;
			const name = typeof message.name === 'string' ? message.name : undefined;
			const match = pending.findIndex((call) => id !== undefined ? call.id === id : name === undefined || call.name === undefined || call.name === name);
			if (match < 0) {
				const which = id !== undefined ? `tool_call_id "${id}"` : name !== undefined ? `tool result "${name}"` : 'tool result';
				problems.push(`${pathOf(i)}: ${which} answers no pending call of the assistant message right before it`);
			} else {
				pending.splice(match, 1);
			}
			return;
		}
		unanswered();
		caller = -1;
		if (message.role === 'assistant' && Array.isArray(message.tool_calls)) {
			message.tool_calls.forEach((call, index) => {
				const id = isObject(call) && typeof call.id === 'string' ? call.id : undefined;
				const fn = isObject(call) && isObject(call.function) ? call.function : undefined;
				if (id !== undefined) {
					if (seen.has(id)) {
						problems.push(`${pathOf(i)}.tool_calls[${index}]: duplicate tool call id "${id}"`);
					}
					seen.add(id);
				}
				pending.push({ id, name: typeof fn?.name === 'string' ? fn.name : undefined, index });
			});
			caller = i;
		}
	});
	if (pending.length > 0 && !(allowTrailingCalls && caller === messages.length - 1)) {
		unanswered();
	}
	return problems;
}
