/** Preference pairs mined from what happened in sessions: repairs, rejections and rollouts. */
import type { Session } from '../../../../../shared/model';
import type { SplitName } from '../../../../../shared/quality';
import type { ChatMessage, ToolSpec } from '../chatSample';
import type { PreferencePair } from './pair';
import { rejectionPairs } from './rejections';
import { repairPairs } from './repairs';
import { callPlaces } from './turns';
import { toolExchanges } from '../../reward/toolResults';

export type { PairKind, PreferencePair } from './pair';
export { DEFAULT_MIN_MARGIN, rolloutKeyOf, rolloutPair, rolloutPlan, type RolloutKey } from './rollouts';

/**
 * The repair and rejection pairs of one session. `session` is the redacted session the chat was
 * made from: outcomes (error flags, rejections) are read there, the chat keeps only text.
 */
export function mineSessionPairs(session: Session, chat: readonly ChatMessage[], tools: readonly ToolSpec[], split: SplitName): PreferencePair[] {
	const source = { session, tools, split, exchanges: toolExchanges(session), places: callPlaces(chat) };
	return [...repairPairs(chat, source), ...rejectionPairs(chat, source)];
}
