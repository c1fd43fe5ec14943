/**
 * The editor's pure quality and consent logic, without an editor: which settings become
 * QualityParams, how the Sessions view sorts and filters, which session the status bar shows
 * and what it says, and how gates and reward breakdowns read.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { SessionSummary } from '../../shared/model';
import { defaultRewardConfig, type SessionGate, type SessionScore } from '../../shared/quality';
import { defaultSettings, qualityParamsFrom, settingsFrom } from '../../shared/settings';
import { currentSession, isInside, isLive, LIVE_WINDOW_MS, sessionFolder } from '../../client/src/consent/workspaceSessions';
import {
	evidenceText, gatesSummary, gateText, qualityDecision, ratingOf, rewardBreakdownMarkdown,
} from '../../client/src/quality/qualityText';
import { statusRows, statusText } from '../../client/src/views/currentSessionText';
import {
	filterMessage, filterSessions, sessionComparator, viewDescription, viewStateFrom, type QualityOf, type SessionQuality,
} from '../../client/src/views/sessionOrder';

/** A configuration section that holds only `values` (VS Code's `get` returns undefined for the rest here). */
function raw(values: Record<string, unknown>): { get<T>(key: string): T | undefined } {
	return { get: <T>(key: string) => values[key] as T | undefined };
}

function summary(id: string, fields: Partial<SessionSummary> = {}): SessionSummary {
	return {
		id, agent: 'claude-code', agent_version: null, parser_version: 1, title: `title of ${id}`, source_files: ['/logs/x.jsonl'],
		cwd: '/work/app', git_branch: null, git_commit: null, repository_url: null, model: null,
		started_at: '2026-03-01T10:00:00.000Z', ended_at: null, parent_session_id: null, parent_tool_call_id: null, subagent_type: null,
		message_count: 4, opted_in: false, consent_at: null, workspace: null, total_tokens: 100, ...fields,
	};
}

function gate(sessionId: string, reasons: SessionGate['reasons'], reward: number | null = 0.7): SessionGate {
	const decision = reasons.length === 0 ? 'accepted' : reasons.some((r) => ['too-many-iterations', 'no-code-change', 'over-token-limit', 'missing-provenance'].includes(r)) && !reasons.includes('not-opted-in') ? 'downgraded' : 'rejected';
	return { sessionId, decision, reasons, details: reasons.map((r) => `detail of ${r}`), reward, tokens: 1200 };
}

function score(fields: Partial<SessionScore> = {}): SessionScore {
	return {
		sessionId: 's1', reward: 0.7456, formulaVersion: 1, config: defaultRewardConfig,
		components: [
			{ id: 'outcome', weight: 0.4, value: 1, source: 'derived', explanation: 'Derived: the last verification run passed.', evidence: [
				{ messageIndex: 12, kind: 'test', detail: 'npm test', exitCode: 0, passed: true },
			] },
			{ id: 'criteria', weight: 0.25, value: 0.5, source: 'derived', explanation: 'Derived: 1 of 2 items are completed.', evidence: [] },
			{ id: 'review', weight: 0.2, value: 1, source: 'rating', explanation: 'The developer rated the session thumbs up.', evidence: [
				{ messageIndex: null, kind: 'rating', detail: 'developer rating: up', passed: true },
			] },
			{ id: 'iterations', weight: 0.15, value: 0.8, source: 'derived', explanation: 'Derived: 2 iterations.', evidence: [] },
		],
		facts: {
			iterations: 2, codeChanged: true, userTurns: 2, assistantTurns: 3, toolCalls: 4, toolErrors: 0, rejectedToolCalls: 0,
			interrupts: 0, verificationRuns: 1, lastVerificationPassed: true,
		},
		...fields,
	};
}

void describe('settings', () => {
	void it('reads the consent and background import settings with their defaults', () => {
		assert.deepEqual(settingsFrom(raw({})), defaultSettings);
		assert.equal(defaultSettings.importIntervalSeconds, 30);
		assert.equal(defaultSettings.optInDefault, 'never');
		const set = settingsFrom(raw({ 'import.intervalSeconds': 0, 'optIn.default': 'always' }));
		assert.equal(set.importIntervalSeconds, 0);
		assert.equal(set.optInDefault, 'always');
		const bad = settingsFrom(raw({ 'import.intervalSeconds': -5, 'optIn.default': 'sometimes' }));
		assert.equal(bad.importIntervalSeconds, 30);
		assert.equal(bad.optInDefault, 'never');
	});

	void it('qualityParamsFrom includes only what is set', () => {
		assert.deepEqual(qualityParamsFrom(raw({})), {});
		// What VS Code returns for settings left at their defaults (null overrides) adds only the non-null defaults.
		assert.deepEqual(qualityParamsFrom(raw({
			'gates.preset': 'balanced', 'gates.rewardFloor': null, 'gates.exportDowngraded': null, 'reward.weights': null,
			'split.groupBy': 'repository', 'split.seed': 1234, 'split.ratios': null, 'split.holdout': 0,
		})), { preset: 'balanced', split: { groupBy: 'repository', seed: 1234, holdout: 0 } });
	});

	void it('qualityParamsFrom maps every override to its QualityParams field', () => {
		assert.deepEqual(qualityParamsFrom(raw({
			'gates.preset': 'strict', 'gates.rewardFloor': 0.5, 'gates.maxIterations': 8, 'gates.maxTokens': 20_000,
			'gates.requireCodeChange': false, 'gates.requireProvenance': true, 'gates.nearDuplicateThreshold': 0.9, 'gates.exportDowngraded': true,
			'reward.weights': { outcome: 0.5, review: 0 }, 'reward.maxIterations': 12, 'reward.sources': { review: 'rating' },
			'split.groupBy': 'session', 'split.seed': 7, 'split.ratios': { train: 8, validation: 1, test: 1 }, 'split.holdout': 0.1,
		})), {
			preset: 'strict',
			thresholds: {
				rewardFloor: 0.5, maxIterations: 8, maxTokens: 20_000, requireCodeChange: false, requireProvenance: true,
				nearDuplicateThreshold: 0.9, exportDowngraded: true,
			},
			reward: { weights: { outcome: 0.5, review: 0 }, maxIterations: 12, sources: { review: 'rating' } },
			split: { groupBy: 'session', seed: 7, ratios: { train: 8, validation: 1, test: 1 }, holdout: 0.1 },
		});
	});

	void it('qualityParamsFrom drops values the server would refuse', () => {
		assert.deepEqual(qualityParamsFrom(raw({
			'gates.preset': 'lenient', 'gates.rewardFloor': 1.5, 'gates.maxIterations': 2.5, 'gates.maxTokens': 0,
			'gates.requireCodeChange': 'yes', 'gates.nearDuplicateThreshold': 0,
			'reward.weights': { outcome: -1, style: 1 }, 'reward.maxIterations': 0, 'reward.sources': { outcome: 'guess' },
			'split.groupBy': 'author', 'split.seed': 1.5, 'split.ratios': { train: 0.9, test: 0.1 }, 'split.holdout': 1,
		})), {});
		assert.deepEqual(qualityParamsFrom(raw({ 'split.ratios': { train: 0, validation: 0, test: 0 } })), {});
	});
});

void describe('Sessions view order and filter', () => {
	const a = summary('a', { started_at: '2026-03-01T10:00:00.000Z', opted_in: true });
	const b = summary('b', { started_at: '2026-03-02T10:00:00.000Z' });
	const c = summary('c', { started_at: '2026-03-03T10:00:00.000Z' });
	const d = summary('d', { started_at: '2026-03-04T10:00:00.000Z' });
	const quality: Record<string, SessionQuality> = {
		a: { reward: 0.9, decision: 'accepted' },
		b: { reward: 0.4, decision: 'rejected' },
		c: { reward: 0.7, decision: 'downgraded' },
	};
	const qualityOf: QualityOf = (id) => quality[id];
	const ids = (list: SessionSummary[]) => list.map((s) => s.id);

	void it('sorts by time, reward and gate decision; unscored sessions last', () => {
		const all = [a, b, c, d];
		assert.deepEqual(ids([...all].sort(sessionComparator('time', qualityOf))), ['d', 'c', 'b', 'a']);
		assert.deepEqual(ids([...all].sort(sessionComparator('reward', qualityOf))), ['a', 'c', 'b', 'd']);
		assert.deepEqual(ids([...all].sort(sessionComparator('gate', qualityOf))), ['a', 'c', 'b', 'd']);
		quality.d = { reward: 0.95, decision: 'rejected' };
		try {
			assert.deepEqual(ids([...all].sort(sessionComparator('gate', qualityOf))), ['a', 'c', 'd', 'b']);
		} finally {
			delete quality.d;
		}
	});

	void it('filters by gate decision and consent; a decision filter drops unjudged sessions', () => {
		const all = [a, b, c, d];
		assert.deepEqual(ids(filterSessions(all, { decisions: [], consent: [] }, qualityOf)), ['a', 'b', 'c', 'd']);
		assert.deepEqual(ids(filterSessions(all, { decisions: ['accepted', 'downgraded'], consent: [] }, qualityOf)), ['a', 'c']);
		assert.deepEqual(ids(filterSessions(all, { decisions: [], consent: ['notOptedIn'] }, qualityOf)), ['b', 'c', 'd']);
		assert.deepEqual(ids(filterSessions(all, { decisions: ['accepted'], consent: ['notOptedIn'] }, qualityOf)), []);
	});

	void it('restores a remembered state, dropping what it does not know', () => {
		assert.deepEqual(viewStateFrom(undefined), { sort: 'time', filter: { decisions: [], consent: [] } });
		assert.deepEqual(viewStateFrom({ sort: 'size', filter: { decisions: ['rejected', 'maybe'], consent: 'optedIn' } }),
			{ sort: 'time', filter: { decisions: ['rejected'], consent: [] } });
		const state = viewStateFrom({ sort: 'reward', filter: { decisions: ['downgraded', 'accepted'], consent: ['optedIn'] } });
		assert.deepEqual(state.filter.decisions, ['accepted', 'downgraded']);
		assert.equal(viewDescription(state), 'by reward · accepted, downgraded · opted in');
		assert.equal(viewDescription(viewStateFrom({})), undefined);
	});

	void it('says what a filter hides', () => {
		assert.equal(filterMessage({ decisions: [], consent: [] }, 4, 4), undefined);
		assert.equal(filterMessage({ decisions: ['accepted'], consent: ['optedIn'] }, 3, 12), 'Filter accepted, opted in: 3 of 12 sessions.');
		assert.equal(filterMessage({ decisions: ['rejected'], consent: [] }, 0, 12), 'No session matches the filter (rejected).');
	});
});

void describe('the current session of a workspace', () => {
	const folders = [path.resolve('/work/app'), path.resolve('/work/lib')];

	void it('belongs to the deepest workspace folder holding its cwd', () => {
		assert.equal(isInside('/work/app', '/work/app'), true);
		assert.equal(isInside('/work/app', '/work/app/src/x'), true);
		assert.equal(isInside('/work/app', '/work/apple'), false);
		assert.equal(isInside('/work/app', '/work'), false);
		assert.equal(sessionFolder(summary('x', { cwd: path.resolve('/work/app/pkg') }), [...folders, path.resolve('/work/app/pkg')]), path.resolve('/work/app/pkg'));
		assert.equal(sessionFolder(summary('x', { cwd: null, workspace: path.resolve('/work/lib') }), folders), path.resolve('/work/lib'));
		assert.equal(sessionFolder(summary('x', { cwd: path.resolve('/elsewhere') }), folders), undefined);
	});

	void it('is the most recently active top-level session inside a folder', () => {
		const sessions = [
			summary('old', { cwd: path.resolve('/work/app'), started_at: '2026-03-01T10:00:00.000Z', ended_at: '2026-03-05T10:00:00.000Z' }),
			summary('newer-start', { cwd: path.resolve('/work/lib'), started_at: '2026-03-04T10:00:00.000Z', ended_at: null }),
			summary('outside', { cwd: path.resolve('/elsewhere'), started_at: '2026-03-09T10:00:00.000Z' }),
			summary('subagent', { cwd: path.resolve('/work/app'), started_at: '2026-03-08T10:00:00.000Z', parent_session_id: 'old' }),
		];
		// `old` started first but was active last (ended_at wins over started_at).
		assert.equal(currentSession(sessions, folders)?.id, 'old');
		assert.equal(currentSession(sessions.slice(1), folders)?.id, 'newer-start');
		assert.equal(currentSession(sessions, []), undefined);
	});

	void it('is live while its last activity is within the live window', () => {
		const now = Date.parse('2026-03-05T10:00:00.000Z');
		const at = (ms: number) => summary('x', { ended_at: new Date(now - ms).toISOString() });
		assert.equal(isLive(at(60_000), now), true);
		assert.equal(isLive(at(LIVE_WINDOW_MS + 1), now), false);
		assert.equal(isLive(summary('x', { started_at: null }), now), false);
	});

	void it('reads agent, liveness, reward, findings and consent in the status bar', () => {
		const session = summary('s1', { opted_in: false });
		const facts = { session, live: true, gate: gate('s1', ['not-opted-in'], 0.72), findings: 3 };
		assert.equal(statusText(facts), '$(circle-large-outline) Claude Code live · reward 0.72 · 3 findings · not opted in');
		assert.equal(statusText({ session: { ...session, opted_in: true, agent: 'codex' }, live: false, findings: 1 }),
			'$(pass-filled) Codex · 1 finding · opted in');
		const rows = Object.fromEntries(statusRows(facts));
		assert.equal(rows.Gate, 'accepted once opted in');
		assert.equal(rows.Consent, 'not decided yet');
		assert.equal(rows.Session, 'title of s1');
	});
});

void describe('gates and reward as the editor shows them', () => {
	void it('judges the session apart from consent', () => {
		assert.equal(qualityDecision(gate('s', ['not-opted-in'])), 'accepted');
		assert.equal(qualityDecision(gate('s', ['not-opted-in', 'reward-below-floor'])), 'rejected');
		assert.equal(qualityDecision(gate('s', ['too-many-iterations'])), 'downgraded');
		assert.equal(gateText(gate('s', [])), 'accepted');
		assert.equal(gateText(gate('s', ['not-opted-in'])), 'accepted once opted in');
		assert.equal(gateText(gate('s', ['no-code-change', 'missing-provenance'])), 'downgraded: no code change, no provenance');
		assert.equal(gateText(gate('s', ['not-opted-in', 'exact-duplicate'])), 'rejected: exact duplicate');
	});

	void it('summarises an export\'s gates', () => {
		assert.equal(gatesSummary({
			preset: 'balanced', counts: { accepted: 3, downgraded: 1, rejected: 4 },
		} as Parameters<typeof gatesSummary>[0]), 'Gates (balanced): 3 accepted, 1 downgraded, 4 rejected.');
	});

	void it('writes the breakdown with components, sources, evidence and the gate', () => {
		const text = rewardBreakdownMarkdown('fix *the* tests', score(), gate('s1', ['too-many-iterations'], 0.7456));
		assert.match(text, /^# Reward 0\.75: fix \\\*the\\\* tests$/m);
		assert.match(text, /^\| outcome \| 1\.00 \| 0\.40 \| 0\.40 \| derived from the session \|$/m);
		assert.match(text, /^\| review \| 1\.00 \| 0\.20 \| 0\.20 \| your rating \|$/m);
		assert.match(text, /^- #12 · test · `npm test` · exit 0 · passed$/m);
		assert.match(text, /^## Gate: downgraded: too many iterations$/m);
		assert.match(text, /^- detail of too-many-iterations$/m);
		assert.match(text, /^- 1200 tokens · not exported$/m);
	});

	void it('quotes evidence safely and finds the rating', () => {
		assert.equal(evidenceText({ messageIndex: 3, kind: 'build', detail: 'echo `x`\n&& make', exitCode: 2, passed: false }),
			'#3 · build · ``echo `x` && make`` · exit 2 · failed');
		assert.equal(evidenceText({ messageIndex: null, kind: 'rating', detail: 'developer rating: down', passed: false }),
			'outside the transcript · rating · `developer rating: down` · failed');
		assert.equal(ratingOf(score()), 'up');
		assert.equal(ratingOf(score({ components: score().components.filter((c) => c.id !== 'review') })), undefined);
	});
});
