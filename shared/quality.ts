/**
 * Reward, quality gates, deduplication and split: the plain types shared by the core, the CLI,
 * the LSP server, the client and the webview. No runtime dependencies.
 */

// ---- Reward ----

/** A pipeline's verdict: SHIP (ship it), ADVISORY (acceptable with remarks), HOLD (not acceptable). */
export type Verdict = 'SHIP' | 'ADVISORY' | 'HOLD';

export type RewardComponentId = 'outcome' | 'criteria' | 'review' | 'iterations';
export type RewardWeights = Record<RewardComponentId, number>;

/**
 * Where a component's value comes from. `auto` picks the first that has evidence, in this order:
 * explicit verdicts in the trace, the developer's rating, evidence derived from the session.
 */
export type ComponentSource = 'auto' | 'explicit' | 'rating' | 'derived';

export interface RewardConfig {
	weights: RewardWeights;
	/** `iterations` component: max(0, 1 - iterations / maxIterations). */
	maxIterations: number;
	sources: Record<RewardComponentId, ComponentSource>;
}

/** What a user may override: any subset, merged key by key over the defaults. */
export interface RewardOverrides {
	weights?: Partial<RewardWeights>;
	maxIterations?: number;
	sources?: Partial<Record<RewardComponentId, ComponentSource>>;
}

export const defaultRewardConfig: RewardConfig = {
	weights: { outcome: 0.4, criteria: 0.25, review: 0.2, iterations: 0.15 },
	maxIterations: 10,
	sources: { outcome: 'auto', criteria: 'auto', review: 'auto', iterations: 'auto' },
};

/** One fact behind a component: a command and its exit code, a todo item, a verdict line, a rating. */
export interface Evidence {
	/** Index of the message in the session (null: not from a message, e.g. the developer's rating). */
	messageIndex: number | null;
	kind: 'test' | 'build' | 'lint' | 'todo' | 'verdict' | 'criterion' | 'rating' | 'rejection' | 'interrupt' | 'tool-error' | 'user-correction';
	/** What it is, redacted: the command line, the todo text, the verdict line. */
	detail: string;
	/** Commands: the exit code when the log has one. */
	exitCode?: number | null;
	/** Commands, criteria, todo items: whether it passed / was completed. */
	passed?: boolean;
}

export interface RewardComponent {
	id: RewardComponentId;
	weight: number;
	/** 0..1 before weighting. */
	value: number;
	/** Where the value came from; `default` = no evidence of any kind, the documented fallback was used. */
	source: 'explicit' | 'rating' | 'derived' | 'default';
	/** One plain sentence: what decided the value. */
	explanation: string;
	evidence: Evidence[];
}

export interface SessionScore {
	sessionId: string;
	/** 0..1, rounded to 4 decimals. */
	reward: number;
	formulaVersion: number;
	config: RewardConfig;
	components: RewardComponent[];
	/** Facts the gates use too. */
	facts: SessionFacts;
}

export interface SessionFacts {
	iterations: number;
	/** The session edited files (edit/write tools, apply_patch). */
	codeChanged: boolean;
	userTurns: number;
	assistantTurns: number;
	toolCalls: number;
	toolErrors: number;
	rejectedToolCalls: number;
	interrupts: number;
	verificationRuns: number;
	/** The last verification run (test/build) passed; null when there was none. */
	lastVerificationPassed: boolean | null;
}

export type Rating = 'up' | 'down';

// ---- Gates ----

export type GateDecision = 'accepted' | 'downgraded' | 'rejected';

/** Hard reasons reject, soft reasons downgrade. */
export type GateReason =
	| 'not-opted-in'
	| 'blocking-finding'
	| 'missing-user-message'
	| 'missing-assistant-message'
	| 'reward-below-floor'
	| 'exact-duplicate'
	| 'agent-bookkeeping'
	| 'too-many-iterations'
	| 'no-code-change'
	| 'over-token-limit'
	| 'missing-provenance';

export const HARD_GATE_REASONS: readonly GateReason[] = [
	'not-opted-in', 'blocking-finding', 'missing-user-message', 'missing-assistant-message', 'reward-below-floor', 'exact-duplicate', 'agent-bookkeeping',
];

export type PresetName = 'strict' | 'balanced' | 'experimental';
export type SplitGroupBy = 'session' | 'workspace' | 'repository';

export interface GateThresholds {
	rewardFloor: number;
	/** Soft: more iterations than this downgrades. */
	maxIterations: number;
	/** Soft: more tokens than this (o200k_base) downgrades. */
	maxTokens: number;
	requireCodeChange: boolean;
	requireProvenance: boolean;
	/** Jaccard similarity (MinHash estimate) at or above which two sessions are near duplicates. */
	nearDuplicateThreshold: number;
	/** Whether downgraded sessions are exported (strict exports only accepted ones). */
	exportDowngraded: boolean;
}

export interface SplitOptions {
	seed: number;
	groupBy: SplitGroupBy;
	ratios: { train: number; validation: number; test: number };
	/** Share of groups set aside before the split (0 = none), written to holdout.jsonl. */
	holdout: number;
}

export type SplitName = 'train' | 'validation' | 'test' | 'holdout';

export interface SessionGate {
	sessionId: string;
	decision: GateDecision;
	reasons: GateReason[];
	/** Human-readable reasons with the numbers, e.g. "reward 0.42 < floor 0.60". */
	details: string[];
	reward: number | null;
	tokens: number;
	/** The kept session this one duplicates (exact) or clusters with (near). */
	duplicateOf?: string;
	nearDuplicateCluster?: string;
	/** Where it goes when exported (accepted, or downgraded with exportDowngraded). */
	split?: SplitName;
}

export interface GateReport {
	preset: PresetName;
	thresholds: GateThresholds;
	split: SplitOptions;
	counts: Record<GateDecision, number>;
	/** Sessions per reason (a session with two reasons counts under both). */
	reasons: Partial<Record<GateReason, number>>;
	nearDuplicateClusters: number;
	/** Exported sessions per split. */
	splits: Record<SplitName, number>;
	sessions: SessionGate[];
}
