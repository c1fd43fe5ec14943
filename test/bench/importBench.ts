/**
 * Import throughput: MB/s of session logs into a fresh store, beside a bare JSON.parse line loop over the same
 * bytes, measured in the same run, as a ratio.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Tracemint } from '../../server/src/core/tracemint';
import { FIXTURES, filesUnder, noHome } from '../support/fixtures';
import { printPairs, time } from './table';

const COPIES = Number(process.env.TRACEMINT_BENCH_COPIES ?? 40);

function makeCorpus(): { dir: string; files: string[]; bytes: number } {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracemint-bench-'));
	for (let i = 0; i < COPIES; i++) {
		fs.cpSync(FIXTURES, path.join(dir, `copy-${i}`), { recursive: true });
	}
	const files = filesUnder(dir, '.jsonl');
	return { dir, files, bytes: files.reduce((n, f) => n + fs.statSync(f).size, 0) };
}

function bareLoop(files: string[]): number {
	let records = 0;
	for (const file of files) {
		for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
			if (!line) continue;
			try {
				JSON.parse(line);
				records++;
			} catch {
				// the two comment lines of one fixture
			}
		}
	}
	return records;
}

export function importBench(): void {
	const corpus = makeCorpus();
	try {
		const mb = corpus.bytes / (1024 * 1024);
		bareLoop(corpus.files); // warm the page cache and the JIT for both contenders
		const bare = time(() => bareLoop(corpus.files));
		const store = path.join(corpus.dir, 'bench.sqlite');
		const core = Tracemint.open(store, noHome);
		const imported = time(() => core.importSessions({ paths: [corpus.dir] }));
		const again = time(() => core.importSessions({ paths: [corpus.dir] }));
		core.close();
		const rate = (ms: number) => mb / (ms / 1000);
		printPairs('1. Import throughput', [
			['corpus', `${corpus.files.length} files, ${mb.toFixed(1)} MB (${COPIES} copies of the real fixtures)`],
			['bare JSON.parse loop', `${rate(bare.ms).toFixed(1)} MB/s (${bare.value} records, ${bare.ms.toFixed(0)} ms)`],
			['tracemint import (fresh store)', `${rate(imported.ms).toFixed(1)} MB/s (${imported.value.records} records, ${imported.value.sessions.added} sessions, ${imported.ms.toFixed(0)} ms)`],
			['ratio import / bare loop', `${(rate(imported.ms) / rate(bare.ms)).toFixed(3)}`],
			['re-import, nothing changed', `${again.ms.toFixed(0)} ms for ${again.value.files.unchanged} unchanged files`],
			['store size', `${(fs.statSync(store).size / (1024 * 1024)).toFixed(1)} MB`],
		]);
	} finally {
		fs.rmSync(corpus.dir, { recursive: true, force: true });
	}
}
