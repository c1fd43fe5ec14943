/**
 * A Copilot Chat session document (the `.json` file, the replayed `.jsonl` log, or a "Chat:
 * Export Chat…" file) as one canonical session. The document is VS Code's serialized chat
 * model: header fields (`sessionId`, `creationDate`, `lastMessageDate`, `customTitle`,
 * `repoData`) around `requests[]`; an export has only `requests[]` and the display names.
 */
import { createHash } from 'node:crypto';
import { MODEL_SCHEMA_VERSION, type MessageInput, type SessionInput } from '../../../../../shared/model';
import type { ImportWarning } from '../importer';
import { asArray, asObject, asString, asText, type JsonObject } from '../json';
import { readRequest, type RequestContext } from './chatRequest';
import { isoFromMillis, modelsOf, timeBounds, totalUsage } from '../canonical';
import { SkipTally, titleOf } from './common';
import { pathOfUriValue } from './uri';

export interface ChatDocument {
	file: string;
	document: JsonObject;
	/** The session id without the agent prefix. */
	sessionId: string;
	/** The workspace folder from workspace.json, when known. */
	cwd: string | null;
	/** The line each request starts at (1 for a document on one line). */
	requestLine(index: number): number;
	parserVersion: number;
}

export interface ChatSessionResult {
	session?: SessionInput;
	warnings: ImportWarning[];
}

export function readChatSession(input: ChatDocument): ChatSessionResult {
	const warnings: ImportWarning[] = [];
	const tally = new SkipTally(input.file);
	const idPrefix = `copilot-chat:${input.sessionId}`;
	const messages: MessageInput[] = [];
	const ends: (string | undefined)[] = [];
	let agentVersion: string | undefined;
	const ctx: RequestContext = { file: input.file, line: 1, idPrefix, tally, warnings };
	const requests = asArray(input.document.requests);
	requests.forEach((raw, index) => {
		const request = asObject(raw);
		const line = input.requestLine(index);
		if (request === undefined) {
			tally.add('requests that are not objects', line);
			return;
		}
		// A request the user undid (checkpoint restore) is gone from the conversation the model sees.
		if (request.isHidden === true || asObject(request.shouldBeRemovedOnSend) !== undefined) {
			return;
		}
		ctx.line = line;
		const read = readRequest(request, index, ctx);
		messages.push(...read.messages);
		ends.push(read.endedAt);
		agentVersion = read.agentVersion ?? agentVersion;
	});
	tally.report(warnings);
	if (!messages.some((m) => m.role !== 'user' || m.context === null)) {
		return { warnings }; // a chat opened and never used: VS Code writes these too
	}
	const doc = input.document;
	const repo = asObject(doc.repoData);
	const { model, models } = modelsOf(messages);
	const bounds = timeBounds([isoFromMillis(doc.creationDate), isoFromMillis(doc.lastMessageDate), ...ends, ...messages.map((m) => m.timestamp)]);
	const session: SessionInput = {
		schema_version: MODEL_SCHEMA_VERSION,
		id: idPrefix,
		agent: 'copilot-chat',
		agent_version: agentVersion ?? null,
		parser_version: input.parserVersion,
		title: titleOf(messages, asText(doc.customTitle) ?? asText(doc.computedTitle)),
		source_files: [input.file],
		cwd: input.cwd ?? baseFolder(requests) ?? null,
		git_branch: asText(repo?.localBranch) ?? null,
		git_commit: asText(repo?.localHeadCommit) ?? null,
		repository_url: asText(repo?.remoteUrl) ?? null,
		model,
		models,
		started_at: isoFromMillis(doc.creationDate) ?? bounds.first ?? null,
		ended_at: bounds.last ?? null,
		usage: totalUsage(messages),
		parent_session_id: null,
		parent_tool_call_id: null,
		subagent_type: null,
		messages,
	};
	return { session, warnings };
}

/**
 * Without workspace.json (an exported chat), the folder markdown parts resolve links against
 * (`baseUri`) is the workspace folder.
 */
function baseFolder(requests: unknown[]): string | undefined {
	for (const request of requests) {
		for (const part of asArray(asObject(request)?.response)) {
			const base = asObject(part)?.baseUri;
			const path = base === undefined ? undefined : pathOfUriValue(base);
			if (path !== undefined) {
				return path;
			}
		}
	}
	return undefined;
}

/** The id an export file gets: it has none of its own, so a stable hash of where it is and what it starts with. */
export function exportSessionId(file: string, document: JsonObject): string {
	const first = asString(asObject(asArray(document.requests)[0])?.requestId) ?? '';
	return `export-${createHash('sha256').update(`${file}\n${first}`).digest('hex').slice(0, 16)}`;
}
