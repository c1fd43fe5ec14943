/**
 * Cursor IDE chats (Composer / Agent): the SQLite `state.vscdb` in Cursor's global storage,
 * `<Cursor user dir>/globalStorage/state.vscdb`, table `cursorDiskKV`. The import runner reads a
 * private copy of the database and its `-wal`; readDatabase only selects the conversation rows.
 *
 * Key names and fields were checked against public readers of this database (see the report in
 * the test file's header); Cursor does not document them and changes them between builds.
 */
import type { SessionInput } from '../../../../shared/model';
import type { AgentImporter, FileHead, ImportWarning, LocationEnv, RawFile } from './importer';
import { AGENT, readComposers } from './cursor/composers';
import { readCursorRows } from './cursor/database';
import { vscodeUserDirs } from './vscodeUserDirs';
import { pathsFor } from './paths';
import { baseName } from './paths';

const PARSER_VERSION = 1;
const DATABASE_NAME = 'state.vscdb';
const SQLITE_MAGIC = 'SQLite format 3\u0000';

export const cursorImporter: AgentImporter = {
	agent: AGENT,
	parserVersion: PARSER_VERSION,

	/** `<Cursor user dir>/globalStorage` for each OS layout (and a portable install). */
	defaultRoots(loc: LocationEnv): string[] {
		const p = pathsFor(loc);
		return vscodeUserDirs(loc)
			.filter((user) => p.basename(p.dirname(user)) === 'Cursor')
			.map((user) => p.join(user, 'globalStorage'));
	},

	isSessionFile(file: string): boolean {
		return baseName(file) === DATABASE_NAME;
	},

	layoutOf: () => 'sqlite',

	/** A SQLite file whose schema (on its first pages) declares Cursor's key-value table. */
	sniff(head: FileHead): boolean {
		return head.text.startsWith(SQLITE_MAGIC) && head.text.includes('cursorDiskKV');
	},

	readDatabase: (db) => readCursorRows(db),

	groupKey(file: string): string {
		return file;
	},

	parse(files: RawFile[]) {
		const warnings: ImportWarning[] = [];
		const sessions: SessionInput[] = files.flatMap((file) => readComposers(file, PARSER_VERSION, warnings));
		return { sessions, warnings };
	},
};
