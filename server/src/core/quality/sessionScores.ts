/**
 * Scores and signals of stored sessions, recomputed only when an input changed: the content,
 * its redaction (the score's evidence quotes commands, so it is computed on the redacted
 * session), the rating, the formula version or the configuration.
 */
import { createHash } from 'node:crypto';
import type { SessionSummary } from '../../../../shared/model';
import type { RewardConfig, SessionScore } from '../../../../shared/quality';
import { rescanIfStale } from '../findings/rescan';
import { reviewSession } from '../findings/sessionReview';
import { yieldToLoop } from '../redact/sliced';
import { dedupSignature } from '../gates/dedup/signature';
import { sessionTokens } from '../gates/tokens';
import { REWARD_FORMULA_VERSION, scoreSession } from '../reward';
import type { StoredSignals } from '../store/repos/quality';
import type { TraceStore } from '../store/store';

/** Bump when the token count or the dedup signature is computed differently. */
export const SIGNALS_VERSION = 1;

export function scoreOf(store: TraceStore, summary: Pick<SessionSummary, 'id'>, config: RewardConfig): SessionScore {
	const rating = store.ratings.get(summary.id);
	const contentSha = store.sessions.contentSha(summary.id) ?? '';
	const inputKey = () => keyOf([contentSha, store.findings.redactionKey(summary.id), rating?.rating ?? null, REWARD_FORMULA_VERSION, config]);
	const cached = store.quality.score(summary.id, inputKey());
	if (cached) return JSON.parse(cached) as SessionScore;
	const session = store.sessions.get(summary.id)!;
	rescanIfStale(store, session);
	const score = scoreSession(reviewSession(store, session).redacted.session, { rating: rating?.rating ?? null, config });
	// The key is taken again: the scan above may have changed the redaction it covers.
	store.quality.putScore(summary.id, inputKey(), score.reward, JSON.stringify(score));
	return score;
}

/** Token count and dedup signature, from the stored content (hashes and a count never reveal a value). */
export function signalsOf(store: TraceStore, summary: Pick<SessionSummary, 'id'>): StoredSignals {
	const key = keyOf([store.sessions.contentSha(summary.id) ?? '', SIGNALS_VERSION]);
	const cached = store.quality.signals(summary.id, key);
	if (cached) return cached;
	const session = store.sessions.get(summary.id)!;
	const signature = dedupSignature(session);
	const signals = { tokens: sessionTokens(session), exactHash: signature.exactHash, minhash: signature.minhash };
	store.quality.putSignals(summary.id, key, signals);
	return signals;
}

function keyOf(parts: unknown[]): string {
	return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/**
 * Computes what is missing of every session's score and signals one session at a time, yielding
 * between sessions, so the first gate evaluation of a large store (tokenising every session) does
 * not hold the server's other requests. Afterwards the synchronous path only reads the cache.
 */
export async function warmQuality(store: TraceStore, config: RewardConfig): Promise<void> {
	for (const summary of store.sessions.list()) {
		if (!store.sessions.contentSha(summary.id)) continue; // forgotten meanwhile
		scoreOf(store, summary, config);
		signalsOf(store, summary);
		await yieldToLoop();
	}
}
