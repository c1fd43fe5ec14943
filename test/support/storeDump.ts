/** A store's content without timestamps or folder names, for "same store" comparisons. */
import * as path from 'node:path';
import { openDatabase } from '../../server/src/core/store/db';

export interface StoreDump {
	files: [string, number, number, number][];
	raw: [string, number, number, string, number][];
	sessions: [string, string, number][];
	messages: number;
	dirtyGroups: number;
}

export function dumpStore(file: string, root: string): StoreDump {
	const db = openDatabase(file);
	try {
		const rel = (p: string) => path.relative(root, p);
		const files = db.prepare('SELECT path, consumed_bytes, consumed_lines, malformed FROM source_files ORDER BY path').all() as { path: string; consumed_bytes: number; consumed_lines: number; malformed: number }[];
		const raw = db.prepare('SELECT f.path, r.line, r.byte_offset, r.text, r.valid FROM raw_records r JOIN source_files f ON f.id = r.file_id ORDER BY f.path, r.line').all() as { path: string; line: number; byte_offset: number; text: string; valid: number }[];
		const sessions = db.prepare('SELECT id, header, message_count FROM sessions ORDER BY id').all() as { id: string; header: string; message_count: number }[];
		return {
			files: files.map((f) => [rel(f.path), f.consumed_bytes, f.consumed_lines, f.malformed]),
			raw: raw.map((r) => [rel(r.path), r.line, r.byte_offset, r.text, r.valid]),
			// source paths inside the header are made relative so two folders compare equal
			sessions: sessions.map((s) => [s.id, s.header.split(JSON.stringify(root).slice(1, -1)).join('<root>'), s.message_count]),
			messages: (db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n,
			dirtyGroups: (db.prepare('SELECT count(*) AS n FROM import_groups WHERE dirty = 1').get() as { n: number }).n,
		};
	} finally {
		db.close();
	}
}
