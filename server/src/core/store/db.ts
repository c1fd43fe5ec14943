/**
 * The only module that touches better-sqlite3: opening the file, pragmas, migrations and
 * the native-module load check.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { migrations } from './migrations';

export type Db = BetterSqlite3.Database;

/** The native module could not be loaded under this runtime; says why and how to fix it. */
export class NativeModuleError extends Error {
	constructor(readonly reason: string, readonly fix: string) {
		super(`${reason}\n${fix}`);
		this.name = 'NativeModuleError';
	}
}

/** The store was written by a newer Tracemint. */
export class StoreTooNewError extends Error {
	constructor(file: string, found: number, known: number) {
		super(`${file}: store schema version ${found} is newer than this Tracemint understands (${known}). Update Tracemint, or point --store at another file.`);
		this.name = 'StoreTooNewError';
	}
}

let driver: typeof BetterSqlite3 | undefined;

/** Loads better-sqlite3 once and proves it works, turning ABI errors into one clear message. */
export function loadSqliteDriver(): typeof BetterSqlite3 {
	if (driver) {
		return driver;
	}
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const loaded = require('better-sqlite3') as typeof BetterSqlite3;
		new loaded(':memory:').close();
		driver = loaded;
		return loaded;
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		const abi = /NODE_MODULE_VERSION (\d+)[\s\S]*?NODE_MODULE_VERSION (\d+)/.exec(message);
		const reason = abi
			? `The SQLite module was built for a different runtime (module version ${abi[1]}) than the one running the backend (${abi[2]}, ${process.execPath} ${process.version}).`
			: `The SQLite module (better-sqlite3) could not be loaded by ${process.execPath} ${process.version}: ${message.split('\n')[0]}`;
		const fix = 'Set "tracemint.server.runtime" to the Node.js executable the extension was built with (Node 20), or rebuild the module for this runtime with `npm rebuild better-sqlite3`.';
		throw new NativeModuleError(reason, fix);
	}
}

export function openDatabase(file: string): Db {
	const Database = loadSqliteDriver();
	if (file !== ':memory:') {
		fs.mkdirSync(path.dirname(file), { recursive: true });
	}
	const db = new Database(file);
	db.pragma('journal_mode = WAL');
	db.pragma('busy_timeout = 5000');
	db.pragma('foreign_keys = ON');
	db.pragma('synchronous = NORMAL');
	migrate(db, file);
	return db;
}

/** Signal-style: each numbered step in its own transaction, bumping user_version; never downgrade. */
export function migrate(db: Db, file: string): void {
	const current = db.pragma('user_version', { simple: true }) as number;
	if (current > migrations.length) {
		db.close();
		throw new StoreTooNewError(file, current, migrations.length);
	}
	for (let version = current + 1; version <= migrations.length; version++) {
		const step = migrations[version - 1];
		db.transaction(() => {
			step(db);
			db.pragma(`user_version = ${version}`);
		})();
	}
}

export function schemaVersion(db: Db): number {
	return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Runs `read` on a private copy of another program's SQLite database (Cursor's state.vscdb):
 * the file and its `-wal` are copied first, so we never hold a lock the owner would trip on,
 * and the original is never opened. The copy is opened writable so SQLite can replay the WAL
 * into it (read-only needs a `-shm` the copy does not have). `read` also gets the bytes copied.
 */
export function withDatabaseSnapshot<T>(file: string, read: (db: Db, copied: Buffer[]) => T): T {
	const Database = loadSqliteDriver();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracemint-snapshot-'));
	try {
		const copy = path.join(dir, 'snapshot.db');
		const copied = [fs.readFileSync(file)];
		fs.writeFileSync(copy, copied[0]);
		if (fs.existsSync(`${file}-wal`)) {
			copied.push(fs.readFileSync(`${file}-wal`));
			fs.writeFileSync(`${copy}-wal`, copied[1]);
		}
		const db = new Database(copy, { fileMustExist: true });
		try {
			return read(db, copied);
		} finally {
			db.close();
		}
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}
