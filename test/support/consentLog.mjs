#!/usr/bin/env node
// Prints a session's consent log (every change with its time and origin) as JSON, read straight
// from a store file: the protocol exposes the current consent, not its history.
//
//   node test/support/consentLog.mjs STORE SESSION_ID   → [{"opted_in":1,"changed_at":"…","origin":"status-bar"}, …]
import Database from 'better-sqlite3';

const [store, sessionId] = process.argv.slice(2);
const db = new Database(store, { readonly: true, fileMustExist: true });
try {
	const rows = db.prepare('SELECT opted_in, changed_at, origin FROM consent_log WHERE session_id = ? ORDER BY rowid').all(sessionId);
	process.stdout.write(JSON.stringify(rows));
} finally {
	db.close();
}
