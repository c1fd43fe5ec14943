/**
 * Long sessions become several samples instead of one a trainer would truncate mid-message.
 * A session is cut only between turns: a user message, or an assistant message together with
 * the results of its calls, is never divided. Every part after the first repeats the context it
 * needs to make sense: the leading system text, the task (the first user message) and, when the
 * part starts in the middle of a turn, the user message that turn answers.
 */
import { countTokens } from '../gates/tokens';
import type { ChatMessage } from './chatSample';

export interface SampleParts {
	parts: ChatMessage[][];
	/** Parts still over the limit because one turn alone (a call and its result) exceeds it. */
	overLimit: number;
}

export function messageTokens(m: ChatMessage): number {
	let total = countTokens(m.content);
	if (m.role === 'assistant') {
		for (const call of m.toolCalls) {
			total += countTokens(call.name) + countTokens(call.arguments);
		}
	}
	return total;
}

/** `maxTokens` 0 (or less) means no limit. */
export function sampleParts(messages: ChatMessage[], maxTokens: number): SampleParts {
	if (maxTokens <= 0) {
		return { parts: [messages], overLimit: 0 };
	}
	const tokens = messages.map(messageTokens);
	const total = tokens.reduce((a, b) => a + b, 0);
	if (total <= maxTokens) {
		return { parts: [messages], overLimit: 0 };
	}
	const firstUser = messages.findIndex((m) => m.role === 'user');
	const headEnd = firstUser + 1;
	const head = messages.slice(0, headEnd);
	const headTokens = sum(tokens, 0, headEnd);
	const units = turnUnits(messages, tokens, headEnd);

	const parts: ChatMessage[][] = [];
	let overLimit = 0;
	let i = 0;
	while (i < units.length) {
		// The user message this part's first turn answers, when the part does not start with one.
		const asked = units[i].start > headEnd && messages[units[i].start].role !== 'user' ? lastUserBefore(messages, units[i].start, headEnd) : undefined;
		const context = asked === undefined ? head : [...head, messages[asked]];
		const budget = maxTokens - headTokens - (asked === undefined ? 0 : tokens[asked]);
		let used = 0;
		let j = i;
		while (j < units.length && (j === i || used + units[j].tokens <= budget)) {
			used += units[j].tokens;
			j++;
		}
		// A part never ends on an unanswered user message: that message opens the next part instead.
		while (j - 1 > i && messages[units[j - 1].start].role === 'user') {
			j--;
			used -= units[j].tokens;
		}
		if (used > budget) {
			overLimit++;
		}
		const body = messages.slice(units[i].start, units[j - 1].end);
		parts.push([...context, ...body]);
		i = j;
	}
	// A part made only of user turns (the session ended on questions) teaches nothing.
	return { parts: parts.filter((p) => p.slice(headEnd).some((m) => m.role === 'assistant')), overLimit };
}

interface Unit {
	start: number;
	end: number;
	tokens: number;
}

/** Turns after the head: a user message alone, or an assistant message with the tool results that follow it. */
function turnUnits(messages: ChatMessage[], tokens: number[], from: number): Unit[] {
	const units: Unit[] = [];
	let start = from;
	while (start < messages.length) {
		let end = start + 1;
		if (messages[start].role === 'assistant') {
			while (end < messages.length && messages[end].role === 'tool') {
				end++;
			}
		}
		units.push({ start, end, tokens: sum(tokens, start, end) });
		start = end;
	}
	return units;
}

function lastUserBefore(messages: ChatMessage[], index: number, headEnd: number): number | undefined {
	for (let k = index - 1; k >= headEnd; k--) {
		if (messages[k].role === 'user') {
			return k;
		}
	}
	return undefined;
}

function sum(values: number[], from: number, to: number): number {
	let total = 0;
	for (let k = from; k < to; k++) {
		total += values[k];
	}
	return total;
}
