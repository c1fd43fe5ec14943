import type { Db } from '../db';

/**
 * Redaction findings. Findings are derived (re-written whenever a session's content or the rules
 * change); review decisions are keyed by the value's keyed fingerprint so they outlive re-scans
 * and apply wherever the same value appears. No table holds a secret value.
 */
export function updateToSchemaVersion0002(db: Db): void {
	db.exec(`
		-- Per-store random key for fingerprints: an HMAC under it identifies a value without storing it.
		CREATE TABLE store_keys (
			name TEXT PRIMARY KEY,
			value BLOB NOT NULL
		) STRICT;
		INSERT INTO store_keys (name, value) VALUES ('fingerprint', randomblob(32));

		-- What each session was last scanned against; a mismatch with the session or RULES_VERSION means re-scan.
		CREATE TABLE session_scans (
			session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
			content_sha256 TEXT NOT NULL,
			rules_version INTEGER NOT NULL,
			scanned_at TEXT NOT NULL
		) STRICT;

		CREATE TABLE findings (
			id INTEGER PRIMARY KEY,
			session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
			message_idx INTEGER,
			field TEXT NOT NULL,
			start INTEGER NOT NULL,
			end INTEGER NOT NULL,
			line INTEGER NOT NULL,
			col INTEGER NOT NULL,
			rule_id TEXT NOT NULL,
			kind TEXT NOT NULL,
			severity TEXT NOT NULL,
			action TEXT NOT NULL,
			fingerprint TEXT NOT NULL
		) STRICT;
		CREATE INDEX findings_session ON findings(session_id, message_idx);
		CREATE INDEX findings_fingerprint ON findings(fingerprint);

		-- A person's verdict on a value: 'confirmed' (a real secret) or 'false-positive' (the allowlist).
		CREATE TABLE value_reviews (
			fingerprint TEXT PRIMARY KEY,
			verdict TEXT NOT NULL CHECK (verdict IN ('confirmed', 'false-positive')),
			rule_id TEXT NOT NULL,
			decided_at TEXT NOT NULL,
			origin TEXT NOT NULL
		) STRICT;

		-- A person's decision on a whole session: 'block' bars it from export, 'release' lets a blocking finding through (still redacted).
		CREATE TABLE session_blocks (
			session_id TEXT PRIMARY KEY,
			decision TEXT NOT NULL CHECK (decision IN ('block', 'release')),
			decided_at TEXT NOT NULL,
			origin TEXT NOT NULL
		) STRICT;

		CREATE TABLE review_log (
			id INTEGER PRIMARY KEY,
			subject TEXT NOT NULL,
			decision TEXT NOT NULL,
			decided_at TEXT NOT NULL,
			origin TEXT NOT NULL
		) STRICT;
	`);
}
