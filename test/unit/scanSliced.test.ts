import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { scanText, type Finding } from '../../server/src/core/redact/scan';
import { scanTextSliced, sliceBounds } from '../../server/src/core/redact/sliced';
import { FIXTURES, filesUnder } from '../support/fixtures';
import { seededChars, seededRandom } from '../support/seededChars';

const rand = seededRandom(7_2024_11);
const r = seededChars(rand);
/** A PEM block the size of an RSA 4096 key (about 3,300 characters), with real or JSON-escaped line breaks. */
const pem = (label: string, sep = '\n'): string =>
	[`-----BEGIN ${label}-----`, ...Array.from({ length: 50 }, () => r('b', 64)), `-----END ${label}-----`].join(sep);
const SECRETS: (() => string)[] = [
	() => `token ghp_${r('a', 36)}`,
	() => `export OPENAI_API_KEY=sk-proj-${r('w', 156)}`,
	() => `AKIA${r('A', 16)}`,
	() => `AWS_SECRET_ACCESS_KEY=${r('b', 40)}`,
	() => `curl -H "Authorization: Bearer ${r('a', 40)}" https://api.internal.corp`,
	() => `DATABASE_URL=postgres://app:${r('a', 20)}@db.internal.corp:5432/app`,
	() => `client_secret: ${r('a', 32)}7`,
	() => 'Contact jane.roe@mailhost.io for access',
	() => `xoxb-${r('h', 12).replace(/[a-f]/g, '7')}-${r('h', 13).replace(/[a-f]/g, '3')}-${r('a', 24)}`,
	() => 'resolver 8.8.4.4',
];
const secret = (): string => SECRETS[Math.floor(rand() * SECRETS.length)]();

const brief = (fs: Finding[]): string[] => fs.map((f) => `${f.ruleId}@${f.start}-${f.end} ${f.line}:${f.column}${f.fingerprint ? ` ${f.fingerprint.slice(0, 8)}` : ''}`);

async function assertSame(text: string, sliceChars: number, overlapChars: number, options = {}): Promise<Finding[]> {
	const whole = scanText(text, options);
	const sliced = await scanTextSliced(text, options, { sliceChars, overlapChars });
	assert.deepEqual(brief(sliced), brief(whole), `slice ${sliceChars} overlap ${overlapChars}`);
	assert.deepEqual(sliced, whole);
	return whole;
}

/** Filler lines of ordinary session text, from the real fixtures. */
const fixtureText = filesUnder(FIXTURES, '.jsonl').map((f) => fs.readFileSync(f, 'utf8')).join('\n');
const fixtureLines = fixtureText.split('\n').filter((l) => l.length > 0 && l.length < 4000);

void describe('sliceBounds', () => {
	void it('cuts at line starts, and inside a long line never in the middle of a base64 run', () => {
		const blob = `data:image/png;base64,${r('b', 30_000)}`;
		const text = `${fixtureLines.slice(0, 200).join('\n')}\n${'word '.repeat(8000)}${blob} tail\n${fixtureLines.slice(200, 400).join('\n')}`;
		const cuts = sliceBounds(text, 10_000);
		assert.equal(cuts[0], 0);
		assert.equal(cuts.at(-1), text.length);
		const b64 = /[A-Za-z0-9+/=]/;
		for (let i = 1; i < cuts.length - 1; i++) {
			assert.ok(cuts[i] > cuts[i - 1]);
			const atLineStart = text[cuts[i] - 1] === '\n';
			assert.ok(atLineStart || !b64.test(text[cuts[i] - 1]), `cut ${cuts[i]} splits a base64 run`);
		}
		const blobStart = text.indexOf(blob);
		assert.ok(!cuts.some((c) => c > blobStart + 22 && c < blobStart + blob.length), 'a cut inside the blob');
		assert.ok(cuts.some((c) => text[c - 1] !== '\n'), 'no cut inside the long line was exercised');
	});
});

void describe('scanTextSliced', () => {
	void it('equals scanText on the real session fixtures concatenated', async () => {
		const whole = await assertSame(fixtureText, 50_000, 8_000);
		await assertSame(fixtureText, 200_000, 64_000);
		await assertSame(fixtureText, 200_000, 64_000, { kinds: ['pii'], fingerprintKey: 'k' });
		const publicDir = path.join(__dirname, '..', '..', '..', 'shared', 'fixtures', 'secrets');
		if (fs.existsSync(publicDir)) {
			// With the labelled texts of the public corpora interleaved, every rule has something to find.
			const labelled = fs.readdirSync(publicDir).filter((f) => f.endsWith('.jsonl'))
				.flatMap((f) => fs.readFileSync(path.join(publicDir, f), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { text: string }).text));
			const mixed = fixtureLines.flatMap((l, i) => [l, labelled[i % labelled.length]]).join('\n');
			const found = await assertSame(mixed, 60_000, 16_000);
			assert.ok(found.length > whole.length);
		}
	});

	void it('equals scanText with secrets at, just before and just after every slice boundary', async () => {
		// Blocks of exactly `sliceChars` characters, each ending with a secret line and starting with two secrets, so
		// every cut falls between a secret and the next.
		const sliceChars = 20_000;
		let k = 0;
		const blocks: string[] = [];
		for (let b = 0; b < 12; b++) {
			const head = `${secret()} ${secret()}\n`;
			const tail = `${secret()}\n`;
			let mid = '';
			for (;;) {
				const line = fixtureLines[k % fixtureLines.length];
				if (head.length + mid.length + line.length + 1 + tail.length + 1 > sliceChars) break;
				mid += `${line}\n`;
				k++;
			}
			mid += `${' '.repeat(sliceChars - head.length - mid.length - tail.length - 1)}\n`;
			blocks.push(head + mid + tail);
		}
		const text = blocks.join('');
		assert.deepEqual(sliceBounds(text, sliceChars), blocks.map((_, i) => i * sliceChars).concat(text.length));
		const found = await assertSame(text, sliceChars, 4_000);
		for (let b = 1; b < blocks.length; b++) {
			const cut = b * sliceChars;
			assert.ok(found.some((f) => f.start < cut && f.start > cut - 300), `no finding just before cut ${cut}`);
			assert.ok(found.some((f) => f.start >= cut && f.start < cut + 300), `no finding just after cut ${cut}`);
		}
		for (const sliceSize of [7_000, 13_001, 31_000]) await assertSame(text, sliceSize, 4_000);
	});

	void it('finds PEM keys (plain and JSON-escaped) that span a slice boundary', async () => {
		const parts: string[] = [];
		for (let i = 0; i < 40; i++) {
			parts.push(fixtureLines.slice(i * 10, i * 10 + 10).join('\n'));
			parts.push(i % 2 === 0 ? `cat id_rsa\n${pem('RSA PRIVATE KEY')}` : JSON.stringify({ type: 'tool_result', content: `${pem('PRIVATE KEY')}\n` }));
		}
		const text = parts.join('\n');
		for (const sliceChars of [5_000, 9_000, 20_000]) {
			const found = await assertSame(text, sliceChars, 8_000);
			const keys = found.filter((f) => f.action === 'block');
			assert.equal(keys.length, 40);
			const cuts = sliceBounds(text, sliceChars);
			assert.ok(keys.some((k) => cuts.some((c) => c > k.start && c < k.end)), 'no key crossed a cut');
		}
	});

	void it('masks an encoded blob that spans several slices exactly as the whole scan does', async () => {
		// A token shape inside base64 (after a `/`) would be found if the blob were not masked.
		const inner = `${r('b', 60_000)}/SK${r('h', 32)}/${r('b', 60_000)}`;
		const text = `${fixtureLines.slice(0, 50).join('\n')}\n<img src="data:image/png;base64,${inner}">\n${secret()}\n${fixtureLines.slice(50, 100).join('\n')}`;
		const whole = await assertSame(text, 25_000, 4_000);
		assert.ok(!whole.some((f) => f.ruleId === 'twilio-api-key'));
		// And the same token outside the blob is found by both.
		await assertSame(text.replace('data:image/png;base64,', 'see '), 25_000, 4_000);
	});

	void it('finds a value far from any other keyword of its rule, in whichever slice it falls', async () => {
		// `passwd=` is a keyword of the URL-parameter rule (since rules v4); before, only a `token=` elsewhere enabled the rule for it.
		// (The password rule, which would also take it, is disabled.)
		const far = `${'filler line without the words\n'.repeat(2000)}`;
		const withOther = `see ?token=short\n${far}GET https://api.internal.corp/v1?passwd=${r('a', 24)}\n`;
		const options = { disabledRules: ['password-assignment'] };
		const found = await assertSame(withOther, 10_000, 2_000, options);
		assert.ok(found.some((f) => f.ruleId === 'url-credential-param'));
		const alone = withOther.replace('?token=short', 'nothing here');
		assert.deepEqual((await assertSame(alone, 10_000, 2_000, options)).map((f) => f.ruleId), ['url-credential-param']);
	});

	void it('handles long lines, CRLF, non-ASCII text and texts shorter than a slice', async () => {
		const text = [
			`${'é ü 中文 '.repeat(5000)}${secret()} ${'x y '.repeat(3000)}${secret()}`,
			...fixtureLines.slice(0, 100),
			`${secret()}\r\n${secret()}\r\n`,
			`\u0130\u212a ${secret()}`,
		].join('\r\n');
		await assertSame(text, 6_000, 1_500);
		await assertSame(text, 100_000, 1_500);
		await assertSame('', 10, 5);
		// Tiny slices are still exact while the overlap holds every match.
		for (let i = 0; i < 20; i++) await assertSame(`${secret()}\n${secret()} ${secret()}`, 10, 400);
	});

	void it('lets the event loop run between slices', async () => {
		let ticks = 0;
		const timer = setInterval(() => ticks++, 0);
		try {
			const text = Array.from({ length: 12 }, () => fixtureText.slice(0, 100_000)).join('\n');
			await scanTextSliced(text, {}, { sliceChars: 100_000, overlapChars: 4_000 });
		} finally {
			clearInterval(timer);
		}
		assert.ok(ticks > 0, 'no timer ran while the text was scanned');
	});
});
