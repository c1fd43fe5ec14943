/**
 * Assembles the sessions of one project folder: one per `sessionId` of the main files, one per
 * subagent file, linked to the Task/Agent call that spawned them.
 */
import { MODEL_SCHEMA_VERSION, type SessionInput } from '../../../../../shared/model';
import type { ImportWarning, ParseResult, RawFile } from '../importer';
import { firstHumanTitle, lastValue, modelsAndUsage, summaryFor, summaryTitles, titleOf } from './facts';
import { asId, asString } from '../json';
import { buildMessages } from './messages';
import { collectRecords, compareRecords, compareText, timeOf, type ClaudeRecord, type RecordFile, type SessionSource } from './records';
import { agentIdFromName, isSubagentFile, spawnsOf, subagentFolderSession, subagentKey, subagentTypeOf } from './subagents';
import { selectConversation } from './tree';

export const AGENT = 'claude-code';
export const PARSER_VERSION = 1;

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
		const spawn = spawns.get(subagentKey(source.sessionId, source.agentId));
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

function partition(files: RecordFile[], warnings: ImportWarning[]): { mains: SessionSource[]; subagents: SessionSource[] } {
	const mains = new Map<string, SessionSource>();
	const subagents = new Map<string, SessionSource>();
	for (const file of files) {
		if (file.records.length === 0) {
			continue;
		}
		if (isSubagentFile(file)) {
			const sessionId = file.records.find((r) => r.sessionId !== undefined)?.sessionId ?? subagentFolderSession(file.path);
			const agentId = file.records.map((r) => asId(r.value.agentId)).find((id) => id !== undefined) ?? agentIdFromName(file.path);
			if (sessionId === undefined || agentId === undefined) {
				warnings.push({ file: file.path, message: 'subagent transcript without a sessionId or agentId; skipped' });
				continue;
			}
			// Two copies of one transcript (a live file captured twice) make one session.
			const key = subagentKey(sessionId, agentId);
			const source = subagents.get(key) ?? { sessionId, agentId, records: [] };
			source.records.push(...file.records);
			subagents.set(key, source);
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
	const byName = (a: SessionSource, b: SessionSource): number => compareText(a.sessionId, b.sessionId) || compareText(a.agentId ?? '', b.agentId ?? '');
	return { mains: [...mains.values()].sort(byName), subagents: [...subagents.values()].sort(byName) };
}

function buildSession(source: SessionSource, titles: Map<string, ClaudeRecord>, summarized: ReadonlySet<string>, warnings: ImportWarning[], spawned?: Map<string, string>): SessionInput | undefined {
	const conversation = selectConversation(source.records, summarized, warnings);
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

