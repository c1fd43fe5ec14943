/**
 * Copilot CLI up to 0.0.341 kept each session as one JSON document,
 * `~/.copilot/history-session-state/session_<id>_<ms>.json`: `{sessionId, startTime,
 * chatMessages, timeline}`, where `chatMessages` is the conversation in the OpenAI chat shape
 * (`role`, `content`, `tool_calls`, `tool_call_id`). The CLI rewrote it whole, and it has no
 * token counts, models or working folder. No real file was available: the shape follows the
 * descriptions of tools that read these files.
 */
import { emptyUsage, MODEL_SCHEMA_VERSION, type MessageInput, type SessionInput, type ToolCall } from '../../../../../shared/model';
import type { ImportWarning, RawFile } from '../importer';
import { asArray, asObject, asString, asText, isoTimestamp } from '../json';
import { pairToolResults, timeBounds } from '../canonical';
import { argumentsJson, SkipTally, titleOf } from './common';
import { baseName } from '../paths';

const LEGACY_NAME = /^session_(.+)_\d+\.json$/i;

export function readLegacySession(file: RawFile, parserVersion: number): { session?: SessionInput; warnings: ImportWarning[] } {
	const warnings: ImportWarning[] = [];
	const record = file.records[0];
	const document = asObject(record?.value);
	if (record === undefined) {
		return { warnings };
	}
	if (document === undefined || !Array.isArray(document.chatMessages)) {
		warnings.push({ file: file.path, line: 1, message: 'not a Copilot CLI history session (expected an object with a chatMessages array); file skipped' });
		return { warnings };
	}
	const name = baseName(file.path);
	const sessionId = asText(document.sessionId) ?? LEGACY_NAME.exec(name)?.[1];
	if (sessionId === undefined) {
		warnings.push({ file: file.path, line: 1, message: 'no Copilot CLI session id (no sessionId and none in the file name); file skipped' });
		return { warnings };
	}
	const id = `copilot-cli:${sessionId}`;
	const tally = new SkipTally(file.path);
	const source = { file: file.path, line: 1 };
	const messages: MessageInput[] = [];
	const unanswered: string[] = [];
	let synthetic = 0;
	for (const raw of document.chatMessages) {
		const message = asObject(raw);
		const role = asString(message?.role);
		if (message === undefined || role === undefined) {
			tally.add('chat messages without a role', 1);
			continue;
		}
		const { text, images } = contentText(message.content);
		const extra = images > 0 ? { images } : {};
		if (role === 'system' || role === 'developer') {
			messages.push({ role: 'system', content: text, context: 'instructions', ...extra, source });
		} else if (role === 'user') {
			messages.push({ role: 'user', content: text, context: null, ...extra, source });
		} else if (role === 'assistant') {
			const calls: ToolCall[] = [];
			for (const rawCall of asArray(message.tool_calls)) {
				const call = asObject(rawCall);
				const fn = asObject(call?.function);
				const name = asText(fn?.name);
				if (name === undefined) {
					tally.add('tool calls without a function name', 1);
					continue;
				}
				// Calls without ids are answered in order, so they get ids in order.
				const callId = asText(call?.id) ?? `${id}:call:${++synthetic}`;
				calls.push({ id: callId, type: 'function', function: { name, arguments: argumentsJson(fn?.arguments).json } });
				unanswered.push(callId);
			}
			messages.push({ role: 'assistant', content: text, ...(calls.length > 0 ? { tool_calls: calls } : {}), context: null, ...extra, source });
		} else if (role === 'tool') {
			const callId = asText(message.tool_call_id) ?? unanswered[0];
			if (callId === undefined) {
				tally.add('tool results with no tool call before them', 1);
				continue;
			}
			const open = unanswered.indexOf(callId);
			if (open !== -1) unanswered.splice(open, 1);
			messages.push({ role: 'tool', content: text, tool_call_id: callId, ...(asText(message.name) ? { name: asText(message.name) } : {}), context: null, ...extra, source });
		} else {
			tally.add(`chat messages with unknown role "${role}"`, 1);
		}
	}
	tally.report(warnings);
	const ordered = pairToolResults(messages, warnings, { file: file.path });
	const times = asArray(document.timeline).map((entry) => isoTimestamp(asObject(entry)?.timestamp));
	const bounds = timeBounds([isoTimestamp(document.startTime), ...times]);
	const session: SessionInput = {
		schema_version: MODEL_SCHEMA_VERSION,
		id,
		agent: 'copilot-cli',
		agent_version: null,
		parser_version: parserVersion,
		title: titleOf(ordered),
		source_files: [file.path],
		cwd: null,
		git_branch: null,
		git_commit: null,
		repository_url: null,
		model: null,
		models: [],
		started_at: isoTimestamp(document.startTime) ?? bounds.first ?? null,
		ended_at: bounds.last ?? null,
		usage: emptyUsage(),
		parent_session_id: null,
		parent_tool_call_id: null,
		subagent_type: null,
		messages: ordered,
	};
	return { session, warnings };
}

/** OpenAI message content: a string, or parts of which text is kept and images counted. */
function contentText(content: unknown): { text: string; images: number } {
	if (typeof content === 'string') {
		return { text: content, images: 0 };
	}
	const texts: string[] = [];
	let images = 0;
	for (const part of asArray(content)) {
		const object = asObject(part);
		const text = asString(object?.text);
		if (text !== undefined) texts.push(text);
		else if (asString(object?.type)?.startsWith('image')) images++;
	}
	return { text: texts.join('\n'), images };
}
