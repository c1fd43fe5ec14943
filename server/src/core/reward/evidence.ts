/** Evidence entries as the score shows them: short, one line, in message order. */
import type { Evidence } from '../../../../shared/quality';
import type { VerificationRun } from './verification';

export const DETAIL_MAX = 160;
/** A component lists at most this many facts (the most recent); its explanation gives the totals. */
export const EVIDENCE_MAX = 50;

/** One line of at most `max` characters. */
export function clip(text: string, max = DETAIL_MAX): string {
	const line = text.replace(/\s+/g, ' ').trim();
	return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

export function runEvidence(run: VerificationRun): Evidence {
	const evidence: Evidence = { messageIndex: run.index, kind: run.kind, detail: clip(run.command), exitCode: run.exitCode };
	if (run.passed !== null) {
		evidence.passed = run.passed;
	}
	return evidence;
}

export function capped(evidence: Evidence[]): Evidence[] {
	return evidence.length <= EVIDENCE_MAX ? evidence : evidence.slice(evidence.length - EVIDENCE_MAX);
}

/** `npm test` (message 12) */
export function quoteRun(run: VerificationRun): string {
	return `\`${clip(run.command, 80)}\` (message ${run.index})`;
}
