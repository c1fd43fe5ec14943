/**
 * Reward, gates, ratings and forgetting through the core facade, on a real SQLite store filled
 * from the real fixture logs: what the CLI, the server and the export all go through.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Tracemint } from '../../server/src/core/tracemint';
import { FIXTURES, noHome, tempDir } from '../support/fixtures';

function importedStore(): { core: Tracemint; dir: string } {
	const dir = tempDir();
	const core = Tracemint.open(path.join(dir, 'store.sqlite'), noHome);
	core.importSessions({ paths: [FIXTURES] });
	return { core, dir };
}

const count = (core: Tracemint, sql: string, ...params: unknown[]): number =>
	(core.store.db.prepare(sql).get(...params) as { n: number }).n;

void describe('gate report and export', () => {
	void it('the export applies exactly the gate report: same counts, and the exported ids are the sessions given a split', async () => {
		const { core, dir } = importedStore();
		core.setConsent(core.listSessions().map((s) => s.id), true, 'test');
		for (const preset of ['strict', 'balanced', 'experimental'] as const) {
			const gate = core.gate({ preset });
			const report = await core.exportDataset({ out: path.join(dir, preset), preset });
			assert.deepEqual(report.gates?.counts, gate.counts, preset);
			assert.deepEqual(report.gates?.reasons, gate.reasons, preset);
			const manifest = JSON.parse(fs.readFileSync(report.manifest, 'utf8')) as {
				gates: { counts: unknown; reasons: unknown }; source_sample_ids: Record<string, string[]>;
			};
			const rejection = JSON.parse(fs.readFileSync(path.join(report.out, 'reports', 'rejection.json'), 'utf8')) as {
				counts: unknown; reasons: unknown; sessions: { id: string; decision: string; split: string | null }[];
			};
			assert.deepEqual(manifest.gates.counts, gate.counts);
			assert.deepEqual(manifest.gates.reasons, gate.reasons);
			assert.deepEqual(rejection.counts, gate.counts);
			assert.deepEqual(rejection.reasons, gate.reasons);
			assert.deepEqual(rejection.sessions.map((d) => [d.id, d.decision, d.split]), gate.sessions.map((g) => [g.sessionId, g.decision, g.split ?? null]));
			const withSplit = gate.sessions.filter((g) => g.split).map((g) => g.sessionId).sort();
			const exported = [...new Set(Object.values(manifest.source_sample_ids).flat())].sort();
			// Every exported session had a split; a selected session only goes missing when the converter finds nothing to train on.
			assert.ok(exported.every((id) => withSplit.includes(id)), preset);
			assert.equal(report.sessions.exported + report.sessions.skippedEmpty, withSplit.length, preset);
			assert.equal(gate.counts.accepted + gate.counts.downgraded + gate.counts.rejected, core.listSessions().length);
		}
		core.close();
	});

	void it('nothing that is not opted in passes a gate, under any preset', () => {
		const { core } = importedStore();
		for (const preset of ['strict', 'balanced', 'experimental'] as const) {
			const gate = core.gate({ preset, thresholds: { rewardFloor: 0 } });
			assert.equal(gate.counts.rejected, gate.sessions.length);
			assert.ok(gate.sessions.every((g) => g.reasons.includes('not-opted-in') && g.split === undefined));
		}
		core.close();
	});

	void it('explains bad parameters, naming them', () => {
		const { core } = importedStore();
		assert.throws(() => core.gate({ preset: 'lenient' as never }), /lenient/);
		assert.throws(() => core.gate({ thresholds: { rewardFloor: 2 } }), /floor/i);
		core.close();
	});
});

void describe('scores', () => {
	void it('scores every session with a stamped formula and four components, and caches them until an input changes', () => {
		const { core } = importedStore();
		const { scores } = core.scoreSessions();
		assert.equal(scores.length, core.listSessions().length);
		for (const score of scores) {
			assert.ok(score.reward >= 0 && score.reward <= 1, `${score.sessionId}: ${score.reward}`);
			assert.deepEqual(score.components.map((c) => c.id), ['outcome', 'criteria', 'review', 'iterations']);
			assert.ok(score.formulaVersion >= 1);
		}
		const stamp = () => core.store.db.prepare('SELECT computed_at, input_key FROM session_scores ORDER BY session_id').all();
		const before = stamp();
		core.scoreSessions();
		assert.deepEqual(stamp(), before, 'a second call reuses the stored scores');
		core.scoreSessions(undefined, { weights: { outcome: 1, criteria: 0, review: 0, iterations: 0 } });
		assert.notDeepEqual(stamp(), before, 'another configuration recomputes');
		core.close();
	});

	void it('prepareQuality fills the caches a later gate evaluation only reads', async () => {
		const { core } = importedStore();
		await core.prepareQuality();
		const sessions = core.listSessions().length;
		assert.equal(count(core, 'SELECT count(*) AS n FROM session_scores'), sessions);
		assert.equal(count(core, 'SELECT count(*) AS n FROM session_signals'), sessions);
		const stamp = () => core.store.db.prepare('SELECT session_id, computed_at FROM session_scores ORDER BY session_id').all();
		const before = stamp();
		core.gate();
		assert.deepEqual(stamp(), before);
		core.close();
	});

	void it('a rating changes the review component and is logged with its time', () => {
		const { core } = importedStore();
		const id = core.listSessions().find((s) => !s.parent_session_id)!.id;
		const before = core.scoreSessions([id]).scores[0];
		assert.deepEqual(core.rate([id], 'down', 'test').changed, [id]);
		assert.deepEqual(core.rate([id], 'down', 'test').changed, [], 'the same rating again changes nothing');
		const down = core.scoreSessions([id]).scores[0];
		const review = down.components.find((c) => c.id === 'review')!;
		assert.equal(review.source, 'rating');
		assert.equal(review.value, 0);
		core.rate([id], 'up', 'test');
		const up = core.scoreSessions([id]).scores[0];
		assert.equal(up.components.find((c) => c.id === 'review')!.value, 1);
		assert.ok(up.reward > down.reward);
		core.rate([id], null, 'test');
		assert.equal(core.scoreSessions([id]).scores[0].reward, before.reward);
		assert.equal(count(core, 'SELECT count(*) AS n FROM rating_log WHERE session_id = ?', id), 3);
		assert.deepEqual(core.rate(['no-such-session'], 'up', 'test'), { changed: [], unknown: ['no-such-session'] });
		core.close();
	});
});

void describe('forget', () => {
	void it('deletes a session, its subagents and every derived row, purges its raw lines, and never imports it again', () => {
		const { core } = importedStore();
		const parent = core.listSessions().find((s) => core.store.sessions.childrenOf(s.id).length > 0)!;
		const children = core.store.sessions.childrenOf(parent.id);
		const others = core.listSessions().length - 1 - children.length;
		core.setConsent([parent.id], true, 'test');
		core.rate([parent.id], 'up', 'test');
		core.scoreSessions();
		const files = core.getSession(parent.id).source_files;

		const result = core.forget([parent.id], 'test');
		assert.deepEqual(result.forgotten.sort(), [parent.id, ...children].sort());
		for (const id of result.forgotten) {
			for (const table of ['messages', 'findings', 'session_scans', 'session_scores', 'session_signals', 'consent', 'ratings']) {
				assert.equal(count(core, `SELECT count(*) AS n FROM ${table} WHERE session_id = ?`, id), 0, `${table} still holds ${id}`);
			}
			assert.equal(count(core, 'SELECT count(*) AS n FROM sessions WHERE id = ?', id), 0);
		}
		for (const file of files) {
			assert.equal(count(core, 'SELECT count(*) AS n FROM raw_records r JOIN source_files f ON f.id = r.file_id WHERE f.path = ?', file), 0, `raw lines of ${file} kept`);
		}
		assert.equal(core.listSessions().length, others);

		// The logs are still there: importing again (and re-deriving every group) must not bring it back.
		core.store.db.prepare('UPDATE import_groups SET dirty = 1').run();
		core.importSessions({ paths: [FIXTURES] });
		assert.equal(core.listSessions().length, others);
		assert.ok(!core.listSessions().some((s) => result.forgotten.includes(s.id)));
		core.close();
	});

	void it('reports ids that match nothing and forgets nothing for them', () => {
		const { core } = importedStore();
		const n = core.listSessions().length;
		assert.deepEqual(core.forget(['no-such-session'], 'test'), { forgotten: [], unknown: ['no-such-session'] });
		assert.equal(core.listSessions().length, n);
		core.close();
	});
});
