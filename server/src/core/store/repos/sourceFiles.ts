/** Source files, their raw records and the dirty flag of their import group. */
import type { RawRecord } from '../../capture/importer';
import type { Db } from '../db';

export interface SourceFileRow {
	id: number;
	path: string;
	agent: string;
	group_key: string;
	consumed_bytes: number;
	consumed_lines: number;
	head_sha256: string;
	mtime_ms: number;
	malformed: number;
}

export interface StoredRecord {
	line: number;
	byte_offset: number;
	text: string;
	valid: number;
}

export class SourceFilesRepo {
	private readonly byPath;
	private readonly insertFile;
	private readonly updateFile;
	private readonly insertRecord;
	private readonly deleteRecords;
	private readonly markGroup;
	private readonly recordsOfFile;
	private readonly filesOfGroup;
	private readonly dirtyGroups;
	private readonly cleanGroup;
	private readonly staleGroups;

	constructor(private readonly db: Db) {
		this.byPath = db.prepare<[string], SourceFileRow>('SELECT * FROM source_files WHERE path = ?');
		this.insertFile = db.prepare(`INSERT INTO source_files (path, agent, group_key, consumed_bytes, consumed_lines, head_sha256, mtime_ms, malformed, imported_at)
			VALUES (@path, @agent, @group_key, 0, 0, '', 0, 0, @now) RETURNING id`);
		this.updateFile = db.prepare(`UPDATE source_files SET consumed_bytes = @consumed_bytes, consumed_lines = @consumed_lines,
			head_sha256 = @head_sha256, mtime_ms = @mtime_ms, malformed = @malformed, imported_at = @now WHERE id = @id`);
		this.insertRecord = db.prepare('INSERT OR REPLACE INTO raw_records (file_id, line, byte_offset, text, valid) VALUES (?, ?, ?, ?, ?)');
		this.deleteRecords = db.prepare('DELETE FROM raw_records WHERE file_id = ?');
		this.markGroup = db.prepare(`INSERT INTO import_groups (agent, group_key, dirty, parser_version) VALUES (?, ?, 1, 0)
			ON CONFLICT (agent, group_key) DO UPDATE SET dirty = 1`);
		this.recordsOfFile = db.prepare<[number], StoredRecord>('SELECT line, byte_offset, text, valid FROM raw_records WHERE file_id = ? ORDER BY line');
		this.filesOfGroup = db.prepare<[string, string], SourceFileRow>('SELECT * FROM source_files WHERE agent = ? AND group_key = ? ORDER BY path');
		this.dirtyGroups = db.prepare<[], { agent: string; group_key: string }>('SELECT agent, group_key FROM import_groups WHERE dirty = 1 ORDER BY agent, group_key');
		this.cleanGroup = db.prepare('UPDATE import_groups SET dirty = 0, parser_version = ? WHERE agent = ? AND group_key = ?');
		this.staleGroups = db.prepare('UPDATE import_groups SET dirty = 1 WHERE agent = ? AND parser_version < ?');
	}

	find(path: string): SourceFileRow | undefined {
		return this.byPath.get(path);
	}

	/**
	 * Appends the records read from a file and moves its offset, in one transaction that also
	 * marks the group dirty: a kill before the group is re-derived is repaired by the next run.
	 */
	append(file: { path: string; agent: string; groupKey: string }, update: {
		restart: boolean; records: RawRecord[]; consumedBytes: number; consumedLines: number; headSha256: string; mtimeMs: number; malformed: number;
	}): void {
		this.db.transaction(() => {
			const existing = this.byPath.get(file.path);
			const id = existing?.id ?? (this.insertFile.get({ path: file.path, agent: file.agent, group_key: file.groupKey, now: nowIso() }) as { id: number }).id;
			if (update.restart) {
				this.deleteRecords.run(id);
			}
			for (const r of update.records) {
				this.insertRecord.run(id, r.line, r.offset, r.text, r.value === undefined ? 0 : 1);
			}
			this.updateFile.run({
				id, consumed_bytes: update.consumedBytes, consumed_lines: update.consumedLines, head_sha256: update.headSha256,
				mtime_ms: update.mtimeMs, malformed: update.malformed + (update.restart ? 0 : existing?.malformed ?? 0), now: nowIso(),
			});
			this.markGroup.run(file.agent, file.groupKey);
		})();
	}

	/** Records a stat-only check (mtime moved, bytes unchanged) without touching records. */
	touch(row: SourceFileRow, mtimeMs: number): void {
		this.updateFile.run({ ...row, mtime_ms: mtimeMs, now: nowIso() });
	}

	filesInGroup(agent: string, groupKey: string): SourceFileRow[] {
		return this.filesOfGroup.all(agent, groupKey);
	}

	records(fileId: number): StoredRecord[] {
		return this.recordsOfFile.all(fileId);
	}

	pendingGroups(): { agent: string; group_key: string }[] {
		return this.dirtyGroups.all();
	}

	/** Groups derived by an older parser are re-derived from their raw records. */
	markStaleGroups(agent: string, parserVersion: number): void {
		this.staleGroups.run(agent, parserVersion);
	}

	/** Per agent: files read, when the newest was last read, malformed lines skipped. */
	statsByAgent(): Map<string, { files: number; lastImportAt: string | null; malformed: number }> {
		const rows = this.db.prepare<[], { agent: string; files: number; last: string | null; malformed: number }>(
			'SELECT agent, count(*) AS files, max(imported_at) AS last, sum(malformed) AS malformed FROM source_files GROUP BY agent').all();
		return new Map(rows.map((r) => [r.agent, { files: r.files, lastImportAt: r.last, malformed: r.malformed }]));
	}

	markClean(agent: string, groupKey: string, parserVersion: number): void {
		this.cleanGroup.run(parserVersion, agent, groupKey);
	}
}

export function nowIso(): string {
	return new Date().toISOString();
}
