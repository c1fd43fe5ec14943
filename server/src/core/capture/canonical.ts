/**
 * Session-level facts every importer derives the same way: usage sums, the main model, titles,
 * time bounds, tool-call ids and file URIs.
 */
import { emptyUsage, type MessageInput, type TokenUsage } from '../../../../shared/model';
import type { ImportWarning } from './importer';

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
	return {
		input_tokens: a.input_tokens + b.input_tokens,
		output_tokens: a.output_tokens + b.output_tokens,
		cache_read_tokens: a.cache_read_tokens + b.cache_read_tokens,
		cache_creation_tokens: a.cache_creation_tokens + b.cache_creation_tokens,
		reasoning_tokens: a.reasoning_tokens + b.reasoning_tokens,
	};
}

export function totalUsage(messages: readonly MessageInput[]): TokenUsage {
	return messages.reduce((sum, message) => (message.usage === undefined ? sum : addUsage(sum, message.usage)), emptyUsage());
}

export function hasTokens(usage: TokenUsage): boolean {
	return usage.input_tokens + usage.output_tokens + usage.cache_read_tokens + usage.cache_creation_tokens + usage.reasoning_tokens > 0;
}

/** The model that answered most assistant messages (ties: the first seen); null when none names one. */
export function mostUsedModel(messages: readonly MessageInput[]): string | null {
	const counts = new Map<string, number>();
	for (const message of messages) {
		if (message.role === 'assistant' && message.model !== undefined) {
			counts.set(message.model, (counts.get(message.model) ?? 0) + 1);
		}
	}
	return mostCommon(counts);
}

/** The key with the highest count (ties: the first inserted); null when empty. */
export function mostCommon(counts: ReadonlyMap<string, number>): string | null {
	let best: string | null = null;
	let bestCount = 0;
	for (const [key, count] of counts) {
		if (count > bestCount) {
			best = key;
			bestCount = count;
		}
	}
	return best;
}

/**
 * Every model in order of first use (a declared one first, `extra` ones no message names last),
 * and the main one: the declared, else the most used, else the first extra.
 */
export function modelsOf(messages: readonly MessageInput[], declared?: string, extra: readonly string[] = []): { model: string | null; models: string[] } {
	const models = new Set<string>(declared === undefined ? [] : [declared]);
	for (const message of messages) {
		if (message.role === 'assistant' && message.model !== undefined) models.add(message.model);
	}
	for (const model of extra) models.add(model);
	const all = [...models];
	return { model: declared ?? mostUsedModel(messages) ?? all[0] ?? null, models: all };
}

/** Earliest and latest of some ISO timestamps (ISO strings compare in time order). */
export function timeBounds(times: Iterable<string | undefined>): { first?: string; last?: string } {
	let first: string | undefined;
	let last: string | undefined;
	for (const time of times) {
		if (time === undefined) continue;
		if (first === undefined || time < first) first = time;
		if (last === undefined || time > last) last = time;
	}
	return { first, last };
}

/** Milliseconds since the epoch to UTC ISO; anything else is dropped. */
export function isoFromMillis(value: unknown): string | undefined {
	if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
		return undefined;
	}
	const date = new Date(value);
	return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** `file:///home/me/app` → `/home/me/app`, `file:///c%3A/work` → `c:/work`; other text is returned as it is. */
export function pathFromUri(value: string): string {
	if (!value.startsWith('file://')) {
		return value;
	}
	try {
		const decoded = decodeURIComponent(new URL(value).pathname);
		return /^\/[A-Za-z]:/.test(decoded) ? decoded.slice(1) : decoded;
	} catch {
		return value;
	}
}

/** A tool call's arguments as the JSON-encoded string the OpenAI shape wants. */
export function argumentsJson(value: unknown): string {
	if (typeof value === 'string') {
		return value;
	}
	return value === undefined || value === null ? '{}' : JSON.stringify(value);
}

/** Plain text for a tool result or other payload that may be structured. */
export function textOf(value: unknown): string {
	if (typeof value === 'string') {
		return value;
	}
	return value === undefined || value === null ? '' : JSON.stringify(value);
}

/**
 * The OpenAI shape: every tool call is followed by exactly one tool message answering it, before
 * the next turn. Results move right after their call and carry the call's tool name; a result with
 * no call, or a second result for one call, cannot be placed and is dropped with a warning naming
 * its file and line. A call in the last turn may still be running in a live log, so only earlier
 * calls warn when unanswered. `file` names messages without a source; `callLines` gives the line
 * of a call when it is not its message's first line (Codex writes each call as its own record).
 */
export function pairToolResults(
	messages: readonly MessageInput[],
	warnings: ImportWarning[],
	options: { file?: string; callLines?: ReadonlyMap<string, number> } = {},
): MessageInput[] {
	const callNames = new Map<string, string>();
	for (const message of messages) {
		for (const call of message.tool_calls ?? []) {
			callNames.set(call.id, call.function.name);
		}
	}
	const warn = (message: MessageInput, text: string, line = message.source?.line): void => {
		warnings.push({ file: options.file ?? message.source?.file ?? '', ...(line !== undefined ? { line } : {}), message: text });
	};
	const results = new Map<string, MessageInput>();
	for (const message of messages) {
		const id = message.tool_call_id;
		if (message.role !== 'tool' || id === undefined) continue;
		const name = callNames.get(id);
		if (name === undefined) {
			warn(message, `tool result for call ${id} has no matching tool call; dropped`);
		} else if (results.has(id)) {
			warn(message, `second tool result for call ${id}; dropped`);
		} else {
			results.set(id, { ...message, name });
		}
	}
	let lastTurn = -1;
	messages.forEach((message, index) => {
		if (message.role !== 'tool') lastTurn = index;
	});
	const ordered: MessageInput[] = [];
	messages.forEach((message, index) => {
		if (message.role === 'tool') return;
		ordered.push(message);
		for (const call of message.tool_calls ?? []) {
			const result = results.get(call.id);
			if (result !== undefined) {
				ordered.push(result);
			} else if (index < lastTurn) {
				warn(message, `tool call ${call.id} (${call.function.name}) has no result`, options.callLines?.get(call.id) ?? message.source?.line);
			}
		}
	});
	return ordered;
}

/** Whitespace collapsed to one line and cut to `max` characters with an ellipsis; null when empty. */
export function titleLine(text: string, max = 80): string | null {
	const line = text.replace(/\s+/g, ' ').trim();
	if (line.length === 0) {
		return null;
	}
	return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** A one-line title from the first human message. */
export function titleFrom(messages: readonly MessageInput[], max = 80): string | null {
	return titleLine(messages.find((message) => message.role === 'user' && (message.context ?? null) === null)?.content ?? '', max);
}
