import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FORMAT_NAMES, type ExportReport } from '../../shared/dataset';
import { Tracemint } from '../../server/src/core/tracemint';
import { FIXTURES, OPEN_GATES, noHome, tempDir } from '../support/fixtures';

function importedStore(): { core: Tracemint; dir: string } {
	const dir = tempDir();
	const core = Tracemint.open(path.join(dir, 'store.sqlite'), noHome);
	core.importSessions({ paths: [FIXTURES] });
	return { core, dir };
}

function optInAll(core: Tracemint): void {
	core.setConsent(core.listSessions().map((s) => s.id), true, 'test');
}

function lines(file: string): unknown[] {
	return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown);
}

/** Every file under a folder, relative, with its bytes. */
function snapshot(dir: string): Map<string, Buffer> {
	const files = new Map<string, Buffer>();
	for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
		if (entry.isFile()) {
			const full = path.join(entry.parentPath, entry.name);
			files.set(path.relative(dir, full), fs.readFileSync(full));
		}
	}
	return files;
}

interface Manifest {
	version: number;
	created_at: string;
	files: { path: string; bytes: number; sha256: string; rows?: number; split?: string; format?: string }[];
	source_sample_ids: Record<string, string[]>;
	counts: { samples: Record<string, number> };
}

void describe('dataset export', () => {
	void it('writes nothing from sessions that are not opted in', async () => {
		const { core, dir } = importedStore();
		const report = await core.exportDataset({ out: dir, ...OPEN_GATES });
		assert.equal(report.sessions.exported, 0);
		assert.deepEqual(report.counts, { train: 0, validation: 0, test: 0, holdout: 0 });
		assert.ok(report.sessions.skippedNotOptedIn > 0);
		core.close();
	});

	void it('writes a new version per export into <out>/<name>/v<N>, never touching an earlier one', async () => {
		const { core, dir } = importedStore();
		optInAll(core);
		const first = await core.exportDataset({ out: dir, name: 'agents', ...OPEN_GATES });
		assert.equal(first.out, path.join(dir, 'agents', 'v1'));
		const before = snapshot(first.out);
		const second = await core.exportDataset({ out: dir, name: 'agents', ...OPEN_GATES });
		assert.equal(second.version, 2);
		assert.equal(second.out, path.join(dir, 'agents', 'v2'));
		assert.deepEqual(snapshot(first.out), before);
		assert.deepEqual(fs.readdirSync(path.join(dir, 'agents')).sort(), ['v1', 'v2'], 'no staging folder is left behind');
		core.close();
	});

	void it('writes every format with a manifest whose hashes and counts match the files, and only opted-in sessions', async () => {
		const { core, dir } = importedStore();
		const chosen = core.listSessions().filter((s) => !s.parent_session_id).slice(0, 6).map((s) => s.id);
		core.setConsent(chosen, true, 'test');
		const optedIn = new Set(core.listSessions({ optedInOnly: true }).map((s) => s.id));
		const report = await core.exportDataset({ out: dir, formats: [...FORMAT_NAMES], split: { seed: 99 }, ...OPEN_GATES });
		const manifest = JSON.parse(fs.readFileSync(report.manifest, 'utf8')) as Manifest;
		assert.deepEqual(report.formats.map((f) => f.format), [...FORMAT_NAMES]);
		for (const file of manifest.files) {
			const bytes = fs.readFileSync(path.join(report.out, file.path));
			assert.equal(createHash('sha256').update(bytes).digest('hex'), file.sha256, file.path);
			assert.equal(bytes.length, file.bytes, file.path);
			if (file.rows !== undefined) {
				assert.equal(lines(path.join(report.out, file.path)).length, file.rows, file.path);
			}
		}
		for (const expected of ['README.md', 'reports/redaction.json', 'reports/rejection.json', 'reports/validation.json']) {
			assert.ok(manifest.files.some((f) => f.path === expected), `${expected} is listed in the manifest`);
		}
		const chat = report.formats.find((f) => f.format === 'openai_chat')!;
		for (const file of chat.files) {
			assert.equal(file.rows, manifest.source_sample_ids[file.split]?.length ?? 0, `${file.split}: one source id per line`);
		}
		assert.ok(chat.files.reduce((n, f) => n + f.rows, 0) > 0);
		for (const id of Object.values(manifest.source_sample_ids).flat()) {
			assert.ok(optedIn.has(id.replace(/#\d+$/, '')), `${id} was exported without consent`);
		}
		core.close();
	});

	void it('two exports of the same store with the same settings are byte-identical apart from the manifest timestamp', async () => {
		const { core, dir } = importedStore();
		optInAll(core);
		const settings = { formats: [...FORMAT_NAMES], maxTokensPerSample: 2000, ...OPEN_GATES };
		const a = await core.exportDataset({ out: path.join(dir, 'a'), ...settings });
		const b = await core.exportDataset({ out: path.join(dir, 'b'), ...settings });
		const [sa, sb] = [snapshot(a.out), snapshot(b.out)];
		assert.deepEqual([...sa.keys()].sort(), [...sb.keys()].sort());
		for (const [file, bytes] of sa) {
			const strip = (buffer: Buffer) => file === 'manifest.json' ? buffer.toString('utf8').replace(/"created_at": "[^"]+"/, '') : buffer.toString('utf8');
			assert.equal(strip(bytes), strip(sb.get(file)!), file);
		}
		core.close();
	});

	void it('splits long sessions into parts that each fit the token limit, with the part in the sample id', async () => {
		const { core, dir } = importedStore();
		optInAll(core);
		const whole = await core.exportDataset({ out: dir, name: 'whole', ...OPEN_GATES });
		const cut = await core.exportDataset({ out: dir, name: 'cut', maxTokensPerSample: 1500, ...OPEN_GATES });
		const samples = (r: ExportReport) => Object.values(r.counts).reduce((a, b) => a + b, 0);
		assert.ok(samples(cut) > samples(whole), `${samples(cut)} parts vs ${samples(whole)} sessions`);
		const manifest = JSON.parse(fs.readFileSync(cut.manifest, 'utf8')) as Manifest;
		assert.ok(Object.values(manifest.source_sample_ids).flat().some((id) => /#2$/.test(id)));
		assert.equal(cut.sessions.exported, whole.sessions.exported, 'splitting loses no session');
		core.close();
	});

	void it('a cancelled export leaves no version and no staging folder', async () => {
		const { core, dir } = importedStore();
		optInAll(core);
		const controller = new AbortController();
		await assert.rejects(core.exportDataset({
			out: dir, name: 'cancelled', formats: [...FORMAT_NAMES], signal: controller.signal, ...OPEN_GATES,
			onProgress: (p) => { if (p.done >= 2) controller.abort(); },
		}), (error: Error) => error.name === 'AbortError');
		assert.deepEqual(fs.readdirSync(path.join(dir, 'cancelled')), []);
		core.close();
	});

	void it('keeps one repository in one split', async () => {
		const { core, dir } = importedStore();
		optInAll(core);
		const report = await core.exportDataset({ out: dir, ...OPEN_GATES });
		const manifest = JSON.parse(fs.readFileSync(report.manifest, 'utf8')) as Manifest;
		const splitOf = new Map<string, Set<string>>();
		for (const [split, ids] of Object.entries(manifest.source_sample_ids)) {
			for (const id of ids) {
				const s = core.getSession(id.replace(/#\d+$/, ''));
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

	void it('names the formats it knows when given one it does not', async () => {
		const { core, dir } = importedStore();
		await assert.rejects(core.exportDataset({ out: dir, formats: ['jsonl' as never], ...OPEN_GATES }), /unknown format jsonl: expected one or more of openai_chat, openai_dpo/);
		core.close();
	});
});
