/**
 * A session as the outside world may see it: its stored findings, the ones still applied (every
 * one a person has not called a false positive), the redacted session, and whether export is barred.
 */
import type { Session } from '../../../../shared/model';
import type { SessionBlockState } from '../../../../shared/protocol';
import { redactSession, type RedactedSession } from '../redact/redactSession';
import type { StoredFinding } from '../store/repos/findings';
import type { TraceStore } from '../store/store';
import { blockStateOf } from './blockState';

export interface SessionReview {
	readonly findings: readonly StoredFinding[];
	readonly applied: readonly StoredFinding[];
	/** `placeholders[i]` belongs to `applied[i]`. */
	readonly redacted: RedactedSession;
	readonly block: SessionBlockState;
}

/** Call after the store's findings are fresh for this session (the facade re-scans stale ones first). */
export function reviewSession(store: TraceStore, session: Session): SessionReview {
	const findings = store.findings.ofSessionId(session.id);
	const applied = findings.filter((f) => f.state !== 'false-positive');
	return {
		findings, applied,
		redacted: redactSession(session, applied),
		block: blockStateOf(applied.some((f) => f.action === 'block'), store.findings.blockDecision(session.id)),
	};
}

/**
 * The export block state and the rules behind it, from the stored findings alone (no session load,
 * no redaction): what the gates and the export's report need.
 */
export function storedBlock(store: TraceStore, sessionId: string): { block: SessionBlockState; rules: string[] } {
	const blocking = store.findings.ofSessionId(sessionId).filter((f) => f.state !== 'false-positive' && f.action === 'block');
	const block = blockStateOf(blocking.length > 0, store.findings.blockDecision(sessionId));
	return { block, rules: block === 'blocked-by-user' ? ['blocked-by-user'] : [...new Set(blocking.map((f) => f.ruleId))].sort() };
}
