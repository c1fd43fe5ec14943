/**
 * Aider importer. Aider keeps no global store: each repository it runs in gets an append-only
 * `.aider.chat.history.md` (the transcript) and `.aider.input.history` (what was typed, with the
 * only per-prompt timestamps), read together. `.aider.llm.history` is not read: it exists only when
 * `--llm-history-file` is given and repeats every prompt sent to the model in full (megabytes of
 * repo maps and file contents), adding nothing the transcript lacks for a session.
 *
 * A run (`# aider chat started at …`) is one session. The log has no session id, so the id is
 * `aider:<hash of the folder>:<start time as written>`: the start second tells runs in one folder
 * apart, the hash keeps ids short and free of the user's path. Moving the repository changes the
 * hash, so the same run imported from its new place is a new session.
 */
import { createHash } from 'node:crypto';
import type { SessionInput } from '../../../../shared/model';
import type { AgentImporter, FileHead, ImportWarning, RawFile } from './importer';
import { readChatHistory } from './aider/chat-history';
import { readInputHistory, type InputEntry } from './aider/input-history';
import { runSession } from './aider/run';
import { baseName } from './paths';

const PARSER_VERSION = 1;
const CHAT_HISTORY = '.aider.chat.history.md';
const INPUT_HISTORY = '.aider.input.history';
const CHAT_HEAD = /^# aider chat started at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\s*$/;
const INPUT_HEAD = /^# \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?\s*\r?\n\+/;

/** The folder holding a file, whichever separator the path uses. */
function folderOf(filePath: string): string {
	const cut = Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\'));
	return cut <= 0 ? filePath.slice(0, cut + 1) : filePath.slice(0, cut);
}

function folderHash(folder: string): string {
	return createHash('sha256').update(folder).digest('hex').slice(0, 16);
}

export const aiderImporter: AgentImporter = {
	agent: 'aider',
	parserVersion: PARSER_VERSION,
	// Nothing to look for at a fixed place: the history sits in each repository. Live capture adds
	// the open workspace folders as extra roots for Aider; an explicit import names the folders.
	defaultRoots: () => [],
	isSessionFile(filePath: string): boolean {
		const name = baseName(filePath);
		return name === CHAT_HISTORY || name === INPUT_HISTORY;
	},
	layoutOf: () => 'text',
	sniff(head: FileHead): boolean {
		const text = head.text.replace(/^\uFEFF/, '').replace(/^\s*\n/, '');
		const firstLine = text.split('\n', 1)[0].replace(/\r$/, '');
		return CHAT_HEAD.test(firstLine) || INPUT_HEAD.test(text);
	},
	groupKey: folderOf,
	parse(files: RawFile[]) {
		const warnings: ImportWarning[] = [];
		const sessions: SessionInput[] = [];
		const chat = files.find((file) => baseName(file.path) === CHAT_HISTORY);
		const input = files.find((file) => baseName(file.path) === INPUT_HISTORY);
		if (chat === undefined) {
			return { sessions, warnings }; // typed input alone holds no conversation
		}
		const folder = folderOf(chat.path);
		const hash = folderHash(folder);
		const runs = readChatHistory(chat.path, chat.records, warnings);
		const inputs = input === undefined ? [] : readInputHistory(input.path, input.records, warnings);
		const seen = new Map<string, number>();
		runs.forEach((run, index) => {
			// Two runs started in the same second (two terminals) still get distinct, stable ids.
			const base = `aider:${hash}:${run.start.replace(' ', 'T')}`;
			const repeat = (seen.get(base) ?? 0) + 1;
			seen.set(base, repeat);
			// Runs started in the same second share their prompts; matching by text sorts them out.
			const next = runs.slice(index + 1).find((later) => later.start > run.start)?.start;
			const session = runSession(run, {
				id: repeat === 1 ? base : `${base}:${repeat}`,
				parserVersion: PARSER_VERSION,
				chatFile: chat.path,
				inputFile: input?.path,
				folder,
				inputs: inputsDuring(inputs, run.start, next),
			}, warnings);
			// Aider started and left (or not yet asked anything): only its banner, no session.
			if (session.messages.some((message) => message.context !== 'environment')) {
				sessions.push(session);
			}
		});
		return { sessions, warnings };
	},
};

/** Both files stamp the same local clock in the same format, so text order is time order. */
function inputsDuring(inputs: readonly InputEntry[], start: string, nextStart: string | undefined): InputEntry[] {
	return inputs.filter((entry) => entry.time >= start && (nextStart === undefined || entry.time < nextStart));
}
