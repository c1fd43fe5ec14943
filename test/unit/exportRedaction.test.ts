import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FORMAT_NAMES } from '../../shared/dataset';
import { splitFor } from '../../server/src/core/export/split';
import { Tracemint } from '../../server/src/core/tracemint';
import { fakeValues } from '../support/fakeValues';
import { FIXTURES, OPEN_GATES, noHome, tempDir } from '../support/fixtures';

/** The text of every file of a dataset version (data, card, manifest, reports). */
function everyFile(dir: string): string {
	return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
		.map((e) => fs.readFileSync(path.join(e.parentPath, e.name), 'utf8')).join('\n');
}

void describe('split', () => {
	void it('is a pure function of seed and group (the same on every machine)', () => {
		// Pinned values: a change here would move users' sessions between splits.
		assert.deepEqual(['/repo/a', '/repo/b', '/repo/c', '/repo/d'].map((g) => splitFor(g, 1234)), ['validation', 'train', 'test', 'train']);
		assert.equal(splitFor('/repo/a', 1234), splitFor('/repo/a', 1234));
	});

	void it('follows the ratios over many groups', () => {
		const counts = { train: 0, validation: 0, test: 0, holdout: 0 };
		for (let i = 0; i < 20000; i++) {
			counts[splitFor(`group-${i}`, 7)]++;
		}
		assert.ok(Math.abs(counts.train / 20000 - 0.8) < 0.015, JSON.stringify(counts));
		assert.ok(Math.abs(counts.validation / 20000 - 0.1) < 0.01, JSON.stringify(counts));
		assert.ok(Math.abs(counts.test / 20000 - 0.1) < 0.01, JSON.stringify(counts));
	});
});

void describe('export redaction', () => {
	/** The real marot short.jsonl session with a secret pasted into its first prompt. */
	function sessionWithSecret(dir: string, secret: string): string {
		const source = fs.readFileSync(path.join(FIXTURES, 'claude-code', 'marot-spotter', 'short.jsonl'), 'utf8');
		const project = path.join(dir, 'project');
		fs.mkdirSync(project, { recursive: true });
		const prompt = 'mix phx.server doesnt seem to start';
		assert.ok(source.includes(prompt));
		const inJson = JSON.stringify(secret).slice(1, -1);
		fs.writeFileSync(path.join(project, 'short.jsonl'), source.replace(prompt, `${prompt}; token ${inJson} and again ${inJson}`));
		return project;
	}

	void it('replaces every credential with a placeholder that is the same for the same value, in every format', async () => {
		const dir = tempDir();
		const token = fakeValues(42).githubPat();
		const core = Tracemint.open(path.join(dir, 'store.sqlite'), noHome);
		core.importSessions({ paths: [sessionWithSecret(dir, token)] });
		core.setConsent(core.listSessions().map((s) => s.id), true, 'test');
		const report = await core.exportDataset({ out: path.join(dir, 'out'), formats: [...FORMAT_NAMES], ...OPEN_GATES });
		assert.equal(report.sessions.exported, 1);
		assert.ok(!everyFile(report.out).includes(token), 'the token left the store');
		for (const format of ['openai_chat', 'trl_messages', 'sharegpt', 'reward']) {
			const text = fs.readFileSync(path.join(report.out, format, `${report.formats.find((f) => f.format === format)!.files.find((f) => f.rows > 0)!.split}.jsonl`), 'utf8');
			assert.equal(text.match(/\[REDACTED:github-pat#1\]/g)?.length, 2, format);
		}
		const redaction = JSON.parse(fs.readFileSync(path.join(report.out, 'reports', 'redaction.json'), 'utf8')) as { redacted_per_rule: Record<string, number> };
		assert.equal(redaction.redacted_per_rule['github-pat'], 2);
		core.close();
	});

	void it('never exports a session holding a private key', async () => {
		const dir = tempDir();
		const pem = ['-----BEGIN', 'RSA PRIVATE KEY-----'].join(' ') + '\n' + 'MIIEowIBAAKCAQEA'.padEnd(64, 'q') + '\n' + 'x'.repeat(64).replace(/x/g, (_, i: number) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123456789+/'[i % 44]) + '\n' + ['-----END', 'RSA PRIVATE KEY-----'].join(' ');
		const core = Tracemint.open(path.join(dir, 'store.sqlite'), noHome);
		core.importSessions({ paths: [sessionWithSecret(dir, pem)] });
		core.setConsent(core.listSessions().map((s) => s.id), true, 'test');
		const report = await core.exportDataset({ out: path.join(dir, 'out'), formats: [...FORMAT_NAMES], ...OPEN_GATES });
		assert.equal(report.sessions.exported, 0);
		assert.equal(report.sessions.blocked, 1);
		const text = report.formats.flatMap((f) => f.files).map((f) => fs.readFileSync(f.path, 'utf8')).join('');
		assert.equal(text, '');
		assert.ok(!everyFile(report.out).includes('MIIEowIBAAKCAQEA'), 'no part of the key is in any file of the dataset');
		core.close();
	});
});
