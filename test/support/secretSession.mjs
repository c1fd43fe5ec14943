/**
 * A real Claude Code log (test/fixtures/sessions/claude-code/marot-spotter/short.jsonl) moved into
 * a test workspace, with one turn appended in the shape Claude Code writes it: the agent Reads the
 * workspace's `.env` and the tool result carries its credentials. Credentials are generated at run
 * time (nothing credential-shaped is checked in); a second copy of the log ends with a pasted
 * private key, which blocks export. Plain JS so the e2e launcher and TypeScript tests share it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const SOURCE = path.join(here, '..', 'fixtures', 'sessions', 'claude-code', 'marot-spotter', 'short.jsonl');
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function random(charset, n) {
	return [...randomBytes(n)].map((b) => charset[b % charset.length]).join('');
}

/** Fresh fake credentials of kinds the engine knows, one per rule. */
export function fakeCredentials() {
	return {
		githubPat: `ghp_${random(ALNUM, 36)}`,
		awsAccessKeyId: `AKIA${random('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`,
		dbPassword: `${random(ALNUM, 14)}7q`,
		privateKeyBody: Array.from({ length: 6 }, () => random(`${ALNUM}+/`, 64)).join('\n'),
	};
}

function envFile(c) {
	return [
		'# local development settings',
		'NODE_ENV=development',
		`GITHUB_TOKEN=${c.githubPat}`,
		`AWS_ACCESS_KEY_ID=${c.awsAccessKeyId}`,
		`DATABASE_URL=postgres://app:${c.dbPassword}@db.staging.acme-corp.net:5432/app`,
		'LOG_LEVEL=debug',
		'',
	].join('\n');
}

/** Re-homes the real log: a new session id, the workspace as cwd, records chained to the last uuid. */
function rehome(workspace, sessionId) {
	const lines = fs.readFileSync(SOURCE, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
	let last = null;
	const out = lines.map((record) => {
		const r = { ...record };
		if ('sessionId' in r && r.sessionId) r.sessionId = sessionId;
		if ('cwd' in r && r.cwd) r.cwd = workspace;
		if (r.uuid) last = r;
		return r;
	});
	return { records: out, last };
}

function appendedTurn(last, text, toolInput, toolOutput) {
	const base = {
		isSidechain: false, userType: 'external', cwd: last.cwd, sessionId: last.sessionId, version: last.version, gitBranch: last.gitBranch,
	};
	const at = Date.parse(last.timestamp ?? '2026-02-10T21:20:00.000Z');
	const stamp = (s) => new Date(at + s * 1000).toISOString();
	const prompt = { ...base, parentUuid: last.uuid, uuid: randomUUID(), type: 'user', timestamp: stamp(1), message: { role: 'user', content: text } };
	const toolId = `toolu_01${random(ALNUM, 22)}`;
	const call = {
		...base, parentUuid: prompt.uuid, uuid: randomUUID(), type: 'assistant', timestamp: stamp(2),
		message: { model: 'claude-opus-4-6', id: `msg_01${random(ALNUM, 22)}`, type: 'message', role: 'assistant', content: [{ type: 'tool_use', id: toolId, name: 'Read', input: toolInput }], stop_reason: 'tool_use', usage: { input_tokens: 3, output_tokens: 40 } },
	};
	const result = {
		...base, parentUuid: call.uuid, uuid: randomUUID(), type: 'user', timestamp: stamp(3),
		message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolId, content: toolOutput }] },
	};
	const answer = {
		...base, parentUuid: result.uuid, uuid: randomUUID(), type: 'assistant', timestamp: stamp(4),
		message: { model: 'claude-opus-4-6', id: `msg_01${random(ALNUM, 22)}`, type: 'message', role: 'assistant', content: [{ type: 'text', text: 'The server reads its settings from .env; DATABASE_URL points at the remote database.' }], stop_reason: 'end_turn', usage: { input_tokens: 3, output_tokens: 20 } },
	};
	return [prompt, call, result, answer];
}

const numbered = (text) => text.split('\n').map((line, i) => `${String(i + 1).padStart(6)}→${line}`).join('\n');

/**
 * Writes `<workspace>/.env` and two session logs under `<logsDir>/-workspace/`. Returns the
 * credentials and the Tracemint session ids.
 */
export function writeSecretSessions(workspace, logsDir) {
	const credentials = fakeCredentials();
	const env = envFile(credentials);
	fs.mkdirSync(workspace, { recursive: true });
	fs.writeFileSync(path.join(workspace, '.env'), env);
	const project = path.join(logsDir, 'claude-code', '-workspace');
	fs.mkdirSync(project, { recursive: true });

	const envSessionId = randomUUID();
	const envLog = rehome(workspace, envSessionId);
	const envTurn = appendedTurn(envLog.last, 'which database does the dev server use?', { file_path: path.join(workspace, '.env') }, numbered(env));
	const envFilePath = path.join(project, `${envSessionId}.jsonl`);
	fs.writeFileSync(envFilePath, [...envLog.records, ...envTurn].map((r) => JSON.stringify(r)).join('\n') + '\n');

	const keySessionId = randomUUID();
	const keyLog = rehome(workspace, keySessionId);
	const pem = `-----BEGIN OPENSSH PRIVATE KEY-----\n${credentials.privateKeyBody}\n-----END OPENSSH PRIVATE KEY-----`;
	const keyTurn = appendedTurn(keyLog.last, 'can you check my deploy key?', { file_path: path.join(workspace, 'deploy_key') }, numbered(pem));
	const keyFilePath = path.join(project, `${keySessionId}.jsonl`);
	fs.writeFileSync(keyFilePath, [...keyLog.records, ...keyTurn].map((r) => JSON.stringify(r)).join('\n') + '\n');

	return {
		credentials,
		envPath: path.join(workspace, '.env'),
		logsDir: path.join(logsDir, 'claude-code'),
		envSession: { id: `claude-code:${envSessionId}`, file: envFilePath },
		keySession: { id: `claude-code:${keySessionId}`, file: keyFilePath },
	};
}
