/**
 * GitHub Copilot CLI importer. Pure: the import runner reads the files; this turns their
 * records into sessions. The CLI keeps its state under `$COPILOT_HOME` (default `~/.copilot`):
 * - `session-state/<id>/events.jsonl` (0.0.378 and later) and `session-state/<id>.jsonl`
 *   (0.0.342–0.0.377): append-only event logs, see copilot/cliEvents.ts;
 * - `history-session-state/session_<id>_<ms>.json` (up to 0.0.341): one document per session,
 *   see copilot/cliLegacy.ts.
 */
import type { AgentImporter, FileHead, ImportWarning, LocationEnv, RawFile } from './importer';
import type { SessionInput } from '../../../../shared/model';
import { asObject, asString, asText } from './json';
import { readCliEvents } from './copilot/cliEvents';
import { readLegacySession } from './copilot/cliLegacy';
import { pathSegments, pathsFor } from './paths';

const PARSER_VERSION = 1;
/** Event type families the CLI writes; the first line of a log is normally `session.start`. */
const EVENT_FAMILY = /^(session|user|assistant|tool|system|subagent|hook|skill|permission|abort)\b/;

function isLegacyFile(filePath: string): boolean {
	const parts = pathSegments(filePath);
	return parts[parts.length - 2] === 'history-session-state' && /\.json$/i.test(parts[parts.length - 1] ?? '');
}

function isEventLog(filePath: string): boolean {
	const parts = pathSegments(filePath);
	const name = parts[parts.length - 1] ?? '';
	return (name === 'events.jsonl' && parts[parts.length - 3] === 'session-state')
		|| (parts[parts.length - 2] === 'session-state' && /\.jsonl$/i.test(name));
}

/** `{type: "session.start", data: {...}, timestamp}`: Claude Code lines carry `sessionId`/`uuid` at the top, Codex a `payload`. */
function isCliEvent(record: unknown): boolean {
	const event = asObject(record);
	const type = asString(event?.type);
	if (event === undefined || type === undefined || 'payload' in event || 'sessionId' in event || 'uuid' in event) {
		return false;
	}
	return EVENT_FAMILY.test(type) && type.includes('.') && asObject(event.data) !== undefined && typeof event.timestamp === 'string';
}

export const copilotCliImporter: AgentImporter = {
	agent: 'copilot-cli',
	parserVersion: PARSER_VERSION,
	defaultRoots(loc: LocationEnv): string[] {
		const p = pathsFor(loc);
		const home = asText(loc.env.COPILOT_HOME?.trim()) ?? p.join(loc.home, '.copilot');
		return [p.join(home, 'session-state'), p.join(home, 'history-session-state')];
	},
	isSessionFile(filePath: string): boolean {
		return isEventLog(filePath) || isLegacyFile(filePath);
	},
	layoutOf: (filePath: string) => (filePath.toLowerCase().endsWith('.json') ? 'json' : 'jsonl'),
	sniff(head: FileHead): boolean {
		if (isCliEvent(head.firstRecord)) {
			return true;
		}
		const text = head.text.replace(/^\uFEFF/, '').trimStart();
		return text.startsWith('{') && /"chatMessages"\s*:\s*\[/.test(text) && /"sessionId"\s*:/.test(text);
	},
	// A log holds one session and its sub-agents; it stands alone.
	groupKey(filePath: string): string {
		return filePath;
	},
	parse(files: RawFile[]) {
		const sessions: SessionInput[] = [];
		const warnings: ImportWarning[] = [];
		for (const file of files) {
			if (file.path.toLowerCase().endsWith('.json')) {
				const result = readLegacySession(file, PARSER_VERSION);
				warnings.push(...result.warnings);
				if (result.session !== undefined) sessions.push(result.session);
			} else {
				const result = readCliEvents(file, PARSER_VERSION);
				warnings.push(...result.warnings);
				sessions.push(...result.sessions);
			}
		}
		return { sessions, warnings };
	},
};
