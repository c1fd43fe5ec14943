/**
 * What ties a finding diagnostic to the editor commands that act on it: the server puts
 * `FindingDiagnosticData` on each transcript diagnostic and offers code actions that run these
 * client commands (contributed in package.json) with `FindingTarget` or a session id.
 */
import type { FindingState, SessionBlockState } from './protocol';

export const FINDING_COMMANDS = {
	confirm: 'tracemint.finding.confirm',
	falsePositive: 'tracemint.finding.falsePositive',
	blockSession: 'tracemint.session.block',
	releaseSession: 'tracemint.session.release',
} as const;

/** `source` of every diagnostic Tracemint publishes. */
export const DIAGNOSTIC_SOURCE = 'tracemint';

/** The findings one placeholder stands for; the argument of the finding commands. */
export interface FindingTarget {
	sessionId: string;
	findingIds: number[];
}

export interface FindingDiagnosticData extends FindingTarget {
	state: FindingState;
	block: SessionBlockState;
}

export function isFindingTarget(value: unknown): value is FindingTarget {
	const v = value as Partial<FindingTarget> | null | undefined;
	return typeof v?.sessionId === 'string' && Array.isArray(v.findingIds) && v.findingIds.every((id) => Number.isInteger(id));
}
