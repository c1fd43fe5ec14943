/**
 * Subagent transcripts and the calls that spawned them. 2.0.x wrote `agent-<id>.jsonl` beside
 * the session files, 2.1.x under `<sessionId>/subagents/`.
 */
import * as path from 'node:path';
import type { MessageInput } from '../../../../../shared/model';
import { asArray, asId, asObject, asString } from '../json';
import { messageOf, type RecordFile, type SessionSource } from './records';

/** How a subagent was started: the spawning call and, if known, its `subagent_type`. */
export interface Spawn {
	toolUseId: string;
	subagentType: string | undefined;
}

/** By name, or by content: records with `isSidechain` and an `agentId`. */
export function isSubagentFile(file: RecordFile): boolean {
	if (agentIdFromName(file.path) !== undefined) {
		return true;
	}
	const first = file.records.find((r) => r.type === 'user' || r.type === 'assistant');
	return first !== undefined && first.isSidechain && asId(first.value.agentId) !== undefined;
}

export function subagentFolderSession(file: string): string | undefined {
	const dir = path.dirname(file);
	return path.basename(dir) === 'subagents' ? path.basename(path.dirname(dir)) : undefined;
}

export function agentIdFromName(file: string): string | undefined {
	return /^agent-(.+)\.jsonl$/i.exec(path.basename(file))?.[1];
}

/** One subagent transcript's key: its session and agent id. */
export function subagentKey(sessionId: string, agentId: string | undefined): string {
	return `${sessionId}\u0000${agentId}`;
}

/**
 * Subagents by `<sessionId>\0<agentId>`: the Task/Agent call's result names the agent in
 * `toolUseResult.agentId`, and `agent_progress` lines name it with the call in `parentToolUseID`.
 */
export function spawnsOf(mains: SessionSource[]): Map<string, Spawn> {
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
			const key = subagentKey(source.sessionId, agentId);
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

export function subagentTypeOf(source: SessionSource, spawn: Spawn | undefined, messages: MessageInput[]): string | null {
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
