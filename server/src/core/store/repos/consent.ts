/** Consent per session, with a log of every change and when it happened. */
import type { Db } from '../db';
import { nowIso } from './sourceFiles';

export class ConsentRepo {
	private readonly upsert;
	private readonly log;

	constructor(private readonly db: Db) {
		this.upsert = db.prepare(`INSERT INTO consent (session_id, opted_in, changed_at) VALUES (?, ?, ?)
			ON CONFLICT (session_id) DO UPDATE SET opted_in = excluded.opted_in, changed_at = excluded.changed_at
			WHERE consent.opted_in <> excluded.opted_in`);
		this.log = db.prepare('INSERT INTO consent_log (session_id, opted_in, changed_at, origin) VALUES (?, ?, ?, ?)');
	}

	/** Returns the ids whose state actually changed. */
	set(ids: string[], optedIn: boolean, origin: string): string[] {
		const changed: string[] = [];
		this.db.transaction(() => {
			const at = nowIso();
			for (const id of ids) {
				if (this.upsert.run(id, optedIn ? 1 : 0, at).changes > 0) {
					this.log.run(id, optedIn ? 1 : 0, at, origin);
					changed.push(id);
				}
			}
		})();
		return changed;
	}
}
