/**
 * "This credential in your workspace was sent to an agent": a real store with the secret
 * sessions (a Claude Code log that Read the workspace's `.env`), matched by fingerprint against
 * the files of the workspace folder.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Session } from '../../shared/model';
import {
	DEFAULT_EXPOSURE_LIMITS, exposureMessage, findWorkspaceExposure, pathsNamedByToolCalls, type ExposureSession,
} from '../../server/src/core/findings/workspaceExposure';
import { secretStore } from '../support/secretStore';

function localDate(iso: string): string {
	const d = new Date(iso);
	return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

void describe('workspace exposure', () => {
	void it('finds each credential of the .env a session read, at its place, with the session that sent it', () => {
		const { workspace, secrets, core } = secretStore();
		const exposures = findWorkspaceExposure(core.store, [workspace]);
		assert.deepEqual(exposures.map((e) => e.file), [secrets.envPath]);
		const text = fs.readFileSync(secrets.envPath, 'utf8');
		const lines = text.split('\n');
		const { values } = exposures[0];
		assert.deepEqual(values.map((v) => v.ruleId), ['github-pat', 'aws-access-key-id', 'database-url-password']);
		const expected = [secrets.credentials.githubPat, secrets.credentials.awsAccessKeyId, secrets.credentials.dbPassword];
		values.forEach((v, i) => {
			assert.equal(text.slice(v.start, v.end), expected[i], `${v.ruleId} offsets`);
			assert.equal(v.endLine, v.line);
			assert.equal(lines[v.line - 1].slice(v.column - 1, v.endColumn - 1), expected[i], `${v.ruleId} line and columns`);
		});

		const summary = core.listSessions().find((s) => s.id === secrets.envSession.id)!;
		const sent: ExposureSession = { id: summary.id, agent: 'claude-code', agentName: 'Claude Code', title: summary.title!, startedAt: summary.started_at };
		for (const v of values) assert.deepEqual(v.sessions, [sent]);
		assert.equal(exposureMessage(values[0]),
			`Sent to Claude Code in session "${summary.title}" on ${localDate(summary.started_at!)} (github-pat). Consider rotating it.`);
		const everything = JSON.stringify(exposures) + values.map((v) => exposureMessage(v)).join('\n');
		for (const value of Object.values(secrets.credentials)) assert.ok(!everything.includes(value), 'no credential in the result or messages');
		core.close();
	});

	void it('scans files a tool call named and .env* at the root, not other files', () => {
		const { workspace, core } = secretStore({
			beforeImport: (secrets, workspace) => {
				// The agent Read settings/dev.conf instead of .env; nobody named notes/token.txt.
				const conf = path.join(workspace, 'settings', 'dev.conf');
				fs.mkdirSync(path.dirname(conf));
				fs.renameSync(secrets.envPath, conf);
				const log = fs.readFileSync(secrets.envSession.file, 'utf8');
				fs.writeFileSync(secrets.envSession.file, log.replaceAll(JSON.stringify(secrets.envPath), JSON.stringify(conf)));
				const token = `GITHUB_TOKEN=${secrets.credentials.githubPat}\n`;
				fs.writeFileSync(path.join(workspace, '.env.local'), token);
				fs.mkdirSync(path.join(workspace, 'notes'));
				fs.writeFileSync(path.join(workspace, 'notes', 'token.txt'), token);
			},
		});
		const files = findWorkspaceExposure(core.store, [workspace]).map((e) => path.relative(workspace, e.file)).sort();
		assert.deepEqual(files, ['.env.local', path.join('settings', 'dev.conf')]);
		core.close();
	});

	void it('reports nothing outside the folders, for files over the size cap, or for values called false positives', () => {
		const { dir, workspace, secrets, core } = secretStore();
		assert.deepEqual(findWorkspaceExposure(core.store, [path.join(dir, 'logs')]), []);
		assert.deepEqual(findWorkspaceExposure(core.store, []), []);
		const size = fs.statSync(secrets.envPath).size;
		assert.deepEqual(findWorkspaceExposure(core.store, [workspace], { ...DEFAULT_EXPOSURE_LIMITS, maxFileBytes: size - 1 }), []);

		const pat = core.listFindings({ ruleIds: ['github-pat'] }).findings;
		assert.equal(pat.length, 1);
		core.decideFindings([pat[0].id], 'false-positive', 'test');
		const rules = findWorkspaceExposure(core.store, [workspace]).flatMap((e) => e.values.map((v) => v.ruleId));
		assert.deepEqual(rules, ['aws-access-key-id', 'database-url-password']);
		core.close();
	});

	void it('reads file names from Claude Code file arguments and Codex shell commands, relative to their directory', () => {
		const call = (name: string, args: object) => ({ id: name, type: 'function' as const, function: { name, arguments: JSON.stringify(args) } });
		const session = {
			cwd: '/w',
			messages: [{
				role: 'assistant', content: '', context: null, tool_calls: [
					call('Read', { file_path: '/w/config.yaml' }),
					call('shell', { command: ['bash', '-lc', 'cat .env | head -n 3'], workdir: '/w/api' }),
					call('exec_command', { cmd: 'grep -r TOKEN ./secrets/prod.json' }),
					call('Bash', { command: 'echo $HOME > ~/x && ls src/*.ts' }),
				],
			}],
		} as Pick<Session, 'cwd' | 'messages'>;
		const named = pathsNamedByToolCalls(session);
		for (const expected of ['/w/config.yaml', '/w/api/.env', '/w/secrets/prod.json']) assert.ok(named.includes(path.resolve(expected)), expected);
		assert.ok(!named.some((p) => /[$~*]/.test(p) || p.endsWith('-lc') || p.endsWith('-r')), `no variables, globs or flags: ${named.join(' ')}`);
	});

	void it('lists three sessions in a message, then how many more', () => {
		const s = (n: number): ExposureSession => ({ id: `codex:${n}`, agent: 'codex', agentName: 'Codex', title: `task ${n}`, startedAt: null });
		assert.equal(exposureMessage({ ruleId: 'openai-key', sessions: [1, 2, 3, 4, 5].map(s) }),
			'Sent to Codex in session "task 1", Codex in session "task 2", Codex in session "task 3" and 2 more (openai-key). Consider rotating it.');
	});
});
