/**
 * GitHub Copilot Chat (VS Code and its forks) importer. Pure: the import runner reads the files;
 * this turns their records into sessions. Where the files are:
 * - `<User>/workspaceStorage/<hash>/chatSessions/<sessionId>.json`: the session document,
 *   rewritten whole on every save; newer builds write `<sessionId>.jsonl` instead, a mutation
 *   log (see copilot/mutationLog.ts). `<hash>/workspace.json` names the workspace folder, so it
 *   is read in the same group and supplies every session's cwd.
 * - `<User>/globalStorage/emptyWindowChatSessions/`: chats opened without a folder.
 * - A "Chat: Export Chat…" file: the same `requests[]` without the session header. Read only when
 *   named explicitly (its name can be anything); its id is a hash of its path and first request.
 */
import type { AgentImporter, FileHead, ImportWarning, LocationEnv, RawFile } from './importer';
import type { SessionInput } from '../../../../shared/model';
import { asArray, asObject, asString, asText, type JsonObject } from './json';
import { replayMutationLog } from './copilot/mutationLog';
import { exportSessionId, readChatSession } from './copilot/chatSession';
import { workspaceFolder } from './copilot/uri';
import { vscodeUserDirs, workspaceStorageDirs } from './vscodeUserDirs';
import { pathsFor } from './paths';
import { pathSegments } from './paths';

const PARSER_VERSION = 1;
const SESSION_FOLDERS = new Set(['chatSessions', 'emptyWindowChatSessions']);
const SESSION_NAME = /\.jsonl?$/i;

function parentFolder(filePath: string): string {
	const cut = Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\'));
	return cut > 0 ? filePath.slice(0, cut) : filePath;
}

function isWorkspaceFile(filePath: string): boolean {
	const parts = pathSegments(filePath);
	return parts[parts.length - 1] === 'workspace.json' && parts[parts.length - 3] === 'workspaceStorage';
}

function inSessionFolder(filePath: string): boolean {
	const parts = pathSegments(filePath);
	return SESSION_FOLDERS.has(parts[parts.length - 2] ?? '');
}

/** `{kind: 0, v: {...session}}`: the first entry of a `.jsonl` session log. */
function isInitialEntry(record: unknown): boolean {
	const entry = asObject(record);
	const session = asObject(entry?.v);
	return entry?.kind === 0 && session !== undefined && (Array.isArray(session.requests) || typeof session.sessionId === 'string');
}

export const copilotChatImporter: AgentImporter = {
	agent: 'copilot-chat',
	parserVersion: PARSER_VERSION,
	defaultRoots(loc: LocationEnv): string[] {
		const p = pathsFor(loc);
		return [...workspaceStorageDirs(loc), ...vscodeUserDirs(loc).map((user) => p.join(user, 'globalStorage', 'emptyWindowChatSessions'))];
	},
	isSessionFile(filePath: string): boolean {
		if (isWorkspaceFile(filePath)) {
			return true;
		}
		const parts = pathSegments(filePath);
		return SESSION_NAME.test(parts[parts.length - 1] ?? '') && inSessionFolder(filePath);
	},
	layoutOf: (filePath: string) => (filePath.toLowerCase().endsWith('.jsonl') ? 'jsonl' : 'json'),
	sniff(head: FileHead): boolean {
		if (isInitialEntry(head.firstRecord)) {
			return true;
		}
		const text = head.text.replace(/^\uFEFF/, '').trimStart();
		if (/^\{\s*"kind"\s*:\s*0\s*,\s*"v"\s*:\s*\{/.test(text)) {
			return /"(responderUsername|sessionId)"\s*:/.test(text); // a first entry longer than the head
		}
		// Newer builds write `responderUsername` after `requests`, which may lie beyond the head;
		// then the first request, which always starts with its `requestId`, tells.
		return text.startsWith('{') && /"requests"\s*:\s*\[/.test(text)
			&& (/"(responderUsername|requesterUsername)"\s*:/.test(text) || /"requests"\s*:\s*\[\s*\{\s*"requestId"\s*:/.test(text));
	},
	// The sessions of one workspace share its workspace.json, so the workspace folder is the group.
	groupKey(filePath: string): string {
		if (isWorkspaceFile(filePath)) {
			return parentFolder(filePath);
		}
		const folder = parentFolder(filePath);
		return pathSegments(folder).pop() === 'chatSessions' ? parentFolder(folder) : filePath;
	},
	parse(files: RawFile[]) {
		const warnings: ImportWarning[] = [];
		const workspace = files.find((file) => isWorkspaceFile(file.path));
		const cwd = workspace === undefined ? null : workspaceFolder(workspace.records[0]?.value) ?? null;
		const found = new Map<string, { session: SessionInput; file: string }>();
		for (const file of files) {
			if (file === workspace) continue;
			const document = readDocument(file, warnings);
			if (document === undefined) continue;
			const result = readChatSession({ ...document, cwd, parserVersion: PARSER_VERSION });
			warnings.push(...result.warnings);
			if (result.session !== undefined) {
				keepNewest(found, result.session, file.path, warnings);
			}
		}
		return { sessions: [...found.values()].map((entry) => entry.session), warnings };
	},
};

interface ReadDocument {
	file: string;
	document: JsonObject;
	sessionId: string;
	requestLine(index: number): number;
}

/** The session document of one file: the JSON document itself, or the replayed mutation log. */
function readDocument(file: RawFile, warnings: ImportWarning[]): ReadDocument | undefined {
	const jsonl = file.path.toLowerCase().endsWith('.jsonl');
	let document: JsonObject | undefined;
	let requestLine: (index: number) => number;
	if (jsonl) {
		const replay = replayMutationLog(file.path, file.records);
		warnings.push(...replay.warnings);
		if (replay.document === undefined) {
			if (file.records.some((r) => r.value !== undefined)) {
				warnings.push({ file: file.path, message: 'no initial session entry ({kind: 0, v: session}); nothing to replay' });
			}
			return undefined;
		}
		document = replay.document;
		requestLine = (index) => replay.requestLines[index] ?? 1;
	} else {
		const record = file.records[0];
		if (record === undefined) {
			return undefined; // an empty file: nothing written yet
		}
		document = asObject(record.value);
		const lines = document === undefined ? [] : requestLines(record.text, document);
		requestLine = (index) => lines[index] ?? 1;
	}
	if (document === undefined || !Array.isArray(document.requests)) {
		warnings.push({ file: file.path, line: 1, message: 'not a Copilot Chat session (expected an object with a requests array); file skipped' });
		return undefined;
	}
	const stem = pathSegments(file.path).pop()?.replace(SESSION_NAME, '');
	const sessionId = asText(document.sessionId) ?? (inSessionFolder(file.path) && stem ? stem : exportSessionId(file.path, document));
	return { file: file.path, document, sessionId, requestLine };
}

/** Line of each request in a pretty-printed document: where its requestId first appears. */
function requestLines(text: string, document: JsonObject): number[] {
	const lines: number[] = [];
	let from = 0;
	let line = 1;
	for (const request of asArray(document.requests)) {
		const id = asString(asObject(request)?.requestId);
		const at = id === undefined ? -1 : text.indexOf(JSON.stringify(id), from);
		if (at === -1) {
			lines.push(line);
			continue;
		}
		for (let i = from; i < at; i++) {
			if (text.charCodeAt(i) === 10) line++;
		}
		from = at;
		lines.push(line);
	}
	return lines;
}

/**
 * VS Code moved sessions from `.json` to `.jsonl`; while both copies sit in one folder they are
 * the same session, and only the one that reaches further is kept.
 */
function keepNewest(found: Map<string, { session: SessionInput; file: string }>, session: SessionInput, file: string, warnings: ImportWarning[]): void {
	const known = found.get(session.id);
	if (known === undefined) {
		found.set(session.id, { session, file });
		return;
	}
	const newer = (session.ended_at ?? '') > (known.session.ended_at ?? '')
		|| ((session.ended_at ?? '') === (known.session.ended_at ?? '') && file.toLowerCase().endsWith('.jsonl'));
	const [kept, dropped] = newer ? [file, known.file] : [known.file, file];
	warnings.push({ file: dropped, message: `same Copilot Chat session ${session.id} as ${kept}; the copy that reaches further was imported` });
	if (newer) {
		found.set(session.id, { session, file });
	}
}
