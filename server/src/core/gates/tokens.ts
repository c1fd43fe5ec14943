/**
 * Token counts with a real BPE tokenizer (o200k_base, the encoding of current OpenAI models),
 * used by the over-token-limit gate. Counts are a property of the text, not of a model we train:
 * other tokenizers differ by a few percent, which the limits leave room for.
 */
import type * as O200kBase from 'gpt-tokenizer/encoding/o200k_base';
import type { Session } from '../../../../shared/model';
import { KEPT_CONTEXT } from '../export/chatSample';

type Encoding = typeof O200kBase;

let encoding: Encoding | undefined;

/** Loaded on first use: building the 200k-entry vocabulary takes a few hundred milliseconds. */
function o200kBase(): Encoding {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	encoding ??= require('gpt-tokenizer/encoding/o200k_base') as Encoding;
	return encoding;
}

/** Special-token text in a session (say a literal "<|endoftext|>") is ordinary text, never a control token. */
const PLAIN_TEXT = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };

/**
 * BPE time grows with the square of one pre-tokenized piece, and a piece can be a whole run of
 * non-space characters (100k characters of base64 take seconds). Runs longer than this are cut
 * and counted in slices, which can move the count by about one token per cut.
 */
const MAX_RUN = 2048;
// The lookbehind starts a match only where a run starts, so short runs cost one look, not a scan each.
const LONG_RUN = new RegExp(`(?<!\\S)\\S{${MAX_RUN + 1},}`, 'g');

export function countTokens(text: string): number {
	if (text.length === 0) {
		return 0;
	}
	const { countTokens: count } = o200kBase();
	let total = 0;
	let from = 0;
	for (const run of text.matchAll(LONG_RUN)) {
		const end = run.index + run[0].length;
		// The first slice stays attached to the text before it, so ordinary text is counted exactly.
		let cut = run.index + MAX_RUN;
		while (cut < end) {
			if (isHighSurrogate(text.charCodeAt(cut - 1))) {
				cut++;
			}
			total += count(text.slice(from, cut), PLAIN_TEXT);
			from = cut;
			cut += MAX_RUN;
		}
	}
	return total + count(text.slice(from), PLAIN_TEXT);
}

/**
 * Tokens of what an export carries: message contents (real turns and the kept context), each tool
 * call's name and JSON arguments, and tool results. Reasoning is never exported and not counted;
 * neither is the chat template's per-message framing (a few tokens a message) nor the tool list.
 */
export function sessionTokens(session: Pick<Session, 'messages'>): number {
	let total = 0;
	for (const m of session.messages) {
		if (m.context && !KEPT_CONTEXT.has(m.context)) {
			continue;
		}
		total += countTokens(m.content);
		for (const call of m.tool_calls ?? []) {
			total += countTokens(call.function.name) + countTokens(call.function.arguments);
		}
	}
	return total;
}

function isHighSurrogate(code: number): boolean {
	return code >= 0xd800 && code <= 0xdbff;
}
