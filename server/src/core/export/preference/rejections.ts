/**
 * Rejection pairs: calls the user declined, and the accepted alternative that followed.
 * Prompt: the chat before the rejected calls' message; rejected: those calls (the message's other
 * calls were let through, so they are not what the user turned down); chosen: the calls of the
 * next assistant message that makes calls and has none rejected or stopped.
 *
 * The alternative must come before the next user turn: Claude Code carries the user's feedback in
 * the rejected call's result ("…the user said: use yarn"), so what the user says in a turn of their
 * own is a new instruction (often a new task), and a call after it answers that instead. A reply
 * without calls is no alternative: it acknowledges the rejection rather than doing something else.
 * One pair per rejected message.
 */
import { clip } from '../../reward/evidence';
import { rejectionFeedback, type AnswerKind } from '../../reward/toolResults';
import type { ChatMessage } from '../chatSample';
import type { PreferencePair } from './pair';
import { answerOf, describeCall, pairTools, promptBefore, turnBetween, type PairSource } from './turns';

export function rejectionPairs(chat: readonly ChatMessage[], source: PairSource): PreferencePair[] {
	const { session, exchanges, places } = source;
	const answers = new Map<string, AnswerKind>(exchanges.map((e) => [e.callId, e.answer]));
	const pairs: PreferencePair[] = [];
	const done = new Set<number>();
	for (const exchange of exchanges) {
		const place = places.get(exchange.callId);
		if (exchange.answer !== 'rejected' || !place || done.has(place.at)) {
			continue;
		}
		done.add(place.at);
		const message = chat[place.at];
		const accepted = chat.findIndex((m, i) => i > place.at && m.role === 'assistant' && m.toolCalls.length > 0
			&& m.toolCalls.every((c) => answers.get(c.id) === 'ok' || answers.get(c.id) === 'error'));
		const prompt = promptBefore(chat, place.at);
		if (message.role !== 'assistant' || accepted === -1 || turnBetween(chat, place.at, accepted) || !prompt) {
			continue;
		}
		const alternative = chat[accepted];
		const declined = message.toolCalls.filter((c) => answers.get(c.id) === 'rejected');
		const chosen = [answerOf(alternative.role === 'assistant' ? alternative.toolCalls : [])];
		const rejected = [answerOf(declined)];
		const feedback = rejectionFeedback(exchange.result?.content ?? '');
		pairs.push({
			id: `rejection:${session.id}:${exchange.callIndex}`,
			kind: 'rejection',
			sessionIds: [session.id],
			split: source.split,
			prompt, chosen, rejected,
			tools: pairTools([...prompt, ...chosen, ...rejected], source.tools),
			margin: 1,
			why: `The user rejected ${declined.map(describeCall).join(', ')}${feedback ? ` and said "${clip(feedback, 100)}"` : ''}, then let ${chosen[0].toolCalls.map(describeCall).join(', ')} run instead.`,
		});
	}
	return pairs;
}
