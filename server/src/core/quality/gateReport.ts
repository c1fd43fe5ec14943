/**
 * The one gate evaluation over the store: `tracemint gate`, the editor's tree and lenses, and
 * the export all call this, so the export's rejection report is the report `gate` prints.
 */
import type { SessionSummary } from '../../../../shared/model';
import type { QualityParams } from '../../../../shared/protocol';
import { isExportBlocked } from '../../../../shared/protocol';
import type { GateReport, RewardConfig } from '../../../../shared/quality';
import { storedBlock } from '../findings/sessionReview';
import { groupKeyFor } from '../export/split';
import { evaluateGates, type GateCandidate } from '../gates/evaluateGates';
import { DEFAULT_PRESET, resolveSplitOptions, resolveThresholds } from '../gates/presets';
import { resolveRewardConfig } from '../reward';
import type { TraceStore } from '../store/store';
import { scoreOf, signalsOf } from './sessionScores';

/** Startup pings of 2.0.x subagents carry no task. */
const BOOKKEEPING_SUBAGENTS = new Set(['warmup']);

/** Expects fresh findings (the facade re-scans stale sessions first). Throws on invalid parameters, naming them. */
export function gateReport(store: TraceStore, params: QualityParams = {}): GateReport {
	const reward = resolveRewardConfig(params.reward);
	const preset = params.preset ?? DEFAULT_PRESET;
	const thresholds = resolveThresholds(preset, params.thresholds);
	const split = resolveSplitOptions(params.split);
	const candidates = store.sessions.list().map((summary) => candidateOf(store, summary, reward, split.groupBy));
	return evaluateGates(candidates, { preset, thresholds, split });
}

function candidateOf(store: TraceStore, summary: SessionSummary, reward: RewardConfig, groupBy: GateReport['split']['groupBy']): GateCandidate {
	const score = scoreOf(store, summary, reward);
	const signals = signalsOf(store, summary);
	return {
		sessionId: summary.id,
		startedAt: summary.started_at,
		optedIn: summary.opted_in,
		blocked: isExportBlocked(storedBlock(store, summary.id).block),
		bookkeeping: BOOKKEEPING_SUBAGENTS.has(summary.subagent_type ?? ''),
		reward: score.reward,
		facts: score.facts,
		tokens: signals.tokens,
		gitCommit: summary.git_commit,
		groupKey: groupKeyFor(summary, groupBy),
		signature: { exactHash: signals.exactHash, minhash: signals.minhash },
	};
}
