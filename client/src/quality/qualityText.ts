/**
 * How rewards and gate decisions read in the editor: the tree, the status bar, the transcript
 * lenses and the breakdown document. Pure (no editor API). Everything shown comes from the
 * server's SessionScore and SessionGate, whose evidence and titles are already redacted.
 */
import {
	HARD_GATE_REASONS, type Evidence, type GateDecision, type GateReason, type GateReport, type Rating, type RewardComponent, type SessionGate, type SessionScore,
} from '../../../shared/quality';

const REASON_LABELS: Record<GateReason, string> = {
	'not-opted-in': 'not opted in',
	'blocking-finding': 'blocked by a finding',
	'missing-user-message': 'no user message',
	'missing-assistant-message': 'no assistant message',
	'reward-below-floor': 'reward below the floor',
	'exact-duplicate': 'exact duplicate',
	'agent-bookkeeping': 'agent bookkeeping only',
	'too-many-iterations': 'too many iterations',
	'no-code-change': 'no code change',
	'over-token-limit': 'over the token limit',
	'missing-provenance': 'no provenance',
};

const SOURCE_LABELS: Record<RewardComponent['source'], string> = {
	explicit: 'explicit verdict in the trace',
	rating: 'your rating',
	derived: 'derived from the session',
	default: 'no evidence; the default value',
};

export const DECISION_ORDER: readonly GateDecision[] = ['accepted', 'downgraded', 'rejected'];

/** `0.72`; an en dash when there is no reward. */
export function formatReward(reward: number | null | undefined): string {
	return typeof reward === 'number' ? reward.toFixed(2) : '–';
}

export function reasonLabel(reason: GateReason): string {
	return REASON_LABELS[reason] ?? reason;
}

/**
 * The gates' verdict on the session itself. Consent is the user's to give, not a property of
 * the session, so `not-opted-in` is left out: a session that passes every other gate is
 * `accepted` (once opted in), which is what "Opt In All Accepted" and the tree's filter mean.
 */
export function qualityDecision(gate: SessionGate): GateDecision {
	const reasons = qualityReasons(gate);
	if (reasons.some((reason) => HARD_GATE_REASONS.includes(reason))) {
		return 'rejected';
	}
	return reasons.length > 0 ? 'downgraded' : 'accepted';
}

/** The gate's reasons other than consent. */
export function qualityReasons(gate: SessionGate): GateReason[] {
	return gate.reasons.filter((reason) => reason !== 'not-opted-in');
}

/** `accepted`, `downgraded: too many iterations`, `accepted once opted in`, `rejected: exact duplicate`. */
export function gateText(gate: SessionGate): string {
	const decision = qualityDecision(gate);
	const reasons = qualityReasons(gate).map(reasonLabel);
	const pending = gate.reasons.includes('not-opted-in') && decision !== 'rejected' ? ' once opted in' : '';
	return `${decision}${pending}${reasons.length > 0 ? `: ${reasons.join(', ')}` : ''}`;
}

/** `Gates (balanced): 3 accepted, 1 downgraded, 4 rejected.` */
export function gatesSummary(report: GateReport): string {
	const { accepted, downgraded, rejected } = report.counts;
	return `Gates (${report.preset}): ${accepted} accepted, ${downgraded} downgraded, ${rejected} rejected.`;
}

/** The developer's rating where the reward used it (a component whose source is the rating); undefined otherwise. */
export function ratingOf(score: SessionScore): Rating | undefined {
	const evidence = score.components.flatMap((component) => component.evidence).find((item) => item.kind === 'rating');
	return evidence?.passed === undefined ? undefined : evidence.passed ? 'up' : 'down';
}

/** `outcome 1.00 · criteria 0.50 · review 0.50 · iterations 0.70`. */
export function componentsText(score: SessionScore): string {
	return score.components.map((component) => `${component.id} ${formatReward(component.value)}`).join(' · ');
}

/**
 * The whole story of a reward as a Markdown document: the formula's parts in a table, then each
 * part's explanation and evidence (message index into the transcript, command, exit code), then
 * the gate decision with its reasons in numbers.
 */
export function rewardBreakdownMarkdown(title: string, score: SessionScore, gate: SessionGate | undefined): string {
	const totalWeight = score.components.reduce((sum, c) => sum + c.weight, 0);
	const adds = (c: RewardComponent): number => totalWeight > 0 ? c.value * c.weight / totalWeight : 0;
	const lines = [
		`# Reward ${formatReward(score.reward)}: ${inlineMarkdown(title)}`,
		'',
		`Session \`${score.sessionId}\` · formula v${score.formulaVersion} · reward = Σ weight × value / Σ weight`,
		'',
		'| Component | Value | Weight | Adds | Source |',
		'| --- | ---: | ---: | ---: | --- |',
		...score.components.map((c) => `| ${c.id} | ${formatReward(c.value)} | ${formatReward(c.weight)} | ${formatReward(adds(c))} | ${SOURCE_LABELS[c.source] ?? c.source} |`),
		'',
	];
	for (const component of score.components) {
		lines.push(`## ${component.id}: ${formatReward(component.value)} × ${formatReward(component.weight)}`, '', inlineMarkdown(component.explanation), '');
		if (component.evidence.length > 0) {
			lines.push(...component.evidence.map((evidence) => `- ${evidenceText(evidence)}`), '');
		}
	}
	if (gate) {
		lines.push(`## Gate: ${inlineMarkdown(gateText(gate))}`, '');
		lines.push(...gate.details.map((detail) => `- ${inlineMarkdown(detail)}`));
		const facts = [`${gate.tokens} tokens`, gate.split ? `exported to ${gate.split}` : 'not exported'];
		if (gate.duplicateOf) facts.push(`duplicates \`${gate.duplicateOf}\``);
		if (gate.nearDuplicateCluster) facts.push(`near-duplicate cluster \`${gate.nearDuplicateCluster}\``);
		lines.push(`- ${facts.join(' · ')}`, '');
	}
	return lines.join('\n');
}

/** `#12 · test · \`npm test\` · exit 0 · passed`: where to find it in the transcript, what it was, how it ended. */
export function evidenceText(evidence: Evidence): string {
	const parts = [evidence.messageIndex === null ? 'outside the transcript' : `#${evidence.messageIndex}`, evidence.kind];
	if (evidence.detail) parts.push(codeSpan(evidence.detail));
	if (evidence.exitCode !== undefined && evidence.exitCode !== null) parts.push(`exit ${evidence.exitCode}`);
	if (evidence.passed !== undefined) parts.push(evidence.passed ? 'passed' : 'failed');
	return parts.join(' · ');
}

/**
 * Text as one line of Markdown that renders as written: the characters that format mid-line are
 * escaped, and a line start that would make a heading, list or quote is too.
 */
function inlineMarkdown(text: string): string {
	return text.replace(/\s+/g, ' ').trim().replace(/[\\`*_[\]<>|]/g, '\\$&').replace(/^([#>+-]|\d+[.)])/, '\\$1');
}

const MAX_DETAIL = 160;

/** One line of inline code, whatever backticks the text holds. */
function codeSpan(text: string): string {
	const line = text.replace(/\s+/g, ' ').trim();
	const clipped = line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL - 1)}…` : line;
	const longestRun = Math.max(0, ...(clipped.match(/`+/g) ?? []).map((run) => run.length));
	const fence = '`'.repeat(longestRun + 1);
	const pad = clipped.startsWith('`') || clipped.endsWith('`') ? ' ' : '';
	return `${fence}${pad}${clipped}${pad}${fence}`;
}
