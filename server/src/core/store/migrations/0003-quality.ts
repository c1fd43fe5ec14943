import type { Db } from '../db';

/**
 * Ratings, forgotten sessions, and the derived quality rows (scores, dedup/token signals).
 * Derived rows are keyed by what they were computed from and recomputed on a mismatch; the
 * ratings and the forget list are a person's decisions and outlive re-imports.
 */
export function updateToSchemaVersion0003(db: Db): void {
	db.exec(`
		-- The developer's thumbs up / down, keyed by session id like consent (outlives re-imports).
		CREATE TABLE ratings (
			session_id TEXT PRIMARY KEY,
			rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
			changed_at TEXT NOT NULL
		) STRICT;
		CREATE TABLE rating_log (
			id INTEGER PRIMARY KEY,
			session_id TEXT NOT NULL,
			rating TEXT,
			changed_at TEXT NOT NULL,
			origin TEXT NOT NULL
		) STRICT;

		-- Sessions a person asked to forget: deleted with everything derived, and never derived again.
		CREATE TABLE forgotten_sessions (
			session_id TEXT PRIMARY KEY,
			forgotten_at TEXT NOT NULL,
			origin TEXT NOT NULL
		) STRICT;

		-- The reward of the redacted session; input_key hashes everything the score depends on.
		CREATE TABLE session_scores (
			session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
			input_key TEXT NOT NULL,
			reward REAL NOT NULL,
			score TEXT NOT NULL,
			computed_at TEXT NOT NULL
		) STRICT;

		-- Token count and dedup signature of a session's content (never a value, only hashes and a count).
		CREATE TABLE session_signals (
			session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
			input_key TEXT NOT NULL,
			tokens INTEGER NOT NULL,
			exact_hash TEXT NOT NULL,
			minhash TEXT NOT NULL
		) STRICT;
	`);
}
