import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { splitJsonLines } from '../../server/src/core/importing/lines';
import { resolveStorePath, defaultDataDir } from '../../server/src/core/paths';
import { loadSqliteDriver, openDatabase, StoreTooNewError } from '../../server/src/core/store/db';
import { migrations } from '../../server/src/core/store/migrations';
import { tempDir } from '../support/fixtures';

void describe('store', () => {
	void it('migrates a new file to the latest version with WAL, a busy timeout and STRICT tables', () => {
		const file = path.join(tempDir(), 'a', 'store.sqlite');
		const db = openDatabase(file);
		assert.equal(db.pragma('user_version', { simple: true }), migrations.length);
		assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
		assert.equal(db.pragma('busy_timeout', { simple: true }), 5000);
		const tables = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table'").all() as { name: string; sql: string }[];
		assert.deepEqual(tables.map((t) => t.name).sort(), [
			'consent', 'consent_log', 'findings', 'forgotten_sessions', 'import_groups', 'messages', 'rating_log', 'ratings', 'raw_records',
			'review_log', 'session_blocks', 'session_scans', 'session_scores', 'session_signals', 'sessions', 'source_files', 'store_keys', 'training_runs', 'value_reviews',
		]);
		for (const t of tables) {
			assert.match(t.sql, /STRICT/, `${t.name} is STRICT`);
		}
		db.close();
	});

	void it('upgrades a version-1 store in place, keeping its sessions, and gives it a fingerprint key', () => {
		const file = path.join(tempDir(), 'v1.sqlite');
		const v1 = new (loadSqliteDriver())(file);
		v1.transaction(() => {
			migrations[0](v1);
			v1.pragma('user_version = 1');
		})();
		v1.prepare(`INSERT INTO consent (session_id, opted_in, changed_at) VALUES ('codex:x', 1, '2026-01-01T00:00:00Z')`).run();
		v1.close();
		const db = openDatabase(file);
		assert.equal(db.pragma('user_version', { simple: true }), migrations.length);
		assert.equal((db.prepare('SELECT count(*) AS n FROM consent').get() as { n: number }).n, 1);
		const key = db.prepare(`SELECT value FROM store_keys WHERE name = 'fingerprint'`).get() as { value: Buffer };
		assert.equal(key.value.length, 32);
		db.close();
	});

	void it('refuses a store written by a newer version instead of downgrading it', () => {
		const file = path.join(tempDir(), 'newer.sqlite');
		const db = openDatabase(file);
		db.pragma(`user_version = ${migrations.length + 1}`);
		db.close();
		assert.throws(() => openDatabase(file), (e: unknown) => e instanceof StoreTooNewError && /newer than this Tracemint understands/.test(e.message));
	});

	void it('re-opening an up-to-date store changes nothing', () => {
		const file = path.join(tempDir(), 'again.sqlite');
		openDatabase(file).close();
		const db = openDatabase(file);
		assert.equal(db.pragma('user_version', { simple: true }), migrations.length);
		db.close();
	});
});

void describe('store location', () => {
	const loc = (platform: NodeJS.Platform, env: Record<string, string> = {}) => ({ home: '/home/u', env, platform });
	void it('uses the XDG data dir on Linux, Application Support on macOS, APPDATA on Windows', () => {
		assert.equal(defaultDataDir(loc('linux')), path.join('/home/u', '.local', 'share', 'tracemint'));
		assert.equal(defaultDataDir(loc('linux', { XDG_DATA_HOME: '/xdg' })), path.join('/xdg', 'tracemint'));
		assert.equal(defaultDataDir(loc('darwin')), path.join('/home/u', 'Library', 'Application Support', 'Tracemint'));
		assert.equal(defaultDataDir(loc('win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' })), path.join('C:\\Users\\u\\AppData\\Roaming', 'Tracemint'));
	});
	void it('prefers --store, then TRACEMINT_STORE, then the default', () => {
		assert.equal(resolveStorePath('/x/s.db', loc('linux', { TRACEMINT_STORE: '/env.db' })), path.resolve('/x/s.db'));
		assert.equal(resolveStorePath(undefined, loc('linux', { TRACEMINT_STORE: '/env.db' })), path.resolve('/env.db'));
		assert.equal(resolveStorePath('', loc('linux')), path.join('/home/u', '.local', 'share', 'tracemint', 'traces.sqlite'));
	});
});

void describe('splitJsonLines', () => {
	const split = (text: string, base = 0, line = 0) => splitJsonLines(Buffer.from(text), base, line);

	void it('leaves a torn last line for the next read', () => {
		const r = split('{"a":1}\n{"b":');
		assert.equal(r.records.length, 1);
		assert.equal(r.consumed, 8);
		assert.equal(r.torn, true);
		assert.equal(r.lines, 1);
	});

	void it('takes a complete last line without a newline', () => {
		const r = split('{"a":1}\n{"b":2}');
		assert.deepEqual(r.records.map((x) => x.value), [{ a: 1 }, { b: 2 }]);
		assert.equal(r.consumed, 15);
		assert.equal(r.torn, false);
	});

	void it('keeps malformed middle lines (value undefined) with true line numbers and offsets', () => {
		const r = split('{"a":1}\n\nnot json\r\n{"c":3}\n', 100, 10);
		assert.deepEqual(r.records.map((x) => [x.line, x.offset, x.value]), [[11, 100, { a: 1 }], [13, 109, undefined], [14, 119, { c: 3 }]]);
		assert.equal(r.records[1].text, 'not json');
		assert.equal(r.lines, 4);
		assert.equal(r.consumed, 27, 'consumed counts bytes of this chunk');
	});

	void it('counts multi-byte characters as bytes', () => {
		const text = '{"t":"é€😀"}\n';
		const r = split(text);
		assert.equal(r.consumed, Buffer.byteLength(text));
	});
});
