/**
 * Redaction throughput on one corpus: the real session logs, copied up to a few MB, with the labelled `detect`
 * texts of the public corpora interleaved (one after each log line) so both engines have real work. Tracemint and
 * secretlint get the same strings in the same process, through the same async loop, after a warm-up, at three
 * granularities: one call per log record (how the export calls the scanner: one message at a time), one per file,
 * and the whole corpus as one string.
 */
import { PlaceholderMap, redactText } from '../../server/src/core/redact/redact';
import { RULES } from '../../server/src/core/redact/rules';
import { scanText } from '../../server/src/core/redact/scan';
import { fixtureFiles, loadLabelled, splitCases, type Secretlint } from './corpus';
import { fmt, mb, median, printTable, timeAsync } from './table';

const TARGET_MB = Number(process.env.TRACEMINT_BENCH_REDACT_MB ?? 8);
const REPS = Number(process.env.TRACEMINT_BENCH_REPS ?? 5);
const RATIO_TARGET = 5;

interface Corpus {
	records: string[];
	files: string[];
	rounds: number;
	interleaved: number;
}

function buildCorpus(): Corpus {
	const files = fixtureFiles();
	const labelled = loadLabelled();
	const detect = labelled ? [...labelled.values()].flatMap((cases) => splitCases(cases).detect.map((c) => c.text)) : [];
	const records: string[] = [];
	const fileChunks: string[] = [];
	let bytes = 0;
	let next = 0;
	let rounds = 0;
	while (bytes < TARGET_MB * 1024 * 1024) {
		rounds++;
		for (const { lines } of files) {
			const chunk: string[] = [];
			for (const line of lines) {
				chunk.push(line);
				if (detect.length) chunk.push(detect[next++ % detect.length]);
			}
			records.push(...chunk);
			const joined = chunk.join('\n');
			fileChunks.push(joined);
			bytes += Buffer.byteLength(joined) + 1;
		}
	}
	return { records, files: fileChunks, rounds, interleaved: detect.length };
}

type Engine = (text: string) => Promise<number>;

async function run(engine: Engine, inputs: readonly string[]): Promise<number> {
	let found = 0;
	for (const input of inputs) found += await engine(input);
	return found;
}

async function measure(engine: Engine, inputs: (rep: number) => readonly string[], warmup: readonly string[]): Promise<{ ms: number; found: number }> {
	await run(engine, warmup);
	const times: number[] = [];
	let found = 0;
	for (let i = 0; i < REPS; i++) {
		const t = await timeAsync(() => run(engine, inputs(i)));
		times.push(t.ms);
		found = t.value;
	}
	return { ms: median(times), found };
}

interface ThroughputResult {
	granularity: string;
	ratio: number;
}

export async function redactionBench(secretlint: Secretlint | undefined): Promise<void> {
	const corpus = buildCorpus();
	const engines: Record<string, Engine> = {
		scan: async (text) => scanText(text).length,
		redact: async (text) => {
			const findings = scanText(text);
			return findings.length ? (redactText(text, findings, new PlaceholderMap()), findings.length) : 0;
		},
		...(secretlint ? { secretlint: (text: string) => secretlint.lint(text) } : {}),
	};
	// The whole corpus is one string per run, its records rotated by a copy each run: a rule validator that caches per
	// text (kubernetes-secret-data) would otherwise compare a new 8 MB string with an equal one at every match, a cost
	// that comes from the bench repeating itself, not from the engine.
	const rotations = Array.from({ length: REPS }, (_, rep) => {
		const at = (rep * corpus.records.length) / corpus.rounds;
		return [[...corpus.records.slice(at), ...corpus.records.slice(0, at)].join('\n')];
	});
	const granularities: [string, (rep: number) => readonly string[]][] = [
		['per record', () => corpus.records],
		['per file', () => corpus.files],
		['whole corpus', (rep) => rotations[rep]],
	];
	const rows: string[][] = [];
	const results: ThroughputResult[] = [];
	for (const [name, inputsFor] of granularities) {
		const inputs = inputsFor(0);
		const size = mb(inputs.reduce((n, s) => n + Buffer.byteLength(s), 0));
		// Warm-up: the first copy's worth of the same granularity (for the whole corpus, one copy as one string).
		const warmup = name === 'whole corpus' ? [corpus.files.slice(0, corpus.files.length / corpus.rounds).join('\n')] : inputs.slice(0, Math.ceil(inputs.length / corpus.rounds));
		const m: Record<string, { ms: number; found: number }> = {};
		for (const [engine, fn] of Object.entries(engines)) m[engine] = await measure(fn, inputsFor, warmup);
		const rate = (ms: number) => size / (ms / 1000);
		const ratio = m.secretlint ? rate(m.scan.ms) / rate(m.secretlint.ms) : NaN;
		results.push({ granularity: name, ratio });
		rows.push([
			name, String(inputs.length), fmt(size),
			fmt(rate(m.scan.ms)), fmt(rate(m.redact.ms)), m.secretlint ? fmt(rate(m.secretlint.ms)) : 'n/a',
			Number.isNaN(ratio) ? 'n/a' : `${fmt(ratio, 2)}x`,
			`${m.scan.found} / ${m.secretlint?.found ?? 'n/a'}`,
			Number.isNaN(ratio) ? 'n/a' : ratio >= RATIO_TARGET ? 'yes' : 'no',
		]);
	}
	printTable(`3. Redaction throughput (MB/s), ${corpus.rounds} copies of the session fixtures with ${corpus.interleaved} labelled detect texts interleaved`,
		['granularity', 'calls', 'MB', 'tm scan', 'tm scan+redact', 'secretlint', 'tm/sl', 'findings tm / sl', `>=${RATIO_TARGET}x`], rows, [
			`same strings, same process, same async loop for both; median of ${REPS} runs after a warm-up on one copy;`,
			'secretlint\'s built-in profiler is switched off (left on, it slows secretlint down quadratically over many calls)',
			`tracemint runs ${RULES.length} secret and PII rules, secretlint its 27 recommended ones; per record = one call per log line or labelled text`,
			`target >=${RATIO_TARGET}x secretlint: ${results.some((r) => r.ratio >= RATIO_TARGET) ? `met for ${results.filter((r) => r.ratio >= RATIO_TARGET).map((r) => r.granularity).join(', ')}` : 'not met at any granularity'}`,
		]);
}
