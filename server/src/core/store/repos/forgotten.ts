/**
 * Forgetting a session: the session and every row derived from it or decided about it go, its
 * raw lines go when no other session was derived from the same file, and its id is kept so the
 * importer never derives it again.
 */
import type { Session } from '../../../../../shared/model';
import type { Db } from '../db';
import { nowIso } from './sourceFiles';

export class ForgottenRepo {
	private readonly mark;
	private readonly all;
	private readonly header;
	private readonly perSession: ReturnType<Db['prepare']>[];
	private readonly referenced;
	private readonly purgeRaw;

	constructor(private readonly db: Db) {
		this.mark = db.prepare('INSERT OR IGNORE INTO forgotten_sessions (session_id, forgotten_at, origin) VALUES (?, ?, ?)');
		this.all = db.prepare<[], { session_id: string }>('SELECT session_id FROM forgotten_sessions');
		this.header = db.prepare<[string], { header: string }>('SELECT header FROM sessions WHERE id = ?');
		// Messages, findings, scans, scores and signals cascade from sessions; decisions are keyed by id and go explicitly.
		this.perSession = ['consent', 'ratings', 'session_blocks', 'sessions'].map((table) =>
			db.prepare(`DELETE FROM ${table} WHERE ${table === 'sessions' ? 'id' : 'session_id'} = ?`));
		this.referenced = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM sessions WHERE instr(header, ?) > 0');
		this.purgeRaw = db.prepare('DELETE FROM raw_records WHERE file_id IN (SELECT id FROM source_files WHERE path = ?)');
	}

	/** Forgets the given (existing) session ids in one transaction; returns them. */
	forget(ids: readonly string[], origin: string): string[] {
		this.db.transaction(() => {
			const at = nowIso();
			const files = new Set<string>();
			for (const id of ids) {
				const row = this.header.get(id);
				(row ? (JSON.parse(row.header) as Pick<Session, 'source_files'>).source_files : []).forEach((f) => files.add(f));
				this.mark.run(id, at, origin);
				this.perSession.forEach((stmt) => stmt.run(id));
			}
			// The source_files row (with its read offset) stays, so the file is not read again from the start.
			for (const file of files) {
				if (this.referenced.get(JSON.stringify(file))!.n === 0) this.purgeRaw.run(file);
			}
		})();
		return [...ids];
	}

	ids(): Set<string> {
		return new Set(this.all.all().map((r) => r.session_id));
	}
}
