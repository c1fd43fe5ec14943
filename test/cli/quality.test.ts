/** `score`, `gate`, `rate`, `forget` and the quality flags, as a user runs them. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { ExportReport } from '../../shared/protocol';
import type { GateReport, SessionScore } from '../../shared/quality';
import { FIXTURES, json, tempDir, tracemint } from '../support/fixtures';

function importedStore(): string {
	const store = path.join(tempDir(), 's.sqlite');
	json(tracemint(['import', FIXTURES, '--store', store, '--json']));
	return store;
}

void describe('cli quality', () => {
	void it('score prints each reward with its breakdown; --json gives the scores', () => {
		const store = importedStore();
		const { scores, unknown } = json<{ scores: SessionScore[]; unknown: string[] }>(tracemint(['score', '--store', store, '--json']));
		assert.ok(scores.length > 10);
		assert.deepEqual(unknown, []);
		const one = scores[0];
		const text = tracemint(['score', one.sessionId, '--store', store]);
		assert.equal(text.code, 0, text.stderr);
		assert.match(text.stdout, new RegExp(`^${one.reward.toFixed(2)}  ${one.sessionId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
		for (const component of ['outcome', 'criteria', 'review', 'iterations']) assert.match(text.stdout, new RegExp(`^  ${component}`, 'm'));
		const weighted = json<{ scores: SessionScore[] }>(tracemint(['score', one.sessionId, '--weights', 'outcome=1,criteria=0,review=0,iterations=0', '--store', store, '--json']));
		assert.equal(weighted.scores[0].components.find((c) => c.id === 'criteria')!.weight, 0);
		assert.equal(tracemint(['score', 'no-such-session', '--store', store]).code, 1);
	});

	void it('gate --json reports the same counts as the export rejection report, for each preset and with overrides', () => {
		const store = importedStore();
		const ids = json<{ id: string }[]>(tracemint(['sessions', '--store', store, '--json'])).map((s) => s.id);
		json(tracemint(['opt-in', ...ids, '--store', store, '--json']));
		for (const flags of [['--preset', 'strict'], ['--preset', 'balanced'], ['--preset', 'experimental'], ['--floor', '0', '--code-change', 'optional', '--holdout', '0.2']]) {
			const gate = json<GateReport>(tracemint(['gate', ...flags, '--store', store, '--json']));
			const out = path.join(tempDir(), 'ds');
			const exported = json<ExportReport>(tracemint(['export', '--out', out, ...flags, '--store', store, '--json']));
			assert.deepEqual(exported.gates!.counts, gate.counts, flags.join(' '));
			assert.deepEqual(exported.gates!.reasons, gate.reasons, flags.join(' '));
			assert.equal(gate.counts.accepted + gate.counts.downgraded + gate.counts.rejected, ids.length);
		}
		const text = tracemint(['gate', '--preset', 'strict', '--store', store]);
		assert.match(text.stdout, /^Preset strict: \d+ accepted, \d+ downgraded, \d+ rejected/);
	});

	void it('rejects bad quality flags with exit code 2 and a message naming the flag', () => {
		const store = importedStore();
		for (const [flags, message] of [
			[['--preset', 'lenient'], /--preset must be one of strict, balanced, experimental/],
			[['--floor', 'high'], /--floor must be a number/],
			[['--ratios', '0.8,0.2'], /--ratios takes TRAIN,VALIDATION,TEST/],
			[['--weights', 'speed=1'], /--weights takes COMPONENT=VALUE/],
			[['--group-by', 'user'], /--group-by must be one of/],
		] as const) {
			const run = tracemint(['gate', ...flags, '--store', store]);
			assert.equal(run.code, 2, run.stderr);
			assert.match(run.stderr, message);
		}
	});

	void it('rate and forget change the store and report unknown ids with exit code 1', () => {
		const store = importedStore();
		const ids = json<{ id: string; parent: string | null }[]>(tracemint(['sessions', '--store', store, '--json']));
		const target = ids.find((s) => !s.parent)!.id;
		assert.deepEqual(json<{ changed: string[] }>(tracemint(['rate', target, 'down', '--store', store, '--json'])).changed, [target]);
		const score = json<{ scores: SessionScore[] }>(tracemint(['score', target, '--store', store, '--json'])).scores[0];
		assert.equal(score.components.find((c) => c.id === 'review')!.source, 'rating');
		assert.equal(tracemint(['rate', target, 'sideways', '--store', store]).code, 2);

		const forgotten = json<{ changed: string[] }>(tracemint(['forget', target, '--store', store, '--json'])).changed;
		assert.ok(forgotten.includes(target));
		json(tracemint(['import', FIXTURES, '--store', store, '--json']));
		const after = json<{ id: string }[]>(tracemint(['sessions', '--store', store, '--json']));
		assert.ok(!after.some((s) => forgotten.includes(s.id)), 'a forgotten session came back on import');
		assert.equal(after.length, ids.length - forgotten.length);
		assert.equal(tracemint(['forget', 'no-such-session', '--store', store]).code, 1);
	});
});
