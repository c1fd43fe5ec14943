/**
 * The seeded split beyond the pinned defaults in export.test.ts: holdout, golden assignments that
 * must not move between versions or machines, ratios over many groups, and the grouping modes.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { SplitName } from '../../shared/quality';
import { assignSplit, groupKeyFor, splitFor, type GroupedSession } from '../../server/src/core/export/split';

const KEYS = ['/repo/a', '/repo/b', '/repo/c', '/repo/d', 'git@github.com:acme/api.git', 'https://github.com/acme/web', 'claude-code:s1', 'codex:s2'];

function tally(assign: (key: string) => SplitName, groups: number): Record<SplitName, number> {
	const counts: Record<SplitName, number> = { train: 0, validation: 0, test: 0, holdout: 0 };
	for (let i = 0; i < groups; i++) {
		counts[assign(`group-${i}`)]++;
	}
	return counts;
}

void describe('split golden assignments', () => {
	// Pinned values (sha256 of seed and key): a change here moves users' sessions between splits.
	void it('default options', () => {
		assert.deepEqual(KEYS.map((k) => splitFor(k, 1234)), ['validation', 'train', 'test', 'train', 'train', 'train', 'train', 'test']);
	});

	void it('holdout 0.25', () => {
		assert.deepEqual(KEYS.map((k) => splitFor(k, 1234, undefined, 0.25)), ['validation', 'holdout', 'test', 'train', 'train', 'train', 'train', 'holdout']);
	});

	void it('seed 42, ratios 0.5/0.25/0.25, holdout 0.1', () => {
		const options = { seed: 42, ratios: { train: 0.5, validation: 0.25, test: 0.25 }, holdout: 0.1 };
		assert.deepEqual(KEYS.map((k) => assignSplit(k, options)), ['validation', 'test', 'test', 'test', 'validation', 'train', 'train', 'validation']);
	});

	void it('holdout draws from its own sha256 of "holdout", seed and key', () => {
		const unit = (key: string) => createHash('sha256').update(`holdout\u0000${1234}\u0000${key}`).digest().readUInt32BE(0) / 2 ** 32;
		for (const key of KEYS) {
			assert.equal(splitFor(key, 1234, undefined, 0.25) === 'holdout', unit(key) < 0.25, key);
		}
	});
});

void describe('split properties', () => {
	void it('holdout 0 gives exactly the assignments without a holdout', () => {
		for (let i = 0; i < 2000; i++) {
			assert.equal(splitFor(`g${i}`, 5, undefined, 0), splitFor(`g${i}`, 5));
		}
	});

	void it('a holdout only takes groups out: the rest keep their split, and a larger holdout contains a smaller one', () => {
		for (let i = 0; i < 2000; i++) {
			const plain = splitFor(`g${i}`, 5);
			const small = splitFor(`g${i}`, 5, undefined, 0.1);
			const large = splitFor(`g${i}`, 5, undefined, 0.3);
			assert.ok(small === 'holdout' || small === plain);
			assert.ok(large === 'holdout' || large === plain);
			assert.ok(small !== 'holdout' || large === 'holdout');
		}
	});

	void it('follows the ratios and the holdout share over many groups', () => {
		const n = 20000;
		const counts = tally((key) => assignSplit(key, { seed: 11, ratios: { train: 0.7, validation: 0.2, test: 0.1 }, holdout: 0.2 }), n);
		const share = (split: SplitName) => counts[split] / n;
		assert.ok(Math.abs(share('holdout') - 0.2) < 0.01, JSON.stringify(counts));
		assert.ok(Math.abs(share('train') - 0.8 * 0.7) < 0.015, JSON.stringify(counts));
		assert.ok(Math.abs(share('validation') - 0.8 * 0.2) < 0.01, JSON.stringify(counts));
		assert.ok(Math.abs(share('test') - 0.8 * 0.1) < 0.01, JSON.stringify(counts));
	});

	void it('treats ratios as weights and a zero ratio as never chosen', () => {
		const counts = tally((key) => splitFor(key, 3, { train: 8, validation: 0, test: 2 }), 5000);
		assert.equal(counts.validation, 0);
		assert.ok(Math.abs(counts.train / 5000 - 0.8) < 0.02, JSON.stringify(counts));
	});

	void it('depends on the seed', () => {
		const a = KEYS.map((k) => splitFor(k, 1));
		const differs = [2, 3, 4, 5].some((seed) => KEYS.some((k, i) => splitFor(k, seed) !== a[i]));
		assert.ok(differs);
	});
});

void describe('groupKeyFor', () => {
	const full: GroupedSession = { id: 'claude-code:child', cwd: '/work/api', repository_url: 'https://github.com/acme/api', parent_session_id: 'claude-code:parent' };
	const bare: GroupedSession = { id: 'codex:solo', cwd: null, repository_url: null, parent_session_id: null };

	void it('session: the session, or its parent for a subagent', () => {
		assert.equal(groupKeyFor(full, 'session'), 'claude-code:parent');
		assert.equal(groupKeyFor(bare, 'session'), 'codex:solo');
	});

	void it('workspace: the working folder, else the parent, else the session', () => {
		assert.equal(groupKeyFor(full, 'workspace'), '/work/api');
		assert.equal(groupKeyFor({ ...full, cwd: null }, 'workspace'), 'claude-code:parent');
		assert.equal(groupKeyFor(bare, 'workspace'), 'codex:solo');
	});

	void it('repository: the remote, else the working folder, else the parent, else the session (the earlier export key)', () => {
		assert.equal(groupKeyFor(full, 'repository'), 'https://github.com/acme/api');
		assert.equal(groupKeyFor({ ...full, repository_url: null }, 'repository'), '/work/api');
		assert.equal(groupKeyFor({ ...full, repository_url: null, cwd: null }, 'repository'), 'claude-code:parent');
		assert.equal(groupKeyFor(bare, 'repository'), 'codex:solo');
	});

	void it('keeps two sessions of one repository in one split whatever their folders', () => {
		const a = { ...bare, id: 'a', cwd: '/home/x/api', repository_url: 'https://github.com/acme/api' };
		const b = { ...bare, id: 'b', cwd: '/tmp/clone/api', repository_url: 'https://github.com/acme/api' };
		assert.equal(splitFor(groupKeyFor(a, 'repository'), 9), splitFor(groupKeyFor(b, 'repository'), 9));
	});
});
