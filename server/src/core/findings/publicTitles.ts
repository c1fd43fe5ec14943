/**
 * Session titles as they may leave the store. A title is a user prompt, so it can hold a pasted
 * secret: scanned sessions get their stored title findings (minus false positives) applied, and a
 * session not scanned yet (the server scans in the background) has its title redacted on its own.
 */
import { redactTitle } from '../redact/redactSession';
import { redactLine } from '../redact/redactLine';
import { RULES_VERSION } from '../redact/scan';
import type { TraceStore } from '../store/store';

export type TitleRedactor = (sessionId: string, title: string | null) => string | null;

/** Reads what it needs once; call it per list, then per session. */
export function titleRedactor(store: TraceStore): TitleRedactor {
	const stale = new Set(store.findings.staleSessionIds(RULES_VERSION));
	const titleFindings = store.findings.appliedTitleFindings();
	return (sessionId, title) => {
		if (title === null) return null;
		if (stale.has(sessionId)) return redactLine(title);
		const findings = titleFindings.get(sessionId);
		return findings ? redactTitle(title, findings) : title;
	};
}
