/**
 * The quality gates over a set of candidate sessions, in this order:
 * 1. hard gates per session (every hard reason that applies is listed);
 * 2. exact duplicates among the survivors (one kept: highest reward, then earliest start, then smallest id);
 * 3. soft gates on what is left (downgrade, with the numbers in `details`);
 * 4. near-duplicate clusters among the exported sessions, whose groups are merged so that a
 *    cluster never straddles splits;
 * 5. the seeded split of each merged group.
 * A session rejected for consent alone also lists what it would meet once opted in (step 2 against
 * the kept copies, or step 3), and stays rejected.
 * Pure: the same candidates, in any order, give the same report on every machine.
 */
import type { GateDecision, GateReason, GateReport, GateThresholds, PresetName, SessionFacts, SessionGate, SplitName, SplitOptions } from '../../../../shared/quality';
import { assignSplit } from '../export/split';
import { compareIds } from './compareIds';
import { nearDuplicateClusters } from './dedup/lsh';
import type { DedupSignature } from './dedup/signature';
import { UnionFind } from './unionFind';

export interface GateCandidate {
	sessionId: string;
	startedAt: string | null;
	optedIn: boolean;
	/** Block state from redaction: true when a blocking finding or the user barred it (and not released). */
	blocked: boolean;
	/** Warmup/bookkeeping subagent sessions that carry no task. */
	bookkeeping: boolean;
	/** null: not scored, which fails any floor above 0. */
	reward: number | null;
	facts: SessionFacts;
	tokens: number;
	gitCommit: string | null;
	/** Already resolved for the chosen groupBy (see groupKeyFor). */
	groupKey: string;
	signature: DedupSignature;
}

export interface GateOptions {
	preset: PresetName;
	thresholds: GateThresholds;
	split: SplitOptions;
}

const SPLIT_NAMES: readonly SplitName[] = ['train', 'validation', 'test', 'holdout'];

/** Whether a session with this decision is written to the dataset. */
export function isExported(decision: GateDecision, thresholds: Pick<GateThresholds, 'exportDowngraded'>): boolean {
	return decision === 'accepted' || (decision === 'downgraded' && thresholds.exportDowngraded);
}

export function evaluateGates(candidates: readonly GateCandidate[], options: GateOptions): GateReport {
	const { thresholds } = options;
	const byId = new Map<string, GateCandidate>();
	for (const c of candidates) {
		if (byId.has(c.sessionId)) {
			throw new Error(`Session ${c.sessionId} is a gate candidate twice.`);
		}
		byId.set(c.sessionId, c);
	}
	const sorted = [...candidates].sort((a, b) => compareIds(a.sessionId, b.sessionId));
	const gates = new Map<string, SessionGate>(sorted.map((c) => [c.sessionId, {
		sessionId: c.sessionId, decision: 'accepted', reasons: [], details: [], reward: c.reward, tokens: c.tokens,
	}]));
	const note = (id: string, reason: GateReason, detail: string) => {
		const gate = gates.get(id)!;
		gate.reasons.push(reason);
		gate.details.push(detail);
	};

	for (const c of sorted) {
		for (const [reason, detail] of hardReasons(c, thresholds)) {
			note(c.sessionId, reason, detail);
		}
	}
	const survivors = sorted.filter((c) => gates.get(c.sessionId)!.reasons.length === 0);
	const consentOnly = sorted.filter((c) => gates.get(c.sessionId)!.reasons.join() === 'not-opted-in');
	for (const [duplicate, kept] of exactDuplicates(survivors)) {
		note(duplicate.sessionId, 'exact-duplicate', `same normalised content as ${kept.sessionId}`);
		gates.get(duplicate.sessionId)!.duplicateOf = kept.sessionId;
	}
	const keptByHash = new Map(survivors.filter((c) => gates.get(c.sessionId)!.reasons.length === 0).map((c) => [c.signature.exactHash, c]));
	for (const c of sorted) {
		const gate = gates.get(c.sessionId)!;
		if (gate.reasons.length > 0) {
			gate.decision = 'rejected';
			continue;
		}
		for (const [reason, detail] of softReasons(c, thresholds)) {
			note(c.sessionId, reason, detail);
		}
		gate.decision = gate.reasons.length > 0 ? 'downgraded' : 'accepted';
	}
	// A session held back by consent alone also gets what opting in would meet (it stays rejected), so
	// the editor can say "downgraded once opted in" instead of promising more than the gates give.
	for (const c of consentOnly) {
		// It would only be the duplicate if the copy already kept ranks first; otherwise it would take that copy's place.
		const kept = keptByHash.get(c.signature.exactHash);
		const duplicate = kept !== undefined && bestFirst(kept, c) < 0;
		for (const [reason, detail] of duplicate ? [['exact-duplicate', `same normalised content as ${kept.sessionId}`] as [GateReason, string]] : softReasons(c, thresholds)) {
			note(c.sessionId, reason, detail);
		}
		if (duplicate) gates.get(c.sessionId)!.duplicateOf = kept.sessionId;
	}

	const exported = sorted.filter((c) => isExported(gates.get(c.sessionId)!.decision, thresholds));
	const clusters = nearDuplicateClusters(exported.map((c) => ({ id: c.sessionId, minhash: c.signature.minhash })), thresholds.nearDuplicateThreshold);
	for (const cluster of clusters) {
		for (const id of cluster) {
			gates.get(id)!.nearDuplicateCluster = cluster[0];
		}
	}
	const splitKeys = mergedSplitKeys(exported, clusters, byId);
	for (const c of exported) {
		gates.get(c.sessionId)!.split = assignSplit(splitKeys.get(c.groupKey)!, options.split);
	}

	const sessions = [...gates.values()];
	const counts: Record<GateDecision, number> = { accepted: 0, downgraded: 0, rejected: 0 };
	const reasons: Partial<Record<GateReason, number>> = {};
	const splits = Object.fromEntries(SPLIT_NAMES.map((s) => [s, 0])) as Record<SplitName, number>;
	for (const gate of sessions) {
		counts[gate.decision]++;
		for (const reason of gate.reasons) {
			reasons[reason] = (reasons[reason] ?? 0) + 1;
		}
		if (gate.split) {
			splits[gate.split]++;
		}
	}
	return { preset: options.preset, thresholds, split: options.split, counts, reasons, nearDuplicateClusters: clusters.length, splits, sessions };
}

function hardReasons(c: GateCandidate, t: GateThresholds): [GateReason, string][] {
	const found: [GateReason, string][] = [];
	if (!c.optedIn) found.push(['not-opted-in', 'not opted in for export']);
	if (c.blocked) found.push(['blocking-finding', 'blocked by a redaction finding or by the user']);
	if (c.bookkeeping) found.push(['agent-bookkeeping', 'agent bookkeeping session with no task']);
	if (c.facts.userTurns === 0) found.push(['missing-user-message', 'no user message']);
	if (c.facts.assistantTurns === 0) found.push(['missing-assistant-message', 'no assistant message']);
	if (c.reward === null && t.rewardFloor > 0) {
		found.push(['reward-below-floor', `no reward (not scored); floor ${t.rewardFloor.toFixed(2)}`]);
	} else if (c.reward !== null && c.reward < t.rewardFloor) {
		const [reward, floor] = distinctDecimals(c.reward, t.rewardFloor);
		found.push(['reward-below-floor', `reward ${reward} < floor ${floor}`]);
	}
	return found;
}

function softReasons(c: GateCandidate, t: GateThresholds): [GateReason, string][] {
	const found: [GateReason, string][] = [];
	if (c.facts.iterations > t.maxIterations) found.push(['too-many-iterations', `${c.facts.iterations} iterations > ${t.maxIterations}`]);
	if (t.requireCodeChange && !c.facts.codeChanged) found.push(['no-code-change', 'no file was edited in the session']);
	if (c.tokens > t.maxTokens) found.push(['over-token-limit', `${c.tokens} tokens > ${t.maxTokens}`]);
	if (t.requireProvenance && !c.gitCommit) found.push(['missing-provenance', 'no git commit known for the session']);
	return found;
}

/** Each duplicate with the session kept in its place. */
function exactDuplicates(survivors: readonly GateCandidate[]): [GateCandidate, GateCandidate][] {
	const byHash = new Map<string, GateCandidate[]>();
	for (const c of survivors) {
		const same = byHash.get(c.signature.exactHash);
		if (same) {
			same.push(c);
		} else {
			byHash.set(c.signature.exactHash, [c]);
		}
	}
	const pairs: [GateCandidate, GateCandidate][] = [];
	for (const same of byHash.values()) {
		const [kept, ...rest] = same.sort(bestFirst);
		pairs.push(...rest.map((duplicate): [GateCandidate, GateCandidate] => [duplicate, kept]));
	}
	return pairs;
}

/** Highest reward, then earliest start (unknown last), then smallest id. */
function bestFirst(a: GateCandidate, b: GateCandidate): number {
	return (b.reward ?? -Infinity) - (a.reward ?? -Infinity)
		|| startTime(a) - startTime(b)
		|| compareIds(a.sessionId, b.sessionId);
}

function startTime(c: GateCandidate): number {
	const time = c.startedAt === null ? NaN : Date.parse(c.startedAt);
	return Number.isNaN(time) ? Infinity : time;
}

/**
 * Group key → the key its merged group is split by. Groups joined by a near-duplicate cluster form
 * one component, split by the smallest group key in it (code-unit order). That choice depends
 * only on which groups are in the component, not on the order sessions or unions came in, so it
 * is the same on every run and machine; and a group in no cluster keeps its own key, landing in
 * the split it always had.
 */
function mergedSplitKeys(exported: readonly GateCandidate[], clusters: readonly string[][], byId: ReadonlyMap<string, GateCandidate>): Map<string, string> {
	const keys = [...new Set(exported.map((c) => c.groupKey))].sort(compareIds);
	const index = new Map(keys.map((k, i) => [k, i]));
	const groups = new UnionFind(keys.length);
	for (const cluster of clusters) {
		const first = index.get(byId.get(cluster[0])!.groupKey)!;
		for (const id of cluster.slice(1)) {
			groups.union(first, index.get(byId.get(id)!.groupKey)!);
		}
	}
	// Keys are sorted, so the first key seen for a component is its smallest.
	const smallest = new Map<number, string>();
	return new Map(keys.map((key, i) => {
		const root = groups.find(i);
		if (!smallest.has(root)) {
			smallest.set(root, key);
		}
		return [key, smallest.get(root)!];
	}));
}

/** Two decimals, or four when two would print the reward equal to the floor. */
function distinctDecimals(reward: number, floor: number): [string, string] {
	const digits = reward.toFixed(2) === floor.toFixed(2) ? 4 : 2;
	return [reward.toFixed(digits), floor.toFixed(digits)];
}
