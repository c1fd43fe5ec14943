/** The developer's rating per session, with a log of every change (like consent). */
import type { Rating } from '../../../../../shared/quality';
import type { Db } from '../db';
import { nowIso } from './sourceFiles';

export interface StoredRating {
	rating: Rating;
	changed_at: string;
}

export class RatingsRepo {
	private readonly upsert;
	private readonly remove;
	private readonly one;
	private readonly log;

	constructor(private readonly db: Db) {
		this.upsert = db.prepare(`INSERT INTO ratings (session_id, rating, changed_at) VALUES (?, ?, ?)
			ON CONFLICT (session_id) DO UPDATE SET rating = excluded.rating, changed_at = excluded.changed_at WHERE ratings.rating <> excluded.rating`);
		this.remove = db.prepare('DELETE FROM ratings WHERE session_id = ?');
		this.one = db.prepare<[string], StoredRating>('SELECT rating, changed_at FROM ratings WHERE session_id = ?');
		this.log = db.prepare('INSERT INTO rating_log (session_id, rating, changed_at, origin) VALUES (?, ?, ?, ?)');
	}

	/** `null` clears the rating. Returns the ids whose rating actually changed. */
	set(ids: readonly string[], rating: Rating | null, origin: string): string[] {
		const changed: string[] = [];
		this.db.transaction(() => {
			const at = nowIso();
			for (const id of ids) {
				const result = rating === null ? this.remove.run(id) : this.upsert.run(id, rating, at);
				if (result.changes > 0) {
					this.log.run(id, rating, at, origin);
					changed.push(id);
				}
			}
		})();
		return changed;
	}

	get(id: string): StoredRating | undefined {
		return this.one.get(id);
	}
}
