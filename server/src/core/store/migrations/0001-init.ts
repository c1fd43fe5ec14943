import type { Db } from '../db';

/** Sources, raw records (lossless), derived sessions and messages, consent. */
export function updateToSchemaVersion0001(db: Db): void {
	db.exec(`
		CREATE TABLE source_files (
			id INTEGER PRIMARY KEY,
			path TEXT NOT NULL UNIQUE,
			agent TEXT NOT NULL,
			group_key TEXT NOT NULL,
			consumed_bytes INTEGER NOT NULL,
			consumed_lines INTEGER NOT NULL,
			head_sha256 TEXT NOT NULL,
			mtime_ms INTEGER NOT NULL,
			malformed INTEGER NOT NULL DEFAULT 0,
			imported_at TEXT NOT NULL
		) STRICT;
		CREATE INDEX source_files_group ON source_files(agent, group_key);

		-- Every complete line of every source file, verbatim, including unknown record types and
		-- malformed lines (valid = 0), so a better parser can re-derive sessions later.
		CREATE TABLE raw_records (
			file_id INTEGER NOT NULL REFERENCES source_files(id) ON DELETE CASCADE,
			line INTEGER NOT NULL,
			byte_offset INTEGER NOT NULL,
			text TEXT NOT NULL,
			valid INTEGER NOT NULL,
			PRIMARY KEY (file_id, line)
		) STRICT, WITHOUT ROWID;

		-- A group is parsed as a whole; dirty = raw records changed since the last derivation.
		CREATE TABLE import_groups (
			agent TEXT NOT NULL,
			group_key TEXT NOT NULL,
			dirty INTEGER NOT NULL,
			parser_version INTEGER NOT NULL,
			PRIMARY KEY (agent, group_key)
		) STRICT, WITHOUT ROWID;

		CREATE TABLE sessions (
			id TEXT PRIMARY KEY,
			agent TEXT NOT NULL,
			group_key TEXT NOT NULL,
			parser_version INTEGER NOT NULL,
			content_sha256 TEXT NOT NULL,
			title TEXT,
			cwd TEXT,
			started_at TEXT,
			ended_at TEXT,
			model TEXT,
			parent_session_id TEXT,
			message_count INTEGER NOT NULL,
			total_tokens INTEGER NOT NULL,
			header TEXT NOT NULL,
			first_imported_at TEXT NOT NULL,
			updated_at TEXT NOT NULL
		) STRICT;
		CREATE INDEX sessions_started ON sessions(started_at);

		CREATE TABLE messages (
			session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
			idx INTEGER NOT NULL,
			role TEXT NOT NULL,
			context TEXT,
			content TEXT NOT NULL,
			data TEXT NOT NULL,
			PRIMARY KEY (session_id, idx)
		) STRICT, WITHOUT ROWID;

		-- Consent outlives re-imports: it is keyed by session id, not tied to the session row.
		CREATE TABLE consent (
			session_id TEXT PRIMARY KEY,
			opted_in INTEGER NOT NULL,
			changed_at TEXT NOT NULL
		) STRICT;
		CREATE TABLE consent_log (
			id INTEGER PRIMARY KEY,
			session_id TEXT NOT NULL,
			opted_in INTEGER NOT NULL,
			changed_at TEXT NOT NULL,
			origin TEXT NOT NULL
		) STRICT;
	`);
}
