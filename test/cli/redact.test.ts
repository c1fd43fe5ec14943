import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { CLI, tempDir, tracemint } from '../support/fixtures';
import { fakeValues } from '../support/fakeValues';

const fake = fakeValues(7340033);

function writeTemp(name: string, content: string | Buffer): string {
	const file = path.join(tempDir(), name);
	fs.writeFileSync(file, content);
	return file;
}

interface ScanJson {
	file: string;
	findings: { ruleId: string; kind: string; severity: string; action: string; description: string; start: number; end: number; line: number; column: number }[];
}

void describe('cli scan', () => {
	const token = fake.githubPat();
	const email = fake.email();
	// Astral and accented characters before the values: offsets must be JavaScript string indices, not bytes or code points.
	const text = `first line: héllo 😀\nsecond — ünïcode 😀😀 key=${token} end\nthird ${email}\n`;

	void it('--json gives the values\' string indices and 1-based line/column, and never the values', () => {
		const file = writeTemp('notes.txt', text);
		const run = tracemint(['scan', file, '--json']);
		assert.equal(run.code, 1, run.stderr);
		const doc = JSON.parse(run.stdout) as ScanJson;
		assert.equal(doc.file, file);
		assert.deepEqual(doc.findings.map((f) => f.ruleId), ['github-pat', 'email-address']);
		const [pat, mail] = doc.findings;
		assert.equal(pat.start, text.indexOf(token));
		assert.equal(pat.end, text.indexOf(token) + token.length);
		assert.equal(text.slice(pat.start, pat.end), token);
		assert.equal(pat.line, 2);
		assert.equal(pat.column, text.indexOf(token) - (text.indexOf('\n') + 1) + 1);
		assert.equal(text.slice(mail.start, mail.end), email);
		assert.equal(mail.line, 3);
		assert.equal(mail.column, 7);
		assert.deepEqual(Object.keys(pat).sort(), ['action', 'column', 'description', 'end', 'kind', 'line', 'ruleId', 'severity', 'start']);
		assert.equal(pat.severity, 'critical');
		assert.equal(pat.kind, 'secret');
		assert.equal(pat.action, 'redact');
		assert.match(pat.description, /GitHub/);
		assert.ok(!run.stdout.includes(token) && !run.stdout.includes(email));
		assert.ok(!run.stderr.includes(token) && !run.stderr.includes(email));
	});

	void it('prints compiler-style lines and a summary; exit codes 0 clean, 1 findings, 2 usage', () => {
		const file = writeTemp('notes.txt', text);
		const found = tracemint(['scan', file]);
		assert.equal(found.code, 1);
		const lines = found.stdout.trimEnd().split('\n');
		assert.equal(lines.length, 3);
		assert.match(lines[0], new RegExp(`^${escape(file)}:2:\\d+  critical  github-pat  GitHub`));
		assert.match(lines[1], new RegExp(`^${escape(file)}:3:7  medium  email-address  `));
		assert.equal(lines[2], `2 findings (1 critical, 1 medium) in ${file}`);
		assert.ok(!found.stdout.includes(token) && !found.stdout.includes(email));

		const clean = tracemint(['scan', writeTemp('clean.txt', 'nothing to see here\n')]);
		assert.equal(clean.code, 0, clean.stderr);
		assert.match(clean.stdout, /no findings/);

		const missing = tracemint(['scan', path.join(tempDir(), 'absent.txt')]);
		assert.equal(missing.code, 2);
		assert.match(missing.stderr, /cannot read .*absent\.txt: ENOENT/);
		const two = tracemint(['scan', file, file]);
		assert.equal(two.code, 2);
		assert.match(two.stderr, /at most one FILE/);
		assert.match(tracemint(['--help']).stdout, /Exit code: 0 no findings, 1 findings, 2 bad usage/);
	});

	void it('reads stdin when FILE is - or absent', () => {
		for (const args of [['scan', '-', '--json'], ['scan', '--json']]) {
			const run = tracemint(args, text);
			assert.equal(run.code, 1, run.stderr);
			const doc = JSON.parse(run.stdout) as ScanJson;
			assert.equal(doc.file, '-');
			assert.equal(doc.findings.length, 2);
			assert.equal(text.slice(doc.findings[0].start, doc.findings[0].end), token);
		}
		assert.equal(tracemint(['scan'], 'plain text').code, 0);
	});
});

void describe('cli redact', () => {
	void it('replaces each value with a consistent placeholder and keeps every other byte', () => {
		const a = fake.githubPat();
		const b = fake.githubPat();
		// CRLF, no final newline, non-ASCII: all must survive untouched.
		const text = `\uFEFFdéjà vu 😀\r\nuse ${a} then ${b};\r\n\tagain ${a}.`;
		const expected = `\uFEFFdéjà vu 😀\r\nuse [REDACTED:github-pat#1] then [REDACTED:github-pat#2];\r\n\tagain [REDACTED:github-pat#1].`;
		for (const args of [['redact', writeTemp('in.txt', text)], ['redact'], ['redact', '-']]) {
			const run = tracemint(args, text);
			assert.equal(run.code, 0, run.stderr);
			assert.equal(run.stdout, expected);
			assert.equal(run.stderr, 'redacted 3 values (github-pat 3)\n');
		}
		const trailing = tracemint(['redact'], `x ${a}\n\n`);
		assert.equal(trailing.stdout, 'x [REDACTED:github-pat#1]\n\n');
		const clean = tracemint(['redact'], 'no newline at the end');
		assert.equal(clean.stdout, 'no newline at the end');
		assert.equal(clean.stderr, 'redacted 0 values\n');
	});

	void it('replaces the values of block findings too', () => {
		const key = fake.ageSecretKey();
		const text = `identity:\n${key}\n`;
		const scanned = JSON.parse(tracemint(['scan', '--json'], text).stdout) as ScanJson;
		assert.deepEqual(scanned.findings.map((f) => [f.ruleId, f.action]), [['age-secret-key', 'block']]);
		const run = tracemint(['redact'], text);
		assert.equal(run.code, 0, run.stderr);
		assert.equal(run.stdout, 'identity:\n[REDACTED:age-secret-key#1]\n');
	});

	void it('keeps bytes that are not valid UTF-8 exactly as they were', () => {
		const token = fake.githubPat();
		const input = Buffer.concat([Buffer.from([0xff, 0xfe, 0x80, 0x0a]), Buffer.from(`key ${token} `), Buffer.from([0xc3, 0x28])]);
		const run = spawnSync(process.execPath, [CLI, 'redact'], { input });
		assert.equal(run.status, 0, run.stderr.toString());
		const expected = Buffer.concat([Buffer.from([0xff, 0xfe, 0x80, 0x0a]), Buffer.from('key [REDACTED:github-pat#1] '), Buffer.from([0xc3, 0x28])]);
		assert.deepEqual(run.stdout, expected);
	});

	void it('--json gives the redacted text and counts per rule', () => {
		const token = fake.githubPat();
		const run = tracemint(['redact', '--json'], `a ${token}`);
		assert.equal(run.code, 0, run.stderr);
		assert.deepEqual(JSON.parse(run.stdout), { file: '-', text: 'a [REDACTED:github-pat#1]', redacted: { 'github-pat': 1 } });
		assert.equal(tracemint(['redact', '--json', '--jsonl'], '').code, 2);
	});
});

void describe('cli redact --jsonl', () => {
	void it('writes one {id,text} line per record, in order, ids as given, placeholders numbered per record', () => {
		const a = fake.githubPat();
		const b = fake.githubPat();
		const email = fake.email();
		const input = [
			{ id: 1, text: `first ${a} and ${b} and ${a}` },
			{ id: 'two', text: `second ${b}` },
			{ id: 3, text: 'clean', extra: `dropped ${a}` },
			{ id: 'four', text: `mail ${email}\nnext line` },
			{ text: 'no id' },
		].map((r) => JSON.stringify(r)).join('\n') + '\n';
		const run = tracemint(['redact', '--jsonl'], input);
		assert.equal(run.code, 0, run.stderr);
		assert.deepEqual(run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown), [
			{ id: 1, text: 'first [REDACTED:github-pat#1] and [REDACTED:github-pat#2] and [REDACTED:github-pat#1]' },
			{ id: 'two', text: 'second [REDACTED:github-pat#1]' },
			{ id: 3, text: 'clean' },
			{ id: 'four', text: 'mail [REDACTED:email-address#1]\nnext line' },
			{ id: null, text: 'no id' },
		]);
		assert.equal(run.stderr, '5 lines redacted, 0 bad lines skipped; replaced 5 values (github-pat 4, email-address 1)\n');
		for (const value of [a, b, email]) {
			assert.ok(!run.stdout.includes(value) && !run.stderr.includes(value));
		}
	});

	void it('names each bad line by number, skips it, still writes the others, and exits 1', () => {
		const token = fake.githubPat();
		const lines = [
			JSON.stringify({ id: 1, text: `one ${token}` }),
			JSON.stringify({ id: 2, text: 'two' }),
			`not json at all ${token}`,
			JSON.stringify({ id: 4, text: 'four' }),
			JSON.stringify({ id: 5, text: 42 }),
			'',
			JSON.stringify([6]),
			JSON.stringify({ id: 8, text: 'eight' }),
		];
		const input = lines.join('\r\n');
		for (const [args, source] of [[['redact', '--jsonl'], 'stdin'], [['redact', '--jsonl', writeTemp('corpus.jsonl', input)], '']] as const) {
			const run = tracemint([...args], input);
			assert.equal(run.code, 1);
			const where = source || args[2];
			const expected = 'expected a JSON object {"id","text"} with a string "text"';
			assert.equal(run.stderr, [
				`tracemint redact: ${where}:3: ${expected} (not valid JSON)`,
				`tracemint redact: ${where}:5: ${expected} ("text" is a number)`,
				`tracemint redact: ${where}:7: ${expected} (got an array)`,
				'4 lines redacted, 3 bad lines skipped; replaced 1 value (github-pat 1)',
				'',
			].join('\n'));
			assert.deepEqual(run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown), [
				{ id: 1, text: 'one [REDACTED:github-pat#1]' },
				{ id: 2, text: 'two' },
				{ id: 4, text: 'four' },
				{ id: 8, text: 'eight' },
			]);
			assert.ok(!run.stderr.includes(token));
		}
	});

	void it('streams a large input through in order', async () => {
		const total = 200_000;
		const token = fake.githubPat();
		async function* records() {
			let batch = '';
			for (let i = 0; i < total; i++) {
				batch += `${JSON.stringify({ id: i, text: i % 1000 === 0 ? `line ${i} key ${token}` : `line ${i}` })}\n`;
				if (batch.length > 64 * 1024) {
					yield batch;
					batch = '';
				}
			}
			yield batch;
		}
		const child = spawn(process.execPath, [CLI, 'redact', '--jsonl'], { stdio: ['pipe', 'pipe', 'pipe'] });
		let stderr = '';
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
		const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
		Readable.from(records()).pipe(child.stdin);
		let expectedId = 0;
		for await (const line of readline.createInterface({ input: child.stdout, crlfDelay: Infinity })) {
			const record = JSON.parse(line) as { id: number; text: string };
			assert.equal(record.id, expectedId);
			assert.equal(record.text, expectedId % 1000 === 0 ? `line ${expectedId} key [REDACTED:github-pat#1]` : `line ${expectedId}`);
			expectedId++;
		}
		assert.equal(await exited, 0, stderr);
		assert.equal(expectedId, total);
		assert.equal(stderr, `${total} lines redacted, 0 bad lines skipped; replaced ${total / 1000} values (github-pat ${total / 1000})\n`);
	});
});

void describe('cli scan and redact without a store', () => {
	void it('never create a store file, with --store or TRACEMINT_STORE', () => {
		const dir = tempDir();
		const store = path.join(dir, 'never.sqlite');
		const envStore = path.join(dir, 'env.sqlite');
		const file = writeTemp('in.txt', `k ${fake.githubPat()}`);
		const jsonl = `${JSON.stringify({ id: 1, text: 'x' })}\n`;
		const runs = [
			tracemint(['scan', file, '--store', store]),
			tracemint(['scan', '--json', '--store', store], 'text'),
			tracemint(['redact', file, '--store', store]),
			tracemint(['redact', '--jsonl', '--store', store], jsonl),
			tracemint(['scan', file], undefined, { TRACEMINT_STORE: envStore }),
			tracemint(['redact', '--jsonl'], jsonl, { TRACEMINT_STORE: envStore }),
		];
		assert.deepEqual(runs.map((r) => r.code), [1, 0, 0, 0, 1, 0]);
		assert.deepEqual(fs.readdirSync(dir), []);
	});
});

function escape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
