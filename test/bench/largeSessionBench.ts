/**
 * A 50 MB session: built from the real fixture sessions (their messages repeated, a handful of fake secrets planted,
 * and a few single tool outputs of several MB made of real log text), written once as JSON, then redacted in fresh
 * processes (largeSessionWorker.ts) so each mode's peak memory and longest event-loop block are its own.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Message, Session } from '../../shared/model';
import { Tracemint } from '../../server/src/core/tracemint';
import { FIXTURES, noHome, REPO } from '../support/fixtures';
import { seededChars } from '../support/seededChars';
import { fixtureFiles } from './corpus';
import type { WorkerResult } from './largeSessionWorker';
import { fmt, printTable } from './table';

const TARGET_MB = Number(process.env.TRACEMINT_BENCH_SESSION_MB ?? 50);
/** Sizes of the single huge tool outputs, in MB of text. */
const HUGE_OUTPUTS_MB = [3, 5, 8];

/** Fake credentials built at run time from a seeded generator, so the session is the same on every run. */
const r = seededChars(5_0_2024);
const FAKE_SECRETS: (() => string)[] = [
	() => `export GITHUB_TOKEN=ghp_${r('a', 36)}`,
	() => `aws_access_key_id = AKIA${r('A', 16)}`,
	() => `curl -H "Authorization: Bearer ${r('a', 40)}" https://api.internal.corp/v1/items`,
	() => `DATABASE_URL=postgres://app:${r('a', 20)}@db.internal.corp:5432/app`,
	() => `npm config set //registry.npmjs.org/:_authToken=npm_${r('a', 36)}`,
	() => ['-----BEGIN RSA PRIVATE KEY-----', ...Array.from({ length: 50 }, () => r('b', 64)), '-----END RSA PRIVATE KEY-----'].join('\n'),
];

/** The real fixture sessions, as the importer reads them. */
function realSessions(): Session[] {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracemint-bench-session-'));
	try {
		const core = Tracemint.open(path.join(dir, 'store.sqlite'), noHome);
		core.importSessions({ paths: [FIXTURES], scan: false });
		const sessions = core.listSessions().map((s) => core.getSession(s.id));
		core.close();
		return sessions;
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

function textBytes(m: Message): number {
	return Buffer.byteLength(m.content) + (m.reasoning ? Buffer.byteLength(m.reasoning) : 0)
		+ (m.tool_calls ?? []).reduce((n, c) => n + Buffer.byteLength(c.function.arguments), 0);
}

/** Writes the session as JSON and returns its path and a description. */
function buildSession(dir: string): { file: string; messages: number; planted: number } {
	const sessions = realSessions();
	const template = sessions.flatMap((s) => s.messages);
	const logText = fixtureFiles().flatMap((f) => f.lines).join('\n');
	const huge = (mb: number, secret: string): Message => {
		const size = mb * 1024 * 1024;
		let content = '';
		while (content.length < size) content += `${logText}\n`;
		content = content.slice(0, size);
		const at = content.indexOf('\n', size >> 1) + 1;
		return { role: 'tool', tool_call_id: `bench-huge-${mb}`, name: 'Bash', context: null, content: `${content.slice(0, at)}${secret}\n${content.slice(at)}` };
	};
	const messages: Message[] = [];
	let bytes = 0;
	let planted = 0;
	const hugeAt = new Map(HUGE_OUTPUTS_MB.map((mb, i) => [Math.round(((i + 1) * TARGET_MB * 1024 * 1024) / (HUGE_OUTPUTS_MB.length + 1)), mb]));
	const pending = [...hugeAt.keys()].sort((a, b) => a - b);
	for (let i = 0; bytes < TARGET_MB * 1024 * 1024; i++) {
		let m: Message = template[i % template.length];
		if (i % 4000 === 1999) {
			m = { ...m, content: `${m.content}\n${FAKE_SECRETS[planted % FAKE_SECRETS.length]()}\n` };
			planted++;
		}
		messages.push(m);
		bytes += textBytes(m);
		if (pending.length && bytes >= pending[0]) {
			const h = huge(hugeAt.get(pending.shift()!)!, FAKE_SECRETS[planted % FAKE_SECRETS.length]());
			planted++;
			messages.push(h);
			bytes += textBytes(h);
		}
	}
	const { messages: _template, ...head } = sessions[0];
	const session: Omit<Session, 'messages'> = { ...head, id: 'claude-code:bench-large-session', title: 'bench: large session' };
	const file = path.join(dir, 'session.json');
	// Written message by message (messages last), so this process never holds the whole JSON text.
	const fd = fs.openSync(file, 'w');
	fs.writeSync(fd, `${JSON.stringify(session).slice(0, -1)},"messages":[`);
	messages.forEach((m, i) => fs.writeSync(fd, (i ? ',' : '') + JSON.stringify(m)));
	fs.writeSync(fd, ']}');
	fs.closeSync(fd);
	return { file, messages: messages.length, planted };
}

function runWorker(mode: string, file: string): WorkerResult | string {
	const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(REPO, 'test', 'bench', 'largeSessionWorker.ts'), mode, file], {
		cwd: REPO, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024,
	});
	const line = run.stdout.trim().split('\n').at(-1) ?? '';
	try {
		return JSON.parse(line) as WorkerResult;
	} catch {
		return `failed (exit ${run.status}): ${(run.stderr || run.stdout).trim().split('\n').slice(-3).join(' | ')}`;
	}
}

export function largeSessionBench(): void {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracemint-bench-large-'));
	try {
		const built = buildSession(dir);
		const modes: [string, string][] = [
			['server', 'server scan: scanSessionAsync (sliced, yields)'],
			['export', 'export: apply stored findings (redactSession)'],
			['redactSession', 'scan + redact in one sync call (worst case)'],
			['scanText', 'scanText per text, async loop'],
			['sliced', 'scanTextSliced per text (1,000,000-char slices)'],
			['sliced:250000', 'scanTextSliced per text (250,000-char slices)'],
		];
		const rows: string[][] = [];
		let first: WorkerResult | undefined;
		for (const [mode, label] of modes) {
			const res = runWorker(mode, built.file);
			if (typeof res === 'string') {
				rows.push([label, res]);
				continue;
			}
			first ??= res;
			rows.push([
				label, fmt(res.ms / 1000, 2), fmt(res.textMB / (res.ms / 1000)), String(res.findings),
				fmt(res.peakRssGrowthMB, 0), fmt(res.heapAfterMB - res.heapBeforeMB, 0), fmt(res.heapRetainedMB - res.heapBeforeMB, 0), fmt(res.maxBlockMs, 0),
			]);
		}
		const about = first
			? `${fmt(first.textMB)} MB of text in ${first.texts} texts (${built.messages} messages, largest text ${fmt(first.largestTextMB, 1)} MB, ${built.planted} planted secrets); baseline RSS with the session loaded ${fmt(first.baselineRssMB, 0)} MB`
			: `${built.messages} messages`;
		printTable(`4. Large session: ${about}`,
			['mode', 's', 'MB/s', 'findings', 'peak RSS +MB', 'heap +MB', 'retained +MB', 'max block ms'], rows, [
				'each mode in a fresh process; peak RSS sampled every 2 ms from a worker thread; heap +MB = heap used right after the run',
				'(before GC) minus before it; retained = after a forced GC; max block = longest gap between runs of a 1 ms interval timer',
				'the async loops scan each text whole (`scanText`) or sliced, and let the event loop run after every 256 KB of text;',
				'redactSession also prefixes JSON argument values with their key and builds the redacted copy',
			]);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}
