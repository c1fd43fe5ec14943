/**
 * Builds one canonical session from the records of one Codex rollout file.
 *
 * The transcript comes from `response_item` records only (the stream the model saw);
 * `event_msg` records supply token usage and serve as cross-checks, never as messages, so
 * no turn is imported twice. Records are read in file order: a `turn_context` names the
 * model of the calls after it, a `reasoning` item belongs to the next assistant output, and
 * a `token_count` closes a model response.
 */
import {
	MODEL_SCHEMA_VERSION,
	type ContextKind,
	type MessageInput,
	type SessionInput,
	type ToolCall,
} from '../../../../../shared/model';
import { mostUsedModel, pairToolResults, titleLine } from '../canonical';
import type { ImportWarning, RawFile, RawRecord } from '../importer';
import { plainContent } from './content';
import { HumanTurnMatcher } from './human-turns';
import { asArray, asObject, asString, asText, isoTimestamp, type JsonObject } from '../json';
import { sessionOrigin, type SessionOrigin } from './origin';
import { builtinCallArguments, customToolArguments, functionArguments } from './tool-arguments';
import { readToolOutput } from './tool-output';
import { TokenLedger } from './usage';
import { contextOfUserParts, requestText } from './user-context';

export interface RolloutResult {
	session?: SessionInput;
	warnings: ImportWarning[];
}

const ROLLOUT_UUID = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i;
/** Harness items that are not conversation and carry nothing to import. */
const SILENT_ITEMS = new Set(['ghost_snapshot', 'compaction', 'compaction_summary']);

interface Skipped {
	count: number;
	line: number;
}

interface PendingReasoning {
	text: string;
	line: number;
}

export function readRollout(file: RawFile, parserVersion: number): RolloutResult {
	return new RolloutReader(file.path).read(file.records, parserVersion);
}

class RolloutReader {
	private readonly warnings: ImportWarning[] = [];
	private messages: MessageInput[] = [];
	private readonly humans = new HumanTurnMatcher();
	private readonly ledger = new TokenLedger();
	private readonly callLines = new Map<string, number>();
	private readonly skipped = new Map<string, Skipped>();
	private sessionId: string | undefined;
	private origin: SessionOrigin | undefined;
	private cwd: string | null = null;
	private model: string | undefined;
	private readonly models: string[] = [];
	private pendingReasoning: PendingReasoning[] = [];
	/** The assistant message further calls of the same model response join (parallel calls). */
	private openAssistant: MessageInput | undefined;
	/** The latest assistant message no token_count has been attributed to yet. */
	private unbilledAssistant: MessageInput | undefined;
	private startedAt: string | undefined;
	private endedAt: string | undefined;
	private envelopes = 0;
	private uiAgentMessages = 0;
	private assistantTexts = 0;
	private wrappedArguments: Skipped | undefined;

	constructor(private readonly file: string) {}

	read(records: readonly RawRecord[], parserVersion: number): RolloutResult {
		for (const record of records) {
			if (record.value !== undefined) {
				this.readRecord(record);
			}
		}
		const id = this.sessionId ?? ROLLOUT_UUID.exec(this.file)?.[1];
		if (id === undefined || this.envelopes === 0) {
			this.warn(undefined, id === undefined ? 'no Codex session id (no session_meta and no id in the file name)' : 'no Codex records');
			return { warnings: this.warnings };
		}
		this.settleHumanTurns();
		this.crossCheckAssistantMessages();
		this.messages = pairToolResults(this.messages, this.warnings, { file: this.file, callLines: this.callLines });
		this.reportSkipped();
		return { session: this.session(`codex:${id}`, parserVersion), warnings: this.warnings };
	}

	private readRecord(record: RawRecord): void {
		const envelope = asObject(record.value);
		const type = asString(envelope?.type);
		const payload = asObject(envelope?.payload);
		if (envelope === undefined || type === undefined || payload === undefined) {
			this.skip('records without a Codex {timestamp, type, payload} envelope', record.line);
			return;
		}
		this.envelopes++;
		this.noteTime(envelope.timestamp);
		switch (type) {
			case 'session_meta':
				this.readSessionMeta(payload);
				break;
			case 'turn_context':
				this.readTurnContext(payload);
				break;
			case 'response_item':
				this.readResponseItem(payload, record, envelope.timestamp);
				break;
			case 'event_msg':
				this.readEvent(payload, record);
				break;
			case 'compacted':
				this.readCompaction(payload, record, envelope.timestamp);
				break;
			default:
				this.skip(`records of unknown type "${type}"`, record.line);
		}
	}

	private noteTime(value: unknown): void {
		const iso = isoTimestamp(value);
		if (iso === undefined) {
			return;
		}
		if (this.startedAt === undefined || iso < this.startedAt) {
			this.startedAt = iso;
		}
		if (this.endedAt === undefined || iso > this.endedAt) {
			this.endedAt = iso;
		}
	}

	// A resumed session appends a second session_meta: the first one names the session, later
	// ones only fill what the first lacked.
	private readSessionMeta(payload: JsonObject): void {
		this.sessionId ??= asText(payload.id);
		this.cwd ??= asText(payload.cwd) ?? null;
		const origin = sessionOrigin(payload);
		this.origin = this.origin === undefined ? origin : mergeOrigin(this.origin, origin);
	}

	private readTurnContext(payload: JsonObject): void {
		this.openAssistant = undefined;
		this.cwd ??= asText(payload.cwd) ?? null;
		const model = asText(payload.model);
		if (model !== undefined) {
			this.model = model;
			if (!this.models.includes(model)) {
				this.models.push(model);
			}
		}
	}

	private readResponseItem(payload: JsonObject, record: RawRecord, timestamp: unknown): void {
		const type = asString(payload.type) ?? '';
		const callId = asText(payload.call_id);
		switch (type) {
			case 'message':
				this.readMessage(payload, record, timestamp);
				return;
			case 'reasoning':
				this.readReasoning(payload, record);
				return;
			case 'function_call': {
				const args = functionArguments(payload.arguments);
				if (args.wrapped) {
					this.wrappedArguments = { count: (this.wrappedArguments?.count ?? 0) + 1, line: this.wrappedArguments?.line ?? record.line };
				}
				this.addCall(type, callId, asText(payload.name) ?? 'function', args.json, record, timestamp);
				return;
			}
			case 'custom_tool_call':
				this.addCall(type, callId, asText(payload.name) ?? 'custom_tool', customToolArguments(payload.input), record, timestamp);
				return;
			case 'local_shell_call':
				this.addCall(type, callId, 'local_shell', builtinCallArguments(payload), record, timestamp);
				return;
			case 'function_call_output':
			case 'custom_tool_call_output':
				this.addResult(callId, payload.output, record, timestamp);
				return;
		}
		if (SILENT_ITEMS.has(type)) {
			return;
		}
		if (type.endsWith('_call_output')) {
			this.addResult(callId, payload.output, record, timestamp);
		} else if (type.endsWith('_call')) {
			// web_search_call, image_generation_call, …: a tool call only when it can be paired.
			this.addCall(type, callId, type.slice(0, -'_call'.length), builtinCallArguments(payload), record, timestamp);
		} else {
			this.skip(`response_item records of unknown type "${type}"`, record.line);
		}
	}

	private readMessage(payload: JsonObject, record: RawRecord, timestamp: unknown): void {
		const role = asString(payload.role);
		const content = plainContent(payload.content, '\n\n');
		const base = this.provenance(record, timestamp, asText(payload.id));
		const images = content.images > 0 ? { images: content.images } : {};
		if (role === 'assistant') {
			if (content.text.length > 0 || content.images > 0) {
				this.assistantTexts++;
				this.startAssistant(content.text, { ...images, ...base });
			}
			return;
		}
		if (role === 'developer' || role === 'system') {
			this.push({ role: 'system', content: content.text, context: 'instructions', ...images, ...base });
			return;
		}
		if (role !== 'user') {
			this.skip(`messages with unknown role "${role ?? ''}"`, record.line);
			return;
		}
		this.dropPendingReasoning();
		const context: ContextKind | null = contextOfUserParts(content.parts);
		const message: MessageInput = { role: 'user', content: content.text, context, ...images, ...base };
		this.push(message);
		if (context === null) {
			this.humans.addCandidate(message, record.line);
		}
	}

	private readReasoning(payload: JsonObject, record: RawRecord): void {
		this.modelOutput();
		this.openAssistant = undefined;
		const summary = asArray(payload.summary).map((part) => asString(asObject(part)?.text) ?? '');
		// Open-weight models log raw reasoning in `content` and may leave the summary empty.
		const raw = asArray(payload.content).map((part) => asString(asObject(part)?.text) ?? '');
		const texts = summary.some((text) => text.trim().length > 0) ? summary : raw;
		const text = texts.filter((part) => part.trim().length > 0).join('\n\n');
		if (text.length > 0) {
			this.pendingReasoning.push({ text, line: record.line });
		}
	}

	private addCall(itemType: string, callId: string | undefined, name: string, args: string, record: RawRecord, timestamp: unknown): void {
		if (callId === undefined) {
			this.skip(`${itemType} records without a call id`, record.line);
			return;
		}
		if (this.callLines.has(callId)) {
			this.warn(record.line, `tool call ${callId} appears twice; the repeat was dropped`);
			return;
		}
		this.callLines.set(callId, record.line);
		const call: ToolCall = { id: callId, type: 'function', function: { name, arguments: args } };
		if (this.openAssistant === undefined) {
			this.startAssistant('', this.provenance(record, timestamp, callId));
		}
		const assistant = this.openAssistant;
		if (assistant !== undefined) {
			assistant.tool_calls = [...(assistant.tool_calls ?? []), call];
		}
	}

	private addResult(callId: string | undefined, output: unknown, record: RawRecord, timestamp: unknown): void {
		if (callId === undefined) {
			this.skip('tool results without a call id', record.line);
			return;
		}
		const result = readToolOutput(output);
		this.push({
			role: 'tool',
			content: result.content,
			tool_call_id: callId,
			context: null,
			...(result.isError === undefined ? {} : { is_error: result.isError }),
			...(result.images > 0 ? { images: result.images } : {}),
			...this.provenance(record, timestamp, callId),
		});
	}

	private readEvent(payload: JsonObject, record: RawRecord): void {
		switch (asString(payload.type)) {
			case 'token_count': {
				const usage = this.ledger.observe(payload.info);
				if (usage !== undefined) {
					// token_count closes a model response: bill it to that response's last message.
					if (this.unbilledAssistant !== undefined) {
						this.unbilledAssistant.usage = usage;
						this.unbilledAssistant = undefined;
					}
					this.openAssistant = undefined;
				}
				return;
			}
			case 'user_message':
				this.humans.addEvent({ line: record.line, text: asString(payload.message) ?? '' });
				return;
			case 'agent_message':
				this.uiAgentMessages++;
				return;
			default:
			// The rest of the UI stream (reasoning deltas, task and exec events) repeats or
			// decorates what response_items already hold.
		}
	}

	private readCompaction(payload: JsonObject, record: RawRecord, timestamp: unknown): void {
		this.modelOutput();
		const summary = asText(payload.message);
		if (summary === undefined) {
			this.warn(record.line, 'context compaction without a readable summary (encrypted or empty); earlier messages are kept');
			return;
		}
		this.push({ role: 'user', content: summary, context: 'compaction', ...this.provenance(record, timestamp, undefined) });
	}

	private startAssistant(content: string, base: Pick<MessageInput, 'images' | 'timestamp' | 'source_id' | 'source'>): void {
		this.modelOutput();
		const reasoning = this.pendingReasoning.map((part) => part.text).join('\n\n');
		this.pendingReasoning = [];
		const message: MessageInput = {
			role: 'assistant',
			content,
			context: null,
			...(reasoning.length > 0 ? { reasoning } : {}),
			...(this.model === undefined ? {} : { model: this.model }),
			...base,
		};
		this.push(message);
		this.openAssistant = message;
		this.unbilledAssistant = message;
	}

	private push(message: MessageInput): void {
		this.messages.push(message);
		this.openAssistant = undefined;
	}

	/** Any model output ends the block of user input before it. */
	private modelOutput(): void {
		this.humans.closeBlock();
	}

	// Reasoning followed by user input belongs to a response that was cut off (interrupt).
	private dropPendingReasoning(): void {
		for (const part of this.pendingReasoning) {
			this.warn(part.line, 'reasoning with no following assistant output (interrupted turn?); dropped');
		}
		this.pendingReasoning = [];
	}

	private provenance(record: RawRecord, timestamp: unknown, sourceId: string | undefined): Pick<MessageInput, 'timestamp' | 'source_id' | 'source'> {
		const iso = isoTimestamp(timestamp);
		return {
			...(iso === undefined ? {} : { timestamp: iso }),
			...(sourceId === undefined ? {} : { source_id: sourceId }),
			source: { file: this.file, line: record.line },
		};
	}

	private settleHumanTurns(): void {
		const verdict = this.humans.finish();
		for (const message of verdict.unclaimed) {
			message.context = 'meta';
		}
		const firstHuman = this.messages.findIndex((message) => message.role === 'user' && (message.context ?? null) === null);
		for (const message of verdict.unclaimed) {
			if (firstHuman !== -1 && this.messages.indexOf(message) > firstHuman) {
				this.warn(message.source?.line, 'user message with no matching user_message event and no known context marker; kept as context');
			}
		}
		for (const event of verdict.orphanEvents) {
			this.warn(event.line, 'user turn found only in the UI stream (event_msg user_message), not in the model stream; not imported');
		}
	}

	private crossCheckAssistantMessages(): void {
		const missing = this.uiAgentMessages - this.assistantTexts;
		if (missing > 0) {
			this.warn(undefined, `${missing} agent_message event(s) have no assistant message in the model stream; not imported`);
		}
	}

	private skip(what: string, line: number): void {
		const seen = this.skipped.get(what);
		this.skipped.set(what, { count: (seen?.count ?? 0) + 1, line: seen?.line ?? line });
	}

	private reportSkipped(): void {
		for (const [what, { count, line }] of this.skipped) {
			this.warn(line, `skipped ${count} ${what} (first shown at this line)`);
		}
		if (this.wrappedArguments !== undefined) {
			const { count, line } = this.wrappedArguments;
			this.warn(line, `${count} tool call(s) had arguments that are not a JSON object; wrapped as {"input": …}`);
		}
	}

	private warn(line: number | undefined, message: string): void {
		this.warnings.push(line === undefined ? { file: this.file, message } : { file: this.file, line, message });
	}

	private session(id: string, parserVersion: number): SessionInput {
		const origin = this.origin;
		return {
			schema_version: MODEL_SCHEMA_VERSION,
			id,
			agent: 'codex',
			agent_version: origin?.agentVersion ?? null,
			parser_version: parserVersion,
			title: this.title(),
			source_files: [this.file],
			cwd: this.cwd,
			git_branch: origin?.gitBranch ?? null,
			git_commit: origin?.gitCommit ?? null,
			repository_url: origin?.repositoryUrl ?? null,
			model: mostUsedModel(this.messages) ?? this.models[0] ?? null,
			models: [...this.models],
			started_at: this.startedAt ?? null,
			ended_at: this.endedAt ?? null,
			usage: this.ledger.total,
			parent_session_id: origin?.parentSessionId ?? null,
			parent_tool_call_id: null,
			subagent_type: origin?.subagentType ?? null,
			messages: this.messages,
		};
	}

	private title(): string | null {
		const first = this.messages.find((message) => message.role === 'user' && (message.context ?? null) === null);
		if (first === undefined) {
			return null;
		}
		return titleLine(requestText(first.content));
	}

}

function mergeOrigin(first: SessionOrigin, later: SessionOrigin): SessionOrigin {
	return {
		agentVersion: first.agentVersion ?? later.agentVersion,
		gitBranch: first.gitBranch ?? later.gitBranch,
		gitCommit: first.gitCommit ?? later.gitCommit,
		repositoryUrl: first.repositoryUrl ?? later.repositoryUrl,
		parentSessionId: first.parentSessionId ?? later.parentSessionId,
		subagentType: first.subagentType ?? later.subagentType,
	};
}
