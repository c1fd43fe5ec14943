/**
 * A real Claude Code log (a public fixture) with records appended as Claude Code writes them,
 * chained to its last record: tool calls with their results, failures with exit codes, declined
 * calls. With `sessionId` the copy becomes a session of its own, written where the importer finds it.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Session } from '../../shared/model';
import { claudeCodeImporter } from '../../server/src/core/capture/claudeCode';
import { recordsOf } from '../../server/src/core/importing/lines';
import { FIXTURES } from './fixtures';

export const CLAUDE_FILE = path.join(FIXTURES, 'claude-code', 'codemie-code', '-tmp-private', '4c2ddfdc-b619-4525-8d03-1950fb1b0257.jsonl');
const CLAUDE_SESSION = '4c2ddfdc-b619-4525-8d03-1950fb1b0257';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

export const REJECTED = 'The user doesn\'t want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). ';
export const FAIL_OUTPUT = 'F..\n=================================== FAILURES ===================================\nFAILED tests/test_api.py::test_login - AssertionError\n========================= 1 failed, 2 passed in 0.31s ==========================';
export const PASS_OUTPUT = '...\n3 passed in 0.29s';
export const NOT_FOUND = 'ERROR: file or directory not found: tests/test_api.py\n\nno tests ran in 0.01s';

/** The real Claude Code log with records appended as Claude Code writes them, chained to its last record. */
export class ClaudeLog {
	private readonly lines = fs.readFileSync(CLAUDE_FILE, 'utf8').trimEnd().split('\n');
	private readonly common: Record<string, unknown>;
	private parent: string;
	private clock: number;
	private n = 0;
	private written = 0;

	constructor(private readonly sessionId = CLAUDE_SESSION) {
		if (sessionId !== CLAUDE_SESSION) {
			// Record uuids are global in Claude Code (a resumed session shares them), so a copy gets its own.
			this.lines = this.lines.map((line) => line.replaceAll(CLAUDE_SESSION, sessionId).replace(UUID, (uuid) => this.own(uuid)));
		}
		const last = JSON.parse(this.lines[this.lines.length - 1]) as Record<string, unknown>;
		this.common = { isSidechain: false, userType: 'external', cwd: last.cwd, sessionId: last.sessionId, version: last.version, gitBranch: last.gitBranch };
		this.parent = last.uuid as string;
		this.clock = Date.parse(last.timestamp as string);
	}

	user(text: string): this {
		return this.add({ type: 'user', message: { role: 'user', content: text } });
	}

	say(text: string): this {
		return this.assistant([{ type: 'text', text }]);
	}

	/** One tool_use (with text before it when given) and its tool_result. */
	call(name: string, input: Record<string, unknown>, result: string, options: { error?: boolean; text?: string; toolUseResult?: unknown } = {}): this {
		const id = `toolu_pp_${++this.n}`;
		this.assistant([...(options.text ? [{ type: 'text', text: options.text }] : []), { type: 'tool_use', id, name, input }]);
		return this.add({
			type: 'user',
			message: { role: 'user', content: [{ tool_use_id: id, type: 'tool_result', content: result, is_error: options.error === true }] },
			toolUseResult: options.toolUseResult ?? (options.error ? `Error: ${result}` : { stdout: result, stderr: '', interrupted: false, isImage: false }),
		});
	}

	/** A Bash run: a failure's result starts "Exit code N" and is flagged. */
	bash(command: string, output: string, exit = 0, text?: string): this {
		return this.call('Bash', { command, description: 'Run the tests' }, exit === 0 ? output : `Exit code ${exit}\n${output}`, { error: exit !== 0, text });
	}

	editError(file: string, oldString: string): this {
		return this.call('Edit', { file_path: file, old_string: oldString, new_string: 'fixed' }, `<tool_use_error>String to replace not found in file.\nString: ${oldString}</tool_use_error>`, { error: true });
	}

	edit(file: string, oldString: string): this {
		return this.call('Edit', { file_path: file, old_string: oldString, new_string: 'fixed' }, `The file ${file} has been updated.`, { toolUseResult: { filePath: file, oldString, newString: 'fixed' } });
	}

	/** A declined call: with feedback the user's words are in the result; without, Claude Code writes an interrupt marker after it. */
	reject(name: string, input: Record<string, unknown>, feedback?: string): this {
		const text = REJECTED + (feedback === undefined ? 'STOP what you are doing and wait for the user to tell you how to proceed.' : `To tell you how to proceed, the user said:\n${feedback}`);
		this.call(name, input, text, { error: true, toolUseResult: 'User rejected tool use' });
		return feedback === undefined ? this.add({ type: 'user', message: { role: 'user', content: [{ type: 'text', text: '[Request interrupted by user for tool use]' }] } }) : this;
	}

	session(): Session {
		const result = claudeCodeImporter.parse([{ path: CLAUDE_FILE, records: recordsOf(Buffer.from(this.lines.join('\n') + '\n')) }]);
		return Session.parse(result.sessions.find((s) => s.id === `claude-code:${this.sessionId}`));
	}

	/** Writes the log as `<projectsDir>/<project>/<session id>.jsonl`, where Claude Code keeps it. */
	write(projectsDir: string): string {
		const file = path.join(projectsDir, '-tmp-private', `${this.sessionId}.jsonl`);
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, `${this.lines.join('\n')}\n`);
		this.written = this.lines.length;
		return file;
	}

	/** Appends the records added since the last write, as Claude Code grows a live log. */
	append(file: string): void {
		fs.appendFileSync(file, `${this.lines.slice(this.written).join('\n')}\n`);
		this.written = this.lines.length;
	}

	private assistant(content: unknown[]): this {
		const usage = { input_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 100, output_tokens: 20 };
		const stop = content.some((c) => (c as { type: string }).type === 'tool_use') ? 'tool_use' : 'end_turn';
		return this.add({ type: 'assistant', message: { model: 'claude-sonnet-4-5-20250929', id: `msg_pp_${this.lines.length}`, type: 'message', role: 'assistant', content, stop_reason: stop, stop_sequence: null, usage } });
	}

	/** This copy's version of a record uuid (the original log's own session keeps its uuids). */
	private own(uuid: string): string {
		if (this.sessionId === CLAUDE_SESSION || uuid === this.sessionId) {
			return uuid;
		}
		const hex = createHash('sha256').update(`${this.sessionId}:${uuid}`).digest('hex');
		return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
	}

	private add(record: Record<string, unknown>): this {
		const uuid = this.own(`00000000-0000-4000-8000-${String(this.lines.length).padStart(12, '0')}`);
		this.lines.push(JSON.stringify({ parentUuid: this.parent, ...this.common, ...record, uuid, timestamp: new Date(this.clock += 1000).toISOString() }));
		this.parent = uuid;
		return this;
	}
}

