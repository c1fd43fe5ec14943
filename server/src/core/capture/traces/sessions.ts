/**
 * Validated trace records to canonical sessions. Records are grouped by their session id (a file
 * may hold several sessions, a session may continue in another file of the same folder) and read
 * in file order. Pipeline facts become context messages (see pipeline.ts).
 */
import { MODEL_SCHEMA_VERSION, type MessageInput, type SessionInput, type ToolCall } from '../../../../../shared/model';
import type { TraceMessageRecord, TraceSessionRecord } from '../../../../../shared/traceFormat';
import { argumentsJson, modelsOf, pairToolResults, timeBounds, titleFrom, totalUsage } from '../canonical';
import type { ImportWarning } from '../importer';
import { isoTimestamp } from '../json';
import { endText, handoffText, iterationText, taskCardText, verdictText } from './pipeline';
import type { TraceLine } from './records';

export const AGENT = 'tracemint';

interface Draft {
	id: string;
	header?: TraceSessionRecord;
	headerAt?: TraceLine;
	lines: TraceLine[];
}

export function buildSessions(lines: readonly TraceLine[], parserVersion: number, warnings: ImportWarning[]): SessionInput[] {
	const drafts = new Map<string, Draft>();
	const draftOf = (id: string): Draft => {
		let draft = drafts.get(id);
		if (draft === undefined) {
			draft = { id, lines: [] };
			drafts.set(id, draft);
		}
		return draft;
	};
	for (const line of lines) {
		const { record } = line;
		if (record.type === 'session') {
			const draft = draftOf(record.id);
			// A resumed writer may repeat the header: the first one wins, later ones fill gaps.
			draft.header = draft.header === undefined ? record : { ...record, ...definedFields(draft.header) };
			draft.headerAt ??= line;
		} else {
			draftOf(record.session).lines.push(line);
		}
	}
	return [...drafts.values()].map((draft) => new SessionBuilder(draft, warnings).build(parserVersion));
}

function definedFields<T extends object>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

class SessionBuilder {
	private messages: MessageInput[] = [];
	private readonly files: string[] = [];
	/** Calls not answered yet, oldest first: a tool message without tool_call_id answers the first. */
	private unanswered: string[] = [];
	private endedAt: string | undefined;

	constructor(private readonly draft: Draft, private readonly warnings: ImportWarning[]) {}

	build(parserVersion: number): SessionInput {
		const { header, headerAt } = this.draft;
		if (headerAt === undefined) {
			const first = this.draft.lines[0];
			this.warnings.push({ file: first.file, line: first.line, message: `no session record for session "${this.draft.id}" (expected a {"v":1,"type":"session"} line); imported without its metadata` });
		} else {
			this.noteFile(headerAt.file);
			if (header?.task !== undefined) {
				this.messages.push({
					role: 'user', content: taskCardText(header.task), context: 'instructions',
					...(header.task.id === undefined ? {} : { source_id: header.task.id }),
					...this.provenance(headerAt, header.started_at),
				});
			}
		}
		for (const line of this.draft.lines) {
			this.read(line);
		}
		const messages = pairToolResults(this.messages, this.warnings);
		const { model, models } = modelsOf(messages, header?.model);
		const bounds = timeBounds(messages.map((m) => m.timestamp));
		const producer = [header?.agent, header?.agent_version].filter((part) => part !== undefined).join(' ');
		return {
			schema_version: MODEL_SCHEMA_VERSION,
			id: `${AGENT}:${this.draft.id}`,
			agent: AGENT,
			agent_version: producer.length > 0 ? producer : null,
			parser_version: parserVersion,
			title: header?.title ?? header?.task?.title ?? titleFrom(messages),
			source_files: this.files,
			cwd: header?.cwd ?? null,
			git_branch: header?.git_branch ?? null,
			git_commit: header?.git_commit ?? null,
			repository_url: header?.repository_url ?? null,
			model,
			models,
			started_at: isoTimestamp(header?.started_at) ?? bounds.first ?? null,
			ended_at: this.endedAt ?? bounds.last ?? null,
			usage: totalUsage(messages),
			parent_session_id: null,
			parent_tool_call_id: null,
			subagent_type: null,
			messages,
		};
	}

	private read(line: TraceLine): void {
		this.noteFile(line.file);
		const { record } = line;
		switch (record.type) {
			case 'message':
				this.readMessage(record, line);
				return;
			case 'verdict':
				this.messages.push({ role: 'user', content: verdictText(record), context: 'notification', ...this.provenance(line, record.timestamp) });
				return;
			case 'iteration':
				this.messages.push({ role: 'user', content: iterationText(record), context: 'meta', ...this.provenance(line, record.timestamp) });
				return;
			case 'handoff':
				this.messages.push({ role: 'user', content: handoffText(record), context: 'meta', ...this.provenance(line, record.timestamp) });
				return;
			case 'end':
				this.endedAt = isoTimestamp(record.ended_at ?? record.timestamp) ?? this.endedAt;
				this.messages.push({ role: 'user', content: endText(record), context: 'meta', ...this.provenance(line, record.ended_at ?? record.timestamp) });
				return;
			case 'session':
				return; // headers were taken in buildSessions
		}
	}

	private readMessage(record: TraceMessageRecord, line: TraceLine): void {
		const calls: ToolCall[] = (record.tool_calls ?? []).map((call) => ({
			id: call.id, type: 'function', function: { name: call.function.name, arguments: argumentsJson(call.function.arguments) },
		}));
		let toolCallId = record.tool_call_id;
		if (record.role === 'tool') {
			toolCallId ??= this.unanswered[0];
			if (toolCallId === undefined) {
				this.warnings.push({ file: line.file, line: line.line, message: 'tool message without tool_call_id and no unanswered tool call before it; dropped' });
				return;
			}
			this.unanswered = this.unanswered.filter((id) => id !== toolCallId);
		}
		this.unanswered.push(...calls.map((call) => call.id));
		const header = this.draft.header;
		const model = record.model ?? (record.role === 'assistant' ? header?.model : undefined);
		this.messages.push({
			role: record.role,
			content: record.content,
			context: record.context ?? null,
			...(calls.length > 0 ? { tool_calls: calls } : {}),
			...(toolCallId === undefined ? {} : { tool_call_id: toolCallId }),
			...(record.name === undefined ? {} : { name: record.name }),
			...(record.is_error === undefined ? {} : { is_error: record.is_error }),
			...(record.reasoning === undefined ? {} : { reasoning: record.reasoning }),
			...(model === undefined ? {} : { model }),
			...(record.usage === undefined ? {} : { usage: {
				input_tokens: record.usage.input_tokens ?? 0,
				output_tokens: record.usage.output_tokens ?? 0,
				cache_read_tokens: record.usage.cache_read_tokens ?? 0,
				cache_creation_tokens: record.usage.cache_creation_tokens ?? 0,
				reasoning_tokens: record.usage.reasoning_tokens ?? 0,
			} }),
			...this.provenance(line, record.timestamp),
		});
	}

	private provenance(line: TraceLine, timestamp: string | undefined): Pick<MessageInput, 'timestamp' | 'source'> {
		const iso = isoTimestamp(timestamp);
		return { ...(iso === undefined ? {} : { timestamp: iso }), source: { file: line.file, line: line.line } };
	}

	private noteFile(file: string): void {
		if (!this.files.includes(file)) {
			this.files.push(file);
		}
	}
}
