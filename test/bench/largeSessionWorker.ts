/**
 * One measurement of the large-session bench, in its own process so its peak memory is its own:
 * `node --expose-gc --import tsx test/bench/largeSessionWorker.ts <mode> <session.json>` prints one JSON line.
 *
 * Modes: `server` (scanSessionAsync: what the backend runs after an import, findings then stored);
 * `export` (redactSession applying findings already in the store, as an export does; the scan is not timed);
 * `redactSession` (scan and redact in one synchronous call, the worst case);
 * `scanText` and `sliced[:<sliceChars>]` (every text of the session scanned by an async loop that lets the event
 * loop run after each text and every 256 KB, with scanText or with scanTextSliced).
 */
import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Session } from '../../shared/model';
import { redactSession, scanSession } from '../../server/src/core/redact/redactSession';
import { scanSessionAsync } from '../../server/src/core/redact/scanSessionAsync';
import { scanText } from '../../server/src/core/redact/scan';
import { sessionTexts } from '../../server/src/core/redact/sessionFields';
import { DEFAULT_OVERLAP_CHARS, scanTextSliced } from '../../server/src/core/redact/sliced';

export interface WorkerResult {
	mode: string;
	textMB: number;
	texts: number;
	largestTextMB: number;
	ms: number;
	findings: number;
	baselineRssMB: number;
	peakRssGrowthMB: number;
	heapBeforeMB: number;
	heapAfterMB: number;
	heapRetainedMB: number;
	maxBlockMs: number;
}

const MB = 1024 * 1024;
const collect = (): void => (globalThis as { gc?: () => void }).gc?.();
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Samples the process's resident set from another thread, so it keeps sampling while this one is busy. */
function rssSampler(): { peakKB: () => number; reset: () => void; stop: () => Promise<number> } {
	const shared = new Int32Array(new SharedArrayBuffer(8));
	const worker = new Worker(`
		const { workerData } = require('node:worker_threads');
		const peak = new Int32Array(workerData);
		const tick = () => {
			const kb = Math.round(process.memoryUsage.rss() / 1024);
			if (kb > Atomics.load(peak, 0)) Atomics.store(peak, 0, kb);
			if (Atomics.load(peak, 1) === 0) setTimeout(tick, 2);
		};
		tick();
	`, { eval: true, workerData: shared.buffer });
	return {
		peakKB: () => Atomics.load(shared, 0),
		reset: () => Atomics.store(shared, 0, 0),
		stop: async () => {
			Atomics.store(shared, 1, 1);
			return worker.terminate();
		},
	};
}

/**
 * The longest stretch the event loop went without running a 1 ms interval timer: how long the editor's requests
 * would have waited. (perf_hooks.monitorEventLoopDelay does not report a single long block in Node 20.)
 */
function blockMonitor(): { reset: () => void; stop: () => number } {
	let last = performance.now();
	let max = 0;
	const timer = setInterval(() => {
		const now = performance.now();
		max = Math.max(max, now - last);
		last = now;
	}, 1);
	return {
		reset: () => {
			max = 0;
			last = performance.now();
		},
		stop: () => {
			clearInterval(timer);
			return max;
		},
	};
}

async function main(): Promise<void> {
	const [mode, file] = process.argv.slice(2);
	const session = JSON.parse(fs.readFileSync(file, 'utf8')) as Session;
	const texts = sessionTexts(session).map((t) => t.text);
	const textBytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
	const largest = texts.reduce((n, t) => Math.max(n, t.length), 0);
	const stored = mode === 'export' ? scanSession(session) : [];
	collect();
	await yieldToLoop();

	const sampler = rssSampler();
	await new Promise((resolve) => setTimeout(resolve, 50));
	const baselineRss = process.memoryUsage.rss();
	const heapBefore = process.memoryUsage().heapUsed;
	sampler.reset();
	const loop = blockMonitor();
	await new Promise((resolve) => setTimeout(resolve, 20));
	loop.reset();
	const start = process.hrtime.bigint();
	let findings = 0;
	let kept: unknown = texts;
	if (mode === 'redactSession' || mode === 'export') {
		const out = mode === 'export' ? redactSession(session, stored) : redactSession(session);
		findings = out.placeholders.length;
		kept = out;
	} else if (mode === 'server') {
		const found = await scanSessionAsync(session, 'bench-key');
		findings = found.length;
		kept = found;
	} else {
		const sliceChars = mode.startsWith('sliced:') ? Number(mode.slice(7)) : undefined;
		let since = 0;
		for (const text of texts) {
			const found = mode === 'scanText' ? scanText(text) : await scanTextSliced(text, {}, { sliceChars, overlapChars: DEFAULT_OVERLAP_CHARS });
			findings += found.length;
			since += text.length;
			if (since >= 256 * 1024 || text.length > 64 * 1024) {
				await yieldToLoop();
				since = 0;
			}
		}
	}
	const ms = Number(process.hrtime.bigint() - start) / 1e6;
	// Let the monitor's timer fire once more, so a block that ended just now is counted.
	await new Promise((resolve) => setTimeout(resolve, 20));
	const maxBlock = loop.stop();
	const heapAfter = process.memoryUsage().heapUsed;
	const peak = sampler.peakKB() * 1024;
	await sampler.stop();
	// What the result holds (a redacted copy, findings) while the session itself stays loaded.
	collect();
	const heapRetained = process.memoryUsage().heapUsed;
	if (!kept && !session.messages.length) console.error('empty session');
	const result: WorkerResult = {
		mode,
		textMB: textBytes / MB,
		texts: texts.length,
		largestTextMB: largest / MB,
		ms,
		findings,
		baselineRssMB: baselineRss / MB,
		peakRssGrowthMB: Math.max(0, peak - baselineRss) / MB,
		heapBeforeMB: heapBefore / MB,
		heapAfterMB: heapAfter / MB,
		heapRetainedMB: heapRetained / MB,
		maxBlockMs: maxBlock,
	};
	console.log(JSON.stringify(result));
}

void main();
