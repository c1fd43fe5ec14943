/**
 * Rollout pairs: sessions on the same task ranked by reward. Built in two steps so a streaming
 * export keeps only a small key per session: `rolloutKeyOf` during the main pass, then
 * `rolloutPlan` over all keys says which (chosen, rejected) sessions to load again, and
 * `rolloutPair` makes each pair from the two chats.
 *
 * The same task: the same repository (the split's repository key: repository URL, else the
 * workspace), the same leading system context after normalisation, and a near-identical first
 * user turn: normalised (minted ids, temp folders and home paths replaced, see dedup/normalise.ts)
 * and a MinHash Jaccard estimate of at least SAME_PROMPT_JACCARD. At 0.9 over 5-word shingles a
 * one-word change passes only in a prompt of about 100 words or more, so short prompts must match
 * exactly; two runs of one task differ in such minted values, not in what was asked.
 *
 * Each group's best session (highest reward, smaller id on a tie) is chosen against each other
 * session whose prompt is near-identical to its own and whose reward is at least `minMargin`
 * lower. Both must be in the same split, which is the pair's split: a pair across splits would put
 * one split's session into another's data (the default repository grouping never splits a group).
 * The prompt is the chosen session's; each side is the whole rest of its session, because the
 * reward scores the whole session.
 */
import { createHash } from 'node:crypto';
import type { SplitName } from '../../../../../shared/quality';
import { compareIds } from '../../gates/compareIds';
import { nearDuplicateClusters } from '../../gates/dedup/lsh';
import { estimateJaccard, minhashSignature, wordsOf } from '../../gates/dedup/minhash';
import { normaliseText } from '../../gates/dedup/normalise';
import type { ChatMessage, ToolSpec } from '../chatSample';
import { groupKeyFor, type GroupedSession } from '../split';
import type { PreferencePair } from './pair';
import { pairTools } from './turns';

export const SAME_PROMPT_JACCARD = 0.9;
export const DEFAULT_MIN_MARGIN = 0.1;

export interface PromptSignature {
	/** sha256 of the normalised leading system messages ('' hashed when there are none). */
	system: string;
	/** MinHash of the normalised first user turn. */
	minhash: number[];
}

export interface RolloutKey {
	sessionId: string;
	groupKey: string;
	promptSignature: PromptSignature;
	reward: number;
	split: SplitName;
}

export interface RolloutStep {
	chosen: RolloutKey;
	rejected: RolloutKey;
	/** chosen.reward - rejected.reward. */
	margin: number;
}

/** The session's key, or undefined when its chat does not open with system context, a user turn and an answer. */
export function rolloutKeyOf(session: GroupedSession, chat: readonly ChatMessage[], reward: number, split: SplitName): RolloutKey | undefined {
	const opening = openingOf(chat);
	if (!opening) {
		return undefined;
	}
	const text = (messages: readonly ChatMessage[]) => normaliseText(messages.map((m) => m.content).join('\n'));
	return {
		sessionId: session.id,
		groupKey: groupKeyFor(session, 'repository'),
		promptSignature: {
			system: createHash('sha256').update(text(chat.slice(0, opening.user))).digest('hex'),
			minhash: minhashSignature(wordsOf(text(chat.slice(opening.user, opening.end)))),
		},
		reward,
		split,
	};
}

/** The pairs to build, by chosen then rejected session id (so a caller loads each chosen session once). */
export function rolloutPlan(keys: readonly RolloutKey[], minMargin = DEFAULT_MIN_MARGIN): RolloutStep[] {
	const buckets = new Map<string, RolloutKey[]>();
	for (const key of keys) {
		const bucket = [key.groupKey, key.split, key.promptSignature.system].join('\u0000');
		const members = buckets.get(bucket);
		if (members) {
			members.push(key);
		} else {
			buckets.set(bucket, [key]);
		}
	}
	const steps: RolloutStep[] = [];
	for (const bucket of buckets.values()) {
		const byId = new Map(bucket.map((key) => [key.sessionId, key]));
		for (const cluster of nearDuplicateClusters(bucket.map((k) => ({ id: k.sessionId, minhash: k.promptSignature.minhash })), SAME_PROMPT_JACCARD)) {
			const members = cluster.map((id) => byId.get(id)!);
			const best = members.reduce((a, b) => (b.reward > a.reward || (b.reward === a.reward && compareIds(b.sessionId, a.sessionId) < 0) ? b : a));
			for (const other of members) {
				// Rounded so 0.9 - 0.8 counts as the 0.1 it is.
				const margin = Math.round((best.reward - other.reward) * 1e6) / 1e6;
				if (other !== best && margin > 0 && margin >= minMargin
					&& estimateJaccard(best.promptSignature.minhash, other.promptSignature.minhash) >= SAME_PROMPT_JACCARD) {
					steps.push({ chosen: best, rejected: other, margin });
				}
			}
		}
	}
	return steps.sort((a, b) => compareIds(a.chosen.sessionId, b.chosen.sessionId) || compareIds(a.rejected.sessionId, b.rejected.sessionId));
}

/** The pair of a planned step, from the two sessions' chats and tools (as toChat made them for the keys). */
export function rolloutPair(step: RolloutStep, chosenChat: readonly ChatMessage[], rejectedChat: readonly ChatMessage[], chosenTools: readonly ToolSpec[], rejectedTools: readonly ToolSpec[]): PreferencePair {
	const chosenOpening = openingOf(chosenChat);
	const rejectedOpening = openingOf(rejectedChat);
	if (!chosenOpening || !rejectedOpening) {
		throw new Error(`internal: ${step.chosen.sessionId} or ${step.rejected.sessionId} no longer opens with a prompt and an answer`);
	}
	const prompt = chosenChat.slice(0, chosenOpening.end);
	const chosen = answerRun(chosenChat, chosenOpening.end);
	const rejected = answerRun(rejectedChat, rejectedOpening.end);
	const reward = (n: number) => n.toFixed(2);
	return {
		id: `rollout:${step.chosen.sessionId}:${step.rejected.sessionId}`,
		kind: 'rollout',
		sessionIds: [step.chosen.sessionId, step.rejected.sessionId],
		split: step.chosen.split,
		prompt, chosen, rejected,
		tools: pairTools([...prompt, ...chosen, ...rejected], mergedTools(chosenTools, rejectedTools)),
		margin: step.margin,
		why: `Both sessions take on the same first prompt in the same repository; ${step.chosen.sessionId} scored reward ${reward(step.chosen.reward)} and ${step.rejected.sessionId} ${reward(step.rejected.reward)}, a margin of ${reward(step.margin)}.`,
	};
}

/**
 * The agent's run on the task: from its first answer up to the next user turn. A follow-up
 * request is the person's text, not the model's, and a preference completion must not teach the
 * model to write it; past it the two sessions are answering different things anyway.
 */
function answerRun(chat: readonly ChatMessage[], from: number): ChatMessage[] {
	let end = from;
	while (end < chat.length && chat[end].role !== 'user') {
		end++;
	}
	return chat.slice(from, end);
}

/**
 * Leading system messages, then the first user turn (the user messages before the first answer,
 * one turn as the reward's facts count it), then an assistant message: `user` is where the turn
 * starts, `end` where the answer does.
 */
function openingOf(chat: readonly ChatMessage[]): { user: number; end: number } | undefined {
	let user = 0;
	while (chat[user]?.role === 'system') {
		user++;
	}
	let end = user;
	while (chat[end]?.role === 'user') {
		end++;
	}
	return end > user && chat[end]?.role === 'assistant' ? { user, end } : undefined;
}

/** Each tool's schema from either session; a property typed differently by the two keeps no type. */
function mergedTools(a: readonly ToolSpec[], b: readonly ToolSpec[]): ToolSpec[] {
	const merged = new Map<string, ToolSpec>();
	for (const tool of [...a, ...b]) {
		const seen = merged.get(tool.name);
		if (!seen) {
			merged.set(tool.name, tool);
			continue;
		}
		const properties = { ...seen.parameters.properties };
		for (const [key, spec] of Object.entries(tool.parameters.properties)) {
			properties[key] = !properties[key] || properties[key].type === spec.type ? spec : {};
		}
		const sorted = Object.fromEntries(Object.entries(properties).sort(([x], [y]) => compareIds(x, y)));
		merged.set(tool.name, { name: tool.name, parameters: { type: 'object', properties: sorted } });
	}
	return [...merged.values()];
}
