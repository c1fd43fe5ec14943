/**
 * What the status bar says about the session the agent is writing now. Pure (no editor API).
 */
import type { SessionSummary } from '../../../shared/model';
import type { SessionGate } from '../../../shared/quality';
import { formatReward, gateText } from '../quality/qualityText';
import { agentName, formatDate, plural, sessionLabel } from '../text';
import { lastActivity } from '../consent/workspaceSessions';

export interface CurrentSessionFacts {
	session: SessionSummary;
	/** Written to within the last few minutes. */
	live: boolean;
	/** Undefined while the gates have not judged it (or could not). */
	gate?: SessionGate;
	/** Findings still redacted (open + confirmed); undefined when unknown. */
	findings?: number;
}

/** `$(pass-filled) Claude Code live · reward 0.72 · 3 findings · opted in`; parts that are unknown are left out. */
export function statusText({ session, live, gate, findings }: CurrentSessionFacts): string {
	const icon = session.opted_in ? '$(pass-filled)' : '$(circle-large-outline)';
	const parts = [`${icon} ${agentName(session.agent)}${live ? ' live' : ''}`];
	if (gate) parts.push(`reward ${formatReward(gate.reward)}`);
	if (findings !== undefined) parts.push(plural(findings, 'finding'));
	parts.push(session.opted_in ? 'opted in' : 'not opted in');
	return parts.join(' · ');
}

/** The tooltip's rows, label → value; rows without a value are left out. */
export function statusRows({ session, live, gate, findings }: CurrentSessionFacts): [string, string][] {
	const rows: [string, string | undefined][] = [
		['Session', sessionLabel(session)],
		['Agent', agentName(session.agent)],
		['Last activity', `${formatDate(lastActivity(session))}${live ? ' (live)' : ''}`],
		['Reward', gate ? formatReward(gate.reward) : undefined],
		['Gate', gate ? gateText(gate) : undefined],
		['Findings', findings === undefined ? undefined : plural(findings, 'finding')],
		['Consent', session.opted_in ? `opted in ${formatDate(session.consent_at)}`.trim() : session.consent_at ? `opted out ${formatDate(session.consent_at)}` : 'not decided yet'],
	];
	return rows.filter((row): row is [string, string] => row[1] !== undefined && row[1] !== '');
}
