/** Token counts come from the o200k_base BPE tokenizer, not from a characters-per-token guess. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { countTokens as libraryCount } from 'gpt-tokenizer/encoding/o200k_base';
import type { Message } from '../../shared/model';
import { countTokens, sessionTokens } from '../../server/src/core/gates/tokens';

void describe('countTokens', () => {
	// o200k_base pieces, checked by encoding and decoding each token:
	//   "The quick brown fox jumps over the lazy dog." → The| quick| brown| fox| jumps| over| the| lazy| dog|.  (44 chars)
	//   "日本語のテキスト" → 日本|語|の|テ|キ|スト  (8 chars)
	//   "antidisestablishmentarianism" → ant|idis|est|ablishment|arian|ism  (28 chars)
	const known: [string, number][] = [
		['The quick brown fox jumps over the lazy dog.', 10],
		['日本語のテキスト', 6],
		['antidisestablishmentarianism', 6],
		['Hello, world!', 4],
		['const x = 42;\n', 6],
	];
	for (const [text, tokens] of known) {
		void it(`counts ${JSON.stringify(text)} as ${tokens} tokens, not ${Math.round(text.length / 4)}`, () => {
			assert.equal(countTokens(text), tokens);
			assert.notEqual(tokens, Math.round(text.length / 4));
		});
	}

	void it('counts nothing as 0', () => {
		assert.equal(countTokens(''), 0);
	});

	void it('treats special-token text in a session as plain text', () => {
		// "a <|endoftext|> b" → a| <|||endo|ftext|||>| b  rather than one control token (or an exception).
		assert.equal(countTokens('a <|endoftext|> b'), 9);
	});

	void it('counts long unbroken runs in slices, exactly for runs that split evenly and within a token per slice otherwise', () => {
		assert.equal(countTokens('x'.repeat(100_000)), 12_500);
		const blob = `data: ${randomBytes(30_000).toString('base64')} end`;
		const slices = Math.ceil(blob.length / 2048);
		assert.ok(Math.abs(countTokens(blob) - libraryCount(blob)) <= slices, `${countTokens(blob)} vs ${libraryCount(blob)}`);
	});

	void it('does not split a surrogate pair at a cut', () => {
		const emoji = '😀'.repeat(3000);
		assert.equal(countTokens(emoji), libraryCount(emoji));
	});
});

void describe('sessionTokens', () => {
	const m = (message: Pick<Message, 'role' | 'content'> & Partial<Message>): Message => ({ context: null, ...message });

	void it('counts what the export carries: contents, tool calls (name and arguments) and tool results', () => {
		const messages: Message[] = [
			m({ role: 'user', content: 'Read the config file.' }),
			m({ role: 'user', content: 'Project rules: tabs, not spaces.', context: 'instructions' }),
			m({ role: 'user', content: '<environment_context>cwd: /home/dev/app</environment_context>', context: 'environment' }),
			m({ role: 'assistant', content: '', reasoning: 'The user wants the config; I will read it first.', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'Read', arguments: '{"path":"config.json"}' } }] }),
			m({ role: 'tool', content: '{"port": 8080}', tool_call_id: 'c1', name: 'Read' }),
			m({ role: 'assistant', content: 'The port is 8080.' }),
		];
		const expected = countTokens('Read the config file.') + countTokens('Project rules: tabs, not spaces.')
			+ countTokens('Read') + countTokens('{"path":"config.json"}') + countTokens('{"port": 8080}') + countTokens('The port is 8080.');
		// Not counted: the reasoning (never exported) and the environment block (dropped by the export).
		assert.equal(sessionTokens({ messages }), expected);
	});
});
