/**
 * Builds canonical sessions from one Copilot CLI event log (`session-state/<id>/events.jsonl`,
 * or the flat `session-state/<id>.jsonl` of 0.0.342–0.0.377). Every line is an event
 * `{type, data, id, parentId, timestamp, agentId?, ephemeral?}`; field meanings follow the
 * session-events schema GitHub publishes with the Copilot SDK.
 *
 * - The transcript comes from `user.message`, `system.message`, `assistant.message` (text,
 *   `toolRequests` = the model's tool calls, `reasoningText`), `assistant.reasoning`, and
 *   `tool.execution_complete` (the result the model got). `tool.execution_start` only adds a
 *   call the log has no request for (older builds, user-requested tools).
 * - Events of a sub-agent carry `agentId` (older builds: `data.parentToolCallId`); they form a
 *   child session linked to the tool call that spawned it.
 * - Ephemeral events (streaming deltas, per-call usage) are never written to disk by the CLI;
 *   one that shows up anyway is skipped so nothing is counted twice.
 * - Tokens: `assistant.usage` is ephemeral, so totals come from `session.shutdown.modelMetrics`
 *   (one per process lifetime, summed over resumes). Copilot's `inputTokens` include cache
 *   reads and writes, as OpenAI's prompt tokens do; the canonical split (Anthropic's) counts
 *   them apart, so both are subtracted from the input.
 * The CLI writes many more event types (hooks, permissions, MCP, UI state): none of them is
 * conversation, so they are passed over without a warning.
 */
import { emptyUsage, MODEL_SCHEMA_VERSION, type ContextKind, type MessageInput, type SessionInput, type TokenUsage, type ToolCall } from '../../../../../shared/model';
import type { ImportWarning, RawFile, RawRecord } from '../importer';
import { asArray, asCount, asObject, asString, asText, isoTimestamp, type JsonObject } from '../json';
import { modelsOf, pairToolResults, timeBounds } from '../canonical';
import { argumentsJson, SkipTally, titleOf } from './common';
import { pathSegments } from '../paths';

export interface CliResult {
	sessions: SessionInput[];
	warnings: ImportWarning[];
}

/** Ids the CLI uses for "no particular model". */
const NOT_A_MODEL = new Set(['auto', 'default']);
/** A bare slash command (`/model`, `/clear`) typed at the prompt is a command, not a request. */
const SLASH_COMMAND = /^\/[a-z][\w-]*$/i;

interface Thread {
	key: string;
	messages: MessageInput[];
	callLines: Map<string, number>;
	/** The assistant message a tool call without its own request joins (the latest model output). */
	open?: MessageInput;
	reasoning: string[];
	model?: string;
	parentToolCallId?: string;
	subagentType?: string;
}

export function readCliEvents(file: RawFile, parserVersion: number): CliResult {
	return new CliReader(file.path).read(file.records, parserVersion);
}

class CliReader {
	private readonly warnings: ImportWarning[] = [];
	private readonly tally: SkipTally;
	private readonly main: Thread = newThread('');
	private readonly subagents = new Map<string, Thread>();
	/** Agent id or spawning call id → the call that started a sub-agent and its name (`subagent.started`). */
	private readonly spawnedBy = new Map<string, { toolCallId?: string; agentName?: string }>();
	private sessionId: string | undefined;
	private agentVersion: string | undefined;
	private cwd: string | undefined;
	private branch: string | undefined;
	private commit: string | undefined;
	private repository: string | undefined;
	private startTime: string | undefined;
	private readonly times: string[] = [];
	private usage: TokenUsage | undefined;
	private outputTokens = 0;
	private readonly metricModels: string[] = [];
	private wrappedArguments = 0;
	private events = 0;

	constructor(private readonly file: string) {
		this.tally = new SkipTally(file);
	}

	read(records: readonly RawRecord[], parserVersion: number): CliResult {
		for (const record of records) {
			if (record.value !== undefined) {
				this.readRecord(record);
			}
		}
		const id = this.sessionId ?? idFromPath(this.file);
		if (this.events === 0 || id === undefined) {
			if (records.some((r) => r.value !== undefined)) {
				this.warnings.push({ file: this.file, message: id === undefined ? 'no Copilot CLI session id (no session.start event and no id in the path)' : 'no Copilot CLI events' });
			}
			return { sessions: [], warnings: this.warnings };
		}
		this.tally.report(this.warnings);
		if (this.wrappedArguments > 0) {
			this.warnings.push({ file: this.file, message: `${this.wrappedArguments} tool call(s) had arguments that are not a JSON object; wrapped as {"input": …}` });
		}
		const sessions = this.sessions(`copilot-cli:${id}`, parserVersion);
		return { sessions, warnings: this.warnings };
	}

	private readRecord(record: RawRecord): void {
		const event = asObject(record.value);
		const type = asString(event?.type);
		const data = asObject(event?.data);
		if (event === undefined || type === undefined || data === undefined) {
			this.tally.add('records without a Copilot CLI {type, data} event envelope', record.line);
			return;
		}
		this.events++;
		if (event.ephemeral === true) {
			return;
		}
		const timestamp = isoTimestamp(event.timestamp);
		if (timestamp !== undefined) this.times.push(timestamp);
		const thread = this.threadOf(event, data);
		const at = { line: record.line, timestamp, eventId: asText(event.id) };
		switch (type) {
			case 'session.start':
				this.sessionId ??= asText(data.sessionId);
				this.agentVersion ??= asText(data.copilotVersion);
				this.startTime ??= isoTimestamp(data.startTime);
				this.readContext(data.context);
				this.setModel(this.main, data.selectedModel);
				return;
			case 'session.resume':
				this.readContext(data.context);
				this.setModel(this.main, data.selectedModel);
				return;
			case 'session.context_changed':
				this.readContext(data);
				return;
			case 'session.model_change':
				this.setModel(this.main, data.newModel);
				return;
			case 'session.shutdown':
				this.readShutdown(data);
				return;
			case 'session.compaction_complete': {
				const summary = asText(data.summaryContent);
				if (summary !== undefined) this.push(thread, { role: 'user', content: summary, context: 'compaction' }, at);
				return;
			}
			case 'system.message': {
				const content = asString(data.content);
				if (content !== undefined) this.push(thread, { role: 'system', content, context: 'instructions' }, at);
				return;
			}
			case 'user.message':
				this.readUserMessage(thread, data, at);
				return;
			case 'assistant.turn_start':
				this.setModel(thread, data.model);
				return;
			case 'assistant.reasoning': {
				const text = asText(data.content);
				if (text !== undefined) {
					thread.open = undefined; // reasoning opens the next model output
					thread.reasoning.push(text);
				}
				return;
			}
			case 'assistant.message':
				this.readAssistantMessage(thread, data, at);
				return;
			case 'tool.execution_start':
				this.readToolStart(thread, data, at);
				return;
			case 'tool.execution_complete':
				this.readToolComplete(thread, data, at);
				return;
			case 'subagent.started': {
				// Known by the call that spawned it, and by its agent id when the event carries one.
				const spawn = { toolCallId: asText(data.toolCallId), agentName: asText(data.agentName) };
				for (const key of [asText(event.agentId), spawn.toolCallId]) {
					if (key !== undefined) this.spawnedBy.set(key, spawn);
				}
				return;
			}
			default:
			// Hooks, permissions, MCP, UI and bookkeeping events: not conversation.
		}
	}

	/** Sub-agent events carry `agentId` (older builds only `data.parentToolCallId`); session events are the main thread's. */
	private threadOf(event: JsonObject, data: JsonObject): Thread {
		const type = asString(event.type) ?? '';
		if (type.startsWith('session.') || type.startsWith('subagent.')) {
			return this.main;
		}
		const parentCall = asText(data.parentToolCallId);
		const key = asText(event.agentId) ?? parentCall;
		if (key === undefined) {
			return this.main;
		}
		let thread = this.subagents.get(key);
		if (thread === undefined) {
			thread = newThread(key);
			this.subagents.set(key, thread);
		}
		thread.parentToolCallId ??= parentCall;
		return thread;
	}

	private readContext(value: unknown): void {
		const context = asObject(value);
		if (context === undefined) return;
		this.cwd ??= asText(context.cwd);
		this.branch ??= asText(context.branch);
		this.commit ??= asText(context.headCommit);
		const repository = asText(context.repository);
		if (this.repository === undefined && repository !== undefined) {
			// `repository` is "owner/name" on the remote's host (GitHub unless another host is named).
			const host = asText(context.repositoryHost) ?? (context.hostType === 'ado' ? undefined : 'github.com');
			this.repository = host === undefined ? repository : `https://${host}/${repository}`;
		}
	}

	private setModel(thread: Thread, value: unknown): void {
		const model = asText(value);
		if (model !== undefined && !NOT_A_MODEL.has(model.toLowerCase())) {
			thread.model = model;
		}
	}

	private readShutdown(data: JsonObject): void {
		const metrics = asObject(data.modelMetrics);
		if (metrics === undefined) return;
		const total = this.usage ?? emptyUsage();
		for (const [model, metric] of Object.entries(metrics)) {
			const usage = asObject(asObject(metric)?.usage);
			if (usage === undefined) continue;
			if (!NOT_A_MODEL.has(model.toLowerCase()) && !this.metricModels.includes(model)) this.metricModels.push(model);
			const count = (key: string): number => asCount(usage[key]);
			const cacheRead = count('cacheReadTokens');
			const cacheWrite = count('cacheWriteTokens');
			total.input_tokens += Math.max(0, count('inputTokens') - cacheRead - cacheWrite);
			total.cache_read_tokens += cacheRead;
			total.cache_creation_tokens += cacheWrite;
			total.output_tokens += count('outputTokens');
			total.reasoning_tokens += count('reasoningTokens');
		}
		this.usage = total;
	}

	private readUserMessage(thread: Thread, data: JsonObject, at: At): void {
		const content = asString(data.content) ?? '';
		const attached = attachmentsText(data.attachments);
		if (attached !== undefined) {
			this.push(thread, { role: 'user', content: attached, context: 'environment' }, { ...at, eventId: undefined });
		}
		if (content.trim().length === 0) {
			return;
		}
		this.push(thread, { role: 'user', content, context: userContextKind(data, content), ...(at.eventId ? { source_id: at.eventId } : {}) }, at);
		thread.reasoning = [];
	}

	private readAssistantMessage(thread: Thread, data: JsonObject, at: At): void {
		this.setModel(thread, data.model);
		this.outputTokens += asCount(data.outputTokens);
		const calls: ToolCall[] = [];
		for (const raw of asArray(data.toolRequests)) {
			const request = asObject(raw);
			const id = asText(request?.toolCallId);
			const name = asText(request?.name);
			if (request === undefined || id === undefined || name === undefined) {
				this.tally.add('tool requests without a toolCallId or name', at.line);
				continue;
			}
			calls.push(this.call(thread, id, name, request.arguments, at.line));
		}
		const stated = asText(data.reasoningText);
		const reasoning = stated ?? (thread.reasoning.length > 0 ? thread.reasoning.join('\n\n') : undefined);
		thread.reasoning = [];
		const content = asString(data.content) ?? '';
		if (content.length === 0 && calls.length === 0 && reasoning === undefined) {
			return;
		}
		const message: MessageInput = {
			role: 'assistant',
			content,
			...(calls.length > 0 ? { tool_calls: calls } : {}),
			context: null,
			...(reasoning !== undefined ? { reasoning } : {}),
			...(thread.model !== undefined ? { model: thread.model } : {}),
		};
		this.push(thread, message, { ...at, eventId: asText(data.messageId) ?? at.eventId });
		thread.open = message;
	}

	private call(thread: Thread, id: string, name: string, rawArguments: unknown, line: number): ToolCall {
		const args = argumentsJson(rawArguments);
		if (args.wrapped) this.wrappedArguments++;
		thread.callLines.set(id, line);
		return { id, type: 'function', function: { name, arguments: args.json } };
	}

	/** A tool that started without a request in the log still needs its call, for its result to land on. */
	private readToolStart(thread: Thread, data: JsonObject, at: At): void {
		const id = asText(data.toolCallId);
		const name = asText(data.toolName);
		if (id === undefined || name === undefined) {
			this.tally.add('tool.execution_start events without a toolCallId or toolName', at.line);
			return;
		}
		if (thread.callLines.has(id)) {
			return;
		}
		const call = this.call(thread, id, name, data.arguments, at.line);
		if (thread.open !== undefined) {
			thread.open.tool_calls = [...(thread.open.tool_calls ?? []), call];
			return;
		}
		const message: MessageInput = { role: 'assistant', content: '', tool_calls: [call], context: null, ...(thread.model !== undefined ? { model: thread.model } : {}) };
		this.push(thread, message, at);
		thread.open = message;
	}

	private readToolComplete(thread: Thread, data: JsonObject, at: At): void {
		const id = asText(data.toolCallId);
		if (id === undefined) {
			this.tally.add('tool.execution_complete events without a toolCallId', at.line);
			return;
		}
		const result = asObject(data.result);
		const failed = data.success === false;
		// `content` is the text the model was sent; `detailedContent` is the fuller view for people.
		const content = asString(result?.content) ?? (failed ? asString(asObject(data.error)?.message) : undefined) ?? asString(result?.detailedContent) ?? '';
		const images = asArray(result?.contents).filter((part) => asString(asObject(part)?.type) === 'image').length;
		this.push(thread, {
			role: 'tool',
			content,
			tool_call_id: id,
			context: null,
			...(typeof data.success === 'boolean' ? { is_error: failed } : {}),
			...(images > 0 ? { images } : {}),
		}, at);
	}

	private push(thread: Thread, message: MessageInput, at: At): void {
		thread.messages.push({
			...message,
			...(at.timestamp !== undefined ? { timestamp: at.timestamp } : {}),
			...(message.source_id === undefined && at.eventId !== undefined ? { source_id: at.eventId } : {}),
			source: { file: this.file, line: at.line },
		});
		if (message.role !== 'tool') {
			thread.open = undefined; // a result leaves the response open: parallel calls keep joining it
		}
	}

	private sessions(id: string, parserVersion: number): SessionInput[] {
		const children = [...this.subagents.values()].map((thread) => {
			const spawn = this.spawnedBy.get(thread.key) ?? (thread.parentToolCallId === undefined ? undefined : this.spawnedBy.get(thread.parentToolCallId));
			thread.parentToolCallId ??= spawn?.toolCallId;
			thread.subagentType = spawn?.agentName;
			return { thread, childId: `${id}:${thread.key}` };
		});
		// The spawning call's result points at the sub-agent's session.
		const spawned = new Map(children.filter((c) => c.thread.parentToolCallId !== undefined).map((c) => [c.thread.parentToolCallId!, c.childId]));
		for (const message of this.main.messages) {
			const child = message.role === 'tool' && message.tool_call_id !== undefined ? spawned.get(message.tool_call_id) : undefined;
			if (child !== undefined) message.subagent_session_id = child;
		}
		const sessions = [this.session(id, this.main, parserVersion, null)];
		for (const { thread, childId } of children) {
			if (thread.messages.length > 0) sessions.push(this.session(childId, thread, parserVersion, id));
		}
		return sessions;
	}

	private session(id: string, thread: Thread, parserVersion: number, parent: string | null): SessionInput {
		const messages = pairToolResults(thread.messages, this.warnings, { file: this.file, callLines: thread.callLines });
		const { model, models } = modelsOf(messages, undefined, parent === null ? this.metricModels : []);
		const bounds = timeBounds(parent === null ? [this.startTime, ...this.times] : messages.map((m) => m.timestamp));
		const usage = parent !== null ? emptyUsage() : this.usage ?? { ...emptyUsage(), output_tokens: this.outputTokens };
		return {
			schema_version: MODEL_SCHEMA_VERSION,
			id,
			agent: 'copilot-cli',
			agent_version: this.agentVersion ?? null,
			parser_version: parserVersion,
			title: titleOf(messages),
			source_files: [this.file],
			cwd: this.cwd ?? null,
			git_branch: this.branch ?? null,
			git_commit: this.commit ?? null,
			repository_url: this.repository ?? null,
			model,
			models,
			started_at: bounds.first ?? null,
			ended_at: bounds.last ?? null,
			usage,
			parent_session_id: parent,
			parent_tool_call_id: parent === null ? null : thread.parentToolCallId ?? null,
			subagent_type: parent === null ? null : thread.subagentType ?? null,
			messages,
		};
	}
}

interface At {
	line: number;
	timestamp?: string;
	eventId?: string;
}

function newThread(key: string): Thread {
	return { key, messages: [], callLines: new Map(), reasoning: [] };
}

/**
 * Text the user did not type: autopilot's continuation prompts, skill and inter-agent
 * injections (`source`), and bare slash commands.
 */
function userContextKind(data: JsonObject, content: string): ContextKind | null {
	if (data.isAutopilotContinuation === true) return 'meta';
	const source = asText(data.source);
	if (source?.startsWith('skill-')) return 'instructions';
	if (source?.startsWith('agent-')) return 'notification';
	return SLASH_COMMAND.test(content.trim()) ? 'command' : null;
}

/** Files, selections and references attached to a prompt, one per line (selections with their text). */
function attachmentsText(value: unknown): string | undefined {
	const lines: string[] = [];
	for (const raw of asArray(value)) {
		const attachment = asObject(raw);
		if (attachment === undefined) continue;
		const type = asString(attachment.type) ?? 'attachment';
		const target = asText(attachment.path) ?? asText(attachment.filePath) ?? asText(attachment.url) ?? asText(attachment.displayName) ?? '';
		const text = asText(attachment.text);
		lines.push(`[${type}] ${target}`.trimEnd() + (text !== undefined ? `\n${text}` : ''));
	}
	return lines.length > 0 ? lines.join('\n\n') : undefined;
}

/** `session-state/<id>/events.jsonl` or `session-state/<id>.jsonl`: the id the path carries. */
export function idFromPath(filePath: string): string | undefined {
	const parts = pathSegments(filePath);
	const name = parts[parts.length - 1] ?? '';
	const id = name === 'events.jsonl' ? parts[parts.length - 2] : name.replace(/\.jsonl$/i, '');
	return id !== undefined && id.length > 0 ? id : undefined;
}
