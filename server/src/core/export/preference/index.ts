/** Preference pairs mined from what happened in sessions: repairs, rejections and rollouts. */
import type { Session } from '../../../../../shared/model';
import type { SplitName } from '../../../../../shared/quality';
import type { ChatMessage, ToolSpec } from '../chatSample';
import type { PreferencePair } from './pair';
import { rejectionPairs } from './rejections';
import { repairPairs } from './repairs';

export type { PairKind, PreferencePair } from './pair';
export { rejectionPairs } from './rejections';
export { repairPairs } from './repairs';
export { DEFAULT_MIN_MARGIN, rolloutKeyOf, rolloutPair, rolloutPlan, SAME_PROMPT_JACCARD, type PromptSignature, type RolloutKey, type RolloutStep } from './rollouts';
export type { PairSource } from './turns';

/**
 * The repair and rejection pairs of one session. `session` is the redacted session the chat was
 * made from: outcomes (error flags, rejections) are read there, the chat keeps only text.
 */
export function mineSessionPairs(session: Session, chat: readonly ChatMessage[], tools: readonly ToolSpec[], split: SplitName): PreferencePair[] {
	const source = { session, tools, split };
	return [...repairPairs(chat, source), ...rejectionPairs(chat, source)];
}
