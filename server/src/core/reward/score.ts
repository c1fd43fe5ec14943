/**
 * Scores one session 0..1 with a breakdown: which source decided each component, one sentence
 * on why, and the facts behind it (message index, command, exit code). Pure: the same session,
 * rating and configuration always give the same score. The caller passes the redacted session;
 * evidence quotes commands and turns from it, clipped to one short line.
 */
import type { Session } from '../../../../shared/model';
import type { Rating, RewardConfig, RewardOverrides, SessionScore } from '../../../../shared/quality';
import { resolveComponent, type ScoringContext } from './components';
import { factsOf, gatherEvidence } from './facts';
import { REWARD_FORMULA_VERSION, resolveRewardConfig, rewardOf } from './formula';

export interface ScoreOptions {
	rating?: Rating | null;
	/** Merged over the defaults; invalid settings throw. */
	config?: RewardOverrides | Partial<RewardConfig> | RewardConfig;
}

export function scoreSession(session: Session, options: ScoreOptions = {}): SessionScore {
	const config = resolveRewardConfig(options.config);
	const evidence = gatherEvidence(session);
	const ctx: ScoringContext = { evidence, rating: options.rating ?? null, config };
	const outcome = resolveComponent('outcome', ctx);
	const criteria = resolveComponent('criteria', ctx);
	const review = resolveComponent('review', { ...ctx, outcome });
	const iterations = resolveComponent('iterations', ctx);
	const components = [outcome, criteria, review, iterations];
	return {
		sessionId: session.id,
		reward: rewardOf(components),
		formulaVersion: REWARD_FORMULA_VERSION,
		config,
		components,
		facts: factsOf(evidence),
	};
}
