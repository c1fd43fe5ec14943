/**
 * Cursor `state.vscdb` importer. No real Cursor database is public, so the databases here are
 * built in the test, schema-faithful: the table definition (`cursorDiskKV(key TEXT UNIQUE ON
 * CONFLICT REPLACE, value BLOB)`, beside `ItemTable`), the key families and the fields follow the
 * public readers of this file: Dicklesworthstone/coding_agent_session_search
 * (src/connectors/cursor.rs: `composerData:` / `bubbleId:<composerId>:<bubbleId>` keys,
 * `fullConversationHeadersOnly[].bubbleId`, bubble `type` 1/2, `text`, `name`, `createdAt` ms,
 * `modelConfig.modelName`), michaeldhood/chatrxiv docs/cursor/storage-reference.md (schema dump,
 * `lastUpdatedAt`, `conversation[]`, `conversationMap`, `createdOnBranch`, `workspaceUris`,
 * `thinking{text}`, `tokenCount{inputTokens, outputTokens}`, ISO bubble `createdAt`), and
 * test fixtures of other readers for `toolFormerData{name, params | rawArgs, result, status}`
 * and JSON `null` rows. `toolFormerData.toolCallId` is assumed; without it ids are synthesised.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { cursorImporter } from '../../server/src/core/capture/cursor';
import type { ParseResult } from '../../server/src/core/capture/importer';
import { readHead } from '../../server/src/core/importing/discover';
import { ImportRunner } from '../../server/src/core/importing/importRunner';
import { TraceStore } from '../../server/src/core/store/store';
import { withDatabaseSnapshot } from '../../server/src/core/store/db';
import { Session, type Message } from '../../shared/model';
import { FIXTURES, filesUnder, noHome, tempDir, valueHead } from '../support/fixtures';

const A = 'aaaaaaaa-1111-4111-8111-111111111111';
const B = 'bbbbbbbb-2222-4222-8222-222222222222';
const C = 'cccccccc-3333-4333-8333-333333333333';
const D = 'dddddddd-4444-4444-8444-444444444444';

const composerA = {
	_v: 10, composerId: A, name: 'Fix the flaky login test', createdAt: 1766691308486, lastUpdatedAt: 1766692125731,
	modelConfig: { modelName: 'claude-4.5-sonnet', maxMode: false }, createdOnBranch: 'fix/login', status: 'completed',
	blobEncryptionKey: 'k-secret-blob', speculativeSummarizationEncryptionKey: 'k-secret-summary',
	fullConversationHeadersOnly: ['b1', 'b2', 'b3', 'b4', 'b5', 'b-missing', 'b6', 'b7'].map((bubbleId, i) => ({ bubbleId, type: [0, 6].includes(i) ? 1 : 2 })),
};

const bubblesA: Record<string, unknown> = {
	b1: { _v: 3, type: 1, bubbleId: 'b1', text: 'The login test fails one run in ten. Find out why.', createdAt: '2025-12-25T19:35:10.000Z', workspaceUris: ['file:///home/dev/shop'] },
	b2: { _v: 3, type: 2, bubbleId: 'b2', text: '', thinking: { text: 'Look at the test first.' }, createdAt: '2025-12-25T19:35:12.000Z' },
	b3: { _v: 3, type: 2, bubbleId: 'b3', text: '', createdAt: '2025-12-25T19:35:14.000Z',
		toolFormerData: { toolCallId: 'toolu_01', name: 'read_file', params: '{"targetFile":"test/login.test.ts"}', result: '{"contents":"it(\\"logs in\\")"}', status: 'completed' } },
	b4: { _v: 3, type: 2, bubbleId: 'b4', text: '', createdAt: '2025-12-25T19:35:20.000Z', tokenCount: { inputTokens: 0, outputTokens: 0 },
		toolFormerData: { name: 'run_terminal_cmd', rawArgs: '{"command":"npm test -- login"}', result: '1 failing', status: 'error' } },
	b5: { _v: 3, type: 2, bubbleId: 'b5', text: 'The test awaits a timer it never advances; it now uses fake timers.', createdAt: '2025-12-25T19:36:02.000Z', tokenCount: { inputTokens: 5120, outputTokens: 230 } },
	b6: { _v: 3, type: 1, bubbleId: 'b6', text: 'Run it again.', createdAt: '2025-12-25T19:40:00.000Z' },
	b7: { _v: 3, type: 2, bubbleId: 'b7', text: '', createdAt: '2025-12-25T19:40:03.000Z', toolFormerData: { name: 'run_terminal_cmd', params: { command: 'npm test' }, status: 'loading' } },
	'b-old': { _v: 3, type: 2, bubbleId: 'b-old', text: 'An answer the user discarded.' },
};

const composerB = {
	composerId: B, createdAt: 1710000000000, modelConfig: { modelName: 'default' },
	conversation: [{ type: 1, bubbleId: 'u1', text: 'What does this regex match?' }, { type: 2, bubbleId: 'a1', text: 'Dates like 2024-01-31.' }],
};

const composerC = { _v: 10, composerId: C, text: '', fullConversationHeadersOnly: [], conversationMap: {}, status: 'none', createdAt: 1766538343722 };

type Writer = InstanceType<typeof Database>;

function createTables(db: Writer): void {
	db.exec('CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB); CREATE TABLE cursorDiskKV (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB);');
}

function put(db: Writer, key: string, value: unknown, asBlob = false): void {
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	db.prepare('INSERT INTO cursorDiskKV (key, value) VALUES (?, ?)').run(key, asBlob ? Buffer.from(text) : text);
}

/** The whole fixture: composers A (modern), B (inline conversation), C (empty), stray and broken rows. */
function fillDatabase(db: Writer): void {
	createTables(db);
	db.prepare('INSERT INTO ItemTable (key, value) VALUES (?, ?)').run('cursorAuth/accessToken', 'item-table-secret-token');
	put(db, `composerData:${A}`, composerA);
	for (const [id, bubble] of Object.entries(bubblesA)) {
		put(db, `bubbleId:${A}:${id}`, bubble, id === 'b3');
	}
	put(db, `bubbleId:${A}:b-bad`, 'not json{');
	put(db, `bubbleId:${A}:b-null`, 'null');
	put(db, `checkpointId:${A}:1`, { files: ['secret-checkpoint'] });
	put(db, `composerData:${B}`, composerB);
	put(db, `composerData:${C}`, composerC);
	put(db, `bubbleId:${D}:x1`, { type: 1, bubbleId: 'x1', text: 'lost' });
}

/** `<root>/globalStorage/state.vscdb`, written in the default rollback-journal mode and closed. */
function fixtureDatabase(): { root: string; file: string } {
	const root = tempDir();
	fs.mkdirSync(path.join(root, 'globalStorage'));
	const file = path.join(root, 'globalStorage', 'state.vscdb');
	const db = new Database(file);
	fillDatabase(db);
	db.close();
	return { root, file };
}

function parseDatabase(file: string): ParseResult {
	return withDatabaseSnapshot(file, (db) => cursorImporter.parse([{ path: file, records: cursorImporter.readDatabase!(db, file) }]));
}

const shape = (messages: Message[]) => messages.map((m) => m.role + (m.tool_calls ? `+${m.tool_calls.length}` : ''));

void describe('cursor importer: state.vscdb rows to sessions', () => {
	const { file } = fixtureDatabase();
	const records = withDatabaseSnapshot(file, (db) => cursorImporter.readDatabase!(db, file));
	const result = parseDatabase(file);

	void it('reads only composerData and bubbleId rows, in key order, without Cursor\'s encryption keys', () => {
		assert.deepEqual(records.map((r) => (r.value as { key: string }).key), [
			`bubbleId:${A}:b-bad`, `bubbleId:${A}:b-null`, `bubbleId:${A}:b-old`, ...['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7'].map((b) => `bubbleId:${A}:${b}`),
			`bubbleId:${D}:x1`, `composerData:${A}`, `composerData:${B}`, `composerData:${C}`,
		]);
		assert.deepEqual(records.map((r) => r.line), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
		const all = records.map((r) => r.text).join('\n');
		assert.equal(all.includes('k-secret'), false);
		assert.equal(all.includes('item-table-secret-token'), false);
		assert.equal(all.includes('secret-checkpoint'), false);
		assert.deepEqual((records[5].value as { value: unknown }).value, bubblesA.b3, 'a BLOB value is decoded');
		assert.deepEqual((records[0].value as { value: unknown }).value, 'not json{');
		for (const record of records) {
			assert.deepEqual(JSON.parse(record.text), record.value);
		}
	});

	void it('makes one session per composer with messages, in conversation order', () => {
		assert.deepEqual(result.sessions.map((s) => s.id), [`cursor:${A}`, `cursor:${B}`]);
		const session = Session.parse(result.sessions[0]);
		assert.deepEqual(shape(session.messages), ['user', 'assistant+1', 'tool', 'assistant+1', 'tool', 'assistant', 'user', 'assistant+1']);
		assert.deepEqual(session.messages.map((m) => m.source_id), ['b1', 'b3', 'b3', 'b4', 'b4', 'b5', 'b6', 'b7']);
		assert.deepEqual(session.messages.map((m) => m.source?.line), [4, 6, 6, 7, 7, 8, 9, 10]);
		assert.ok(session.messages.every((m) => m.source?.file === file));
		assert.equal(session.title, 'Fix the flaky login test');
		assert.equal(session.agent, 'cursor');
		assert.equal(session.agent_version, null);
		assert.equal(session.parser_version, 1);
		assert.equal(session.cwd, '/home/dev/shop');
		assert.equal(session.git_branch, 'fix/login');
		assert.equal(session.model, 'claude-4.5-sonnet');
		assert.deepEqual(session.models, ['claude-4.5-sonnet']);
		assert.equal(session.started_at, '2025-12-25T19:35:08.486Z');
		assert.equal(session.ended_at, '2025-12-25T19:48:45.731Z');
		assert.deepEqual(session.usage, { input_tokens: 5120, output_tokens: 230, cache_read_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0 });
	});

	void it('turns toolFormerData into a call answered by its result, synthesising ids where Cursor has none', () => {
		const session = Session.parse(result.sessions[0]);
		const [, read, readResult, run, runResult, answer, , pending] = session.messages;
		assert.equal(read.reasoning, 'Look at the test first.', 'a thinking-only bubble belongs to the next output');
		assert.deepEqual(read.tool_calls, [{ id: 'toolu_01', type: 'function', function: { name: 'read_file', arguments: '{"targetFile":"test/login.test.ts"}' } }]);
		assert.deepEqual([readResult.tool_call_id, readResult.name, readResult.is_error, readResult.content], ['toolu_01', 'read_file', false, '{"contents":"it(\\"logs in\\")"}']);
		assert.deepEqual(run.tool_calls, [{ id: `cursor:${A}:call:2`, type: 'function', function: { name: 'run_terminal_cmd', arguments: '{"command":"npm test -- login"}' } }]);
		assert.deepEqual([runResult.tool_call_id, runResult.is_error, runResult.content], [`cursor:${A}:call:2`, true, '1 failing']);
		assert.equal(run.usage, undefined, 'zero token counts say nothing');
		assert.equal(answer.content, 'The test awaits a timer it never advances; it now uses fake timers.');
		assert.equal(answer.timestamp, '2025-12-25T19:36:02.000Z');
		assert.deepEqual(pending.tool_calls, [{ id: `cursor:${A}:call:3`, type: 'function', function: { name: 'run_terminal_cmd', arguments: '{"command":"npm test"}' } }]);
	});

	void it('reads the older inline conversation and ignores the "default" model name', () => {
		const session = Session.parse(result.sessions[1]);
		assert.deepEqual(session.messages.map((m) => [m.role, m.content, m.source?.line]), [['user', 'What does this regex match?', 13], ['assistant', 'Dates like 2024-01-31.', 13]]);
		assert.equal(session.title, 'What does this regex match?');
		assert.equal(session.model, null);
		assert.deepEqual(session.models, []);
		assert.equal(session.started_at, '2024-03-09T16:00:00.000Z');
		assert.equal(session.ended_at, null);
	});

	void it('reports every row it cannot use, with its line', () => {
		assert.deepEqual(result.warnings, [
			{ file, line: 1, message: `row bubbleId:${A}:b-bad does not hold a JSON object (expected a Cursor bubble); skipped` },
			{ file, line: 12, message: `bubble b-missing listed by composer ${A} is missing (expected row bubbleId:${A}:b-missing); skipped` },
			{ file, line: 3, message: `1 bubble row(s) of composer ${A} are not in its conversation (edited or discarded turns?); not imported` },
			{ file, line: 11, message: `1 bubble row(s) of composer ${D} have no composerData:${D} row; not imported` },
		]);
	});
});

void describe('cursor importer: through the import runner', () => {
	void it('imports a database and a second run changes nothing', () => {
		const { root } = fixtureDatabase();
		const store = TraceStore.open(path.join(tempDir(), 'store.sqlite'));
		const runner = new ImportRunner(store, [cursorImporter], noHome);
		const first = runner.run({ paths: [root] });
		assert.deepEqual(first.files, { scanned: 1, read: 1, unchanged: 0, rewritten: 0 });
		assert.equal(first.records, 14);
		assert.deepEqual(first.sessions, { added: 2, updated: 0, unchanged: 0 });
		assert.equal(first.messages, 8 + 2);
		assert.equal(first.warnings.length, 4);
		const second = runner.run({ paths: [root] });
		assert.deepEqual(second.files, { scanned: 1, read: 0, unchanged: 1, rewritten: 0 });
		assert.deepEqual(second.sessions, { added: 0, updated: 0, unchanged: 2 });
		const stored = store.db.prepare("SELECT count(*) AS n FROM raw_records WHERE text LIKE '%secret%'").get() as { n: number };
		assert.equal(stored.n, 0, 'no secret reaches the store');
		store.close();
	});

	void it('reads committed pages still in the -wal while Cursor holds the database open, and never locks it', () => {
		const root = tempDir();
		fs.mkdirSync(path.join(root, 'globalStorage'));
		const file = path.join(root, 'globalStorage', 'state.vscdb');
		const writer = new Database(file);
		try {
			assert.equal(writer.pragma('journal_mode = WAL', { simple: true }), 'wal');
			writer.pragma('wal_autocheckpoint = 0');
			createTables(writer);
			const headers = composerA.fullConversationHeadersOnly.slice(0, 5);
			put(writer, `composerData:${A}`, { ...composerA, fullConversationHeadersOnly: headers });
			for (const id of ['b1', 'b2', 'b3', 'b4', 'b5']) {
				put(writer, `bubbleId:${A}:${id}`, bubblesA[id]);
			}
			const mainBefore = fs.readFileSync(file);
			assert.equal(mainBefore.includes('composerData:'), false, 'the rows are only in the -wal');
			assert.equal(fs.readFileSync(`${file}-wal`).includes('composerData:'), true);

			const store = TraceStore.open(path.join(tempDir(), 'store.sqlite'));
			const runner = new ImportRunner(store, [cursorImporter], noHome);
			const first = runner.run({ paths: [root] });
			assert.deepEqual(first.warnings, []);
			assert.deepEqual(first.sessions, { added: 1, updated: 0, unchanged: 0 });
			assert.deepEqual(shape(store.sessions.get(`cursor:${A}`)!.messages), ['user', 'assistant+1', 'tool', 'assistant+1', 'tool', 'assistant']);
			assert.deepEqual(fs.readFileSync(file), mainBefore, 'the original was not checkpointed or written');

			// Cursor writes on while we import: no lock of ours is in its way.
			put(writer, `bubbleId:${A}:b6`, bubblesA.b6);
			put(writer, `composerData:${A}`, { ...composerA, fullConversationHeadersOnly: [...headers, { bubbleId: 'b6', type: 1 }] });
			const second = runner.run({ paths: [root] });
			assert.deepEqual(second.sessions, { added: 0, updated: 1, unchanged: 0 });
			assert.equal(store.sessions.get(`cursor:${A}`)!.messages.at(-1)?.content, 'Run it again.');
			const third = runner.run({ paths: [root] });
			assert.deepEqual(third.sessions, { added: 0, updated: 0, unchanged: 1 });
			store.close();
		} finally {
			writer.close();
		}
	});
});

void describe('cursor importer: where and what', () => {
	void it('looks in the Cursor user folder of each OS', () => {
		assert.deepEqual(cursorImporter.defaultRoots({ home: '/home/u', env: {}, platform: 'linux' }), ['/home/u/.config/Cursor/User/globalStorage']);
		assert.deepEqual(cursorImporter.defaultRoots({ home: '/home/u', env: { XDG_CONFIG_HOME: '/cfg' }, platform: 'linux' }), ['/cfg/Cursor/User/globalStorage']);
		assert.deepEqual(cursorImporter.defaultRoots({ home: '/Users/u', env: {}, platform: 'darwin' }), ['/Users/u/Library/Application Support/Cursor/User/globalStorage']);
		assert.deepEqual(cursorImporter.defaultRoots({ home: 'C:\\Users\\u', env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, platform: 'win32' }), ['C:\\Users\\u\\AppData\\Roaming\\Cursor\\User\\globalStorage']);
	});

	void it('takes state.vscdb only, as a SQLite database', () => {
		assert.equal(cursorImporter.isSessionFile('/x/Cursor/User/globalStorage/state.vscdb'), true);
		assert.equal(cursorImporter.isSessionFile('C:\\x\\globalStorage\\state.vscdb'), true);
		assert.equal(cursorImporter.isSessionFile('/x/globalStorage/state.vscdb-wal'), false);
		assert.equal(cursorImporter.isSessionFile('/x/globalStorage/state.vscdb.backup'), false);
		assert.equal(cursorImporter.layoutOf('/x/state.vscdb'), 'sqlite');
	});

	void it('sniffs a database with cursorDiskKV and nothing else', () => {
		const { file } = fixtureDatabase();
		assert.equal(cursorImporter.sniff(readHead(file)!), true);
		const plain = path.join(tempDir(), 'state.vscdb');
		const db = new Database(plain);
		db.exec('CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)');
		db.close();
		assert.equal(cursorImporter.sniff(readHead(plain)!), false, 'a VS Code state.vscdb has no cursorDiskKV');
		assert.equal(cursorImporter.sniff(valueHead({ key: 'composerData:x', value: {} })), false);
		const others = filesUnder(FIXTURES, '').filter((f) => !f.endsWith('.md'));
		assert.ok(others.length >= 20);
		for (const other of others) {
			assert.equal(cursorImporter.sniff(readHead(other)!), false, other);
		}
	});

	void it('reads nothing from a state.vscdb without cursorDiskKV', () => {
		const plain = path.join(tempDir(), 'state.vscdb');
		const db = new Database(plain);
		db.exec('CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)');
		db.close();
		assert.deepEqual(withDatabaseSnapshot(plain, (copy) => cursorImporter.readDatabase!(copy, plain)), []);
	});
});
