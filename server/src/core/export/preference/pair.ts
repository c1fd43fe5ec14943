/** A preference pair mined from what happened in sessions: the same prompt, a better and a worse answer. */
import type { SplitName } from '../../../../../shared/quality';
import type { ChatMessage, ToolSpec } from '../chatSample';

/**
 * `repair`: a call whose result failed, and the later attempt at the same step that succeeded.
 * `rejection`: a call the user rejected, and the accepted alternative that followed.
 * `rollout`: sessions on the same task (same repository, near-identical first prompt) ranked by reward.
 */
export type PairKind = 'repair' | 'rejection' | 'rollout';

export interface PreferencePair {
	/** Stable across exports of the same store: `<kind>:<session id>:<message index>` or `rollout:<chosen>:<rejected>`. */
	id: string;
	kind: PairKind;
	/** The session(s) the pair came from: one for repair/rejection, chosen then rejected for rollouts. */
	sessionIds: string[];
	split: SplitName;
	/** The shared context; it ends on a user or tool message, so either answer can follow it. */
	prompt: ChatMessage[];
	/**
	 * The preferred and the other continuation. Repair and rejection pairs hold exactly one
	 * assistant message each; rollouts hold the whole rest of each session (assistant and tool turns).
	 */
	chosen: ChatMessage[];
	rejected: ChatMessage[];
	/** Every tool either side calls (or the prompt called), sorted by name. */
	tools: ToolSpec[];
	/** Reward of chosen minus reward of rejected (rollouts), or 1 for repair and rejection pairs. */
	margin: number;
	/** One sentence on why chosen is preferred, with the evidence (command, exit code, rewards). */
	why: string;
}
