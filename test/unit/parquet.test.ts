/**
 * The Parquet copy of a JSONL split: every feature shape read back exactly (hyparquet), row groups
 * that stream, identical bytes on every write, and what pyarrow and `datasets` make of the file.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import type { Feature } from '../../server/src/core/export/formats/format';
import { jsonlToParquet } from '../../server/src/core/export/parquet';

const repoRoot = path.resolve(__dirname, '..', '..');
const dir = mkdtempSync(path.join(tmpdir(), 'tracemint-parquet-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const FEATURES: Record<string, Feature> = {
	id: 'string',
	ok: 'bool',
	turns: 'int64',
	reward: 'float64',
	meta: 'json',
	tags: { list: 'string' },
	messages: {
		list: {
			struct: {
				role: 'string',
				content: 'string',
				tool_calls: { list: { struct: { name: 'string', arguments: 'json' } } },
				args: { list: 'json' },
			},
		},
	},
	source: { struct: { agent: 'string', weight: 'float64' } },
};

const ROWS = [
	{
		id: 'héllo wörld 🦀 日本語 \u0000 tab\t"quote"',
		ok: true,
		turns: 9007199254740991,
		reward: 0.1 + 0.2,
		meta: { nested: [1, 'x', null, { deep: true }], n: -1.5e-7 },
		tags: ['a', '', 'ß'],
		messages: [
			{ role: 'user', content: 'fix the bug', tool_calls: [], args: [] },
			{
				role: 'assistant',
				content: null,
				tool_calls: [{ name: 'Edit', arguments: { path: 'a.ts', lines: [1, 2] } }, { name: 'Bash', arguments: 'ls -la' }],
				args: [42, 'text', [1, [2]], null, false],
			},
		],
		source: { agent: 'claude-code', weight: 0.5 },
	},
	{ id: '', ok: false, turns: -3, reward: 1e300, meta: 'just a string', tags: [], messages: [], source: { agent: null, weight: 2 } },
	{ id: null, ok: null, turns: null, reward: null, meta: null, tags: null, messages: null, source: null },
];

/** What the JS reader gives back: int64 as bigint, json as its JSON text. */
const EXPECTED = [
	{
		...ROWS[0],
		turns: 9007199254740991n,
		meta: JSON.stringify(ROWS[0].meta),
		messages: [
			{ role: 'user', content: 'fix the bug', tool_calls: [], args: [] },
			{
				role: 'assistant',
				content: null,
				tool_calls: [{ name: 'Edit', arguments: '{"path":"a.ts","lines":[1,2]}' }, { name: 'Bash', arguments: '"ls -la"' }],
				args: ['42', '"text"', '[1,[2]]', null, 'false'],
			},
		],
	},
	{ ...ROWS[1], turns: -3n, meta: '"just a string"' },
	ROWS[2],
];

let fileCount = 0;
function jsonl(rows: unknown[]): string {
	const file = path.join(dir, `in-${fileCount++}.jsonl`);
	writeFileSync(file, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
	return file;
}

function read(file: string) {
	const bytes = readFileSync(file);
	const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
	return { metadata: parquetMetadata(buffer), rows: async () => (await parquetReadObjects({ file: buffer })).map(nulls) };
}

/** hyparquet reads a null list or struct as undefined; Parquet has only null. */
function nulls(value: unknown): unknown {
	if (value === undefined) return null;
	if (Array.isArray(value)) return value.map(nulls);
	if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, nulls(v)]));
	return value;
}

void describe('jsonlToParquet', () => {
	void it('reads back every feature shape exactly', async () => {
		const out = path.join(dir, 'shapes.parquet');
		const result = await jsonlToParquet(jsonl(ROWS), out, FEATURES);
		assert.deepEqual(result, { rows: 3, bytes: readFileSync(out).length });
		const { metadata, rows } = read(out);
		assert.equal(metadata.created_by, 'tracemint');
		assert.ok(metadata.row_groups[0].columns.every((c) => c.meta_data?.codec === 'SNAPPY'));
		assert.deepEqual(await rows(), EXPECTED);
	});

	void it('writes the Parquet schema pyarrow writes for the same features', () => {
		const { metadata } = read(path.join(dir, 'shapes.parquet'));
		const schema = metadata.schema.map((e) => [e.name, e.repetition_type, e.type ?? e.converted_type ?? 'group']);
		assert.deepEqual(schema.slice(0, 9), [
			['schema', 'REQUIRED', 'group'],
			['id', 'OPTIONAL', 'BYTE_ARRAY'],
			['ok', 'OPTIONAL', 'BOOLEAN'],
			['turns', 'OPTIONAL', 'INT64'],
			['reward', 'OPTIONAL', 'DOUBLE'],
			['meta', 'OPTIONAL', 'BYTE_ARRAY'],
			['tags', 'OPTIONAL', 'LIST'],
			['list', 'REPEATED', 'group'],
			['element', 'OPTIONAL', 'BYTE_ARRAY'],
		]);
		assert.ok(metadata.schema.filter((e) => e.type === 'BYTE_ARRAY').every((e) => e.converted_type === 'UTF8'));
	});

	void it('streams row groups by row count and by text size', async () => {
		const rows = Array.from({ length: 9000 }, (_, i) => ({ id: `row-${i}`, ok: i % 2 === 0, turns: i, reward: i / 7, meta: { i }, tags: [String(i)], messages: [], source: null }));
		const input = jsonl(rows);
		const byDefault = path.join(dir, 'many.parquet');
		assert.equal((await jsonlToParquet(input, byDefault, FEATURES)).rows, 9000);
		const file = read(byDefault);
		assert.deepEqual(file.metadata.row_groups.map((g) => g.num_rows), [4096n, 4096n, 808n]);
		const back = await file.rows();
		assert.equal(back.length, 9000);
		assert.deepEqual(back[8999], { ...rows[8999], turns: 8999n, meta: '{"i":8999}' });

		const small = path.join(dir, 'small.parquet');
		await jsonlToParquet(input, small, FEATURES, { rowGroupRows: 1000, rowGroupChars: 10 * 1024 * 1024 });
		assert.equal(read(small).metadata.row_groups.length, 9);
		const line = JSON.stringify(rows[0]).length;
		await jsonlToParquet(input, small, FEATURES, { rowGroupChars: line * 100 });
		assert.ok(read(small).metadata.row_groups.length >= 90);
	});

	void it('writes identical bytes for the same input', async () => {
		const input = jsonl(ROWS);
		const a = path.join(dir, 'a.parquet');
		const b = path.join(dir, 'b.parquet');
		await jsonlToParquet(input, a, FEATURES);
		await jsonlToParquet(input, b, FEATURES);
		assert.ok(readFileSync(a).equals(readFileSync(b)));
	});

	void it('writes an empty file for an empty split', async () => {
		const out = path.join(dir, 'empty.parquet');
		assert.equal((await jsonlToParquet(jsonl([]), out, FEATURES)).rows, 0);
		assert.deepEqual(await read(out).rows(), []);
	});

	void it('rejects a value that does not fit its feature, naming the line and path, and leaves no file', async () => {
		const bad = path.join(dir, 'bad.parquet');
		const cases: [unknown, RegExp][] = [
			[{ ...ROWS[1], turns: 1.5 }, /line 2\.turns: expected an integer/],
			[{ ...ROWS[1], messages: [{ role: 7 }] }, /line 2\.messages\[0\]\.role: expected a string/],
			[{ ...ROWS[1], extra: 1 }, /line 2: "extra" is not a column/],
		];
		for (const [row, message] of cases) {
			await assert.rejects(jsonlToParquet(jsonl([ROWS[0], row]), bad, FEATURES), message);
			assert.ok(!existsSync(bad));
		}
		assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
	});
});

/** The repo's test venv (setup.sh installs it once, under a lock) if it has pyarrow, else python3 on PATH; undefined when neither does. */
function python(): string | undefined {
	const setup = spawnSync('bash', [path.join(repoRoot, 'test', 'python', 'setup.sh')], { encoding: 'utf8', timeout: 20 * 60_000 });
	const venv = setup.status === 0 ? setup.stdout.trim().split('\n').at(-1) : undefined;
	const candidates = [...(venv ? [venv] : []), 'python3'];
	return candidates.find((bin) => (bin === 'python3' || existsSync(bin)) && spawnSync(bin, ['-c', 'import pyarrow']).status === 0);
}

const PY_CHECK = String.raw`
import json, sys
import pyarrow as pa, pyarrow.parquet as pq
path, mode = sys.argv[1], sys.argv[2]
if mode == 'schema':
    s = pq.read_schema(path)
    out = {f.name: str(f.type) for f in s}
    out['_rows'] = pq.read_metadata(path).num_rows
    print(json.dumps(out))
else:
    import datasets
    from datasets import Features, Json, List, Value
    features = Features({
        'id': Value('string'), 'ok': Value('bool'), 'turns': Value('int64'), 'reward': Value('float64'), 'meta': Json(),
        'tags': List(Value('string')),
        'messages': List({'role': Value('string'), 'content': Value('string'), 'tool_calls': List({'name': Value('string'), 'arguments': Json()}), 'args': List(Json())}),
        'source': {'agent': Value('string'), 'weight': Value('float64')},
    })
    ds = datasets.load_dataset('parquet', data_files=path, split='train', features=features, cache_dir=sys.argv[3])
    print(json.dumps([dict(r) for r in ds]))
`;

void describe('jsonlToParquet read by pyarrow and datasets', () => {
	const bin = python();
	const file = path.join(dir, 'py.parquet');
	const run = (mode: string) => {
		const env = { ...process.env, HF_HOME: path.join(dir, 'hf'), HF_HUB_OFFLINE: '1', HF_DATASETS_OFFLINE: '1', HF_DATASETS_DISABLE_PROGRESS_BARS: '1' };
		const result = spawnSync(bin!, ['-c', PY_CHECK, file, mode, path.join(dir, 'hf', 'cache')], { encoding: 'utf8', env });
		assert.equal(result.status, 0, result.stderr);
		return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as unknown;
	};

	void it('has the Arrow schema of the features', async (t) => {
		if (!bin) return t.skip('no Python with pyarrow');
		await jsonlToParquet(jsonl(ROWS), file, FEATURES);
		assert.deepEqual(run('schema'), {
			id: 'string',
			ok: 'bool',
			turns: 'int64',
			reward: 'double',
			meta: 'string',
			tags: 'list<element: string>',
			messages: 'list<element: struct<role: string, content: string, tool_calls: list<element: struct<name: string, arguments: string>>, args: list<element: string>>>',
			source: 'struct<agent: string, weight: double>',
			_rows: 3,
		});
	});

	void it('loads with datasets, json columns decoded by the Json feature', async (t) => {
		if (!bin) return t.skip('no Python with pyarrow');
		if (spawnSync(bin, ['-c', 'import datasets; datasets.Json']).status !== 0) return t.skip('no datasets with the Json feature');
		await jsonlToParquet(jsonl(ROWS), file, FEATURES);
		assert.deepEqual(run('datasets'), ROWS);
	});
});
