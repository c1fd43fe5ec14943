/**
 * Export throughput and memory: 100,000 chat samples shaped like the real fixture sessions, streamed
 * through the DatasetWriter into openai_chat alone and into every chat format, beside a bare loop that
 * writes `JSON.stringify(sample)` through the same buffered file, measured in the same run, as ratios;
 * then one whole export (gates, redaction, conversion, pairs, reports) from a store of a few hundred sessions.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { FORMAT_NAMES, type FormatName } from '../../shared/dataset';
import type { SplitName } from '../../shared/quality';
import { emptyFixes, toChat, type ChatMessage, type ChatSample, type ToolSpec } from '../../server/src/core/export/chatSample';
import { DatasetWriter, JsonlFile } from '../../server/src/core/export/datasetWriter';
import { FORMATS } from '../../server/src/core/export/formats';
import { Tracemint } from '../../server/src/core/tracemint';
import { FIXTURES, noHome } from '../support/fixtures';
import { fixtureSessions } from '../support/fixtureSessions';
import { fmt, mb, printPairs, printTable, timeAsync } from './table';

const SAMPLES = Number(process.env.TRACEMINT_BENCH_EXPORT_SAMPLES ?? 100_000);
const WARMUP = 2_000;
const EVERY = 500; // memory is sampled this often (samples)
const CHECKPOINT = Math.floor(SAMPLES / 4);
const STORE_COPIES = Number(process.env.TRACEMINT_BENCH_EXPORT_COPIES ?? 20);
const SPLITS: SplitName[] = ['train', 'validation', 'test'];
const SPLIT_OF: SplitName[] = [...Array<SplitName>(8).fill('train'), 'validation', 'test'];
const CHAT_FORMATS: FormatName[] = ['openai_chat', 'trl_messages', 'trl_prompt_completion', 'sharegpt', 'alpaca', 'reward'];
const OPEN = { preset: 'experimental', thresholds: { rewardFloor: 0 } } as const;

interface Template { sessionId: string; messages: ChatMessage[]; tools: ToolSpec[]; firstUser: number }

/** Each fixture session as the export sees it: imported, redacted, converted. */
function fixtureChats(dir: string): Template[] {
	const core = Tracemint.open(path.join(dir, 'fixtures.sqlite'), noHome);
	try {
		core.importSessions({ paths: [FIXTURES] });
		return core.listSessions().flatMap((s) => {
			const chat = toChat(core.redactedSession(s.id), 'all', emptyFixes());
			return chat ? [{ sessionId: s.id, ...chat, firstUser: chat.messages.findIndex((m) => m.role === 'user') }] : [];
		});
	} finally {
		core.close();
	}
}

/** Made one at a time, so what stays in memory is the writer's, never the bench's. */
function* samples(templates: readonly Template[], count: number): Generator<ChatSample> {
	for (let i = 0; i < count; i++) {
		const t = templates[i % templates.length];
		const copy = Math.floor(i / templates.length);
		const messages = t.messages.slice();
		// A fresh string in every copy, so no conversion can be served from an earlier one.
		messages[t.firstUser] = { role: 'user', content: `${t.messages[t.firstUser].content} (copy ${copy})` };
		yield {
			id: `${t.sessionId}:copy-${copy}`, sessionId: `${t.sessionId}:copy-${copy}`, part: 1, parts: 1,
			split: SPLIT_OF[i % SPLIT_OF.length], reward: ((i * 7919) % 1001) / 1000, messages, tools: t.tools,
		};
	}
}

interface Sink { add(sample: ChatSample): void; finish(): { bytes: number; rows: number } }
interface Measured { ms: number; bytes: number; rows: number; peakRss: number; peakHeap: number; heapAtCheckpoint: number; heapAtEnd: number }

function writerSink(dir: string, formats: readonly FormatName[]): Sink {
	const writer = new DatasetWriter(dir, formats.map((f) => FORMATS[f]), SPLITS);
	return {
		add: (sample) => writer.addSample(sample),
		finish: () => {
			const files = writer.finish().flatMap((r) => r.files);
			return { bytes: files.reduce((n, f) => n + f.bytes, 0), rows: files.reduce((n, f) => n + f.rows, 0) };
		},
	};
}

/** The baseline: no conversion, no validation, one file through the same buffered (and hashed) writes. */
function bareSink(dir: string): Sink {
	fs.mkdirSync(dir, { recursive: true });
	const file = new JsonlFile(dir, 'samples.jsonl');
	return {
		add: (sample) => file.write(JSON.stringify(sample)),
		finish: () => {
			file.close();
			return { bytes: file.bytes, rows: file.rows };
		},
	};
}

/** Memory figures are rises over the run's start, taken after a full collection so they are what is held, not garbage. */
function measure(templates: readonly Template[], count: number, sink: (dir: string) => Sink, dir: string, gc: () => void): Measured {
	gc();
	const base = process.memoryUsage();
	let peakRss = base.rss;
	let peakHeap = base.heapUsed;
	let heapAtCheckpoint = 0;
	const start = process.hrtime.bigint();
	const out = sink(dir);
	let i = 0;
	for (const sample of samples(templates, count)) {
		out.add(sample);
		if (++i % EVERY === 0) {
			const m = process.memoryUsage();
			peakRss = Math.max(peakRss, m.rss);
			peakHeap = Math.max(peakHeap, m.heapUsed);
			if (i === CHECKPOINT) {
				gc();
				heapAtCheckpoint = process.memoryUsage().heapUsed - base.heapUsed;
			}
		}
	}
	gc();
	const heapAtEnd = process.memoryUsage().heapUsed - base.heapUsed;
	const { bytes, rows } = out.finish();
	const ms = Number(process.hrtime.bigint() - start) / 1e6;
	fs.rmSync(dir, { recursive: true, force: true });
	return { ms, bytes, rows, peakRss: peakRss - base.rss, peakHeap: peakHeap - base.heapUsed, heapAtCheckpoint, heapAtEnd };
}

/** A few hundred distinct sessions, all opted in, and one export of them in all nine formats. */
async function endToEnd(dir: string): Promise<[string, string][]> {
	const core = Tracemint.open(path.join(dir, 'e2e.sqlite'), noHome);
	try {
		const originals = fixtureSessions();
		// Every copy differs by a word, so none is gated out as an exact duplicate.
		core.store.db.transaction(() => {
			for (let i = 0; i < STORE_COPIES; i++) {
				for (const s of originals) {
					const messages = s.messages.map((m, idx) => (idx === 0 ? { ...m, content: `${m.content} (copy ${i})` } : m));
					core.store.sessions.upsert({ ...s, id: `${s.id}:copy-${i}`, cwd: `/work/copy-${i}`, parent_session_id: s.parent_session_id && `${s.parent_session_id}:copy-${i}`, messages }, `copy-${i}`);
				}
			}
		})();
		const ids = core.listSessions().map((s) => s.id);
		core.setConsent(ids, true, 'bench');
		core.gate(OPEN); // scores and signals cached first: section 5 times that, this line times the export
		const run = await timeAsync(() => core.exportDataset({ out: path.join(dir, 'datasets'), formats: [...FORMAT_NAMES], ...OPEN }));
		const report = run.value;
		const rows = report.formats.reduce((n, f) => n + Object.values(f.rows).reduce((a, b) => a + b, 0), 0);
		const bytes = report.formats.reduce((n, f) => n + f.files.reduce((a, file) => a + file.bytes, 0), 0);
		const s = run.ms / 1000;
		const pairs = Object.values(report.pairs).reduce((a, b) => a + b, 0);
		return [
			['store', `${ids.length} sessions (${STORE_COPIES} copies of the ${originals.length} real fixture sessions), all opted in`],
			['export, all nine formats', `${fmt(run.ms / 1000, 2)} s: ${fmt(report.sessions.exported / s)} sessions/s, ${fmt(rows / s, 0)} rows/s, ${fmt(mb(bytes) / s)} MB/s`],
			['written', `${report.sessions.exported} sessions, ${pairs} pairs, ${rows} rows, ${fmt(mb(bytes))} MB`],
		];
	} finally {
		core.close();
	}
}

export async function exportBench(): Promise<void> {
	// A full collection before each run and at the checkpoints; node is not started with --expose-gc.
	v8.setFlagsFromString('--expose-gc');
	const gc = runInNewContext('gc') as () => void;
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracemint-export-bench-'));
	try {
		const templates = fixtureChats(dir);
		const contenders: [string, (out: string) => Sink][] = [
			['bare JSON.stringify loop (baseline)', bareSink],
			['DatasetWriter, openai_chat', (out) => writerSink(out, ['openai_chat'])],
			[`DatasetWriter, ${CHAT_FORMATS.length} chat formats`, (out) => writerSink(out, CHAT_FORMATS)],
		];
		const runs = contenders.map(([name, sink], c) => {
			measure(templates, WARMUP, sink, path.join(dir, `warmup-${c}`), gc);
			return [name, measure(templates, SAMPLES, sink, path.join(dir, `run-${c}`), gc)] as const;
		});
		const base = runs[0][1];
		const perSec = (r: Measured) => SAMPLES / (r.ms / 1000);
		const mbPerSec = (r: Measured) => mb(r.bytes) / (r.ms / 1000);
		const ratio = (a: number, b: number) => (b > 0 ? fmt(a / b, 2) : 'n/a');
		const k = (n: number) => `${Math.round(n / 1000)}k`;
		printTable(`6. Export: ${SAMPLES} chat samples (cycling the ${templates.length} real fixture sessions)`,
			['run', 'samples/s', 'MB/s', 'MB written', 'rows', 'peak RSS +MB', 'peak heap +MB', `heap @${k(CHECKPOINT)}`, `heap @${k(SAMPLES)}`, 'x samples/s', 'x MB/s', 'x peak heap'],
			runs.map(([name, r]) => [
				name, fmt(perSec(r), 0), fmt(mbPerSec(r)), fmt(mb(r.bytes)), r.rows, fmt(mb(r.peakRss)), fmt(mb(r.peakHeap)),
				fmt(mb(r.heapAtCheckpoint)), fmt(mb(r.heapAtEnd)), ratio(perSec(r), perSec(base)), ratio(mbPerSec(r), mbPerSec(base)), ratio(r.peakHeap, base.peakHeap),
			]),
			[
				`splits 80/10/10; one run each after a ${WARMUP}-sample warm-up; memory sampled every ${EVERY} samples, rises over the run's start`,
				'heap @N: heap held after a full collection, above the start (flat = nothing kept per sample); x: ratio to the baseline',
				'RSS only grows to the process high-water mark (earlier runs raised it), so the memory ratio is taken on the heap',
			]);
		printPairs('6b. Whole export from a store', await endToEnd(dir));
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}
