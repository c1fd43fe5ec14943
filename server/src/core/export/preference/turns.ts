/**
 * What repair and rejection pairs share: where each call sits in the session's chat, the context
 * an answer follows, and the one-message answers the pairs compare.
 *
 * Outcomes are read from the session (error flags, exit codes, rejections: the chat keeps only
 * text) and placed in the chat by call id, which both keep. Pair ids use the session's message
 * index, which does not move when toChat changes what context it keeps.
 */
import type { Session } from '../../../../../shared/model';
import type { SplitName } from '../../../../../shared/quality';
import { commandOf } from '../../reward/commands';
import { clip } from '../../reward/evidence';
import type { ToolExchange } from '../../reward/toolResults';
import { toolsOf, type AssistantMessage, type ChatMessage, type ChatToolCall, type ToolSpec } from '../chatSample';

/** The session a chat came from (redacted, as exported), the chat's tools and the session's split. */
export interface PairSource {
	session: Session;
	tools: readonly ToolSpec[];
	split: SplitName;
	/** The session's tool calls with their answers, read once for every miner. */
	exchanges: readonly ToolExchange[];
	/** Where each call sits in the chat (callPlaces). */
	places: ReadonlyMap<string, CallPlace>;
}

export interface CallPlace {
	/** Chat index of the assistant message that makes the call. */
	at: number;
	call: ChatToolCall;
}

export function callPlaces(chat: readonly ChatMessage[]): Map<string, CallPlace> {
	const places = new Map<string, CallPlace>();
	chat.forEach((m, at) => {
		if (m.role === 'assistant') {
			m.toolCalls.forEach((call) => places.set(call.id, { at, call }));
		}
	});
	return places;
}

/**
 * The chat before the message at `at`, when either answer can follow it: it ends on a user or
 * tool message and holds a user turn. A text-only assistant message right before is no such end
 * (it is the model's own turn, often split from the call by dropped context), so none is made.
 */
export function promptBefore(chat: readonly ChatMessage[], at: number): ChatMessage[] | undefined {
	const last = chat[at - 1]?.role;
	if (last !== 'user' && last !== 'tool') {
		return undefined;
	}
	const prompt = chat.slice(0, at);
	return prompt.some((m) => m.role === 'user') ? prompt : undefined;
}

/** A user turn (or kept system context such as a compaction summary) between two chat positions. */
export function turnBetween(chat: readonly ChatMessage[], from: number, to: number): boolean {
	return chat.slice(from + 1, to).some((m) => m.role === 'user' || m.role === 'system');
}

/**
 * One side of a repair or rejection pair: the calls alone, without the message's text. The later
 * message was written after the failure or the rejection and its text narrates them ("that path
 * does not exist, retrying…"), which the prompt never showed; leaving the text out on both sides
 * keeps the action the only difference between them.
 */
export function answerOf(calls: ChatToolCall[]): AssistantMessage {
	return { role: 'assistant', content: '', toolCalls: calls, train: true };
}

/** The tools a pair's messages call, with the schemas the chat inferred. */
export function pairTools(messages: readonly ChatMessage[], tools: readonly ToolSpec[]): ToolSpec[] {
	return toolsOf(messages, (name) => tools.find((t) => t.name === name)?.parameters ?? { type: 'object', properties: {} });
}

/** `Bash \`npm test\`` or the tool's name, for the why sentences. */
export function describeCall(call: ChatToolCall): string {
	const command = commandOf(call.name, call.arguments);
	return command === undefined ? call.name : `${call.name} \`${clip(command, 80)}\``;
}
