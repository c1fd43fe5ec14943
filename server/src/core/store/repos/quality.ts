/**
 * Derived quality rows: a session's score and its token/dedup signals, each stored with the key
 * of what it was computed from, so a caller recomputes exactly when an input changed.
 */
import type { Db } from '../db';
import { nowIso } from './sourceFiles';

export interface StoredSignals {
	tokens: number;
	exactHash: string;
	minhash: number[];
}

export class QualityRepo {
	private readonly scoreOf;
	private readonly putScoreStmt;
	private readonly signalsOf;
	private readonly putSignalsStmt;

	constructor(db: Db) {
		this.scoreOf = db.prepare<[string], { input_key: string; score: string }>('SELECT input_key, score FROM session_scores WHERE session_id = ?');
		this.putScoreStmt = db.prepare(`INSERT INTO session_scores (session_id, input_key, reward, score, computed_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (session_id) DO UPDATE SET input_key = excluded.input_key, reward = excluded.reward, score = excluded.score, computed_at = excluded.computed_at`);
		this.signalsOf = db.prepare<[string], { input_key: string; tokens: number; exact_hash: string; minhash: string }>(
			'SELECT input_key, tokens, exact_hash, minhash FROM session_signals WHERE session_id = ?');
		this.putSignalsStmt = db.prepare(`INSERT INTO session_signals (session_id, input_key, tokens, exact_hash, minhash) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (session_id) DO UPDATE SET input_key = excluded.input_key, tokens = excluded.tokens, exact_hash = excluded.exact_hash, minhash = excluded.minhash`);
	}

	/** The stored score JSON when it was computed from `inputKey`. */
	score(sessionId: string, inputKey: string): string | undefined {
		const row = this.scoreOf.get(sessionId);
		return row?.input_key === inputKey ? row.score : undefined;
	}

	putScore(sessionId: string, inputKey: string, reward: number, score: string): void {
		this.putScoreStmt.run(sessionId, inputKey, reward, score, nowIso());
	}

	signals(sessionId: string, inputKey: string): StoredSignals | undefined {
		const row = this.signalsOf.get(sessionId);
		return row?.input_key === inputKey ? { tokens: row.tokens, exactHash: row.exact_hash, minhash: JSON.parse(row.minhash) as number[] } : undefined;
	}

	putSignals(sessionId: string, inputKey: string, signals: StoredSignals): void {
		this.putSignalsStmt.run(sessionId, inputKey, signals.tokens, signals.exactHash, JSON.stringify(signals.minhash));
	}
}
