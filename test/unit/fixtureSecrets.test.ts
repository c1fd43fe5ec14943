/**
 * The redaction engine against the real session logs in the repository (test/fixtures/sessions, media/samples/sessions)
 * and, when present next to the checkout, the larger shared set (../shared/fixtures/sessions):
 * - the exact findings per file are pinned (rule id and line:column, never the value), so any change in what the
 *   engine reports on real logs shows up in review;
 * - no finding falls on the ids, hashes and blobs that fill these logs;
 * - every value the engine finds in a raw fixture is absent from an export of that fixture, and the same holds for
 *   real fixtures with credentials of many kinds planted into prompts, tool calls, tool results and replies.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FORMAT_NAMES, type ExportReport } from '../../shared/dataset';
import { scanText } from '../../server/src/core/redact/scan';
import { Tracemint } from '../../server/src/core/tracemint';
import { FIXTURES, OPEN_GATES, REPO, filesUnder, tempDir } from '../support/fixtures';
import { seededChars } from '../support/seededChars';

const SAMPLES = path.join(REPO, 'media', 'samples', 'sessions');
const SHARED = path.join(REPO, '..', 'shared', 'fixtures', 'sessions');
const noHome = { home: '/nonexistent-home', env: {}, platform: 'linux' as const };

/** Session files under `root` (SOURCES.md describes them and is not one). */
function sessionFiles(root: string): string[] {
	return fs.readdirSync(root, { withFileTypes: true, recursive: true })
		.filter((e) => e.isFile() && e.name !== 'SOURCES.md')
		.map((e) => path.join(e.parentPath, e.name))
		.sort();
}

/** `rule@line:column` per finding. */
const findingsOf = (text: string): string[] => scanText(text).map((f) => `${f.ruleId}@${f.line}:${f.column}`);

/**
 * What the engine reports on each real fixture, by path under its root; a file not listed must have no finding.
 * Every candidate in these files (addresses, key/token/password/secret/Authorization mentions, URLs with user info,
 * connection strings, IPs, phone numbers, env dumps) was read by hand. The entries below are real personal data: the
 * gemini-cli session quotes a team roster with work addresses, and a SECURITY.md contact address.
 * Judged not to be findings, and pinned as such by their absence: `email@epam.com` and `example@epam.com`
 * (stand-ins in a prompt template), `git@github.com:` (an SSH remote), api keys shown as `"..."`, model ids,
 * tool/call/message ids, session UUIDs, git SHAs, thinking signatures, encrypted reasoning and base64 screenshots.
 */
const GEMINI_FINDINGS: Record<string, string[]> = {
	'gemini-cli/codemie-code/session-2025-12-01T21-45-5b959dae.json': [
		'email-address@112:4434', 'email-address@112:5379', 'email-address@112:5406', 'email-address@112:5430',
		'email-address@112:5460', 'email-address@112:5488',
		'email-address@218:6075',
		'email-address@271:10160', 'email-address@271:12495', 'email-address@271:12522', 'email-address@271:12546',
		'email-address@271:12576', 'email-address@271:12604',
	],
	'gemini-cli/codemie-code/session-2026-01-16T11-01-file-ops-37b7abef.json': ['email-address@158:4723'],
};
/** The repository's fixtures hold byte copies of the shared Gemini files, so the same findings. */
const EXPECTED: Record<string, Record<string, string[]>> = {
	'test/fixtures/sessions': GEMINI_FINDINGS,
	'media/samples/sessions': {},
	'shared/fixtures/sessions': GEMINI_FINDINGS,
};

const ROOTS: [label: string, dir: string][] = [
	['test/fixtures/sessions', FIXTURES],
	['media/samples/sessions', SAMPLES],
	['shared/fixtures/sessions', SHARED],
];

/** Shapes that fill agent logs and are never credentials. */
const NON_SECRET_SHAPES: [string, RegExp][] = [
	['uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i],
	['tool, call, message or request id', /^(?:srv)?toolu_(?:vrtx_|bdrk_)?\w+$|^(?:call|msg|req|resp|request|response|fc|rs)_[\w-]+$/],
	['hex digest or git sha', /^(?:[0-9a-f]{7,12}|[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$/i],
	['model id or version', /^(?:claude|gpt|gemini|o\d|anthropic|openai)[\w./:-]*$|^v?\d+(?:\.\d+){1,3}(?:[-+][\w.-]+)?$/i],
	['file path', /^(?:~|\.{1,2})?\/[\w.@/-]+$/],
];

/** Id-shaped strings that occur in the fixtures, to show the shape checks are not vacuous. */
const ID_SHAPES = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\b(?:srv)?toolu_[A-Za-z0-9_]{16,60}\b|\b(?:call|msg|req)_[A-Za-z0-9]{16,60}\b|\b[0-9a-f]{40}\b/g;

void describe('real session fixtures', () => {
	for (const [label, dir] of ROOTS) {
		void it(`${label}: reports exactly the pinned findings, none of them on an id, hash or path`, (t) => {
			if (!fs.existsSync(dir)) {
				t.skip(`${dir} not found`);
				return;
			}
			const files = sessionFiles(dir);
			assert.ok(files.length > 0, `no fixtures under ${dir}`);
			const expected = EXPECTED[label];
			const relative = files.map((f) => path.relative(dir, f).split(path.sep).join('/'));
			for (const name of Object.keys(expected)) assert.ok(relative.includes(name), `${label}/${name} is pinned but missing`);
			let ids = 0;
			for (const [i, file] of files.entries()) {
				const text = fs.readFileSync(file, 'utf8');
				assert.deepEqual(findingsOf(text), expected[relative[i]] ?? [], `${label}/${relative[i]}`);
				for (const f of scanText(text)) {
					const value = text.slice(f.start, f.end);
					for (const [shape, re] of NON_SECRET_SHAPES) assert.ok(!re.test(value), `${label}/${relative[i]}:${f.line}:${f.column} ${f.ruleId} fired on a ${shape}`);
				}
				ids += text.match(ID_SHAPES)?.length ?? 0;
			}
			assert.ok(ids > 0, 'the fixtures hold ids and hashes for the shape checks to mean something');
		});
	}

	void it('finds nothing in the ids and hashes of the fixtures, listed the way logs carry them', () => {
		const values = new Set<string>();
		for (const [, dir] of ROOTS.filter(([, d]) => fs.existsSync(d))) {
			for (const file of sessionFiles(dir)) for (const m of fs.readFileSync(file, 'utf8').matchAll(ID_SHAPES)) values.add(m[0]);
		}
		assert.ok(values.size > 100, `only ${values.size} ids`);
		const keys = ['id', 'uuid', 'sessionId', 'requestId', 'tool_use_id', 'call_id', 'leafUuid', 'commit_hash', 'agentId'];
		const text = [...values].map((v, i) => `{"${keys[i % keys.length]}":"${v}"} ${keys[i % keys.length]}=${v}`).join('\n');
		assert.deepEqual(scanText(text).map((f) => `${f.ruleId}=${text.slice(f.start, f.end)}`), []);
	});
});

/** Every string inside a parsed JSON value. */
function strings(value: unknown, out: string[] = []): string[] {
	if (typeof value === 'string') out.push(value);
	else if (Array.isArray(value)) for (const v of value) strings(v, out);
	else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
	return out;
}

/** The value as it reads once the JSON string it sits in is decoded (`a\"b` → `a"b`). */
function decoded(value: string): string {
	try {
		return JSON.parse(`"${value}"`) as string;
	} catch {
		return value;
	}
}

interface Exported {
	texts: string;
	strings: string[];
	report: ExportReport;
}

/** Imports `paths`, opts every session in and exports; returns the raw export text and every decoded string. */
async function exportAll(paths: string[]): Promise<Exported> {
	const dir = tempDir();
	const core = Tracemint.open(path.join(dir, 'store.sqlite'), noHome);
	try {
		core.importSessions({ paths });
		const ids = core.listSessions().map((s) => s.id);
		assert.ok(ids.length > 0, 'nothing imported');
		core.setConsent(ids, true, 'test');
		const report = await core.exportDataset({ out: path.join(dir, 'out'), formats: [...FORMAT_NAMES], ...OPEN_GATES });
		// Every file of the version: data in every format, card, manifest and reports.
		const files = filesUnder(report.out, '');
		const texts = files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
		const all = report.formats.flatMap((f) => f.files).flatMap((f) => fs.readFileSync(f.path, 'utf8').split('\n').filter(Boolean)).flatMap((line) => strings(JSON.parse(line)));
		return { texts, strings: all, report };
	} finally {
		core.close();
	}
}

/** Every value scanText finds in the raw files (and its JSON-decoded form) must be absent from the export. */
function assertNoneExported(files: string[], exported: Exported): number {
	let checked = 0;
	for (const file of files) {
		const text = fs.readFileSync(file, 'utf8');
		for (const f of scanText(text)) {
			const raw = text.slice(f.start, f.end);
			for (const value of new Set([raw, decoded(raw)])) {
				assert.ok(!exported.texts.includes(value), `${path.basename(file)}:${f.line}:${f.column} ${f.ruleId} value is in the export`);
				assert.ok(!exported.strings.some((s) => s.includes(value)), `${path.basename(file)}:${f.line}:${f.column} ${f.ruleId} value is in a decoded export string`);
			}
			checked++;
		}
	}
	return checked;
}

const r = seededChars(7_2026);
const b64url = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');

/** [rule expected to find it, the text to plant, the value that must never be exported]. */
function plantable(): [string, string, string][] {
	const pw = `${r('a', 14)}9`;
	const jwt = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: r('d', 8), iat: 1700000000 })}.${r('w', 43)}`;
	const list: [string, string][] = [
		['github-pat', `ghp_${r('a', 36)}`],
		['aws-access-key-id', `AKIA${r('A', 16)}`],
		['anthropic-api-key', `sk-ant-api03-${r('w', 93)}AA`],
		['openai-api-key', `sk-proj-${r('w', 74)}T3BlbkFJ${r('w', 74)}`],
		['slack-token', `xoxb-${r('d', 12)}-${r('d', 13)}-${r('a', 24)}`],
		['stripe-secret-key', `sk_live_${r('a', 24)}`],
		['npm-access-token', `npm_${r('a', 36)}`],
		['jwt', jwt],
		['email-address', `dev.${r('lower', 7)}@corp-mail.io`],
	];
	return [
		...list.map(([rule, value]): [string, string, string] => [rule, value, value]),
		['database-url-password', `postgres://app:${pw}@db.internal.corp:5432/app`, pw],
	];
}

/** Keys whose string values are conversation text, tool output or tool input in Claude Code and Codex logs. */
const TEXT_KEYS = new Set(['text', 'content', 'thinking', 'output', 'arguments', 'message']);
/** Keys whose object values are tool input: every string inside is an argument. */
const INPUT_KEYS = new Set(['input']);

/**
 * Appends planted values, round robin, to the text leaves of one log line: TEXT_KEYS strings, every string of a
 * tool input, and the string leaves of JSON carried in a string (Codex `arguments` and `output`).
 */
function plantInto(line: string, next: () => string): string {
	let parsed: unknown;
	try {
		parsed = JSON.parse(line);
	} catch {
		return line;
	}
	const walk = (value: unknown, key: string | undefined, args: boolean): unknown => {
		if (typeof value === 'string') {
			if (!args && !TEXT_KEYS.has(key ?? '')) return value;
			if (key === 'arguments' || key === 'output') {
				try {
					const inner: unknown = JSON.parse(value);
					if (inner && typeof inner === 'object') return JSON.stringify(walk(inner, undefined, true));
				} catch {
					// plain text output
				}
			}
			return `${value} ${next()}`;
		}
		if (Array.isArray(value)) return value.map((v) => walk(v, key, args));
		if (value && typeof value === 'object') {
			return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k, args || INPUT_KEYS.has(k))]));
		}
		return value;
	};
	return JSON.stringify(walk(parsed, undefined, false));
}

void describe('real fixtures in exports', () => {
	void it('no credential or personal data found in the raw fixtures survives an export of them', async () => {
		const roots = [FIXTURES, SAMPLES].filter((d) => fs.existsSync(d));
		const exported = await exportAll(roots);
		assert.ok(exported.report.sessions.exported > 0);
		const files = roots.flatMap(sessionFiles);
		assertNoneExported(files, exported);
		if (fs.existsSync(SHARED)) assertNoneExported(sessionFiles(SHARED), exported);
	});

	void it('credentials planted into real Claude Code and Codex sessions are all found and none is exported', async () => {
		const dir = tempDir();
		const planted = plantable();
		let n = 0;
		const next = (): string => planted[n++ % planted.length][1];
		const sources = [
			path.join(FIXTURES, 'claude-code', 'marot-spotter', 'short.jsonl'),
			path.join(FIXTURES, 'claude-code', 'marot-spotter', 'tool_heavy.jsonl'),
			path.join(FIXTURES, 'codex', 'codemie-code', 'rollout-2026-01-02T18-39-45-019b7f94-51b4-7593-922e-ba12b5b73b52.jsonl'),
		];
		const written: string[] = [];
		for (const source of sources) {
			const target = path.join(dir, path.relative(FIXTURES, source));
			fs.mkdirSync(path.dirname(target), { recursive: true });
			fs.writeFileSync(target, fs.readFileSync(source, 'utf8').split('\n').map((line) => plantInto(line, next)).join('\n'));
			written.push(target);
		}
		assert.ok(n >= planted.length * 3, `only ${n} values planted`);
		// Each planted value is found in the raw files by the rule meant for it...
		const raw = written.map((f) => fs.readFileSync(f, 'utf8'));
		for (const [rule, , value] of planted) {
			const hits = raw.flatMap((text) => scanText(text).filter((f) => text.slice(f.start, f.end) === value).map((f) => f.ruleId));
			assert.ok(hits.length > 0, `${rule} value was not found in the planted files`);
			assert.ok(hits.every((id) => id === rule), `${rule} value found as ${[...new Set(hits)].join(', ')}`);
		}
		// ...and neither it nor anything else the raw scan finds reaches the export, which still carries the sessions.
		const exported = await exportAll([dir]);
		assert.equal(exported.report.sessions.exported, sources.length);
		const checked = assertNoneExported(written, exported);
		assert.ok(checked >= n, `${checked} findings checked for ${n} planted values`);
		for (const [, , value] of planted) assert.ok(!exported.texts.includes(value));
		const placeholders = new Set(exported.texts.match(/\[REDACTED:[a-z0-9-]+#\d+\]/g));
		for (const [rule] of planted) assert.ok([...placeholders].some((p) => p.startsWith(`[REDACTED:${rule}#`)), `no ${rule} placeholder in the export`);
	});

	void it('credentials under credential-named keys of tool-call arguments are redacted', async () => {
		const dir = tempDir();
		const secret = `${r('a', 24)}7`;
		const password = `${r('a', 10)}&3x`;
		const source = path.join(FIXTURES, 'claude-code', 'marot-spotter', 'short.jsonl');
		const target = path.join(dir, 'project', 'short.jsonl');
		fs.mkdirSync(path.dirname(target), { recursive: true });
		fs.writeFileSync(target, fs.readFileSync(source, 'utf8').split('\n').map((line) => {
			if (!line.includes('"tool_use"')) return line;
			const record = JSON.parse(line) as { message: { content: { type: string; input: Record<string, unknown> }[] } };
			for (const block of record.message.content) if (block.type === 'tool_use') Object.assign(block.input, { api_key: secret, password });
			return JSON.stringify(record);
		}).join('\n'));
		const raw = fs.readFileSync(target, 'utf8');
		assert.ok(scanText(raw).some((f) => raw.slice(f.start, f.end) === secret), 'the raw scan finds the planted api_key');
		const exported = await exportAll([path.dirname(target)]);
		assert.equal(exported.report.sessions.exported, 1);
		assertNoneExported([target], exported);
	});

	void it('a real session with a private key pasted into it is not exported, and the key appears nowhere', async () => {
		const dir = tempDir();
		const body = Array.from({ length: 6 }, () => r('b', 64)).join('\n');
		const key = ['-----BEGIN', 'PRIVATE KEY-----'].join(' ') + `\n${body}\n` + ['-----END', 'PRIVATE KEY-----'].join(' ');
		const source = path.join(FIXTURES, 'claude-code', 'marot-spotter', 'short.jsonl');
		const target = path.join(dir, 'project', 'short.jsonl');
		fs.mkdirSync(path.dirname(target), { recursive: true });
		let once = false;
		fs.writeFileSync(target, fs.readFileSync(source, 'utf8').split('\n').map((line) => plantInto(line, () => {
			if (once) return '';
			once = true;
			return `cat id.pem\n${key}`;
		})).join('\n'));
		const raw = fs.readFileSync(target, 'utf8');
		assert.ok(scanText(raw).some((f) => f.action === 'block'), 'the planted key is not found in the raw file');
		const exported = await exportAll([path.dirname(target)]);
		assert.equal(exported.report.sessions.exported, 0);
		assert.equal(exported.report.sessions.blocked, 1);
		for (const line of body.split('\n')) assert.ok(!exported.texts.includes(line) && !exported.strings.some((s) => s.includes(line)));
		assertNoneExported([target], exported);
	});
});
