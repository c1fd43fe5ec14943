/**
 * Pairs each tool call with the tool message that answers it (by `tool_call_id`), and reads
 * what kind of answer it is: a user rejection, an interrupt, an error, or a normal result.
 */
import type { Message, Session } from '../../../../shared/model';
import { asObject, parseJson, type JsonObject } from '../capture/json';

export interface ToolExchange {
	callId: string;
	name: string;
	/** The parsed arguments object; empty when they are not a JSON object. */
	args: JsonObject;
	rawArgs: string;
	/** Index of the assistant message that made the call. */
	callIndex: number;
	result: Message | null;
	resultIndex: number | null;
	answer: AnswerKind;
}

/** `none`: the log has no answer (a call cut off at the end of the log). */
export type AnswerKind = 'ok' | 'error' | 'rejected' | 'interrupted' | 'none';

export function toolExchanges(session: Session): ToolExchange[] {
	const answers = new Map<string, { message: Message; index: number }>();
	session.messages.forEach((message, index) => {
		if (message.role === 'tool' && message.tool_call_id !== undefined && !answers.has(message.tool_call_id)) {
			answers.set(message.tool_call_id, { message, index });
		}
	});
	const exchanges: ToolExchange[] = [];
	session.messages.forEach((message, callIndex) => {
		if (message.role !== 'assistant') {
			return;
		}
		for (const call of message.tool_calls ?? []) {
			const answer = answers.get(call.id);
			exchanges.push({
				callId: call.id,
				name: call.function.name,
				args: asObject(parseJson(call.function.arguments)) ?? {},
				rawArgs: call.function.arguments,
				callIndex,
				result: answer?.message ?? null,
				resultIndex: answer?.index ?? null,
				answer: answer === undefined ? 'none' : answerKind(answer.message),
			});
		}
	});
	return exchanges;
}

/**
 * The user declined the call, so it never ran. Claude Code: "The user doesn't want to proceed with
 * this tool use…" (older builds: "…doesn't want to take this action right now"); Codex normalises a
 * declined approval to "exec command rejected by user" / "patch rejected by user". A permission
 * denied by settings ("Permission to use Bash has been denied") is not a person's decision: an error.
 */
const REJECTION = /^(?:Error: )?(?:The user doesn't want to (?:proceed with this tool use|take this action)|(?:exec command|patch) rejected by user)/;
/** The user stopped the call while it ran. */
const INTERRUPTED = /^(?:Error: )?\[Request interrupted by user|^aborted by user\b/i;

function answerKind(message: Message): AnswerKind {
	const text = message.content.trimStart();
	if (REJECTION.test(text)) {
		return 'rejected';
	}
	if (INTERRUPTED.test(text)) {
		return 'interrupted';
	}
	return message.is_error === true ? 'error' : 'ok';
}

/** Rejections where the user also said what to do instead (Claude Code appends "the user said: …"). */
export function rejectionFeedback(text: string): string | null {
	const at = text.indexOf('the user said:');
	return at === -1 ? null : text.slice(at + 'the user said:'.length).trim() || null;
}
