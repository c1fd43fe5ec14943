import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { validateOpenAiChatLine } from '../../server/src/core/export/openaiChat';
import { splitFor } from '../../server/src/core/export/split';
import { Tracemint } from '../../server/src/core/tracemint';
import { fakeValues } from '../support/fakeValues';
import { FIXTURES, OPEN_GATES, noHome, tempDir } from '../support/fixtures';

function importedStore(): { core: Tracemint; dir: string } {
	const dir = tempDir();
	const core = Tracemint.open(path.join(dir, 'store.sqlite'), noHome);
	core.importSessions({ paths: [FIXTURES] });
	return { core, dir };
}

function readLines(file: string): unknown[] {
	return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown);
}

const call = (id: string, args = '{"path":"a.py"}') => ({ id, type: 'function', function: { name: 'Read', arguments: args } });
const tools = [{ type: 'function', function: { name: 'Read', parameters: { type: 'object', properties: {} } } }];

void describe('openai_chat validator', () => {
	void it('accepts a well-formed tool-calling example', () => {
		assert.deepEqual(validateOpenAiChatLine({
			messages: [
				{ role: 'user', content: 'read a.py' },
				{ role: 'assistant', content: '', tool_calls: [call('c1')], weight: 1 },
				{ role: 'tool', content: 'print(1)', tool_call_id: 'c1' },
				{ role: 'assistant', content: 'done', weight: 0 },
			], tools, parallel_tool_calls: true,
		}), []);
	});

	const cases: [string, unknown, RegExp][] = [
		['arguments as an object', { messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: '', tool_calls: [{ ...call('c1'), function: { name: 'Read', arguments: { path: 'a' } } }] }, { role: 'tool', content: 'y', tool_call_id: 'c1' }], tools }, /JSON-encoded string/],
		['an unanswered call mid-chat', { messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: '', tool_calls: [call('c1')] }, { role: 'user', content: 'go on' }, { role: 'assistant', content: 'ok' }], tools }, /not answered/],
		['a result without its call', { messages: [{ role: 'user', content: 'x' }, { role: 'tool', content: 'y', tool_call_id: 'zz' }, { role: 'assistant', content: 'ok' }] }, /answers no pending call/],
		['an extra top-level key', { id: 1, messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: 'ok' }] }, /unrecognized top-level key "id"/],
		['the developer role', { messages: [{ role: 'developer', content: 'x' }, { role: 'user', content: 'x' }, { role: 'assistant', content: 'ok' }] }, /unrecognized_role developer/],
		['empty content', { messages: [{ role: 'user', content: '' }, { role: 'assistant', content: 'ok' }] }, /missing_content/],
		['a boolean weight', { messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: 'ok', weight: true }] }, /weight must be the integer 0 or 1/],
		['no assistant message', { messages: [{ role: 'user', content: 'x' }] }, /example_missing_assistant_message/],
		['an undeclared tool', { messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: '', tool_calls: [call('c1')] }, { role: 'tool', content: 'y', tool_call_id: 'c1' }], tools: [] }, /not declared in tools/],
		['not an object', [1, 2], /data_type/],
	];
	for (const [name, line, expected] of cases) {
		void it(`rejects ${name}`, () => {
			const problems = validateOpenAiChatLine(line);
			assert.ok(problems.some((p) => expected.test(p)), `expected ${expected} in ${JSON.stringify(problems)}`);
		});
	}
});

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

void describe('export', () => {
	void it('exports nothing until sessions are opted in', () => {
		const { core, dir } = importedStore();
		const report = core.exportDataset({ out: path.join(dir, 'out'), ...OPEN_GATES });
		assert.equal(report.sessions.exported, 0);
		assert.deepEqual(report.counts, { train: 0, validation: 0, test: 0, holdout: 0 });
		core.close();
	});

	void it('writes only opted-in sessions, every line valid, with a manifest that matches the files', () => {
		const { core, dir } = importedStore();
		const all = core.listSessions();
		const chosen = all.filter((s) => !s.parent_session_id).slice(0, 4).map((s) => s.id);
		core.setConsent(chosen, true, 'test');
		const optedIn = core.listSessions({ optedInOnly: true }).map((s) => s.id);
		const out = path.join(dir, 'dataset');
		const report = core.exportDataset({ out, split: { seed: 99 }, ...OPEN_GATES });
		const manifest = JSON.parse(fs.readFileSync(report.manifest, 'utf8')) as { counts: Record<string, number>; files: { path: string; split: string; lines: number; sha256: string }[]; source_session_ids: Record<string, string[]>; seed: number };
		assert.equal(manifest.seed, 99);
		let total = 0;
		for (const f of manifest.files) {
			const text = fs.readFileSync(path.join(out, f.path));
			assert.equal(createHash('sha256').update(text).digest('hex'), f.sha256);
			const lines = readLines(path.join(out, f.path));
			assert.equal(lines.length, f.lines);
			assert.equal(lines.length, manifest.source_session_ids[f.split].length);
			total += lines.length;
			for (const line of lines) {
				assert.deepEqual(validateOpenAiChatLine(line), []);
			}
		}
		assert.ok(total > 0);
		for (const id of Object.values(manifest.source_session_ids).flat()) {
			assert.ok(optedIn.includes(id), `${id} was exported without consent`);
		}
		core.close();
	});

	void it('two exports of the same store are byte-identical apart from the manifest timestamp', () => {
		const { core, dir } = importedStore();
		core.setConsent(core.listSessions().map((s) => s.id), true, 'test');
		const a = core.exportDataset({ out: path.join(dir, 'a'), ...OPEN_GATES });
		const b = core.exportDataset({ out: path.join(dir, 'b'), ...OPEN_GATES });
		for (const split of ['train', 'validation', 'test']) {
			assert.equal(fs.readFileSync(path.join(a.out, 'openai_chat', `${split}.jsonl`), 'utf8'), fs.readFileSync(path.join(b.out, 'openai_chat', `${split}.jsonl`), 'utf8'));
		}
		const strip = (file: string) => fs.readFileSync(file, 'utf8').replace(/"created_at": "[^"]+"/, '').replace(/"name": "[^"]+"/, '');
		assert.equal(strip(a.manifest), strip(b.manifest));
		core.close();
	});

	void it('keeps one workspace in one split', () => {
		const { core, dir } = importedStore();
		core.setConsent(core.listSessions().map((s) => s.id), true, 'test');
		const report = core.exportDataset({ out: path.join(dir, 'out'), ...OPEN_GATES });
		const manifest = JSON.parse(fs.readFileSync(report.manifest, 'utf8')) as { source_session_ids: Record<string, string[]> };
		const splitOf = new Map<string, Set<string>>();
		for (const [split, ids] of Object.entries(manifest.source_session_ids)) {
			for (const id of ids) {
				const s = core.getSession(id);
				const key = s.repository_url ?? s.cwd ?? s.id;
				splitOf.set(key, (splitOf.get(key) ?? new Set()).add(split));
			}
		}
		assert.ok(splitOf.size >= 3, 'the fixtures span several workspaces');
		for (const [key, splits] of splitOf) {
			assert.equal(splits.size, 1, `${key} straddles ${[...splits].join(', ')}`);
		}
		core.close();
	});

	void it('refuses to replace a folder that is not a Tracemint dataset', () => {
		const { core, dir } = importedStore();
		const out = path.join(dir, 'precious');
		fs.mkdirSync(out);
		fs.writeFileSync(path.join(out, 'thesis.txt'), 'do not delete');
		assert.throws(() => core.exportDataset({ out, ...OPEN_GATES }), /not a Tracemint dataset/);
		assert.equal(fs.readFileSync(path.join(out, 'thesis.txt'), 'utf8'), 'do not delete');
		core.close();
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

	void it('replaces every credential with a placeholder that is the same for the same value', () => {
		const dir = tempDir();
		const token = fakeValues(42).githubPat();
		const core = Tracemint.open(path.join(dir, 'store.sqlite'), noHome);
		core.importSessions({ paths: [sessionWithSecret(dir, token)] });
		core.setConsent(core.listSessions().map((s) => s.id), true, 'test');
		const report = core.exportDataset({ out: path.join(dir, 'out'), ...OPEN_GATES });
		assert.equal(report.sessions.exported, 1);
		const text = report.files.map((f) => fs.readFileSync(f.path, 'utf8')).join('');
		assert.ok(!text.includes(token), 'the token left the store');
		assert.equal(text.match(/\[REDACTED:github-pat#1\]/g)?.length, 2);
		const manifest = JSON.parse(fs.readFileSync(report.manifest, 'utf8')) as { redaction: { redacted_per_rule: Record<string, number> } };
		assert.equal(manifest.redaction.redacted_per_rule['github-pat'], 2);
		core.close();
	});

	void it('never exports a session holding a private key', () => {
		const dir = tempDir();
		const pem = ['-----BEGIN', 'RSA PRIVATE KEY-----'].join(' ') + '\n' + 'MIIEowIBAAKCAQEA'.padEnd(64, 'q') + '\n' + 'x'.repeat(64).replace(/x/g, (_, i: number) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123456789+/'[i % 44]) + '\n' + ['-----END', 'RSA PRIVATE KEY-----'].join(' ');
		const core = Tracemint.open(path.join(dir, 'store.sqlite'), noHome);
		core.importSessions({ paths: [sessionWithSecret(dir, pem)] });
		core.setConsent(core.listSessions().map((s) => s.id), true, 'test');
		const report = core.exportDataset({ out: path.join(dir, 'out'), ...OPEN_GATES });
		assert.equal(report.sessions.exported, 0);
		assert.equal(report.sessions.blocked, 1);
		const text = report.files.map((f) => fs.readFileSync(f.path, 'utf8')).join('');
		assert.equal(text, '');
		core.close();
	});
});
