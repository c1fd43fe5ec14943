/**
 * Keeps stored findings in step with sessions and rules: a session is (re)scanned when it was
 * never scanned, its content changed, or RULES_VERSION moved on. One transaction per session,
 * so a kill leaves every session either with its old findings and stamp or with the new ones.
 */
import type { Session } from '../../../../shared/model';
import { scanSession } from '../redact/redactSession';
import { scanSessionAsync } from '../redact/scanSessionAsync';
import { yieldToLoop } from '../redact/sliced';
import { RULES_VERSION } from '../redact/scan';
import type { TraceStore } from '../store/store';

export interface RescanReport {
	scanned: number;
	findings: number;
	sessionIds: string[];
}

function scanOne(store: TraceStore, session: Session, key: Buffer): number {
	const sha = store.sessions.contentSha(session.id);
	if (sha === undefined) return 0;
	const findings = scanSession(session, key);
	store.findings.replace(session.id, sha, RULES_VERSION, findings);
	return findings.length;
}

/** Skips the write when the session changed while it was being scanned; the next pass picks it up. */
async function scanOneAsync(store: TraceStore, id: string, key: Buffer): Promise<number> {
	const session = store.sessions.get(id);
	const sha = store.sessions.contentSha(id);
	if (!session || sha === undefined) return 0;
	const findings = await scanSessionAsync(session, key);
	if (store.sessions.contentSha(id) !== sha) return 0;
	store.findings.replace(id, sha, RULES_VERSION, findings);
	return findings.length;
}

export function rescanStale(store: TraceStore): RescanReport {
	const key = store.findings.fingerprintKey();
	const sessionIds = store.findings.staleSessionIds(RULES_VERSION);
	let findings = 0;
	for (const id of sessionIds) {
		const session = store.sessions.get(id);
		if (session) findings += scanOne(store, session, key);
	}
	return { scanned: sessionIds.length, findings, sessionIds };
}

/** The same for one session the caller already loaded (a transcript needs just its own session fresh). */
export function rescanIfStale(store: TraceStore, session: Session): void {
	if (store.findings.isStale(session.id, RULES_VERSION)) scanOne(store, session, store.findings.fingerprintKey());
}

/** The same, yielding to the event loop between sessions and within large ones, so a server stays responsive. */
export async function rescanStaleAsync(store: TraceStore): Promise<RescanReport> {
	const key = store.findings.fingerprintKey();
	const sessionIds = store.findings.staleSessionIds(RULES_VERSION);
	let findings = 0;
	for (const id of sessionIds) {
		await yieldToLoop();
		findings += await scanOneAsync(store, id, key);
	}
	return { scanned: sessionIds.length, findings, sessionIds };
}
