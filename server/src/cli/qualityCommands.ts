/** Reward, gates, ratings and forgetting: `score`, `gate`, `rate`, `forget`. */
import type { GateReport, Rating, SessionScore } from '../../../shared/quality';
import { sessionChange, sessionIds } from './commands';
import { UsageError, type Command } from './command';
import { qualityParamsOf } from './qualityOptions';

export const qualityCommands: Record<string, Command> = {
	score: ({ core, args, options }) => {
		const result = core.scoreSessions(args.length > 0 ? args : undefined, qualityParamsOf(options).reward);
		const text = [...result.scores.map(describeScore), ...result.unknown.map((q) => `unknown or ambiguous session id: ${q}`)].join('\n\n');
		return { json: result, text: text || 'No sessions in the store yet. Run: tracemint import', exitCode: result.unknown.length > 0 ? 1 : 0 };
	},

	gate: ({ core, options }) => {
		const report = core.gate(qualityParamsOf(options));
		return { json: report, text: describeGates(report) };
	},

	rate: ({ core, args }) => {
		const [rating, ...ids] = [args.at(-1), ...args.slice(0, -1)];
		if (rating !== 'up' && rating !== 'down' && rating !== 'clear') {
			throw new UsageError('usage: rate SESSION_ID... up|down|clear');
		}
		return sessionChange(core.rate(sessionIds(ids), rating === 'clear' ? null : rating as Rating, 'cli'), rating === 'clear' ? 'unrated' : `rated ${rating}`);
	},

	forget: ({ core, args }) => {
		const result = core.forget(sessionIds(args), 'cli');
		return sessionChange({ changed: result.forgotten, unknown: result.unknown }, 'forgotten (deleted, and kept out of future imports)');
	},
};

function describeScore(score: SessionScore): string {
	const lines = [`${score.reward.toFixed(2)}  ${score.sessionId}  (formula v${score.formulaVersion})`];
	for (const c of score.components) {
		lines.push(`  ${c.id.padEnd(10)} ${c.value.toFixed(2)} × ${c.weight}  [${c.source}] ${c.explanation}`);
		for (const e of c.evidence.slice(0, 5)) {
			const exit = e.exitCode === undefined || e.exitCode === null ? '' : ` (exit ${e.exitCode})`;
			lines.push(`      #${e.messageIndex ?? '-'} ${e.kind}${e.passed === undefined ? '' : e.passed ? ' ✓' : ' ✗'}: ${e.detail}${exit}`);
		}
		if (c.evidence.length > 5) lines.push(`      … ${c.evidence.length - 5} more`);
	}
	return lines.join('\n');
}

function describeGates(report: GateReport): string {
	const { counts, reasons, splits } = report;
	const lines = [
		`Preset ${report.preset}: ${counts.accepted} accepted, ${counts.downgraded} downgraded, ${counts.rejected} rejected` +
			` (${report.thresholds.exportDowngraded ? 'downgraded sessions are exported' : 'only accepted sessions are exported'}).`,
		`Exported per split: ${splits.train} train / ${splits.validation} validation / ${splits.test} test${report.split.holdout > 0 ? ` / ${splits.holdout} holdout` : ''}` +
			` (grouped by ${report.split.groupBy}, seed ${report.split.seed}); ${report.nearDuplicateClusters} near-duplicate clusters kept together.`,
	];
	const reasonLines = Object.entries(reasons).sort(([, a], [, b]) => b - a).map(([reason, n]) => `  ${reason}: ${n}`);
	if (reasonLines.length > 0) lines.push('Reasons:', ...reasonLines);
	for (const g of report.sessions.filter((s) => s.decision !== 'accepted' && !s.reasons.includes('not-opted-in'))) {
		lines.push(`  ${g.decision.padEnd(10)} ${g.sessionId}: ${g.details.join('; ')}`);
	}
	return lines.join('\n');
}
