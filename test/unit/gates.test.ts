/**
 * Quality gates: presets and overrides, every hard and soft gate on its own, exact and near
 * duplicates, and the split of what is exported (merged groups, determinism, pinned assignments).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { GateReason, GateReport, GateThresholds, PresetName, SessionFacts, SessionGate } from '../../shared/quality';
import { splitFor } from '../../server/src/core/export/split';
import { minhashSignature } from '../../server/src/core/gates/dedup/minhash';
import { evaluateGates, type GateCandidate } from '../../server/src/core/gates/evaluateGates';
import { DEFAULT_PRESET, PRESETS, resolveSplitOptions, resolveThresholds, type SplitOptionsInput } from '../../server/src/core/gates/presets';
import { REPO } from '../support/fixtures';

const FACTS: SessionFacts = {
	iterations: 3, codeChanged: true, userTurns: 2, assistantTurns: 3, toolCalls: 4, toolErrors: 0,
	rejectedToolCalls: 0, interrupts: 0, verificationRuns: 1, lastVerificationPassed: true,
};

/** Words that depend only on the text of `seed`, so two seeds give unrelated sessions. */
function wordsFor(seed: string, n = 300): string[] {
	const words: string[] = [];
	for (let i = 0; words.length < n; i++) {
		const digest = createHash('sha256').update(`${seed}:${i}`).digest();
		for (let j = 0; j + 2 <= digest.length && words.length < n; j += 2) {
			words.push(`w${digest.readUInt16BE(j) % 5000}`);
		}
	}
	return words;
}

/** A session that passes every gate of every preset, unless told otherwise. */
function candidate(sessionId: string, over: Omit<Partial<GateCandidate>, 'facts'> & { facts?: Partial<SessionFacts> } = {}): GateCandidate {
	return {
		sessionId,
		startedAt: '2025-01-01T00:00:00Z',
		optedIn: true,
		blocked: false,
		bookkeeping: false,
		reward: 0.9,
		tokens: 1000,
		gitCommit: 'abc1234',
		groupKey: `/repos/${sessionId}`,
		signature: { exactHash: `hash-${sessionId}`, minhash: minhashSignature(wordsFor(sessionId)) },
		...over,
		facts: { ...FACTS, ...over.facts },
	};
}

function gate(candidates: GateCandidate[], preset: PresetName = 'balanced', overrides: Partial<GateThresholds> = {}, split: SplitOptionsInput = {}): GateReport {
	return evaluateGates(candidates, { preset, thresholds: resolveThresholds(preset, overrides), split: resolveSplitOptions(split) });
}

function only(report: GateReport, id: string): SessionGate {
	const found = report.sessions.find((s) => s.sessionId === id);
	assert.ok(found, `${id} is in the report`);
	return found;
}

function decisions(report: GateReport): Record<string, string> {
	return Object.fromEntries(report.sessions.map((s) => [s.sessionId, s.decision]));
}

void describe('presets', () => {
	void it('pins the documented thresholds', () => {
		assert.deepEqual(PRESETS, {
			strict: { rewardFloor: 0.75, maxIterations: 6, maxTokens: 16384, requireCodeChange: true, requireProvenance: true, nearDuplicateThreshold: 0.8, exportDowngraded: false },
			balanced: { rewardFloor: 0.6, maxIterations: 10, maxTokens: 32768, requireCodeChange: true, requireProvenance: true, nearDuplicateThreshold: 0.85, exportDowngraded: true },
			experimental: { rewardFloor: 0.25, maxIterations: 25, maxTokens: 131072, requireCodeChange: false, requireProvenance: false, nearDuplicateThreshold: 0.9, exportDowngraded: true },
		});
		assert.equal(DEFAULT_PRESET, 'balanced');
		assert.deepEqual(resolveThresholds(), PRESETS.balanced);
	});

	void it('applies overrides one by one and ignores undefined ones', () => {
		const t = resolveThresholds('strict', { rewardFloor: 0.5, maxTokens: 1000, exportDowngraded: true, maxIterations: undefined });
		assert.deepEqual(t, { ...PRESETS.strict, rewardFloor: 0.5, maxTokens: 1000, exportDowngraded: true });
	});

	const invalid: [string, () => unknown, RegExp][] = [
		['an unknown preset, naming the valid ones', () => resolveThresholds('lenient'), /Unknown gate preset "lenient": expected one of strict, balanced, experimental/],
		['a floor above 1', () => resolveThresholds('balanced', { rewardFloor: 1.5 }), /rewardFloor must be a number from 0 to 1, got 1.5/],
		['a negative floor', () => resolveThresholds('balanced', { rewardFloor: -0.1 }), /rewardFloor/],
		['a floor that is not a number', () => resolveThresholds('balanced', { rewardFloor: NaN }), /rewardFloor/],
		['a near-duplicate threshold of 0', () => resolveThresholds('balanced', { nearDuplicateThreshold: 0 }), /nearDuplicateThreshold must be a number above 0 and at most 1/],
		['a near-duplicate threshold above 1', () => resolveThresholds('balanced', { nearDuplicateThreshold: 1.01 }), /nearDuplicateThreshold/],
		['zero max tokens', () => resolveThresholds('balanced', { maxTokens: 0 }), /maxTokens must be a positive whole number, got 0/],
		['fractional max iterations', () => resolveThresholds('balanced', { maxIterations: 2.5 }), /maxIterations must be a positive whole number/],
		['a non-boolean switch', () => resolveThresholds('balanced', { requireCodeChange: 'yes' as unknown as boolean }), /requireCodeChange must be true or false/],
		['a negative ratio', () => resolveSplitOptions({ ratios: { test: -0.1 } }), /The test ratio must be a number of at least 0/],
		['all-zero ratios', () => resolveSplitOptions({ ratios: { train: 0, validation: 0, test: 0 } }), /must not all be 0/],
		['a holdout of 1', () => resolveSplitOptions({ holdout: 1 }), /holdout share must be a number from 0 up to \(not including\) 1/],
		['a negative holdout', () => resolveSplitOptions({ holdout: -0.1 }), /holdout/],
		['an unknown grouping', () => resolveSplitOptions({ groupBy: 'folder' as 'session' }), /Unknown split grouping "folder": expected one of session, workspace, repository/],
		['a fractional seed', () => resolveSplitOptions({ seed: 1.5 }), /seed must be a whole number/],
	];
	for (const [name, run, message] of invalid) {
		void it(`rejects ${name}`, () => assert.throws(run, message));
	}

	void it('resolves split options over the defaults, ratio by ratio', () => {
		assert.deepEqual(resolveSplitOptions(), { seed: 1234, groupBy: 'repository', ratios: { train: 0.8, validation: 0.1, test: 0.1 }, holdout: 0 });
		assert.deepEqual(resolveSplitOptions({ seed: 7, ratios: { test: 0.2 }, holdout: 0.05, groupBy: undefined }),
			{ seed: 7, groupBy: 'repository', ratios: { train: 0.8, validation: 0.1, test: 0.2 }, holdout: 0.05 });
	});
});

void describe('hard gates', () => {
	const cases: [GateReason, Omit<Partial<GateCandidate>, 'facts'> & { facts?: Partial<SessionFacts> }, RegExp][] = [
		['not-opted-in', { optedIn: false }, /^not opted in/],
		['blocking-finding', { blocked: true }, /^blocked by a redaction finding or by the user$/],
		['agent-bookkeeping', { bookkeeping: true }, /^agent bookkeeping/],
		['missing-user-message', { facts: { userTurns: 0 } }, /^no user message$/],
		['missing-assistant-message', { facts: { assistantTurns: 0 } }, /^no assistant message$/],
		['reward-below-floor', { reward: 0.42 }, /^reward 0\.42 < floor 0\.60$/],
	];
	for (const [reason, over, detail] of cases) {
		void it(`${reason} rejects on its own`, () => {
			const report = gate([candidate('s', over), candidate('ok')]);
			const s = only(report, 's');
			assert.equal(s.decision, 'rejected');
			assert.deepEqual(s.reasons, [reason]);
			assert.match(s.details[0], detail);
			assert.equal(s.split, undefined);
			assert.equal(only(report, 'ok').decision, 'accepted');
			assert.deepEqual(report.reasons, { [reason]: 1 });
		});
	}

	void it('a reward at the floor passes; one that only rounds to it shows more digits; no reward fails a floor above 0', () => {
		const report = gate([candidate('at', { reward: 0.6 }), candidate('near', { reward: 0.599 }), candidate('none', { reward: null })]);
		assert.equal(only(report, 'at').decision, 'accepted');
		assert.deepEqual(only(report, 'near').details, ['reward 0.5990 < floor 0.6000']);
		assert.deepEqual(only(report, 'none').reasons, ['reward-below-floor']);
		assert.match(only(report, 'none').details[0], /^no reward \(not scored\); floor 0\.60$/);
		assert.equal(only(gate([candidate('none', { reward: null })], 'balanced', { rewardFloor: 0 }), 'none').decision, 'accepted', 'a floor of 0 asks for no score');
	});

	void it('lists every hard reason that applies and skips the soft gates of a rejected session', () => {
		const report = gate([candidate('s', { optedIn: false, blocked: true, reward: 0.1, tokens: 99999, facts: { iterations: 50 } })]);
		const s = only(report, 's');
		assert.deepEqual(s.reasons, ['not-opted-in', 'blocking-finding', 'reward-below-floor']);
		assert.equal(s.details.length, 3);
		assert.deepEqual(report.reasons, { 'not-opted-in': 1, 'blocking-finding': 1, 'reward-below-floor': 1 });
		assert.deepEqual(report.counts, { accepted: 0, downgraded: 0, rejected: 1 });
	});
});

void describe('soft gates', () => {
	const cases: [GateReason, Omit<Partial<GateCandidate>, 'facts'> & { facts?: Partial<SessionFacts> }, string][] = [
		['too-many-iterations', { facts: { iterations: 11 } }, '11 iterations > 10'],
		['no-code-change', { facts: { codeChanged: false } }, 'no file was edited in the session'],
		['over-token-limit', { tokens: 41230 }, '41230 tokens > 32768'],
		['missing-provenance', { gitCommit: null }, 'no git commit known for the session'],
	];
	for (const [reason, over, detail] of cases) {
		void it(`${reason} downgrades on its own (exported under balanced, not under strict)`, () => {
			const balanced = only(gate([candidate('s', over)], 'balanced'), 's');
			assert.equal(balanced.decision, 'downgraded');
			assert.deepEqual(balanced.reasons, [reason]);
			assert.deepEqual(balanced.details, [detail]);
			assert.ok(balanced.split);
			const strict = only(gate([candidate('s', { ...over, facts: { iterations: 1, ...over.facts } })], 'strict'), 's');
			assert.equal(strict.decision, 'downgraded');
			assert.equal(strict.split, undefined);
		});
	}

	void it('the limits are exclusive: at the limit passes', () => {
		assert.equal(only(gate([candidate('s', { tokens: 32768, facts: { iterations: 10 } })]), 's').decision, 'accepted');
	});

	void it('code change and provenance are not required by experimental', () => {
		assert.equal(only(gate([candidate('s', { gitCommit: null, facts: { codeChanged: false } })], 'experimental'), 's').decision, 'accepted');
	});
});

void describe('presets on one candidate set', () => {
	// A: reward 0.7 (under strict's 0.75)           B: reward 0.5 (under balanced's 0.6, over experimental's 0.25)
	// C: 8 iterations (over strict's 6)              D: no code change and no commit (not required by experimental)
	// E: 50 000 tokens (over 16k and 32k, under 128k) F: reward 0.2 (under every floor)
	const set = () => [
		candidate('A', { reward: 0.7 }), candidate('B', { reward: 0.5 }), candidate('C', { facts: { iterations: 8 } }),
		candidate('D', { gitCommit: null, facts: { codeChanged: false } }), candidate('E', { tokens: 50000 }), candidate('F', { reward: 0.2 }),
	];

	void it('strict', () => {
		const report = gate(set(), 'strict');
		assert.deepEqual(decisions(report), { A: 'rejected', B: 'rejected', C: 'downgraded', D: 'downgraded', E: 'downgraded', F: 'rejected' });
		assert.equal(Object.values(report.splits).reduce((a, b) => a + b, 0), 0, 'strict exports accepted sessions only');
	});

	void it('balanced', () => {
		const report = gate(set(), 'balanced');
		assert.deepEqual(decisions(report), { A: 'accepted', B: 'rejected', C: 'accepted', D: 'downgraded', E: 'downgraded', F: 'rejected' });
		assert.deepEqual(only(report, 'D').reasons, ['no-code-change', 'missing-provenance']);
		assert.equal(Object.values(report.splits).reduce((a, b) => a + b, 0), 4);
	});

	void it('experimental', () => {
		const report = gate(set(), 'experimental');
		assert.deepEqual(decisions(report), { A: 'accepted', B: 'accepted', C: 'accepted', D: 'accepted', E: 'accepted', F: 'rejected' });
	});

	void it('overrides move single thresholds of a preset', () => {
		const report = gate(set(), 'balanced', { rewardFloor: 0.8, requireCodeChange: false, maxTokens: 60000 });
		assert.deepEqual(decisions(report), { A: 'rejected', B: 'rejected', C: 'accepted', D: 'downgraded', E: 'accepted', F: 'rejected' });
		assert.deepEqual(only(report, 'D').reasons, ['missing-provenance']);
		assert.deepEqual(only(report, 'A').details, ['reward 0.70 < floor 0.80']);
	});

	void it('counts add up: decisions to the candidates, splits to the exported sessions', () => {
		for (const preset of ['strict', 'balanced', 'experimental'] as const) {
			const report = gate(set(), preset);
			assert.equal(report.counts.accepted + report.counts.downgraded + report.counts.rejected, 6);
			const exported = report.sessions.filter((s) => s.split).length;
			assert.equal(Object.values(report.splits).reduce((a, b) => a + b, 0), exported);
			assert.deepEqual(report.sessions.map((s) => s.sessionId), ['A', 'B', 'C', 'D', 'E', 'F']);
			assert.equal(report.preset, preset);
		}
	});
});

void describe('exact duplicates', () => {
	const same = { exactHash: 'same', minhash: minhashSignature(wordsFor('same')) };

	void it('keeps the highest reward, then the earliest start, then the smallest id', () => {
		const report = gate([
			candidate('low', { signature: same, reward: 0.8, startedAt: '2024-01-01T00:00:00Z' }),
			candidate('late', { signature: same, reward: 0.9, startedAt: '2025-06-01T00:00:00Z' }),
			candidate('unknown', { signature: same, reward: 0.9, startedAt: null }),
			candidate('z-early', { signature: same, reward: 0.9, startedAt: '2025-01-01T00:00:00+02:00' }),
			candidate('b-early', { signature: same, reward: 0.9, startedAt: '2024-12-31T22:00:00Z' }),
		]);
		assert.equal(only(report, 'b-early').decision, 'accepted');
		for (const id of ['low', 'late', 'unknown', 'z-early']) {
			const s = only(report, id);
			assert.equal(s.decision, 'rejected');
			assert.deepEqual(s.reasons, ['exact-duplicate']);
			assert.equal(s.duplicateOf, 'b-early');
			assert.deepEqual(s.details, ['same normalised content as b-early']);
		}
		assert.deepEqual(report.reasons, { 'exact-duplicate': 4 });
	});

	void it('only sessions that passed the other hard gates compete', () => {
		const report = gate([candidate('best', { signature: same, reward: 0.99, optedIn: false }), candidate('kept', { signature: same, reward: 0.7 })]);
		assert.deepEqual(only(report, 'best').reasons, ['not-opted-in']);
		assert.equal(only(report, 'kept').decision, 'accepted');
		assert.equal(only(report, 'kept').duplicateOf, undefined);
	});

	void it('a session held back only by consent also shows what opting in would meet, and stays rejected', () => {
		const report = gate([
			candidate('kept', { signature: same, reward: 0.9 }),
			candidate('copy', { signature: same, reward: 0.7, optedIn: false }),
			candidate('long', { tokens: 99999, optedIn: false }),
			candidate('blocked', { tokens: 99999, optedIn: false, blocked: true }),
		]);
		assert.deepEqual(only(report, 'copy').reasons, ['not-opted-in', 'exact-duplicate']);
		assert.equal(only(report, 'copy').duplicateOf, 'kept');
		assert.deepEqual(only(report, 'long').reasons, ['not-opted-in', 'over-token-limit']);
		assert.deepEqual(only(report, 'blocked').reasons, ['not-opted-in', 'blocking-finding'], 'soft reasons only where consent is the only hard one');
		assert.ok(['copy', 'long', 'blocked'].every((id) => only(report, id).decision === 'rejected' && only(report, id).split === undefined));
		assert.equal(only(report, 'kept').decision, 'accepted');
	});

	void it('a duplicate is rejected before the soft gates see it', () => {
		const report = gate([candidate('a', { signature: same }), candidate('b', { signature: same, tokens: 99999 })]);
		assert.deepEqual(only(report, 'b').reasons, ['exact-duplicate']);
	});
});

void describe('near duplicates and the split', () => {
	const seed = 1234;
	const keyA = 'https://example.com/acme/api';
	/** The first repository after keyA whose own split differs from keyA's: a pair that would straddle splits. */
	const keyB = (() => {
		for (let i = 0; ; i++) {
			const key = `https://example.com/acme/lib-${i}`;
			if (splitFor(key, seed) !== splitFor(keyA, seed)) return key;
		}
	})();
	const base = wordsFor('near', 400);
	const nearCopy = base.map((w, i) => (i === 100 || i === 300 ? `${w}x` : w));

	void it('a near-duplicate pair lands in one split although its repositories hash to different ones', () => {
		const candidates = [
			candidate('a1', { groupKey: keyA, signature: { exactHash: 'h1', minhash: minhashSignature(base) } }),
			candidate('b1', { groupKey: keyB, signature: { exactHash: 'h2', minhash: minhashSignature(nearCopy) } }),
			candidate('b2', { groupKey: keyB }),
			candidate('c1', { groupKey: 'https://example.com/other' }),
		];
		const report = gate(candidates);
		const merged = splitFor(keyA < keyB ? keyA : keyB, seed);
		assert.equal(only(report, 'a1').split, merged);
		assert.equal(only(report, 'b1').split, merged);
		assert.equal(only(report, 'b2').split, merged, 'the rest of the merged repository moves along');
		assert.equal(only(report, 'c1').split, splitFor('https://example.com/other', seed), 'groups in no cluster keep their split');
		assert.equal(only(report, 'a1').nearDuplicateCluster, 'a1');
		assert.equal(only(report, 'b1').nearDuplicateCluster, 'a1');
		assert.equal(only(report, 'b2').nearDuplicateCluster, undefined);
		assert.equal(report.nearDuplicateClusters, 1);
		assert.deepEqual(decisions(report), { a1: 'accepted', b1: 'accepted', b2: 'accepted', c1: 'accepted' });
	});

	void it('without the near duplicate the two repositories straddle splits (the case above is real)', () => {
		const report = gate([candidate('a1', { groupKey: keyA }), candidate('b1', { groupKey: keyB })]);
		assert.notEqual(only(report, 'a1').split, only(report, 'b1').split);
		assert.equal(report.nearDuplicateClusters, 0);
	});

	void it('a near duplicate that is not exported merges nothing', () => {
		const report = gate([
			candidate('a1', { groupKey: keyA, signature: { exactHash: 'h1', minhash: minhashSignature(base) } }),
			candidate('b1', { groupKey: keyB, signature: { exactHash: 'h2', minhash: minhashSignature(nearCopy) }, optedIn: false }),
			candidate('b2', { groupKey: keyB }),
		]);
		assert.equal(only(report, 'a1').split, splitFor(keyA, seed));
		assert.equal(only(report, 'b2').split, splitFor(keyB, seed));
		assert.equal(report.nearDuplicateClusters, 0);
	});

	void it('uses the preset threshold: a pair at ~0.9 similarity clusters under strict (0.8), not under a 0.99 override', () => {
		const pair = () => [
			candidate('a1', { groupKey: keyA, signature: { exactHash: 'h1', minhash: minhashSignature(base) } }),
			candidate('b1', { groupKey: keyB, signature: { exactHash: 'h2', minhash: minhashSignature(nearCopy) } }),
		];
		assert.equal(gate(pair(), 'strict').nearDuplicateClusters, 1);
		assert.equal(gate(pair(), 'balanced', { nearDuplicateThreshold: 0.99 }).nearDuplicateClusters, 0);
	});
});

void describe('split of the gate report', () => {
	const population = () => Array.from({ length: 60 }, (_, i) => candidate(`s${String(i).padStart(2, '0')}`, {
		groupKey: `/repos/r${i % 12}`,
		reward: i % 7 === 0 ? 0.3 : 0.9,
		facts: { iterations: i % 5 === 0 ? 20 : 3 },
	}));

	void it('is the same whatever order the candidates come in', () => {
		const options = { seed: 77, holdout: 0.2 };
		// Two near-duplicate chains across repositories, so union order could matter if anything depended on it.
		const base = wordsFor('chain', 400);
		const near = (every: number) => minhashSignature(base.map((w, i) => (i % every === 0 ? `${w}y` : w)));
		const withClusters = () => [
			...population(),
			candidate('n1', { groupKey: '/repos/r1', signature: { exactHash: 'n1', minhash: near(1000) } }),
			candidate('n2', { groupKey: '/repos/r5', signature: { exactHash: 'n2', minhash: near(200) } }),
			candidate('n3', { groupKey: '/repos/r9', signature: { exactHash: 'n3', minhash: near(150) } }),
		];
		const reference = gate(withClusters(), 'balanced', {}, options);
		assert.equal(reference.nearDuplicateClusters, 1);
		const shuffled = withClusters();
		for (let round = 0; round < 5; round++) {
			// A fixed reshuffle per round (reverse, rotate), no randomness in the test itself.
			shuffled.reverse();
			shuffled.push(...shuffled.splice(0, 7 + round));
			assert.deepEqual(gate([...shuffled], 'balanced', {}, options), reference);
		}
	});

	void it('keeps one repository in one split by default', () => {
		const report = gate(population());
		const byGroup = new Map<string, Set<string>>();
		for (const c of population()) {
			const split = only(report, c.sessionId).split;
			if (split) byGroup.set(c.groupKey, (byGroup.get(c.groupKey) ?? new Set()).add(split));
		}
		for (const [group, splits] of byGroup) {
			assert.equal(splits.size, 1, `${group}: ${[...splits].join(', ')}`);
		}
	});

	void it('pins the assignments of a fixed population (seed 77, holdout 0.2)', () => {
		const report = gate(population(), 'balanced', {}, { seed: 77, holdout: 0.2 });
		const byGroup: Record<string, string> = {};
		for (const c of population()) {
			const split = only(report, c.sessionId).split;
			if (split) byGroup[c.groupKey] ??= split;
		}
		assert.deepEqual(byGroup, PINNED_GROUP_SPLITS);
		assert.deepEqual(report.splits, PINNED_SPLIT_COUNTS);
		// Rejected: i % 7 = 0 (9 sessions); downgraded: i % 5 = 0 among the rest (10).
		assert.deepEqual(report.counts, { accepted: 41, downgraded: 10, rejected: 9 });
	});

	void it('refuses a session id given twice', () => {
		assert.throws(() => gate([candidate('s'), candidate('s')]), /Session s is a gate candidate twice/);
	});
});

/** splitFor(key, 77, default ratios, 0.2): sha256-derived, so the same on every machine. */
const PINNED_GROUP_SPLITS = {
	'/repos/r0': 'validation', '/repos/r1': 'holdout', '/repos/r2': 'train', '/repos/r3': 'train',
	'/repos/r4': 'holdout', '/repos/r5': 'test', '/repos/r6': 'holdout', '/repos/r7': 'holdout',
	'/repos/r8': 'train', '/repos/r9': 'holdout', '/repos/r10': 'train', '/repos/r11': 'train',
};
const PINNED_SPLIT_COUNTS = { train: 22, validation: 4, test: 5, holdout: 20 };

void describe('presets as the settings describe them', () => {
	void it('package.json states each preset\'s floor, iterations, tokens and near-duplicate threshold as PRESETS has them', () => {
		const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
			contributes: { configuration: { properties: Record<string, { enum?: string[]; enumDescriptions?: string[]; markdownDescription?: string }> } };
		};
		const preset = manifest.contributes.configuration.properties['tracemint.gates.preset'];
		const floor = manifest.contributes.configuration.properties['tracemint.gates.rewardFloor'];
		for (const [i, name] of (preset.enum ?? []).entries()) {
			const t = PRESETS[name as keyof typeof PRESETS];
			const text = preset.enumDescriptions![i];
			assert.ok(text.includes(`Reward floor ${t.rewardFloor.toFixed(2)}`), `${name}: ${text}`);
			assert.ok(text.includes(`at most ${t.maxIterations} iterations`), `${name}: ${text}`);
			assert.ok(text.includes(`${t.maxTokens.toLocaleString('en-US').replace(/,/g, ' ')} tokens`), `${name}: ${text}`);
			assert.ok(text.includes(`Jaccard ${t.nearDuplicateThreshold.toFixed(2)}`), `${name}: ${text}`);
			assert.ok(floor.markdownDescription!.includes(`${name} ${t.rewardFloor.toFixed(2)}`), `rewardFloor description for ${name}`);
		}
	});
});
