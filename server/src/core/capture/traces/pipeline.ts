/**
 * Pipeline facts (task card, verdicts, iterations, hand-offs, outcome) as message text, until
 * the canonical model has fields for them. The wording is fixed because other code reads it:
 * a verdict renders a line `Gate: SHIP` / `Review: HOLD` / `Outcome: …` on its own, which the
 * reward's explicit-verdict reader takes from `notification` context messages.
 */
import type { AcceptanceCriterion, TraceEndRecord, TraceHandoffRecord, TraceIterationRecord, TraceTask, TraceVerdictRecord } from '../../../../../shared/traceFormat';

const CHECK: Record<NonNullable<AcceptanceCriterion['status']>, string> = { pass: 'x', fail: ' ', unknown: ' ' };

/** The task card: title, body, then criteria as a task list (status in words, since `[ ]` cannot say fail vs unknown). */
export function taskCardText(task: TraceTask): string {
	const heading = task.id === undefined ? `# Task: ${task.title}` : `# Task ${task.id}: ${task.title}`;
	const parts = [heading];
	if (task.body !== undefined && task.body.trim().length > 0) {
		parts.push(task.body.trim());
	}
	const criteria = task.acceptance_criteria ?? [];
	if (criteria.length > 0) {
		const lines = criteria.map((criterion) => {
			const status = criterion.status ?? 'unknown';
			const id = criterion.id === undefined ? '' : `${criterion.id}: `;
			return `- [${CHECK[status]}] ${id}${criterion.text} (${status})`;
		});
		parts.push(['## Acceptance criteria', ...lines].join('\n'));
	}
	return parts.join('\n\n');
}

/** gate → Gate, review → Review, test and acceptance → Outcome (the reward's outcome component). */
const LABEL: Record<TraceVerdictRecord['kind'], string> = { gate: 'Gate', review: 'Review', test: 'Outcome', acceptance: 'Outcome' };

export function verdictText(verdict: TraceVerdictRecord): string {
	const decision = verdict.verdict ?? (verdict.passed ? 'SHIP' : 'HOLD');
	const lines = [`[tracemint ${verdict.kind} verdict] ${verdict.name}: ${verdict.passed ? 'passed' : 'failed'}`, `${LABEL[verdict.kind]}: ${decision}`];
	if (verdict.detail !== undefined && verdict.detail.trim().length > 0) {
		lines.push('', verdict.detail.trim());
	}
	return lines.join('\n');
}

export function iterationText(iteration: TraceIterationRecord): string {
	const note = iteration.note?.trim();
	return `[tracemint iteration ${iteration.n}]${note ? ` ${note}` : ''}`;
}

export function handoffText(handoff: TraceHandoffRecord): string {
	return `[tracemint handoff${handoff.to === undefined ? '' : ` to ${handoff.to}`}] ${handoff.note.trim()}`;
}

export function endText(end: TraceEndRecord): string {
	return `[tracemint end] outcome: ${end.outcome ?? 'unknown'}`;
}
