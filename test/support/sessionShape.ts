/** Checks on an imported session's messages that every importer's tests share. */
import assert from 'node:assert/strict';
import type { Message, Session } from '../../shared/model';

export const toolCalls = (s: Session) => s.messages.flatMap((m) => m.tool_calls ?? []);

/** How many calls of each tool the session made. */
export function nameCounts(s: Session): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const call of toolCalls(s)) {
		counts[call.function.name] = (counts[call.function.name] ?? 0) + 1;
	}
	return counts;
}

/**
 * Every assistant tool call is answered by exactly one tool message right after it, named like
 * its call; in the calls' order, or in any order with `anyOrder` (parallel calls answered as they end).
 */
export function assertOpenAiShape(messages: Message[], { anyOrder = false } = {}): void {
	for (let i = 0; i < messages.length; i++) {
		const message = messages[i];
		assert.notEqual(message.role, 'tool', `tool message at index ${i} does not follow its call`);
		const calls = message.tool_calls ?? [];
		const results = messages.slice(i + 1, i + 1 + calls.length);
		assert.deepEqual(results.map((r) => r.role), calls.map(() => 'tool'), `results of message ${i}`);
		if (anyOrder) {
			assert.deepEqual(new Set(results.map((r) => r.tool_call_id)), new Set(calls.map((c) => c.id)));
			for (const result of results) {
				assert.equal(result.name, calls.find((c) => c.id === result.tool_call_id)?.function.name);
			}
		} else {
			assert.deepEqual(results.map((r) => r.tool_call_id), calls.map((c) => c.id));
			assert.deepEqual(results.map((r) => r.name), calls.map((c) => c.function.name));
		}
		i += calls.length;
	}
}
