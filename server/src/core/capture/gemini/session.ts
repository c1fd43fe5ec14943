/**
 * One Gemini CLI conversation as a canonical session.
 *
 * `user` messages are human turns; files pulled in with `@path` follow Gemini CLI's
 * `--- Content from referenced files ---` marker and are split off as environment context.
 * `gemini` messages are assistant turns: `thoughts` (and thought parts) become reasoning,
 * `tokens` usage, and each embedded tool call an assistant tool call answered by a tool message
 * built from its embedded result. `info`, `warning` and `error` are notices the CLI wrote for the
 * user, kept as system context. The files carry no working directory (Gemini CLI maps the project
 * hash to a path in ~/.gemini/projects.json, outside the session files) nor a CLI version.
 */
import {
	MODEL_SCHEMA_VERSION,
	emptyUsage,
	type MessageInput,
	type SessionInput,
	type TokenUsage,
	type ToolCall,
} from '../../../../../shared/model';
import { addUsage, mostUsedModel, timeBounds, titleLine } from '../canonical';
import type { ImportWarning } from '../importer';
import { asArray, asObject, asString, asText, isoTimestamp, type JsonObject } from '../json';
import type { Conversation, LocatedMessage } from './conversation';
import { readParts } from './parts';
import { readToolResult } from './tool-result';
import { geminiUsage } from './usage';

export interface SessionPlace {
	parserVersion: number;
	file: string;
	sourceFiles: string[];
	/** `gemini-cli:<id>` of the session a subagent conversation was started from. */
	parentSessionId?: string;
}

const REFERENCED_FILES = '--- Content from referenced files ---';
const NOTICES = new Set(['info', 'warning', 'error']);

export function conversationSession(conversation: Conversation, place: SessionPlace, warnings: ImportWarning[]): SessionInput {
	return new ConversationReader(conversation, place, warnings).read();
}

class ConversationReader {
	private readonly messages: MessageInput[] = [];
	private readonly models: string[] = [];
	private readonly callIds = new Set<string>();
	private usage: TokenUsage = emptyUsage();
	private unnamedCalls = 0;
	private readonly id: string;

	constructor(private readonly conversation: Conversation, private readonly place: SessionPlace, private readonly warnings: ImportWarning[]) {
		this.id = `gemini-cli:${conversation.sessionId ?? ''}`;
	}

	read(): SessionInput {
		const lastGemini = this.conversation.messages.findLastIndex((message) => message.value.type === 'gemini');
		this.conversation.messages.forEach((message, index) => this.readMessage(message, index === lastGemini));
		return this.session();
	}

	private readMessage(message: LocatedMessage, last: boolean): void {
		const type = asString(message.value.type);
		if (type === 'user') {
			this.readUser(message);
		} else if (type === 'gemini') {
			this.readGemini(message, last);
		} else if (type !== undefined && NOTICES.has(type)) {
			this.messages.push({ role: 'system', content: readParts(message.value.content).text, context: 'meta', ...this.provenance(message) });
		} else {
			this.warn(message.line, `message of unknown type "${type ?? ''}" (expected user, gemini, info, warning or error); skipped`);
		}
	}

	private readUser(message: LocatedMessage): void {
		const parts = readParts(message.value.content);
		const images = parts.images > 0 ? { images: parts.images } : {};
		const at = parts.text.indexOf(REFERENCED_FILES);
		const typed = at === -1 ? parts.text : parts.text.slice(0, at).trimEnd();
		if (typed.length > 0 || parts.images > 0 || at === -1) {
			this.messages.push({ role: 'user', content: typed, context: null, ...images, ...this.provenance(message) });
		}
		if (at !== -1) {
			this.messages.push({ role: 'user', content: parts.text.slice(at), context: 'environment', ...this.provenance(message) });
		}
	}

	private readGemini(message: LocatedMessage, last: boolean): void {
		const { value } = message;
		const parts = readParts(value.content);
		const reasoning = [...asArray(value.thoughts).map(thoughtText), parts.thought].filter((text) => text.trim().length > 0).join('\n\n');
		const model = asText(value.model);
		if (model !== undefined && !this.models.includes(model)) {
			this.models.push(model);
		}
		const usage = geminiUsage(value.tokens);
		if (usage !== undefined) {
			this.usage = addUsage(this.usage, usage);
		}
		const results: MessageInput[] = [];
		const calls: ToolCall[] = [];
		for (const raw of asArray(value.toolCalls)) {
			const call = this.readCall(asObject(raw), message, last, results);
			if (call !== undefined) {
				calls.push(call);
			}
		}
		this.messages.push({
			role: 'assistant',
			content: parts.text,
			context: null,
			...(calls.length > 0 ? { tool_calls: calls } : {}),
			...(reasoning.length > 0 ? { reasoning } : {}),
			...(parts.images > 0 ? { images: parts.images } : {}),
			...(model === undefined ? {} : { model }),
			...(usage === undefined ? {} : { usage }),
			...this.provenance(message),
		});
		this.messages.push(...results);
	}

	private readCall(call: JsonObject | undefined, message: LocatedMessage, last: boolean, results: MessageInput[]): ToolCall | undefined {
		const name = asText(call?.name);
		if (call === undefined || name === undefined) {
			this.warn(message.line, 'tool call without a name (expected {id, name, args, status, result}); skipped');
			return undefined;
		}
		const id = asText(call.id) ?? `${this.id}:call:${++this.unnamedCalls}`;
		if (this.callIds.has(id)) {
			this.warn(message.line, `tool call ${id} appears twice; the repeat was dropped`);
			return undefined;
		}
		this.callIds.add(id);
		const result = readToolResult(call);
		if (result !== undefined) {
			const timestamp = isoTimestamp(call.timestamp);
			results.push({
				role: 'tool',
				content: result.content,
				tool_call_id: id,
				name,
				context: null,
				is_error: result.isError,
				...(result.images > 0 ? { images: result.images } : {}),
				...(timestamp === undefined ? {} : { timestamp }),
				source_id: id,
				source: { file: this.place.file, line: message.line },
			});
		} else if (!last) {
			// The newest response may still be running in a live file; an older one never will.
			this.warn(message.line, `tool call ${id} (${name}) has no result (status "${asString(call.status) ?? ''}")`);
		}
		return { id, type: 'function', function: { name, arguments: argumentsJson(call.args) } };
	}

	private provenance(message: LocatedMessage): Pick<MessageInput, 'timestamp' | 'source_id' | 'source'> {
		const timestamp = isoTimestamp(message.value.timestamp);
		const id = asText(message.value.id);
		return {
			...(timestamp === undefined ? {} : { timestamp }),
			...(id === undefined ? {} : { source_id: id }),
			source: { file: this.place.file, line: message.line },
		};
	}

	private warn(line: number, message: string): void {
		this.warnings.push({ file: this.place.file, line, message });
	}

	private session(): SessionInput {
		const bounds = timeBounds(this.messages.map((message) => message.timestamp));
		return {
			schema_version: MODEL_SCHEMA_VERSION,
			id: this.id,
			agent: 'gemini-cli',
			agent_version: null,
			parser_version: this.place.parserVersion,
			title: this.title(),
			source_files: this.place.sourceFiles,
			cwd: null,
			git_branch: null,
			git_commit: null,
			repository_url: null,
			model: mostUsedModel(this.messages),
			models: [...this.models],
			started_at: isoTimestamp(this.conversation.startTime) ?? bounds.first ?? null,
			ended_at: latest(isoTimestamp(this.conversation.lastUpdated), bounds.last) ?? null,
			usage: this.usage,
			parent_session_id: this.place.parentSessionId ?? null,
			parent_tool_call_id: null,
			subagent_type: null,
			messages: this.messages,
		};
	}

	private title(): string | null {
		const first = this.messages.find((message) => message.role === 'user' && (message.context ?? null) === null && message.content.trim().length > 0);
		return titleLine(this.conversation.summary ?? '') ?? titleLine(first?.content ?? '');
	}

}

/** `{subject, description}` summaries of the model's thinking, as Gemini CLI shows them. */
function thoughtText(raw: unknown): string {
	const thought = asObject(raw);
	const subject = asString(thought?.subject)?.trim() ?? '';
	const description = asString(thought?.description)?.trim() ?? '';
	return subject.length > 0 && description.length > 0 ? `**${subject}**\n${description}` : subject || description;
}

/** Arguments as a JSON object string; anything else is wrapped as {"input": …}. */
function argumentsJson(args: unknown): string {
	if (args === undefined || args === null) {
		return '{}';
	}
	return JSON.stringify(asObject(args) ?? { input: args });
}

function latest(a: string | undefined, b: string | undefined): string | undefined {
	return a === undefined ? b : b === undefined || a >= b ? a : b;
}

