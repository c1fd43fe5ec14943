/**
 * Assembles the sessions of one project folder: one per `sessionId` of the main files, one per
 * subagent file, linked to the Task/Agent call that spawned them.
 */
import * as path from 'node:path';
import { MODEL_SCHEMA_VERSION, emptyUsage, type MessageInput, type SessionInput, type TokenUsage } from '../../../../../shared/model';
import type { ImportWarning, ParseResult, RawFile } from '../importer';
import { asArray, asId, asObject, asString } from './json';
import { SYNTHETIC_MODEL, buildMessages, usageOf } from './messages';
import { collectRecords, compareRecords, compareText, messageIdOf, messageOf, timeOf, type ClaudeRecord, type RecordFile } from './records';
import { selectConversation, type Conversation } from './tree';

export const AGENT = 'claude-code';
export const PARSER_VERSION = 1;

const TITLE_MAX = 80;

interface Source {
	sessionId: string;
	/** Set for a subagent transcript. */
	agentId?: string;
	records: ClaudeRecord[];
}

/** How a subagent was started: the spawning call and, if known, its `subagent_type`. */
interface Spawn {
	toolUseId: string;
	subagentType: string | undefined;
}

export function parseProject(files: RawFile[]): ParseResult {
	const warnings: ImportWarning[] = [];
	const recordFiles = collectRecords(files);
	const titles = summaryTitles(recordFiles);
	const summarized = new Set(titles.keys());
	const { mains, subagents } = partition(recordFiles, warnings);
	const spawns = spawnsOf(mains);
	const sessions: SessionInput[] = [];
	const spawned = new Map<string, string>(); // spawning call id → subagent session id
	for (const source of subagents) {
		const key = `${source.sessionId}\u0000${source.agentId}`;
		const spawn = spawns.get(key);
		const session = buildSession(source, titles, summarized, warnings);
		if (!session) {
			continue;
		}
		session.parent_session_id = sessionIdOf(source.sessionId);
		session.parent_tool_call_id = spawn?.toolUseId ?? null;
		session.subagent_type = subagentTypeOf(source, spawn, session.messages);
		if (spawn) {
			spawned.set(spawn.toolUseId, session.id);
		}
		sessions.push(session);
	}
	for (const source of mains) {
		const session = buildSession(source, titles, summarized, warnings, spawned);
		if (session) {
			sessions.push(session);
		}
	}
	sessions.sort((a, b) => compareText(a.id, b.id));
	warnings.sort((a, b) => compareText(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || compareText(a.message, b.message));
	return { sessions, warnings };
}

export function sessionIdOf(sessionId: string, agentId?: string): string {
	return agentId === undefined ? `${AGENT}:${sessionId}` : `${AGENT}:${sessionId}:${agentId}`;
}

/**
 * 2.0.x wrote `agent-<id>.jsonl` beside the session files, 2.1.x under `<sessionId>/subagents/`;
 * the records say it too (`isSidechain` with an `agentId`).
 */
function isSubagentFile(file: RecordFile): boolean {
	if (/^agent-.+\.jsonl$/i.test(path.basename(file.path))) {
		return true;
	}
	const first = file.records.find((r) => r.type === 'user' || r.type === 'assistant');
	return first !== undefined && first.isSidechain && asId(first.value.agentId) !== undefined;
}

function partition(files: RecordFile[], warnings: ImportWarning[]): { mains: Source[]; subagents: Source[] } {
	const mains = new Map<string, Source>();
	const subagents: Source[] = [];
	for (const file of files) {
		if (file.records.length === 0) {
			continue;
		}
		if (isSubagentFile(file)) {
			const sessionId = file.records.find((r) => r.sessionId !== undefined)?.sessionId ?? subagentFolderSession(file.path);
			const agentId = file.records.map((r) => asId(r.value.agentId)).find((id) => id !== undefined) ?? agentIdFromName(file.path);
			if (sessionId === undefined) {
				warnings.push({ file: file.path, message: 'subagent transcript without a sessionId; skipped' });
				continue;
			}
			subagents.push({ sessionId, agentId, records: file.records });
			continue;
		}
		// Records without a sessionId (file-history-snapshot) belong to the file's session.
		const fileSession = file.records.find((r) => r.sessionId !== undefined)?.sessionId;
		let inlineSidechain = 0;
		for (const record of file.records) {
			if (record.type === 'summary') {
				continue; // titles are resolved across the whole folder
			}
			if (record.isSidechain) {
				inlineSidechain++;
				continue;
			}
			const sessionId = record.sessionId ?? fileSession;
			if (sessionId === undefined) {
				continue;
			}
			const source = mains.get(sessionId) ?? { sessionId, records: [] };
			source.records.push(record);
			mains.set(sessionId, source);
		}
		if (inlineSidechain > 0) {
			warnings.push({ file: file.path, message: `${inlineSidechain} inline sidechain records (subagents of Claude Code 1.x) skipped` });
		}
	}
	const byName = (a: Source, b: Source): number => compareText(a.sessionId, b.sessionId) || compareText(a.agentId ?? '', b.agentId ?? '');
	return { mains: [...mains.values()].sort(byName), subagents: subagents.sort(byName) };
}

function subagentFolderSession(file: string): string | undefined {
	const dir = path.dirname(file);
	return path.basename(dir) === 'subagents' ? path.basename(path.dirname(dir)) : undefined;
}

function agentIdFromName(file: string): string | undefined {
	return /^agent-(.+)\.jsonl$/i.exec(path.basename(file))?.[1];
}

/** `summary` lines title the conversation whose last record is `leafUuid`, often in another file. */
function summaryTitles(files: RecordFile[]): Map<string, ClaudeRecord> {
	const titles = new Map<string, ClaudeRecord>();
	for (const file of files) {
		const fromFile = new Map<string, ClaudeRecord>();
		for (const record of file.records) {
			const leaf = asId(record.value.leafUuid);
			if (record.type === 'summary' && leaf !== undefined && asId(record.value.summary) !== undefined) {
				fromFile.set(leaf, record); // a later summary in a file replaces an earlier one
			}
		}
		for (const [leaf, record] of fromFile) {
			if (!titles.has(leaf)) {
				titles.set(leaf, record); // the preferred file's summary wins
			}
		}
	}
	return titles;
}

/**
 * Subagents by `<sessionId>\0<agentId>`: the Task/Agent call's result names the agent in
 * `toolUseResult.agentId`, and `agent_progress` lines name it with the call in `parentToolUseID`.
 */
function spawnsOf(mains: Source[]): Map<string, Spawn> {
	const spawns = new Map<string, Spawn>();
	for (const source of mains) {
		const inputs = new Map<string, unknown>();
		for (const record of source.records) {
			if (record.type !== 'assistant') {
				continue;
			}
			for (const block of asArray(messageOf(record)?.content).map(asObject)) {
				const id = asId(block?.id);
				if (block && asString(block.type) === 'tool_use' && id !== undefined) {
					inputs.set(id, block.input);
				}
			}
		}
		const link = (agentId: string | undefined, toolUseId: string | undefined): void => {
			const key = `${source.sessionId}\u0000${agentId}`;
			if (agentId !== undefined && toolUseId !== undefined && !spawns.has(key)) {
				spawns.set(key, { toolUseId, subagentType: asId(asObject(inputs.get(toolUseId))?.subagent_type) });
			}
		};
		for (const record of source.records) {
			if (record.type === 'user') {
				const results = asArray(messageOf(record)?.content).map(asObject).filter((b) => asString(b?.type) === 'tool_result');
				if (results.length === 1) {
					link(asId(asObject(record.value.toolUseResult)?.agentId), asId(results[0]!.tool_use_id));
				}
			} else if (record.type === 'progress') {
				const data = asObject(record.value.data);
				if (asString(data?.type) === 'agent_progress') {
					link(asId(data?.agentId), asId(record.value.parentToolUseID));
				}
			}
		}
	}
	return spawns;
}

function subagentTypeOf(source: Source, spawn: Spawn | undefined, messages: MessageInput[]): string | null {
	if (source.agentId?.startsWith('acompact')) {
		return 'compact'; // the summarisation call of /compact
	}
	if (spawn?.subagentType !== undefined) {
		return spawn.subagentType;
	}
	// 2.0.x pinged its subagents with a "Warmup" prompt at start-up.
	const prompt = messages.find((m) => m.role === 'user');
	return prompt?.content.trim() === 'Warmup' ? 'warmup' : null;
}

function buildSession(source: Source, titles: Map<string, ClaudeRecord>, summarized: ReadonlySet<string>, warnings: ImportWarning[], spawned?: Map<string, string>): SessionInput | undefined {
	const conversation = selectConversation(source.records, summarized);
	const { messages, toolMessages } = buildMessages(conversation, warnings);
	if (messages.length === 0) {
		return undefined;
	}
	for (const [callId, subagentId] of spawned ?? []) {
		const tool = toolMessages.get(callId);
		if (tool) {
			tool.subagent_session_id = subagentId;
		}
	}
	const records = [...source.records].sort(compareRecords);
	const summary = summaryFor(conversation, titles);
	const files = new Set(records.map((r) => r.file));
	if (summary) {
		files.add(summary.file);
	}
	const { model, models, usage } = modelsAndUsage(records);
	const timed = records.filter((r) => r.timestamp !== undefined).sort((a, b) => timeOf(a) - timeOf(b) || compareRecords(a, b));
	return {
		schema_version: MODEL_SCHEMA_VERSION,
		id: sessionIdOf(source.sessionId, source.agentId),
		agent: AGENT,
		agent_version: lastValue(timed, 'version') ?? null,
		parser_version: PARSER_VERSION,
		title: summary ? titleOf(asString(summary.value.summary)!) : firstHumanTitle(messages),
		source_files: [...files].sort(compareText),
		cwd: timed.map((r) => asId(r.value.cwd)).find((v) => v !== undefined) ?? null,
		git_branch: lastValue(timed, 'gitBranch') ?? null,
		git_commit: null,
		repository_url: null,
		model,
		models,
		started_at: timed[0]?.timestamp ?? null,
		ended_at: timed[timed.length - 1]?.timestamp ?? null,
		usage,
		parent_session_id: null,
		parent_tool_call_id: null,
		subagent_type: null,
		messages,
	};
}

/** The latest non-empty value of a string field (the CLI can be upgraded, the branch switched). */
function lastValue(timed: ClaudeRecord[], key: string): string | undefined {
	for (let i = timed.length - 1; i >= 0; i--) {
		const value = asId(timed[i]!.value[key]);
		if (value !== undefined) {
			return value;
		}
	}
	return undefined;
}

/** The summary of the latest record of this conversation that has one. */
function summaryFor(conversation: Conversation, titles: Map<string, ClaudeRecord>): ClaudeRecord | undefined {
	for (const record of [...conversation.chain].reverse().concat(conversation.side)) {
		const summary = record.uuid === undefined ? undefined : titles.get(record.uuid);
		if (summary) {
			return summary;
		}
	}
	return undefined;
}

function firstHumanTitle(messages: MessageInput[]): string | null {
	const first = messages.find((m) => m.role === 'user' && (m.context ?? null) === null && m.content.trim().length > 0);
	return first ? titleOf(first.content) : null;
}

/** First non-empty line, whitespace collapsed, at most TITLE_MAX characters. */
function titleOf(text: string): string | null {
	const line = text.split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).find((l) => l.length > 0);
	if (line === undefined) {
		return null;
	}
	const chars = [...line];
	return chars.length <= TITLE_MAX ? line : `${chars.slice(0, TITLE_MAX - 1).join('')}…`;
}

/**
 * Session-level model and usage count every response of the session once (by message id),
 * including responses on abandoned branches: those calls were made and paid for.
 */
function modelsAndUsage(records: ClaudeRecord[]): { model: string | null; models: string[]; usage: TokenUsage } {
	const responses = new Map<string, { model: string | undefined; usage: TokenUsage | undefined; first: ClaudeRecord }>();
	for (const record of records) {
		const id = messageIdOf(record);
		if (id === undefined) {
			continue;
		}
		const known = responses.get(id);
		const model = asString(messageOf(record)?.model);
		const usage = usageOf(record);
		responses.set(id, {
			model: model ?? known?.model,
			usage: usage ?? known?.usage,
			first: known && timeOf(known.first) <= timeOf(record) ? known.first : record,
		});
	}
	const ordered = [...responses.values()].sort((a, b) => timeOf(a.first) - timeOf(b.first) || compareRecords(a.first, b.first));
	const counts = new Map<string, number>();
	const usage = emptyUsage();
	for (const response of ordered) {
		if (response.model !== undefined && response.model !== SYNTHETIC_MODEL) {
			counts.set(response.model, (counts.get(response.model) ?? 0) + 1);
		}
		if (response.usage) {
			usage.input_tokens += response.usage.input_tokens;
			usage.output_tokens += response.usage.output_tokens;
			usage.cache_read_tokens += response.usage.cache_read_tokens;
			usage.cache_creation_tokens += response.usage.cache_creation_tokens;
		}
	}
	const models = [...counts.keys()];
	let model: string | null = null;
	for (const candidate of models) {
		if (model === null || counts.get(candidate)! > counts.get(model)!) {
			model = candidate; // first used wins a tie
		}
	}
	return { model, models, usage };
}
