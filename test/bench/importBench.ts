/**
 * Import throughput per agent format: MB/s of each agent's real (or schema-faithful) fixture
 * files, copied many times, into a fresh store, beside a bare loop that only reads and parses
 * the same bytes the way the format needs (JSON.parse per line for JSONL, per document for JSON,
 * a line split for Aider's markdown), measured in the same run, as a ratio. Then the idle CPU of
 * `tracemint watch` over 1,000 session files, with native events and with polling, beside an idle
 * Node process measured the same way.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AgentId } from '../../shared/model';
import type { AgentImporter } from '../../server/src/core/capture/importer';
import { importers } from '../../server/src/core/capture/registry';
import { Tracemint } from '../../server/src/core/tracemint';
import { ClaudeLog } from '../support/claudeLog';
import { CLI, FIXTURES, noHome } from '../support/fixtures';
import { fmt, printPairs, printTable, time } from './table';

const COPIES = Number(process.env.TRACEMINT_BENCH_COPIES ?? 40);
const WATCHED_FILES = 1000;
const IDLE_SECONDS = Number(process.env.TRACEMINT_BENCH_IDLE_SECONDS ?? 10);

interface Corpus { dir: string; files: string[]; bytes: number }

/** `COPIES` copies of one agent's fixture folder (folders keep their layout: tasks, projects). */
function corpusOf(importer: AgentImporter): Corpus | undefined {
	const source = path.join(FIXTURES, importer.agent);
	if (!fs.existsSync(source)) return undefined;
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tracemint-bench-${importer.agent}-`));
	for (let i = 0; i < COPIES; i++) fs.cpSync(source, path.join(dir, `copy-${i}`), { recursive: true });
	const files = walk(dir).filter((f) => importer.isSessionFile(f));
	return { dir, files, bytes: files.reduce((n, f) => n + fs.statSync(f).size, 0) };
}

function walk(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** Reading and parsing only: the floor any importer of this layout stands on. */
function bareLoop(importer: AgentImporter, files: string[]): number {
	let units = 0;
	for (const file of files) {
		const layout = importer.layoutOf(file);
		if (layout === 'sqlite') continue;
		const text = fs.readFileSync(file, 'utf8');
		if (layout === 'json') {
			try {
				JSON.parse(text);
				units++;
			} catch {
				// a torn fixture on purpose
			}
			continue;
		}
		for (const line of text.split('\n')) {
			if (!line) continue;
			if (layout === 'text') {
				units++;
				continue;
			}
			try {
				JSON.parse(line);
				units++;
			} catch {
				// malformed lines kept on purpose in some fixtures
			}
		}
	}
	return units;
}

function throughputRow(importer: AgentImporter): (string | number)[] | undefined {
	const corpus = corpusOf(importer);
	if (!corpus || corpus.files.length === 0) return undefined;
	try {
		const mb = corpus.bytes / (1024 * 1024);
		const sqlite = corpus.files.every((f) => importer.layoutOf(f) === 'sqlite');
		bareLoop(importer, corpus.files); // warm the page cache and the JIT for both
		const bare = time(() => bareLoop(importer, corpus.files));
		const core = Tracemint.open(path.join(corpus.dir, 'bench.sqlite'), noHome);
		const imported = time(() => core.importSessions({ paths: [corpus.dir], agent: importer.agent, scan: false }));
		const again = time(() => core.importSessions({ paths: [corpus.dir], agent: importer.agent, scan: false }));
		core.close();
		const rate = (ms: number): number => mb / (ms / 1000);
		return [
			importer.agent, corpus.files.length, fmt(mb), sqlite ? 'n/a' : fmt(rate(bare.ms)), fmt(rate(imported.ms)),
			sqlite ? 'n/a' : fmt(rate(imported.ms) / rate(bare.ms), 3), imported.value.records, imported.value.messages, `${again.ms.toFixed(0)} ms`,
		];
	} finally {
		fs.rmSync(corpus.dir, { recursive: true, force: true });
	}
}

/** User + system CPU seconds of a process so far (Linux /proc; the bench machine is Linux). */
function cpuSeconds(pid: number): number {
	const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	const ticks = Number(fields[11]) + Number(fields[12]);
	return ticks / 100; // USER_HZ is 100 on Linux
}

/** CPU % of a child over IDLE_SECONDS once `ready` appeared on its stderr (or at once). */
async function idleCpu(args: string[], env: Record<string, string>, ready?: string): Promise<number> {
	const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
	try {
		const deadline = Date.now() + 120_000;
		while (ready && !stderr.includes(ready)) {
			if (Date.now() > deadline || child.exitCode !== null) throw new Error(`never ready: ${stderr.slice(-500)}`);
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		await new Promise((resolve) => setTimeout(resolve, 2000)); // let start-up work settle
		if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}: ${stderr.slice(-800)}`);
		const before = cpuSeconds(child.pid!);
		await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
		if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}: ${stderr.slice(-800)}`);
		return (100 * (cpuSeconds(child.pid!) - before)) / IDLE_SECONDS;
	} finally {
		child.kill('SIGKILL');
	}
}

async function watchIdleBench(): Promise<void> {
	if (process.platform !== 'linux' || !fs.existsSync(CLI)) {
		console.log('\nidle CPU while watching: needs Linux /proc and the built CLI (npm run build)');
		return;
	}
	const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tracemint-bench-watch-'));
	try {
		const projects = path.join(home, '.claude', 'projects');
		const log = new ClaudeLog();
		const first = log.write(projects);
		const bytes = fs.readFileSync(first);
		for (let i = 1; i < WATCHED_FILES; i++) {
			const dir = path.join(projects, `-repo-${i % 50}`);
			fs.mkdirSync(dir, { recursive: true });
			fs.writeFileSync(path.join(dir, `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000.jsonl`), bytes);
		}
		const env = { HOME: home, XDG_DATA_HOME: path.join(home, 'data') };
		const store = path.join(home, 'store.sqlite');
		// Import once first, so the watchers' start-up import is already done and only idling is measured.
		const core = Tracemint.open(store, { home, env: {}, platform: 'linux' });
		core.importSessions({ scan: false });
		core.close();
		const baseline = await idleCpu(['-e', 'setInterval(() => {}, 1000)'], env);
		const events = await idleCpu([CLI, 'watch', '--store', store], env, 'watching:');
		const polling = await idleCpu([CLI, 'watch', '--polling', '--store', store], env, 'watching:');
		printTable(`1b. Idle CPU while watching ${WATCHED_FILES} Claude Code session files (${IDLE_SECONDS} s each, after start-up)`, ['process', 'CPU %', 'above idle node'], [
			['idle node (setInterval)', fmt(baseline, 2), '0.00'],
			['tracemint watch (native events)', fmt(events, 2), fmt(events - baseline, 2)],
			['tracemint watch --polling (2 s)', fmt(polling, 2), fmt(polling - baseline, 2)],
		], ['CPU % = user+system time / wall time of the process, one core = 100 %. Target: native events cost no more than idle Node (±0.1 %).']);
	} finally {
		fs.rmSync(home, { recursive: true, force: true });
	}
}

export async function importBench(): Promise<void> {
	const rows = importers.map(throughputRow).filter((row) => row !== undefined);
	printTable(`1. Import throughput per agent format (${COPIES} copies of each agent's fixtures)`,
		['agent', 'files', 'MB', 'bare MB/s', 'import MB/s', 'import/bare', 'records', 'messages', 're-import'], rows,
		['bare: read + JSON.parse per line (JSONL) or per document (JSON), line split (text); SQLite has no bare loop.',
			're-import: the same files again, nothing changed (stat and hash checks only).']);
	const missing = importers.filter((i) => !rows.some((r) => r[0] === i.agent)).map((i) => i.agent as AgentId);
	if (missing.length > 0) printPairs('  no fixtures for', [['agents', missing.join(', ')]]);
	await watchIdleBench();
}
