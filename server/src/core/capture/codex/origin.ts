/** Session-level facts from a `session_meta` payload. */
import { asObject, asText, type JsonObject } from '../json';

export interface SessionOrigin {
	agentVersion?: string;
	gitBranch?: string;
	gitCommit?: string;
	repositoryUrl?: string;
	parentSessionId?: string;
	subagentType?: string;
}

export function sessionOrigin(payload: JsonObject): SessionOrigin {
	const git = asObject(payload.git);
	return {
		agentVersion: asText(payload.cli_version),
		gitBranch: asText(git?.branch),
		gitCommit: asText(git?.commit_hash),
		repositoryUrl: asText(git?.repository_url),
		...subagentOrigin(payload.source),
	};
}

// Subagent threads record `source: {"subagent": "review" | {"thread_spawn": {parent_thread_id, agent_role}} | {"other": …}}`;
// top-level sessions record a plain string ("cli", "vscode", "exec").
function subagentOrigin(source: unknown): Pick<SessionOrigin, 'parentSessionId' | 'subagentType'> {
	const subagent = asObject(source)?.subagent;
	if (subagent === undefined) {
		return {};
	}
	const named = asText(subagent);
	if (named !== undefined) {
		return { subagentType: named };
	}
	const spawn = asObject(asObject(subagent)?.thread_spawn);
	if (spawn !== undefined) {
		const parent = asText(spawn.parent_thread_id);
		return {
			...(parent === undefined ? {} : { parentSessionId: `codex:${parent}` }),
			subagentType: asText(spawn.agent_role) ?? asText(spawn.agent_type) ?? 'thread_spawn',
		};
	}
	return { subagentType: asText(asObject(subagent)?.other) ?? 'subagent' };
}
