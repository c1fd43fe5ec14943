/**
 * OpenAI Codex (CLI, IDE extension, Desktop) rollout importer. Pure: the import runner reads
 * the files; this turns their records into sessions. See codex/rollout.ts for the rules.
 */
import type { AgentImporter, FileHead, ImportWarning, LocationEnv, RawFile } from './importer';
import type { SessionInput } from '../../../../shared/model';
import { asObject, asString, asText } from './json';
import { readRollout } from './codex/rollout';
import { baseName, pathsFor } from './paths';

const PARSER_VERSION = 1;
const ROLLOUT_NAME = /^rollout-.+\.jsonl$/;
const RECORD_TYPES = new Set(['session_meta', 'turn_context', 'response_item', 'event_msg', 'compacted']);

function codexHome(loc: LocationEnv): string {
	const paths = pathsFor(loc);
	return asText(loc.env.CODEX_HOME)?.trim() ?? paths.join(loc.home, '.codex');
}

/** `{timestamp, type, payload}` with a Codex record type; Claude Code records (sessionId/uuid) never match. */
function isCodexEnvelope(record: unknown): boolean {
	const object = asObject(record);
	if (object === undefined || 'sessionId' in object || 'uuid' in object) {
		return false;
	}
	const type = asString(object.type);
	return typeof object.timestamp === 'string' && type !== undefined && RECORD_TYPES.has(type) && asObject(object.payload) !== undefined;
}

export const codexImporter: AgentImporter = {
	agent: 'codex',
	parserVersion: PARSER_VERSION,
	defaultRoots(loc: LocationEnv): string[] {
		const paths = pathsFor(loc);
		const home = codexHome(loc);
		return [paths.join(home, 'sessions'), paths.join(home, 'archived_sessions')];
	},
	isSessionFile(filePath: string): boolean {
		return ROLLOUT_NAME.test(baseName(filePath));
	},
	layoutOf: () => 'jsonl',
	sniff: (head: FileHead) => isCodexEnvelope(head.firstRecord),
	// A rollout stands alone; the session id comes from its session_meta, so the same
	// rollout in sessions/ and archived_sessions/ yields the same session.
	groupKey(filePath: string): string {
		return filePath;
	},
	parse(files: RawFile[]) {
		const sessions: SessionInput[] = [];
		const warnings: ImportWarning[] = [];
		for (const file of files) {
			const result = readRollout(file, PARSER_VERSION);
			warnings.push(...result.warnings);
			if (result.session !== undefined) {
				sessions.push(result.session);
			}
		}
		return { sessions, warnings };
	},
};
