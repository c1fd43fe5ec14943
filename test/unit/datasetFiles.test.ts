/**
 * Every file of every format, from a large generated store, checked by the tests' own validators
 * of each format's public rules (test/support/datasetRules, written apart from the writers).
 *
 * The store is generated from a real Claude Code log: each copy is its own session (own id) with
 * a tail appended in Claude Code's format that gives the miners something to find: a test run
 * corrected after a failure (repair), a declined edit and its alternative (rejection), an edit
 * that failed and was redone (repair), or a run that never passed (a lower reward, so copies of
 * the same task rank against each other as rollouts).
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FORMAT_NAMES } from '../../shared/dataset';
import { Tracemint } from '../../server/src/core/tracemint';
import { ClaudeLog, FAIL_OUTPUT, NOT_FOUND, PASS_OUTPUT } from '../support/claudeLog';
import { problemLines, validateDatasetFolder } from '../support/datasetRules';
import { FIXTURES, noHome, tempDir } from '../support/fixtures';

const COPIES = 160;

function generatedLog(i: number): ClaudeLog {
	const id = `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`;
	const log = new ClaudeLog(id).user(`make the login test pass (ticket ${1000 + i})`);
	switch (i % 4) {
		case 0:
			return log.bash('pytest -q tests/test_api.py', NOT_FOUND, 4, 'Running the login test.')
				.bash('pytest -q api/tests/test_api.py', PASS_OUTPUT, 0).say(`Ticket ${1000 + i}: the login test passes.`);
		case 1:
			return log.reject('Edit', { file_path: 'api/auth.py', old_string: 'return None', new_string: 'raise' }, 'do not raise, log it')
				.edit('api/auth.py', 'return None')
				.bash('pytest -q api/tests/test_api.py', PASS_OUTPUT, 0).say(`Ticket ${1000 + i}: logged instead of raising; tests pass.`);
		case 2:
			return log.editError('api/auth.py', 'retrun None').call('Read', { file_path: 'api/auth.py' }, 'def login():\n    return None\n')
				.edit('api/auth.py', 'return None').bash('pytest -q api/tests/test_api.py', PASS_OUTPUT, 0).say(`Ticket ${1000 + i}: fixed.`);
		default:
			return log.bash('pytest -q api/tests/test_api.py', FAIL_OUTPUT, 1).say(`Ticket ${1000 + i}: the login test still fails.`);
	}
}

void describe('dataset files from a large generated store', () => {
	void it('every file of every format passes the format\'s public rules, with repair, rejection and rollout pairs present', async () => {
		const dir = tempDir();
		const projects = path.join(dir, 'projects');
		for (let i = 0; i < COPIES; i++) {
			generatedLog(i).write(projects);
		}
		const core = Tracemint.open(path.join(dir, 'store.sqlite'), noHome);
		try {
			core.importSessions({ paths: [projects, FIXTURES] });
			core.setConsent(core.listSessions().map((s) => s.id), true, 'test');
			const report = await core.exportDataset({
				out: dir, name: 'generated', formats: [...FORMAT_NAMES], maxTokensPerSample: 4000, parquet: true,
				preset: 'experimental', thresholds: { rewardFloor: 0 },
			});
			assert.ok(report.sessions.exported >= COPIES, `${report.sessions.exported} sessions exported`);
			assert.ok(report.pairs.repair > 0 && report.pairs.rejection > 0 && report.pairs.rollout > 0, JSON.stringify(report.pairs));
			for (const format of report.formats) {
				const rows = Object.values(format.rows).reduce((a, b) => a + b, 0);
				// Alpaca cannot express tool calls; everything else has rows from this store.
				assert.ok(format.format === 'alpaca' || rows > 0, `${format.format} wrote no rows`);
				assert.deepEqual(format.invalid, {}, `${format.format}: rows its own validator rejected`);
			}
			const checked = validateDatasetFolder(report.out);
			assert.deepEqual(problemLines(checked), []);
		} finally {
			core.close();
		}
	});
});
