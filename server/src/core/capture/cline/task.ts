/**
 * Builds one canonical session from the files of one Cline, Roo Code or Kilo Code task folder.
 *
 * The transcript is `api_conversation_history.json`: what the model was sent and answered, the
 * pair worth training on. `ui_messages.json` adds times and token usage, never messages (it repeats
 * the same turns in display form). Both files are rewritten whole and a checkpoint restore cuts
 * both back, so a session shows the task as it stands on disk, not every branch it once had.
 */
import { MODEL_SCHEMA_VERSION, emptyUsage, type ContextKind, type MessageInput, type SessionInput, type TokenUsage, type ToolCall } from '../../../../../shared/model';
import type { ImportWarning, RawFile } from '../importer';
import { readHistory, type Block, type HistoryEntry } from './api-history';
import { readTaskMetadata, modelAt, type TaskMetadata } from './task-metadata';
import { taskIdOf, type TaskAgent } from './task-files';
import { activitySpan, readUiMessages, type ApiRequest, type UiRead } from './ui-messages';
import { addUsage, modelsOf } from '../canonical';
import { callUsage } from './usage';
import { classifyUserText, isErrorResult, titleOf, workingDirectoryIn, type TextPart } from './user-text';
import { KNOWN_TOOLS, readAssistantText } from './xml-tools';
import { pairToolResults } from './tool-pairing';

export interface TaskFiles {
	folder: string;
	api?: RawFile;
	ui?: RawFile;
	metadata?: RawFile;
}

export interface TaskResult {
	session?: SessionInput;
	warnings: ImportWarning[];
}

interface OpenCall {
	id: string;
	name: string;
	answered: boolean;
}

const USER_MESSAGE = '<user_message>';

export function readTask(agent: TaskAgent, files: TaskFiles, parserVersion: number): TaskResult {
	const warnings: ImportWarning[] = [];
	const api = documentOf(files.api);
	if (files.api === undefined || api === undefined) {
		const file = files.ui?.path ?? files.metadata?.path ?? files.folder;
		warnings.push({ file, message: 'task folder has no readable api_conversation_history.json yet (the transcript); nothing imported for it' });
		return { warnings };
	}
	const history = readHistory(api.value, api.text, files.api.path);
	warnings.push(...history.warnings);
	if (history.entries === undefined) {
		return { warnings };
	}
	const uiDocument = documentOf(files.ui);
	const ui = files.ui !== undefined && uiDocument !== undefined ? readUiMessages(uiDocument.value, uiDocument.text, files.ui.path) : undefined;
	warnings.push(...(ui?.warnings ?? []));
	const metadataDocument = documentOf(files.metadata);
	const metadata = files.metadata !== undefined && metadataDocument !== undefined ? readTaskMetadata(metadataDocument.value, files.metadata.path) : { models: [], warnings: [] };
	warnings.push(...metadata.warnings);
	const reader = new TaskReader(agent, taskIdOf(files.folder), files.api.path, history.entries, ui, metadata);
	const session = reader.session(parserVersion, [files.api, files.ui, files.metadata].flatMap((f) => (f === undefined ? [] : [f.path])));
	warnings.push(...reader.warnings);
	// A task saved before its first message (`[]`) is not a session yet.
	return session.messages.length === 0 ? { warnings } : { session, warnings };
}

/** A json-layout file is one record holding the whole document (or none while it is torn). */
function documentOf(file: RawFile | undefined): { value: unknown; text: string } | undefined {
	const record = file?.records[0];
	return record === undefined || record.value === undefined ? undefined : { value: record.value, text: record.text };
}

class TaskReader {
	readonly warnings: ImportWarning[] = [];
	private readonly sessionId: string;
	private messages: MessageInput[] = [];
	private openCalls: OpenCall[] = [];
	private readonly callIds = new Set<string>();
	private syntheticCalls = 0;
	private pendingReasoning: string[] = [];
	private readonly requestUsage: Map<number, TokenUsage>;
	private readonly firstRowTs = new Map<number, number>();
	private readonly rowModel = new Map<number, string>();
	private cwd: string | undefined;
	private callUsageTotal = emptyUsage();

	constructor(
		private readonly agent: TaskAgent,
		taskId: string,
		private readonly file: string,
		private readonly entries: readonly HistoryEntry[],
		private readonly ui: UiRead | undefined,
		private readonly metadata: TaskMetadata,
	) {
		this.sessionId = `${agent}:${taskId}`;
		for (const row of ui?.rows ?? []) {
			if (row.historyIndex !== undefined) {
				if (!this.firstRowTs.has(row.historyIndex)) {
					this.firstRowTs.set(row.historyIndex, row.ts);
				}
				if (row.model !== undefined && !this.rowModel.has(row.historyIndex)) {
					this.rowModel.set(row.historyIndex, row.model);
				}
			}
		}
		this.requestUsage = attributeRequests(entries, ui?.requests ?? []);
	}

	session(parserVersion: number, sourceFiles: string[]): SessionInput {
		this.entries.forEach((entry, position) => {
			if (entry.role === 'reasoning') {
				this.pendingReasoning.push(...texts(entry.blocks, 'reasoning'));
			} else if (entry.summary || entry.truncationMarker) {
				this.contextEntry(entry, entry.summary ? 'compaction' : 'meta');
			} else if (entry.role === 'assistant') {
				this.assistant(entry, this.entries[position + 1]);
			} else {
				this.userOrTool(entry);
			}
		});
		const messages = pairToolResults(this.messages, this.file, this.warnings);
		const models = modelsOf(messages, undefined, this.metadata.models.map((m) => m.model));
		const span = this.span();
		return {
			schema_version: MODEL_SCHEMA_VERSION,
			id: this.sessionId,
			agent: this.agent,
			agent_version: this.metadata.agentVersion ?? null,
			parser_version: parserVersion,
			title: this.title(messages),
			source_files: sourceFiles,
			cwd: this.cwd ?? null,
			git_branch: null,
			git_commit: null,
			repository_url: null,
			model: models.model,
			models: models.models,
			started_at: span.first === undefined ? null : iso(span.first),
			ended_at: span.last === undefined ? null : iso(span.last),
			usage: this.sessionUsage(),
			parent_session_id: null,
			parent_tool_call_id: null,
			subagent_type: null,
			messages,
		};
	}

	private assistant(entry: HistoryEntry, next: HistoryEntry | undefined): void {
		const reasoning = [...this.pendingReasoning, ...texts(entry.blocks, 'reasoning')];
		this.pendingReasoning = [];
		let content = texts(entry.blocks, 'text').map((text) => text.trim()).filter((text) => text.length > 0).join('\n\n');
		const calls: ToolCall[] = [];
		const native = entry.blocks.filter((block) => block.kind === 'tool-call');
		if (native.length > 0) {
			for (const block of native) {
				this.addCall(calls, block.id, block.name, block.input, entry);
			}
		} else {
			// No native calls: older builds (and models without tool calling) write calls as tags in the text.
			const parsed = readAssistantText(content, new Set([...KNOWN_TOOLS, ...resultNames(next)]));
			content = parsed.text;
			reasoning.push(...parsed.reasoning);
			for (const call of parsed.calls) {
				this.addCall(calls, undefined, call.name, call.input, entry);
			}
		}
		this.openCalls = calls.map((call) => ({ id: call.id, name: call.function.name, answered: false }));
		const images = entry.blocks.filter((block) => block.kind === 'image').length;
		const model = entry.model ?? this.rowModel.get(entry.index - 1) ?? modelAt(this.metadata.models, this.timestampOf(entry));
		const usage = callUsage(entry.tokens, this.requestUsage.get(entry.index));
		if (usage !== undefined) {
			this.callUsageTotal = addUsage(this.callUsageTotal, usage);
		}
		this.messages.push({
			role: 'assistant',
			content,
			context: null,
			...(calls.length > 0 ? { tool_calls: calls } : {}),
			...(reasoning.length > 0 ? { reasoning: reasoning.join('\n\n') } : {}),
			...(images > 0 ? { images } : {}),
			...(model === undefined ? {} : { model }),
			...(usage === undefined ? {} : { usage }),
			...this.provenance(entry),
		});
	}

	private addCall(calls: ToolCall[], id: string | undefined, name: string, input: unknown, entry: HistoryEntry): void {
		// Legacy text calls carry no id: number them in task order, which a re-import reproduces.
		const callId = id ?? `${this.sessionId}:call:${++this.syntheticCalls}`;
		if (this.callIds.has(callId)) {
			this.warn(entry.line, `tool call ${callId} appears twice; the repeat was dropped`);
			return;
		}
		this.callIds.add(callId);
		const args = input !== null && typeof input === 'object' && !Array.isArray(input) ? input : { input };
		calls.push({ id: callId, type: 'function', function: { name, arguments: JSON.stringify(args) } });
	}

	private userOrTool(entry: HistoryEntry): void {
		const provenance = this.provenance(entry);
		const parts: Array<TextPart & { images: number }> = [];
		let result: MessageInput | undefined;
		let awaitingBody = false;
		let humanImages = 0;
		const addResult = (callId: string, content: string, isError: boolean | undefined, images: number): MessageInput => {
			const message: MessageInput = {
				role: 'tool', content, tool_call_id: callId, context: null,
				...(isError === undefined ? {} : { is_error: isError }),
				...(images > 0 ? { images } : {}),
				...provenance,
			};
			this.messages.push(message);
			return message;
		};
		for (const block of entry.blocks) {
			switch (block.kind) {
				case 'tool-result':
					this.answer(block.id);
					result = addResult(block.id, block.content, block.isError, block.images);
					awaitingBody = false;
					break;
				case 'image':
					if (result !== undefined) {
						result.images = (result.images ?? 0) + 1;
					} else {
						humanImages++;
					}
					break;
				case 'instructions':
					parts.push({ context: 'instructions', text: block.text, images: 0 });
					result = undefined;
					break;
				case 'attachment':
					parts.push({ context: 'environment', text: block.text, images: 0 });
					result = undefined;
					break;
				case 'text': {
					if (awaitingBody && result !== undefined) {
						// Cline before 3.5x sent a result as a header block and a body block.
						result.content = block.text;
						result.is_error = isErrorResult(block.text) || undefined;
						awaitingBody = false;
						break;
					}
					const text = classifyUserText(block.text);
					if (text.kind === 'result' || text.kind === 'not-run') {
						const call = this.takeOpenCall(text.name);
						if (call === undefined) {
							this.warn(entry.line, `"${text.name}" tool result with no unanswered ${text.name} call before it; kept as context`);
							parts.push({ context: 'meta', text: block.text, images: 0 });
							result = undefined;
						} else if (text.kind === 'result') {
							result = addResult(call.id, text.body, isErrorResult(text.body) || undefined, 0);
							awaitingBody = text.body.trim().length === 0;
						} else {
							result = addResult(call.id, text.text, true, 0);
						}
						break;
					}
					for (const part of text.parts) {
						// Words after a result header belong to that result (feedback, answers), unless typed as a new message.
						if (part.context === null && result !== undefined && !part.text.trimStart().startsWith(USER_MESSAGE)) {
							result.content = result.content.length > 0 ? `${result.content}\n\n${part.text}` : part.text;
							continue;
						}
						this.cwd ??= part.context === 'environment' ? workingDirectoryIn(part.text) : undefined;
						parts.push({ ...part, images: 0 });
						result = undefined;
					}
					break;
				}
				default:
					this.warn(entry.line, `a ${block.kind} block in a ${entry.role} message was not expected; skipped`);
			}
		}
		if (humanImages > 0) {
			const human = parts.find((part) => part.context === null);
			if (human !== undefined) {
				human.images += humanImages;
			} else {
				parts.push({ context: null, text: '', images: humanImages });
			}
		}
		for (const part of mergeParts(parts)) {
			this.messages.push({ role: 'user', content: part.text, context: part.context, ...(part.images > 0 ? { images: part.images } : {}), ...provenance });
		}
	}

	/** Roo's condense summary (and truncation marker): kept whole as context, never a turn. */
	private contextEntry(entry: HistoryEntry, context: ContextKind): void {
		const content = texts(entry.blocks, 'text').join('\n\n');
		this.messages.push({ role: 'user', content, context, ...this.provenance(entry) });
	}

	/** The first unanswered call of the last assistant message with this name, else the first unanswered one. */
	private takeOpenCall(name: string): OpenCall | undefined {
		const call = this.openCalls.find((c) => !c.answered && c.name === name) ?? this.openCalls.find((c) => !c.answered);
		if (call !== undefined) {
			call.answered = true;
		}
		return call;
	}

	private answer(callId: string): void {
		const call = this.openCalls.find((c) => c.id === callId);
		if (call !== undefined) {
			call.answered = true;
		}
	}

	/** Roo stamps `ts` on each message; Cline's first UI row written after message i-1 dates message i. */
	private timestampOf(entry: HistoryEntry): number | undefined {
		return entry.ts ?? this.firstRowTs.get(entry.index - 1);
	}

	private provenance(entry: HistoryEntry): Pick<MessageInput, 'timestamp' | 'source'> {
		const ts = this.timestampOf(entry);
		return { ...(ts === undefined ? {} : { timestamp: iso(ts) }), source: { file: this.file, line: entry.line } };
	}

	private span(): { first?: number; last?: number } {
		const times = this.entries.flatMap((entry) => (entry.ts === undefined ? [] : [entry.ts]));
		const rows = activitySpan(this.ui?.rows ?? []);
		const all = [...times, ...(rows.first === undefined ? [] : [rows.first]), ...(rows.last === undefined ? [] : [rows.last])];
		return all.length === 0 ? {} : { first: Math.min(...all), last: Math.max(...all) };
	}

	/** What the agent billed: every API request row (deleted ones too), else the calls' own counts. */
	private sessionUsage(): TokenUsage {
		const ui = this.ui;
		if (ui === undefined || ui.requests.length === 0) {
			return this.callUsageTotal;
		}
		return ui.requests.reduce((sum, request) => addUsage(sum, request.usage), ui.deletedUsage);
	}


	private title(messages: readonly MessageInput[]): string | null {
		const first = messages.find((message) => message.role === 'user' && (message.context ?? null) === null && message.content.trim().length > 0);
		return first === undefined ? null : titleOf(first.content);
	}

	private warn(line: number | undefined, message: string): void {
		this.warnings.push(line === undefined ? { file: this.file, message } : { file: this.file, line, message });
	}
}

function texts(blocks: readonly Block[], kind: 'text' | 'reasoning'): string[] {
	return blocks.flatMap((block) => (block.kind === kind ? [block.text] : []));
}

/** Tool names the next user message reports results for: they name the calls in this message's text. */
function resultNames(next: HistoryEntry | undefined): string[] {
	if (next === undefined || next.role !== 'user') {
		return [];
	}
	return texts(next.blocks, 'text').flatMap((text) => {
		const classified = classifyUserText(text);
		return classified.kind === 'result' || classified.kind === 'not-run' ? [classified.name] : [];
	});
}

/** Neighbouring human parts are one turn (text blocks and pasted images); each injected block stays its own message. */
function mergeParts(parts: ReadonlyArray<TextPart & { images: number }>): Array<TextPart & { images: number }> {
	const merged: Array<TextPart & { images: number }> = [];
	for (const part of parts) {
		const last = merged[merged.length - 1];
		if (last !== undefined && last.context === null && part.context === null) {
			last.text = [last.text, part.text].filter((text) => text.length > 0).join('\n\n');
			last.images += part.images;
		} else {
			merged.push({ ...part });
		}
	}
	return merged;
}

/**
 * Which assistant message each UI request row paid for. Roo stamps messages with `ts`: a request
 * pays for the first assistant message written after it and before the next request (a failed
 * request followed by its retry pays for none; the session total still counts it). Cline rows
 * carry `conversationHistoryIndex`, the last message before the request: its answer is two later
 * (the request's own user message sits between), and retries of one request add up.
 */
function attributeRequests(entries: readonly HistoryEntry[], requests: readonly ApiRequest[]): Map<number, TokenUsage> {
	const usage = new Map<number, TokenUsage>();
	const add = (index: number, value: TokenUsage): void => {
		const seen = usage.get(index);
		usage.set(index, seen === undefined ? value : addUsage(seen, value));
	};
	const assistants = entries.filter((entry) => entry.role === 'assistant' && !entry.summary);
	if (assistants.some((entry) => entry.ts !== undefined)) {
		const sorted = [...requests].sort((a, b) => a.ts - b.ts);
		const taken = new Set<number>();
		sorted.forEach((request, k) => {
			const until = sorted[k + 1]?.ts ?? Number.POSITIVE_INFINITY;
			const answer = assistants.find((entry) => entry.ts !== undefined && entry.ts >= request.ts && entry.ts < until && !taken.has(entry.index));
			if (answer !== undefined) {
				taken.add(answer.index);
				add(answer.index, request.usage);
			}
		});
		return usage;
	}
	const assistantIndexes = new Set(assistants.map((entry) => entry.index));
	for (const request of requests) {
		if (request.historyIndex !== undefined && assistantIndexes.has(request.historyIndex + 2)) {
			add(request.historyIndex + 2, request.usage);
		}
	}
	return usage;
}

function iso(ms: number): string {
	return new Date(ms).toISOString();
}
