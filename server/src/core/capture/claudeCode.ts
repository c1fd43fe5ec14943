/**
 * Claude Code: `<root>/projects/<encoded cwd>/<sessionId>.jsonl`, subagent transcripts beside
 * them (2.0.x `agent-<id>.jsonl`) or under `<sessionId>/subagents/` (2.1.x). A whole project
 * folder is parsed at once: summaries name leaves in other files, subagents link across files.
 */
import * as path from 'node:path';
import type { AgentImporter, FileHead, LocationEnv } from './importer';
import { asId, asObject, asString } from './json';
import { AGENT, PARSER_VERSION, parseProject } from './claude/sessions';
import { pathsFor } from './paths';

/** Record types of Claude Code transcripts seen so far; newer builds add more. */
const RECORD_TYPES = new Set([
	'user', 'assistant', 'system', 'summary', 'progress', 'file-history-snapshot', 'queue-operation',
	'attachment', 'permission-mode', 'mode', 'custom-title', 'ai-title', 'agent-name', 'last-prompt',
	'worktree-state', 'pr-link',
]);

export const claudeCodeImporter: AgentImporter = {
	agent: AGENT,
	parserVersion: PARSER_VERSION,

	defaultRoots(loc: LocationEnv): string[] {
		const p = pathsFor(loc);
		const expand = (dir: string): string => (dir === '~' || dir.startsWith('~/') ? p.join(loc.home, dir.slice(1)) : dir);
		const configDirs = (loc.env.CLAUDE_CONFIG_DIR ?? '').split(',').map((d) => d.trim()).filter((d) => d.length > 0);
		const xdg = loc.env.XDG_CONFIG_HOME?.trim() || p.join(loc.home, '.config');
		const roots = [
			...configDirs.map((dir) => p.join(expand(dir), 'projects')),
			p.join(loc.home, '.claude', 'projects'),
			p.join(xdg, 'claude', 'projects'),
		];
		return [...new Set(roots.map((r) => p.normalize(r)))];
	},

	isSessionFile(file: string): boolean {
		return file.toLowerCase().endsWith('.jsonl');
	},

	layoutOf: () => 'jsonl',

	sniff(head: FileHead): boolean {
		const record = asObject(head.firstRecord);
		const type = asString(record?.type);
		if (!record || type === undefined || 'payload' in record) {
			return false; // Codex wraps every line as {timestamp, type, payload}
		}
		if (type === 'summary') {
			return asId(record.leafUuid) !== undefined;
		}
		if (type === 'file-history-snapshot') {
			return asObject(record.snapshot) !== undefined; // the only record type without a sessionId
		}
		return asId(record.sessionId) !== undefined && (RECORD_TYPES.has(type) || asId(record.uuid) !== undefined);
	},

	groupKey(file: string): string {
		const dir = path.dirname(file);
		// <project>/<sessionId>/subagents/agent-*.jsonl belongs to <project>
		return path.basename(dir) === 'subagents' ? path.dirname(path.dirname(dir)) : dir;
	},

	parse: parseProject,
};
