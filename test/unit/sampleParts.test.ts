import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatMessage } from '../../server/src/core/export/chatSample';
import { messageTokens, sampleParts } from '../../server/src/core/export/sampleParts';

const sys = (content: string): ChatMessage => ({ role: 'system', content });
const user = (content: string): ChatMessage => ({ role: 'user', content });
const say = (content: string): ChatMessage => ({ role: 'assistant', content, toolCalls: [], train: true });
const call = (id: string, command: string): ChatMessage => ({
	role: 'assistant', content: '', train: true,
	toolCalls: [{ id, name: 'Bash', arguments: JSON.stringify({ command }), args: { command } }],
});
const result = (id: string, content: string): ChatMessage => ({ role: 'tool', content, toolCallId: id, name: 'Bash' });

/** A session of `turns` tool round trips after a task, each round trip about 60 tokens. */
function session(turns: number): ChatMessage[] {
	const messages = [sys('You are a careful coding agent.'), user('Fix the failing parser test in src/parse.ts.')];
	for (let i = 0; i < turns; i++) {
		messages.push(call(`c${i}`, `npm test -- parse --shard ${i}`), result(`c${i}`, `step ${i}: ${'ok '.repeat(40)}`));
	}
	messages.push(say('The parser test passes now.'));
	return messages;
}

const tokensOf = (messages: ChatMessage[]) => messages.reduce((n, m) => n + messageTokens(m), 0);

void describe('long sessions split at turn boundaries', () => {
	void it('leaves a session under the limit whole, and any session whole with no limit', () => {
		const messages = session(3);
		assert.deepEqual(sampleParts(messages, tokensOf(messages)).parts, [messages]);
		assert.deepEqual(sampleParts(session(50), 0).parts, [session(50)]);
	});

	void it('cuts between turns, never between a call and its result, and repeats the system text and the task in every part', () => {
		const messages = session(20);
		const limit = 400;
		const { parts, overLimit } = sampleParts(messages, limit);
		assert.ok(parts.length > 2, `expected several parts, got ${parts.length}`);
		assert.equal(overLimit, 0);
		for (const part of parts) {
			assert.deepEqual(part.slice(0, 2), messages.slice(0, 2), 'each part starts with the system text and the task');
			assert.ok(tokensOf(part) <= limit, `a part has ${tokensOf(part)} tokens`);
			part.forEach((m, i) => {
				if (m.role === 'tool') {
					const caller = part[i - 1];
					assert.ok(caller.role === 'assistant' && caller.toolCalls.some((c) => c.id === m.toolCallId) || part[i - 1].role === 'tool', 'a result follows its call');
				}
				if (m.role === 'assistant' && m.toolCalls.length > 0) {
					assert.equal(part[i + 1]?.role, 'tool', 'a call is followed by its result in the same part');
				}
			});
		}
		// Every turn after the head is in exactly one part, in order.
		const bodies = parts.flatMap((p) => p.slice(2));
		assert.deepEqual(bodies, messages.slice(2));
	});

	void it('gives a part that starts mid-turn the user message it answers', () => {
		const messages = [user('Task: rename the module.'), say('Looking.'), user('Also update the imports, please.')];
		for (let i = 0; i < 12; i++) {
			messages.push(call(`c${i}`, `sed -i s/a/b/ file${i}.ts`), result(`c${i}`, 'x '.repeat(60)));
		}
		messages.push(say('Renamed and imports updated.'));
		const { parts } = sampleParts(messages, 300);
		assert.ok(parts.length > 2);
		for (const part of parts.slice(1)) {
			assert.equal(part[0], messages[0], 'the task first');
			if (part[1] !== messages[2]) {
				assert.fail(`part does not carry the follow-up request: ${JSON.stringify(part.slice(0, 2))}`);
			}
		}
	});

	void it('keeps one turn larger than the limit whole, in its own part, and counts it', () => {
		const messages = [user('Summarise the log.'), call('c1', 'cat big.log'), result('c1', 'line '.repeat(2000)), say('Done.')];
		const { parts, overLimit } = sampleParts(messages, 200);
		assert.equal(overLimit, 1);
		assert.ok(parts.some((p) => p.some((m) => m.role === 'tool' && m.content.length > 5000)), 'the big result is kept whole');
		assert.ok(parts.every((p) => p[0] === messages[0]));
	});

	void it('never ends a part on a user message with no answer', () => {
		const messages = [user('Start.'), say('a '.repeat(150)), user('Next question?'), say('b '.repeat(150)), user('Last one?'), say('c '.repeat(150))];
		const { parts } = sampleParts(messages, 200);
		for (const part of parts) {
			assert.equal(part.at(-1)!.role, 'assistant', JSON.stringify(part.map((m) => m.role)));
		}
	});
});
