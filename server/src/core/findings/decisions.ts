/** People's review decisions: verdicts on values (by fingerprint) and block/release on sessions. */
import type { DecideFindings, FindingDecision, SetSessionBlock } from '../../../../shared/protocol';
import type { SessionBlockDecision } from '../store/repos/findings';
import type { TraceStore } from '../store/store';

const VERDICT: Record<FindingDecision, 'confirmed' | 'false-positive' | null> = { confirm: 'confirmed', 'false-positive': 'false-positive', reopen: null };

/** A verdict applies to the value, so every session holding the same value follows it. */
export function decideFindings(store: TraceStore, ids: readonly number[], decision: FindingDecision, origin: string): DecideFindings.Result {
	const values = new Map(store.findings.byIds(ids).map((f) => [f.fingerprint, { fingerprint: f.fingerprint, ruleId: f.ruleId }]));
	const changed = store.findings.setVerdict([...values.values()], VERDICT[decision], origin);
	const sessionIds = [...new Set(store.findings.sessionsWithFingerprints(changed).map((r) => r.sessionId))].sort();
	return { changed: changed.length, sessionIds };
}

export type BlockDecision = SetSessionBlock.Params['decision'];

export function setSessionBlock(store: TraceStore, sessionIds: readonly string[], decision: BlockDecision, origin: string): string[] {
	const stored: SessionBlockDecision | null = decision === 'clear' ? null : decision;
	return store.findings.setBlockDecision(sessionIds, stored, origin);
}
