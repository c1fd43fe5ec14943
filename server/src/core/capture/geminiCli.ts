/**
 * Gemini CLI importer: `<GEMINI_CLI_HOME or ~>/.gemini/tmp/<project>/chats/session-*.json`
 * (older builds, one document rewritten whole) and `session-*.jsonl` (newer builds, append-only
 * records), plus subagent conversations in `chats/<parent session id>/<id>.jsonl`. Same place on
 * every OS. See gemini/conversation.ts and gemini/session.ts for the rules.
 *
 * Not read: `logs.json` beside `chats/` holds only the prompts typed, which the session files
 * already carry with everything else, so importing it would add prompt-only duplicates;
 * `checkpoint-*.json` (`/chat save`) are copies of a conversation's history, not new sessions.
 */
import type { SessionInput } from '../../../../shared/model';
import type { AgentImporter, FileHead, ImportWarning, LocationEnv, RawFile } from './importer';
import { asObject, asString, asText } from './json';
import { readDocument, replayJsonl, type Conversation } from './gemini/conversation';
import { conversationSession } from './gemini/session';
import { pathSegments, pathsFor } from './paths';

const PARSER_VERSION = 1;
const SESSION_NAME = /^session-.+\.jsonl?$/;
/** The start of a session document as Gemini CLI writes it (JSON.stringify with an indent). */
const DOCUMENT_HEAD = /^\s*\{\s*"sessionId"\s*:\s*"[^"]*"\s*,\s*"projectHash"\s*:/;

/** `…/chats/<parent id>/<id>.jsonl`: the parent's id, for a subagent conversation file. */
function subagentParent(filePath: string): string | undefined {
	const parts = pathSegments(filePath);
	const name = parts[parts.length - 1] ?? '';
	return parts.length >= 3 && parts[parts.length - 3] === 'chats' && name.endsWith('.jsonl') && !SESSION_NAME.test(name) ? parts[parts.length - 2] : undefined;
}

function isHeader(record: unknown): boolean {
	const object = asObject(record);
	return object !== undefined && asText(object.sessionId) !== undefined && asString(object.projectHash) !== undefined && object.id === undefined;
}

export const geminiCliImporter: AgentImporter = {
	agent: 'gemini-cli',
	parserVersion: PARSER_VERSION,
	defaultRoots(loc: LocationEnv): string[] {
		const paths = pathsFor(loc);
		// GEMINI_CLI_HOME stands in for the home folder; `.gemini` is always under it.
		const home = asText(loc.env.GEMINI_CLI_HOME)?.trim() || loc.home;
		return [paths.join(home, '.gemini', 'tmp')];
	},
	isSessionFile(filePath: string): boolean {
		const name = pathSegments(filePath).pop() ?? '';
		return SESSION_NAME.test(name) || subagentParent(filePath) !== undefined;
	},
	layoutOf: (filePath: string) => (filePath.endsWith('.jsonl') ? 'jsonl' : 'json'),
	sniff(head: FileHead): boolean {
		return isHeader(head.firstRecord) || DOCUMENT_HEAD.test(head.text.replace(/^\uFEFF/, ''));
	},
	// Resuming an old `.json` session migrates it into `<same name>.jsonl`; both files are read
	// together so the session is imported once, from the newer file.
	groupKey(filePath: string): string {
		return filePath.replace(/\.jsonl?$/, '');
	},
	parse(files: RawFile[]) {
		const warnings: ImportWarning[] = [];
		const read: Array<{ file: string; conversation: Conversation }> = [];
		for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
			const conversation = file.path.endsWith('.jsonl') ? replayJsonl(file.path, file.records, warnings) : readDocument(file.path, file.records, warnings);
			if (conversation !== undefined) {
				read.push({ file: file.path, conversation });
			}
		}
		const sessions: SessionInput[] = [];
		for (const { file, conversation } of read) {
			const sameSession = read.filter((other) => other.conversation.sessionId === conversation.sessionId);
			const chosen = sameSession.find((other) => other.file.endsWith('.jsonl')) ?? sameSession[0];
			// Gemini CLI writes the header when it starts: a session nobody typed into has no messages.
			if (chosen.file !== file || conversation.messages.length === 0) {
				continue;
			}
			const parent = conversation.kind === 'subagent' ? subagentParent(file) : undefined;
			sessions.push(conversationSession(conversation, {
				parserVersion: PARSER_VERSION,
				file,
				sourceFiles: sameSession.map((other) => other.file),
				...(parent === undefined ? {} : { parentSessionId: `gemini-cli:${parent}` }),
			}, warnings));
		}
		return { sessions, warnings };
	},
};
