/**
 * The four components, each from the first source that has evidence.
 *
 * `auto` tries, in order: explicit verdicts in the trace, the developer's rating, evidence derived
 * from the session. The rating judges the result as a whole, so it speaks for the outcome and the
 * review; it says nothing about which criteria were met or how many rounds it took, so `auto`
 * skips it there (criteria can still be configured to use it). A named source is used alone.
 * A component with no evidence from its source(s) scores 0 with source `default`: the reward
 * only credits what the session shows.
 *
 * - outcome (gate): explicit gate verdict (SHIP/ADVISORY pass, HOLD fails) → rating (up passes) →
 *   the last verification run with a known outcome (passed 1, failed 0).
 * - criteria: criteria marked in the final report (fraction met) → rating, when configured →
 *   the last task list (fraction completed) → distinct verification commands whose last run
 *   passed (fraction).
 * - review: explicit review verdict → rating (up SHIP, down HOLD) → derived: SHIP when the user
 *   neither rejected nor interrupted anything, other tools mostly worked and the outcome passed;
 *   HOLD when the user rejected or interrupted and the outcome failed; ADVISORY otherwise.
 * - iterations: failed verification runs + follow-up human turns, max(0, 1 - n / maxIterations).
 */
import type { ComponentSource, Evidence, Rating, RewardComponent, RewardComponentId, RewardConfig, Verdict } from '../../../../shared/quality';
import { capped, clip, quoteRun, runEvidence } from './evidence';
import { iterationsOf, type SessionEvidence } from './facts';
import { GATE_VALUE, REVIEW_VALUE, iterationsValue, round4 } from './formula';
import type { VerdictLine } from './verdicts';
import type { VerificationRun } from './verification';

export interface ScoringContext {
	evidence: SessionEvidence;
	rating: Rating | null;
	config: RewardConfig;
	/** The resolved outcome, which the derived review reads. */
	outcome?: RewardComponent;
}

type Source = Exclude<ComponentSource, 'auto'>;

interface Draft {
	value: number;
	explanation: string;
	evidence: Evidence[];
}

type Resolver = (ctx: ScoringContext) => Draft | null;

const AUTO_ORDER: Record<RewardComponentId, Source[]> = {
	outcome: ['explicit', 'rating', 'derived'],
	criteria: ['explicit', 'derived'],
	review: ['explicit', 'rating', 'derived'],
	iterations: ['derived'],
};

/** Above this share of failing non-verification tool calls (with at least two), a review is not a clean SHIP. */
const MAX_CLEAN_ERROR_RATE = 0.25;

export function resolveComponent(id: RewardComponentId, ctx: ScoringContext): RewardComponent {
	const configured = ctx.config.sources[id];
	const tried = configured === 'auto' ? AUTO_ORDER[id] : [configured];
	for (const source of tried) {
		const draft = RESOLVERS[id][source]?.(ctx) ?? null;
		if (draft) {
			return { id, weight: ctx.config.weights[id], value: round4(draft.value), source, explanation: draft.explanation, evidence: capped(draft.evidence) };
		}
	}
	const explanation = configured === 'auto' ? NO_EVIDENCE[id] : `Source "${configured}" is configured and this session has ${MISSING[id][configured]}; scored 0.`;
	return { id, weight: ctx.config.weights[id], value: 0, source: 'default', explanation, evidence: capped(defaultEvidence(id, ctx)) };
}

const NO_EVIDENCE: Record<RewardComponentId, string> = {
	outcome: 'Nothing verified the result: no test, build or lint run with a known outcome, no gate verdict and no rating; an unverified result scores 0.',
	criteria: 'No acceptance criteria, task list or verification run to measure coverage; scored 0.',
	review: 'No review verdict, rating or agent turn to judge; scored 0.',
	iterations: 'No agent turn to count iterations in; scored 0.',
};

const MISSING: Record<RewardComponentId, Record<Source, string>> = {
	outcome: { explicit: 'no gate verdict line', rating: 'no developer rating', derived: 'no verification run with a known outcome' },
	criteria: { explicit: 'no criteria marked in the final report', rating: 'no developer rating', derived: 'no task list and no verification run with a known outcome' },
	review: { explicit: 'no review verdict line', rating: 'no developer rating', derived: 'no agent turn' },
	iterations: { explicit: 'no iteration count (no trace states one)', rating: 'no iteration count (a rating gives none)', derived: 'no agent turn' },
};

/** With no decision, still show what was looked at (runs whose outcome the log does not tell). */
function defaultEvidence(id: RewardComponentId, ctx: ScoringContext): Evidence[] {
	return id === 'outcome' || id === 'criteria' ? ctx.evidence.runs.map(runEvidence) : [];
}

const RESOLVERS: Record<RewardComponentId, Partial<Record<Source, Resolver>>> = {
	outcome: {
		explicit: (ctx) => lastVerdict(ctx, 'outcome', GATE_VALUE, 'gate'),
		rating: (ctx) => fromRating(ctx, { up: 1, down: 0 }, 'the result passes', 'the result fails'),
		derived: (ctx) => outcomeFromRuns(ctx.evidence.runs),
	},
	criteria: {
		explicit: (ctx) => criteriaFromReport(ctx),
		rating: (ctx) => fromRating(ctx, { up: 1, down: 0 }, 'the criteria count as met', 'the criteria count as unmet'),
		derived: (ctx) => criteriaFromTodos(ctx) ?? criteriaFromRuns(ctx.evidence.runs),
	},
	review: {
		explicit: (ctx) => lastVerdict(ctx, 'review', REVIEW_VALUE, 'review'),
		rating: (ctx) => fromRating(ctx, { up: REVIEW_VALUE.SHIP, down: REVIEW_VALUE.HOLD }, 'read as SHIP', 'read as HOLD'),
		derived: (ctx) => derivedReview(ctx),
	},
	iterations: {
		derived: (ctx) => derivedIterations(ctx),
	},
};

// ---- Explicit verdicts and the rating ----

function lastVerdict(ctx: ScoringContext, target: VerdictLine['target'], values: Record<Verdict, number>, what: string): Draft | null {
	const lines = ctx.evidence.verdicts.filter((v) => v.target === target);
	const last = lines[lines.length - 1];
	if (last === undefined) {
		return null;
	}
	const earlier = lines.length > 1 ? ` (${lines.length} ${what} verdicts in the trace; the last one decides)` : '';
	return {
		value: values[last.verdict],
		explanation: `Explicit: the last ${what} verdict is ${last.verdict} (message ${last.index}): "${clip(last.line, 80)}"${earlier}.`,
		evidence: lines.map((v) => ({ messageIndex: v.index, kind: 'verdict', detail: clip(v.line), passed: v.verdict !== 'HOLD' })),
	};
}

function fromRating(ctx: ScoringContext, values: Record<Rating, number>, upMeans: string, downMeans: string): Draft | null {
	if (ctx.rating === null) {
		return null;
	}
	const up = ctx.rating === 'up';
	return {
		value: values[ctx.rating],
		explanation: `The developer rated the session ${up ? 'thumbs up' : 'thumbs down'}: ${up ? upMeans : downMeans}.`,
		evidence: [{ messageIndex: null, kind: 'rating', detail: `developer rating: ${ctx.rating}`, passed: up }],
	};
}

// ---- Derived from verification runs ----

function basisOf(run: VerificationRun): string {
	switch (run.basis) {
		case 'exit-code': return `exit code ${run.exitCode}`;
		case 'error-flag': return run.passed ? 'the tool reported no error' : 'the tool reported an error';
		case 'summary': return `${run.masked ? 'its status is hidden by the command line, ' : ''}summary "${clip(run.summary ?? '', 60)}"`;
		case 'no-error': return 'no error reported';
		case 'unknown': return 'outcome unknown';
	}
}

function outcomeFromRuns(runs: readonly VerificationRun[]): Draft | null {
	const known = runs.filter((run) => run.passed !== null);
	const last = known[known.length - 1];
	if (last === undefined) {
		return null;
	}
	const failedBefore = known.slice(0, -1).filter((run) => run.passed === false).length;
	const history = last.passed
		? failedBefore > 0 ? `, after ${failedBefore} failed run${failedBefore === 1 ? '' : 's'}` : ''
		: `; ${known.filter((run) => run.passed).length} of ${known.length} runs passed`;
	return {
		value: last.passed ? 1 : 0,
		explanation: `Derived: the last verification run ${quoteRun(last)} ${last.passed ? 'passed' : 'failed'} (${basisOf(last)})${history}.`,
		evidence: runs.map(runEvidence),
	};
}

function criteriaFromReport(ctx: ScoringContext): Draft | null {
	const criteria = ctx.evidence.criteria;
	if (criteria.length === 0) {
		return null;
	}
	const met = criteria.filter((c) => c.passed).length;
	return {
		value: met / criteria.length,
		explanation: `Explicit: ${met} of ${criteria.length} criteria marked in the final report (message ${criteria[0].index}) are met.`,
		evidence: criteria.map((c) => ({ messageIndex: c.index, kind: 'criterion', detail: clip(c.text), passed: c.passed })),
	};
}

function criteriaFromTodos(ctx: ScoringContext): Draft | null {
	const todos = ctx.evidence.todos;
	if (todos === null) {
		return null;
	}
	const done = todos.items.filter((item) => item.completed).length;
	return {
		value: done / todos.items.length,
		explanation: `Derived: ${done} of ${todos.items.length} items of the agent's last task list (${todos.tool}, message ${todos.index}) are completed.`,
		evidence: todos.items.map((item) => ({ messageIndex: todos.index, kind: 'todo', detail: clip(item.text) || '(no text)', passed: item.completed })),
	};
}

/** Each distinct command line counts once, by its last run with a known outcome. */
function criteriaFromRuns(runs: readonly VerificationRun[]): Draft | null {
	const lastByCommand = new Map<string, VerificationRun>();
	for (const run of runs.filter((r) => r.passed !== null)) {
		const key = run.command.replace(/\s+/g, ' ').trim();
		lastByCommand.delete(key);
		lastByCommand.set(key, run);
	}
	if (lastByCommand.size === 0) {
		return null;
	}
	const latest = [...lastByCommand.values()].sort((a, b) => a.index - b.index);
	const passing = latest.filter((run) => run.passed).length;
	return {
		value: passing / latest.length,
		explanation: `Derived: no criteria or task list; ${passing} of ${latest.length} distinct verification commands passed on their last run.`,
		evidence: latest.map(runEvidence),
	};
}

// ---- Derived review and iterations ----

function derivedReview(ctx: ScoringContext): Draft | null {
	const e = ctx.evidence;
	if (e.assistantTurns === 0) {
		return null;
	}
	const outcome = ctx.outcome;
	const verified = outcome !== undefined && outcome.source !== 'default';
	const passed = verified && outcome.value === 1;
	const failed = verified && outcome.value === 0;
	const pushback = e.rejections.length + e.interrupts.length;
	// Failed test runs are the outcome's business; here only the other tools' errors count.
	const errorRate = e.otherToolCalls === 0 ? 0 : e.otherToolErrors.length / e.otherToolCalls;
	const noisy = errorRate > MAX_CLEAN_ERROR_RATE && e.otherToolErrors.length >= 2;
	const evidence = [...e.rejections, ...e.interrupts, ...e.otherToolErrors].sort((a, b) => (a.messageIndex ?? 0) - (b.messageIndex ?? 0));
	const pushed = `${e.rejections.length} rejected call${e.rejections.length === 1 ? '' : 's'} and ${e.interrupts.length} interrupt${e.interrupts.length === 1 ? '' : 's'}`;
	let verdict: Verdict;
	let why: string;
	if (pushback === 0 && passed && !noisy) {
		verdict = 'SHIP';
		why = 'no rejected calls or interrupts, and the outcome passed';
	} else if (pushback > 0 && failed) {
		verdict = 'HOLD';
		why = `${pushed}, and the outcome failed`;
	} else {
		verdict = 'ADVISORY';
		why = [
			pushback > 0 ? pushed : 'no rejected calls or interrupts',
			noisy ? `${Math.round(errorRate * 100)}% of other tool calls failed` : null,
			passed ? 'the outcome passed' : failed ? 'the outcome failed' : 'nothing verified the outcome',
		].filter((part) => part !== null).join(', ');
	}
	return { value: REVIEW_VALUE[verdict], explanation: `Derived: ${verdict} — ${why}.`, evidence };
}

function derivedIterations(ctx: ScoringContext): Draft | null {
	const e = ctx.evidence;
	if (e.assistantTurns === 0) {
		return null;
	}
	const items = iterationsOf(e);
	const failed = items.filter((item) => item.kind !== 'user-correction').length;
	const followUps = items.length - failed;
	const value = iterationsValue(items.length, ctx.config.maxIterations);
	return {
		value,
		explanation: `Derived: ${failed} failed verification run${failed === 1 ? '' : 's'} + ${followUps} follow-up human turn${followUps === 1 ? '' : 's'} = ${items.length} iteration${items.length === 1 ? '' : 's'}; max(0, 1 - ${items.length}/${ctx.config.maxIterations}) = ${round4(value)}.`,
		evidence: items,
	};
}
