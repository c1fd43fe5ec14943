/**
 * A real Claude Code log re-homed as a session an agent is writing right now: a new session id
 * and record ids, the given workspace as its cwd, every record's timestamp shifted so the last one is `now`, and
 * one more exchange in the shape Claude Code writes it, so that each copy has its own content
 * (identical copies would be exact duplicates to the gates). It goes where Claude Code keeps its
 * logs: `<projectsDir>/<workspace path with every other character as "-">/<session id>.jsonl`.
 * Plain JS with no import.meta, so the e2e suite bundle can use it too.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Record fields that hold (or point at) a record's id. */
const LINKS = ['uuid', 'parentUuid', 'logicalParentUuid', 'leafUuid', 'messageId'];

/**
 * @param {{ source: string, workspace: string, projectsDir: string, prompt: string, answer: string, now?: number }} options
 * @returns {{ id: string, file: string }}
 */
export function writeLiveSession({ source, workspace, projectsDir, prompt, answer, now = Date.now() }) {
	const sessionId = randomUUID();
	const records = fs.readFileSync(source, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
	const times = records.map((r) => Date.parse(r.timestamp ?? '')).filter((t) => !Number.isNaN(t));
	// The appended exchange takes the last two seconds; the log's own records end just before.
	const shift = now - 2000 - Math.max(...times);
	// A new session has its own record ids. Copies sharing the source's ids would be one
	// conversation to the importer, which keeps each record once, in the file with the most records.
	const freshIds = new Map();
	const fresh = (id) => {
		if (!freshIds.has(id)) freshIds.set(id, randomUUID());
		return freshIds.get(id);
	};
	let last = null;
	const rehomed = records.map((record) => {
		const r = { ...record };
		for (const key of LINKS) {
			if (typeof r[key] === 'string') r[key] = fresh(r[key]);
		}
		if (r.type === 'assistant' && typeof r.message?.id === 'string') r.message = { ...r.message, id: `msg_${fresh(r.message.id).replace(/-/g, '')}` };
		if (r.sessionId) r.sessionId = sessionId;
		if (r.cwd) r.cwd = workspace;
		if (typeof r.timestamp === 'string' && !Number.isNaN(Date.parse(r.timestamp))) r.timestamp = new Date(Date.parse(r.timestamp) + shift).toISOString();
		if (r.uuid) last = r;
		return r;
	});
	const [question, reply] = exchange({ ...last, cwd: workspace, sessionId }, prompt, answer, now);
	const project = path.join(projectsDir, workspace.replace(/[^A-Za-z0-9]/g, '-'));
	fs.mkdirSync(project, { recursive: true });
	const file = path.join(project, `${sessionId}.jsonl`);
	fs.writeFileSync(file, [...rehomed, question, reply].map((r) => JSON.stringify(r)).join('\n') + '\n');
	return { id: `claude-code:${sessionId}`, file };
}

/**
 * Appends one more exchange to a live session's log, chained to its last record, as Claude Code
 * grows the file while the agent works.
 * @param {{ file: string, prompt: string, answer: string, now?: number }} options
 */
export function appendExchange({ file, prompt, answer, now = Date.now() }) {
	const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
	const records = exchange(JSON.parse(lines[lines.length - 1]), prompt, answer, now);
	fs.appendFileSync(file, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
}

/** A user prompt and the assistant's answer, chained to `last`, in the shape Claude Code writes them. */
function exchange(last, prompt, answer, now) {
	const base = { isSidechain: false, userType: 'external', cwd: last.cwd, sessionId: last.sessionId, version: last.version, gitBranch: last.gitBranch };
	const question = { ...base, parentUuid: last.uuid, uuid: randomUUID(), type: 'user', timestamp: new Date(now - 1000).toISOString(), message: { role: 'user', content: prompt } };
	const reply = {
		...base, parentUuid: question.uuid, uuid: randomUUID(), type: 'assistant', timestamp: new Date(now).toISOString(),
		message: { model: 'claude-opus-4-6', id: `msg_${randomUUID().replace(/-/g, '')}`, type: 'message', role: 'assistant', content: [{ type: 'text', text: answer }], stop_reason: 'end_turn', usage: { input_tokens: 3, output_tokens: 20 } },
	};
	return [question, reply];
}
