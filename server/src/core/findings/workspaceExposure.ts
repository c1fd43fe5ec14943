/**
 * Which files of the open workspace hold a value that a captured session sent to a model
 * provider (an agent read `.env`, `cat config.yaml`...), so the developer can rotate it.
 * Candidates are the files stored sessions' tool calls name, plus `.env*` at each folder root.
 * Each is scanned under the store's fingerprint key and matched to stored findings by
 * fingerprint: values are compared without being stored, returned or logged.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AGENT_NAMES, type AgentId, type Session } from '../../../../shared/model';
import { titleRedactor } from './publicTitles';
import { scanText, type Finding } from '../redact/scan';
import type { TraceStore } from '../store/store';

export interface ExposureSession {
	id: string;
	agent: AgentId;
	agentName: string;
	/** Redacted like every title that leaves the store. */
	title: string;
	startedAt: string | null;
}

export interface ExposedValue {
	ruleId: string;
	/** UTF-16 offsets into the file's text. */
	start: number;
	end: number;
	/** 1-based; `endColumn` is exclusive. */
	line: number;
	column: number;
	endLine: number;
	endColumn: number;
	/** Sessions that hold the value, newest first. */
	sessions: ExposureSession[];
}

export interface FileExposure {
	file: string;
	values: ExposedValue[];
}

export interface ExposureLimits {
	/** Bigger files are skipped: credentials live in small config files. */
	maxFileBytes: number;
	maxFiles: number;
	/** Newest sessions whose tool calls are read for file names. */
	maxSessions: number;
}

export const DEFAULT_EXPOSURE_LIMITS: ExposureLimits = { maxFileBytes: 1024 * 1024, maxFiles: 500, maxSessions: 1000 };

/** Tool-call arguments that name a file (Claude Code Read/Edit/Write, NotebookEdit, most MCP file tools). */
const PATH_KEYS = ['file_path', 'notebook_path', 'path', 'filePath'];
/** Shell commands (Claude Code Bash, Codex shell / exec_command); `workdir` or `cwd` is their base. */
const COMMAND_KEYS = ['command', 'cmd'];
const SQL_CHUNK = 500;

/** File names per session's tool calls, kept while the session's content is unchanged: a server recomputes on every change. */
export class NamedPathsCache {
	private readonly entries = new Map<string, { sha: string; paths: string[] }>();

	pathsOf(store: TraceStore, sessionId: string): string[] {
		const sha = store.sessions.contentSha(sessionId);
		const hit = this.entries.get(sessionId);
		if (sha !== undefined && hit?.sha === sha) return hit.paths;
		const session = store.sessions.get(sessionId);
		if (sha === undefined || !session) return [];
		const paths = [...new Set(pathsNamedByToolCalls(session))];
		this.entries.set(sessionId, { sha, paths });
		return paths;
	}
}

export function findWorkspaceExposure(
	store: TraceStore, folders: readonly string[], limits: ExposureLimits = DEFAULT_EXPOSURE_LIMITS, cache = new NamedPathsCache(),
): FileExposure[] {
	const roots = [...new Set(folders.map((folder) => path.resolve(folder)))];
	const sessions = sessionsWithAppliedFindings(store);
	if (roots.length === 0 || sessions.size === 0) return [];
	const allowlisted = store.findings.allowlisted();
	const key = store.findings.fingerprintKey();
	const exposures: FileExposure[] = [];
	const named = [...sessions.keys()].slice(0, limits.maxSessions).flatMap((id) => cache.pathsOf(store, id));
	for (const file of candidateFiles(roots, named, limits.maxFiles)) {
		const text = readSmallText(file, limits.maxFileBytes);
		if (text === undefined) continue;
		const found = scanText(text, { fingerprintKey: key }).filter((f) => f.fingerprint && !allowlisted.has(f.fingerprint));
		const holders = holdersOf(store, found.map((f) => f.fingerprint!), sessions);
		const values = found.flatMap((f) => {
			const held = holders.get(f.fingerprint!);
			return held ? [{ ...spanOf(text, f), sessions: held }] : [];
		});
		if (values.length > 0) exposures.push({ file, values });
	}
	return exposures;
}

/** `Sent to Claude Code in session "…" on 2026-02-10 (github-pat). Consider rotating it.` */
export function exposureMessage(value: Pick<ExposedValue, 'ruleId' | 'sessions'>, listed = 3): string {
	const named = value.sessions.slice(0, listed).map((s) => `${s.agentName} in session "${clip(s.title, 60)}"${s.startedAt ? ` on ${localDate(s.startedAt)}` : ''}`);
	const more = value.sessions.length - named.length;
	const who = more > 0 ? `${named.join(', ')} and ${more} more` : named.join(', ');
	return `Sent to ${who} (${value.ruleId}). Consider rotating it.`;
}

/** Sessions with a finding nobody called a false positive, newest first, with what a message may say about them. */
function sessionsWithAppliedFindings(store: TraceStore): Map<string, ExposureSession> {
	const publicTitle = titleRedactor(store);
	const sessions = new Map<string, ExposureSession>();
	for (const t of store.findings.sessionTotals()) {
		if (t.open + t.confirmed === 0) continue;
		const title = publicTitle(t.sessionId, t.title);
		sessions.set(t.sessionId, { id: t.sessionId, agent: t.agent, agentName: AGENT_NAMES[t.agent] ?? t.agent, title: title?.trim() || t.sessionId, startedAt: t.startedAt });
	}
	return sessions;
}

/** `.env*` at each root first, then the files tool calls named, inside a root, existing and regular. */
function candidateFiles(roots: readonly string[], namedByToolCalls: readonly string[], maxFiles: number): string[] {
	const named = new Set<string>();
	for (const root of roots) {
		for (const name of readdirOrEmpty(root)) if (name.startsWith('.env')) named.add(path.join(root, name));
	}
	for (const file of namedByToolCalls) if (roots.some((root) => isInside(root, file))) named.add(file);
	const files: string[] = [];
	for (const file of named) {
		if (files.length >= maxFiles) break;
		if (isRegularFile(file)) files.push(file);
	}
	return files;
}

/** Absolute paths a session's tool calls name: file arguments, and shell-command words resolved against the call's directory. */
export function pathsNamedByToolCalls(session: Pick<Session, 'cwd' | 'messages'>): string[] {
	const paths: string[] = [];
	for (const message of session.messages) {
		for (const call of message.tool_calls ?? []) {
			const args = parseObject(call.function.arguments);
			if (!args) continue;
			const base = stringOf(args.workdir) ?? stringOf(args.cwd) ?? session.cwd;
			const resolve = (name: string): void => {
				if (path.isAbsolute(name)) paths.push(path.normalize(name));
				else if (base) paths.push(path.resolve(base, name));
			};
			for (const key of PATH_KEYS) {
				const name = stringOf(args[key]);
				if (name) resolve(name);
			}
			for (const key of COMMAND_KEYS) commandWords(args[key]).forEach(resolve);
		}
	}
	return paths;
}

/** Words of a shell command that could be file names; no real shell parsing, a miss only costs a stat. */
function commandWords(command: unknown): string[] {
	const parts = typeof command === 'string' ? [command] : Array.isArray(command) ? command.filter((p): p is string => typeof p === 'string') : [];
	return parts.flatMap((part) => part.split(/[\s;|&<>()`'"]+/))
		.filter((word) => word.length > 0 && !word.startsWith('-') && !word.startsWith('~') && !/[$*?{}=]/.test(word));
}

function holdersOf(store: TraceStore, fingerprints: readonly string[], sessions: ReadonlyMap<string, ExposureSession>): Map<string, ExposureSession[]> {
	const unique = [...new Set(fingerprints)];
	const holders = new Map<string, ExposureSession[]>();
	for (let i = 0; i < unique.length; i += SQL_CHUNK) {
		for (const { fingerprint, sessionId } of store.findings.sessionsWithFingerprints(unique.slice(i, i + SQL_CHUNK))) {
			const session = sessions.get(sessionId);
			if (session) holders.set(fingerprint, [...(holders.get(fingerprint) ?? []), session]);
		}
	}
	for (const list of holders.values()) list.sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? '') || a.id.localeCompare(b.id));
	return holders;
}

function spanOf(text: string, f: Finding): Omit<ExposedValue, 'sessions'> {
	const value = text.slice(f.start, f.end);
	const lastBreak = value.lastIndexOf('\n');
	const endLine = f.line + (value.match(/\n/g)?.length ?? 0);
	const endColumn = lastBreak === -1 ? f.column + value.length : value.length - lastBreak;
	return { ruleId: f.ruleId, start: f.start, end: f.end, line: f.line, column: f.column, endLine, endColumn };
}

function readSmallText(file: string, maxBytes: number): string | undefined {
	try {
		if (fs.statSync(file).size > maxBytes) return undefined;
		const text = fs.readFileSync(file, 'utf8');
		// Binary files hold no config values worth reporting, and their offsets mean nothing in an editor.
		return text.includes('\u0000') ? undefined : text;
	} catch {
		return undefined;
	}
}

function isRegularFile(file: string): boolean {
	try {
		return fs.statSync(file).isFile();
	} catch {
		return false;
	}
}

function readdirOrEmpty(dir: string): string[] {
	try {
		return fs.readdirSync(dir);
	} catch {
		return [];
	}
}

function isInside(root: string, file: string): boolean {
	const relative = path.relative(root, file);
	return relative !== '' && relative.split(path.sep)[0] !== '..' && !path.isAbsolute(relative);
}

function parseObject(json: string): Record<string, unknown> | undefined {
	try {
		const value: unknown = JSON.parse(json);
		return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
	} catch {
		return undefined;
	}
}

function stringOf(value: unknown): string | undefined {
	return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function clip(text: string, max: number): string {
	const oneLine = text.replace(/\s+/g, ' ').trim();
	return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** Local `YYYY-MM-DD`, like the Sessions tree shows dates. */
function localDate(iso: string): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return iso.slice(0, 10);
	const pad = (n: number): string => String(n).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
