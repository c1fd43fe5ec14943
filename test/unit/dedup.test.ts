/**
 * Deduplication: what normalisation folds away and what it keeps, the signature (pinned, so it is
 * the same on every machine), MinHash accuracy, the LSH parameters, and clustering at scale.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Message, Session } from '../../shared/model';
import { candidateProbability, lshParameters, nearDuplicateClusters, type MinhashItem } from '../../server/src/core/gates/dedup/lsh';
import { estimateJaccard, minhashSignature, PERMUTATIONS, wordsOf } from '../../server/src/core/gates/dedup/minhash';
import { dedupText, normaliseText } from '../../server/src/core/gates/dedup/normalise';
import { dedupSignature } from '../../server/src/core/gates/dedup/signature';

type Turn = Pick<Message, 'role' | 'content'> & Partial<Message>;
const chat = (...turns: Turn[]): Pick<Session, 'messages'> => ({ messages: turns.map((t) => ({ context: null, ...t })) });

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
	};
}

function randomWords(n: number, seed: number, vocabulary = 5000): string[] {
	const next = random(seed);
	return Array.from({ length: n }, () => `w${Math.floor(next() * vocabulary)}`);
}

/** The words with every `every`-th one replaced. */
function edited(words: readonly string[], every: number): string[] {
	return words.map((w, i) => (i % every === every - 1 ? `${w}x` : w));
}

void describe('normalisation', () => {
	const cases: [string, string, string][] = [
		['whitespace and case', 'Fix   the\n\tBUG', 'fix the bug'],
		['compatibility forms', 'ﬁle Ｆｕｌｌ', 'file full'],
		['uuids', 'session 123e4567-E89B-12d3-a456-426614174000 ended', 'session <uuid> ended'],
		['tool-call and message ids', 'toolu_01A2b3C4d5E6f7, call_abc123XYZ, msg_0123456789', '<id>, <id>, <id>'],
		['date-times, not bare dates', 'at 2025-03-04T05:06:07.123Z / 2025-03-04 05:06:07+02:00, due 2025-03-04', 'at <time> / <time>, due 2025-03-04'],
		['long hex ids, not short shas or words', 'commit 4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39 (4f2a9c1) deadbeefcafebabe', 'commit <hex> (4f2a9c1) deadbeefcafebabe'],
		['the random folder of a temp dir', 'wrote /tmp/tmpa8x9k2/out.txt and /var/folders/xy/abc123/T/jest_k2/x.js', 'wrote <tmp>/out.txt and <tmp>/x.js'],
		['Windows temp and home folders', 'C:\\Users\\Bob\\AppData\\Local\\Temp\\tmp123\\f.txt C:\\Users\\Bob\\src', '<tmp>\\f.txt ~\\src'],
		['home folders, not a project tmp folder', 'cd /home/alice/src/api && ls /Users/Bob/proj src/tmp/keep', 'cd ~/src/api && ls ~/proj src/tmp/keep'],
	];
	for (const [name, input, expected] of cases) {
		void it(name, () => assert.equal(normaliseText(input), expected));
	}

	void it('compares real turns and tool calls; context and reasoning are left out; argument key order does not matter', () => {
		const a = chat(
			{ role: 'user', content: 'Read the config' },
			{ role: 'user', content: '<environment_context>cwd /x</environment_context>', context: 'environment' },
			{ role: 'assistant', content: '', reasoning: 'I should read it', tool_calls: [{ id: 'toolu_01abcdefgh', type: 'function', function: { name: 'Read', arguments: '{"path":"a.json","limit":5}' } }] },
			{ role: 'tool', content: '{"ok": true}', tool_call_id: 'toolu_01abcdefgh' },
		);
		const b = chat(
			{ role: 'user', content: 'read   the config' },
			{ role: 'assistant', content: '', reasoning: 'Let me look', tool_calls: [{ id: 'toolu_99zyxwvuts', type: 'function', function: { name: 'Read', arguments: '{"limit": 5, "path": "a.json"}' } }] },
			{ role: 'tool', content: '{"ok": true}', tool_call_id: 'toolu_99zyxwvuts' },
		);
		assert.equal(dedupText(a), 'user: read the config\nassistant: call read {"limit":5,"path":"a.json"}\ntool: {"ok": true}');
		assert.equal(dedupText(a), dedupText(b));
		assert.equal(dedupSignature(a).exactHash, dedupSignature(b).exactHash);
	});
});

void describe('dedup signature', () => {
	const session = chat(
		{ role: 'user', content: 'Add a retry to the HTTP client and run the tests' },
		{ role: 'assistant', content: 'I will add exponential backoff to fetchJson in src/http.ts, then run npm test.' },
		{ role: 'tool', content: 'PASS test/http.test.ts (4 tests) at 2025-01-02T03:04:05Z' },
		{ role: 'assistant', content: 'Done: fetchJson retries three times with backoff; all tests pass.' },
	);

	void it('is pinned: the same hash and MinHash values on every machine', () => {
		const signature = dedupSignature(session);
		assert.equal(dedupText(session).split('\n')[2], 'tool: pass test/http.test.ts (4 tests) at <time>');
		assert.equal(signature.exactHash, createHash('sha256').update(dedupText(session)).digest('hex'));
		assert.equal(signature.exactHash, PINNED_EXACT_HASH);
		assert.deepEqual(signature.minhash.slice(0, 6), PINNED_MINHASH_PREFIX);
	});

	void it('is 128 unsigned 32-bit numbers that survive JSON', () => {
		const { minhash } = dedupSignature(session);
		assert.equal(minhash.length, PERMUTATIONS);
		assert.ok(minhash.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32));
		assert.deepEqual(JSON.parse(JSON.stringify(minhash)), minhash);
	});

	void it('two runs differing only in minted values are exact duplicates; a changed word is not', () => {
		const rerun = chat(
			{ role: 'user', content: 'add a retry to the HTTP client and run the tests ' },
			{ role: 'assistant', content: 'I will add exponential backoff to fetchJson in src/http.ts, then run npm test.' },
			{ role: 'tool', content: 'PASS test/http.test.ts (4 tests) at 2025-06-30T23:59:59Z' },
			{ role: 'assistant', content: 'Done: fetchJson retries three times with backoff; all tests pass.' },
		);
		const changed = chat(...session.messages.slice(0, 3), { role: 'assistant', content: 'Done: fetchJson retries five times with backoff; all tests pass.' });
		assert.equal(dedupSignature(rerun).exactHash, dedupSignature(session).exactHash);
		assert.notEqual(dedupSignature(changed).exactHash, dedupSignature(session).exactHash);
	});
});

void describe('MinHash', () => {
	void it('estimates the Jaccard similarity of shingle sets', () => {
		// Single-word shingles over w0..w999 and a shifted copy: J = (n - s) / (n + s).
		const n = 1000;
		const range = (from: number) => Array.from({ length: n }, (_, i) => `w${from + i}`);
		for (const shift of [0, 50, 111, 333, 1000]) {
			const expected = (n - shift) / (n + shift);
			const estimate = estimateJaccard(minhashSignature(range(0), PERMUTATIONS, 1), minhashSignature(range(shift), PERMUTATIONS, 1));
			// Standard error at 128 permutations is at most 0.045; allow three of them.
			assert.ok(Math.abs(estimate - expected) < 0.135, `shift ${shift}: ${estimate} vs ${expected}`);
		}
	});

	void it('gives a text shorter than a shingle one shingle, and an empty text a signature of its own', () => {
		assert.equal(estimateJaccard(minhashSignature(['a', 'b']), minhashSignature(['a', 'b'])), 1);
		assert.equal(estimateJaccard(minhashSignature(['a', 'b']), minhashSignature(['a', 'c'])), 0);
		assert.equal(estimateJaccard(minhashSignature([]), minhashSignature(['a'])), 0);
	});

	void it('words are letter and digit runs', () => {
		assert.deepEqual(wordsOf('fix: src/http.ts — retry_count=3; naïve'), ['fix', 'src', 'http', 'ts', 'retry_count', '3', 'naïve']);
	});

	void it('refuses signatures of different lengths', () => {
		assert.throws(() => estimateJaccard([1, 2], [1]), /same, non-zero length/);
	});
});

void describe('LSH', () => {
	void it('derives bands and rows from the threshold', () => {
		assert.deepEqual(lshParameters(0.8), { bands: 21, rows: 6 });
		assert.deepEqual(lshParameters(0.85), { bands: 16, rows: 8 });
		assert.deepEqual(lshParameters(0.9), { bands: 12, rows: 10 });
		assert.deepEqual(lshParameters(1), { bands: 1, rows: 128 });
		for (const t of [0.3, 0.5, 0.8, 0.85, 0.9, 0.95]) {
			const p = lshParameters(t);
			assert.ok(p.bands * p.rows <= PERMUTATIONS);
			assert.ok(candidateProbability(t, p) >= 0.99, `recall at ${t}`);
		}
		assert.ok(candidateProbability(0.3, lshParameters(0.85)) < 0.01, 'dissimilar pairs are rarely candidates');
	});

	void it('clusters sessions that differ by a few words, not dissimilar ones', () => {
		const base = randomWords(400, 1);
		const items: MinhashItem[] = [
			{ id: 'a', minhash: minhashSignature(base) },
			{ id: 'b', minhash: minhashSignature(edited(base, 200)) },
			{ id: 'c', minhash: minhashSignature(randomWords(400, 2)) },
			{ id: 'd', minhash: minhashSignature(randomWords(400, 3)) },
		];
		assert.ok(estimateJaccard(items[0].minhash, items[1].minhash) >= 0.85);
		assert.deepEqual(nearDuplicateClusters(items, 0.85), [['a', 'b']]);
		assert.deepEqual(nearDuplicateClusters(items.slice(2), 0.85), []);
	});

	void it('links chains (single linkage) and ignores input order', () => {
		const base = randomWords(600, 4);
		const step1 = edited(base, 100);
		const step2 = edited(step1, 90);
		const items: MinhashItem[] = [
			{ id: 'z', minhash: minhashSignature(step2) },
			{ id: 'm', minhash: minhashSignature(base) },
			{ id: 'q', minhash: minhashSignature(step1) },
			{ id: 'x', minhash: minhashSignature(randomWords(600, 5)) },
		];
		const [z, m, q] = items.map((item) => item.minhash);
		assert.ok(estimateJaccard(m, q) >= 0.85 && estimateJaccard(q, z) >= 0.85, 'each step is a near duplicate');
		assert.ok(estimateJaccard(m, z) < 0.85, 'the ends are not');
		const clusters = nearDuplicateClusters(items, 0.85);
		assert.deepEqual(clusters, [['m', 'q', 'z']]);
		assert.deepEqual(nearDuplicateClusters([...items].reverse(), 0.85), clusters);
	});

	void it('clusters 5000 sessions by bands (every planted near duplicate found, nothing else)', () => {
		const items: MinhashItem[] = [];
		for (let i = 0; i < 4900; i++) {
			items.push({ id: `s${String(i).padStart(4, '0')}`, minhash: minhashSignature(randomWords(300, 1000 + i)) });
		}
		for (let i = 0; i < 100; i++) {
			items.push({ id: `s${String(i).padStart(4, '0')}-copy`, minhash: minhashSignature(edited(randomWords(300, 1000 + i), 150)) });
		}
		const clusters = nearDuplicateClusters(items, 0.85);
		assert.equal(clusters.length, 100);
		for (const cluster of clusters) {
			assert.deepEqual(cluster, [cluster[0], `${cluster[0]}-copy`]);
		}
	});

	void it('a bucket of 3000 identical signatures is one cluster', () => {
		const minhash = minhashSignature(randomWords(50, 9));
		const clusters = nearDuplicateClusters(Array.from({ length: 3000 }, (_, i) => ({ id: `s${i}`, minhash })), 0.9);
		assert.equal(clusters.length, 1);
		assert.equal(clusters[0].length, 3000);
	});
});

/** sha256 of "user: add a retry to the http client and run the tests\nassistant: i will add … tool: pass … at <time>\n…". */
const PINNED_EXACT_HASH = '1c38171e70eb0490771b1c04d5d68686cc7ffaeadbb379b1418d76d97842529d';
const PINNED_MINHASH_PREFIX = [13052103, 11055845, 142721286, 24481687, 4276159, 3612732];
