/**
 * Continue (continue.dev, VS Code / JetBrains extension and the `cn` CLI): one JSON document per
 * session, `~/.continue/sessions/<sessionId>.json`, rewritten whole on every change. The folder
 * is `$CONTINUE_GLOBAL_DIR/sessions` when that variable is set (Continue's core/util/paths.ts).
 * `sessions.json` beside them is the index (id, title, dateCreated), not a session.
 * The session id is the file name, as Continue's own HistoryManager.load takes it.
 */
import type { SessionInput } from '../../../../shared/model';
import type { AgentImporter, FileHead, ImportWarning, LocationEnv, RawFile } from './importer';
import { asObject } from './json';
import { AGENT, readSession } from './continue/session';
import { pathSegments, pathsFor } from './paths';

const PARSER_VERSION = 1;
const INDEX_NAME = 'sessions.json';

export const continueImporter: AgentImporter = {
	agent: AGENT,
	parserVersion: PARSER_VERSION,

	defaultRoots(loc: LocationEnv): string[] {
		const p = pathsFor(loc);
		const global = loc.env.CONTINUE_GLOBAL_DIR?.trim();
		return [p.join(global || p.join(loc.home, '.continue'), 'sessions')];
	},

	isSessionFile(file: string): boolean {
		const segments = pathSegments(file);
		const name = segments[segments.length - 1];
		return name.toLowerCase().endsWith('.json') && name !== INDEX_NAME && segments[segments.length - 2] === 'sessions';
	},

	layoutOf: () => 'json',

	/** Continue writes `sessionId` first and `history` soon after (HistoryManager.save orders the keys). */
	sniff(head: FileHead): boolean {
		const first = asObject(head.firstRecord);
		if (first !== undefined) {
			return typeof first.sessionId === 'string' && Array.isArray(first.history);
		}
		return /^\uFEFF?\s*\{\s*"sessionId"\s*:\s*"/.test(head.text) && /"history"\s*:\s*\[/.test(head.text);
	},

	groupKey(file: string): string {
		return file;
	},

	parse(files: RawFile[]) {
		const warnings: ImportWarning[] = [];
		const sessions: SessionInput[] = [];
		for (const file of files) {
			const sessionId = pathSegments(file.path).pop()!.replace(/\.json$/i, '');
			for (const record of file.records) {
				const session = readSession(file.path, sessionId, record, PARSER_VERSION, warnings);
				if (session !== undefined) sessions.push(session);
			}
		}
		return { sessions, warnings };
	},
};
