/**
 * Verification runs: test, build/type-check and lint commands the agent ran, each with how it
 * ended. A call the user rejected or interrupted never finished, so it is not a run.
 *
 * How a run's outcome is read, first that applies:
 * 1. The logged status belongs to the command (not masked):
 *    the exit code when the log has one → the tool's error flag → a runner summary → "no error
 *    reported" counts as passed (Claude Code writes no exit code for a command that succeeded).
 * 2. Masked (`pytest | tail -5`, `npm test || true`, `…; echo done`): only a runner summary in
 *    the output can say; without one the outcome is unknown and the run decides nothing.
 *
 * Long runs finish later in the log: a Codex `exec_command` answered "Process running with
 * session ID N" ends in a `write_stdin` poll for session N; a Claude Code background Bash ends
 * in a TaskOutput/BashOutput read-back or a `<task-notification>` naming its task.
 */
import type { Session } from '../../../../shared/model';
import { asString } from '../capture/json';
import { backgroundIdOf, exitCodeOf, runningSessionOf, stillRunning, summaryOf } from './commandOutput';
import { classifyCommand, commandOf, type VerificationCommand, type VerificationKind } from './commands';
import type { ToolExchange } from './toolResults';

export interface VerificationRun {
	/** The message that told how it ended: the tool result, or the poll or notification that did. */
	index: number;
	callIndex: number;
	callId: string;
	command: string;
	kind: VerificationKind;
	tools: string[];
	/** null: the log does not say (masked status without a summary, or no end in the log). */
	passed: boolean | null;
	exitCode: number | null;
	basis: 'exit-code' | 'error-flag' | 'summary' | 'no-error' | 'unknown';
	/** The runner's summary line when one was found. */
	summary: string | null;
	masked: boolean;
}

/** The last word on a run: the text that carries its exit code or summary, and the error flag. */
interface Ending {
	text: string;
	isError: boolean | undefined;
}

interface PendingRun {
	exchange: ToolExchange;
	command: string;
	recognised: VerificationCommand;
	outputs: string[];
	lastIndex: number;
}

export function verificationRuns(session: Session, exchanges: readonly ToolExchange[]): VerificationRun[] {
	const byResult = new Map<number, ToolExchange>();
	for (const exchange of exchanges) {
		if (exchange.resultIndex !== null) {
			byResult.set(exchange.resultIndex, exchange);
		}
	}
	const runs: VerificationRun[] = [];
	const pending = new Map<string, PendingRun>();
	const finish = (run: PendingRun, last: Ending | null, index: number): void => {
		for (const [key, value] of pending) {
			if (value === run) pending.delete(key);
		}
		runs.push(outcomeOf(run, last, index));
	};
	session.messages.forEach((message, index) => {
		if (message.role === 'user' && message.context === 'notification') {
			const run = notifiedRun(message.content, pending);
			if (run) {
				// "<status>failed</status>…<summary>Background command "…" failed (exit code 2)</summary>"; a stopped one ends unknown.
				const code = /\(exit code (-?\d+)\)/.exec(message.content)?.[1];
				const status = /<status>\s*(\w+)\s*<\/status>/.exec(message.content)?.[1];
				const ending: Ending | null = code !== undefined ? { text: `Exit code ${code}`, isError: undefined }
					: status === 'completed' || status === 'failed' ? { text: '', isError: status === 'failed' } : null;
				finish(run, ending, index);
			}
			return;
		}
		const exchange = message.role === 'tool' ? byResult.get(index) : undefined;
		if (exchange === undefined || exchange.result === null) {
			return;
		}
		const text = exchange.result.content;
		const poll = pollTarget(exchange, pending);
		if (poll) {
			if (exchange.answer !== 'ok' && exitCodeOf(text) === null) {
				return; // a failed read-back ("No task found") says nothing about the run
			}
			poll.outputs.push(text);
			poll.lastIndex = index;
			if (exchange.name === 'write_stdin' ? exitCodeOf(text) !== null : !stillRunning(text)) {
				finish(poll, endingOf(exchange), index);
			}
			return;
		}
		const command = commandOf(exchange.name, exchange.rawArgs);
		const recognised = command === undefined ? null : classifyCommand(command);
		if (command === undefined || recognised === null || exchange.answer === 'rejected' || exchange.answer === 'interrupted') {
			return;
		}
		const run: PendingRun = { exchange, command, recognised, outputs: [text], lastIndex: index };
		const execSession = runningSessionOf(text);
		const background = backgroundIdOf(text);
		if (execSession !== null) {
			pending.set(`codex:${execSession}`, run);
		} else if (background !== null) {
			pending.set(`claude:${background}`, run);
			pending.set(`claude:${exchange.callId}`, run);
		} else {
			finish(run, endingOf(exchange), index);
		}
	});
	// Started in the background and never read back: it ran, the log does not say how it ended.
	for (const run of new Set(pending.values())) {
		runs.push({ ...outcomeOf(run, null, run.lastIndex), passed: null, basis: 'unknown' });
	}
	return runs.sort((a, b) => a.index - b.index);
}

function pollTarget(exchange: ToolExchange, pending: Map<string, PendingRun>): PendingRun | undefined {
	if (exchange.name === 'write_stdin') {
		const id = exchange.args.session_id;
		return typeof id === 'number' || typeof id === 'string' ? pending.get(`codex:${String(id)}`) : undefined;
	}
	if (exchange.name === 'TaskOutput' || exchange.name === 'BashOutput') {
		const id = asString(exchange.args.task_id) ?? asString(exchange.args.bash_id) ?? asString(exchange.args.shell_id);
		return id === undefined ? undefined : pending.get(`claude:${id}`);
	}
	return undefined;
}

function notifiedRun(text: string, pending: Map<string, PendingRun>): PendingRun | undefined {
	const task = /<task-id>([^<]+)<\/task-id>/.exec(text)?.[1];
	const toolUse = /<tool-use-id>([^<]+)<\/tool-use-id>/.exec(text)?.[1];
	return (task && pending.get(`claude:${task}`)) || (toolUse && pending.get(`claude:${toolUse}`)) || undefined;
}

function endingOf(exchange: ToolExchange): Ending {
	return { text: exchange.result?.content ?? '', isError: exchange.result?.is_error };
}

function outcomeOf(run: PendingRun, last: Ending | null, index: number): VerificationRun {
	const base = {
		index, callIndex: run.exchange.callIndex, callId: run.exchange.callId, command: run.command, kind: run.recognised.kind,
		tools: run.recognised.tools, masked: run.recognised.masked,
	};
	const finalText = last?.text ?? '';
	const exitCode = exitCodeOf(finalText);
	const summary = summaryOf(run.outputs.join('\n'));
	const summaryLine = summary?.line ?? null;
	if (run.recognised.masked) {
		return summary
			? { ...base, passed: summary.passed, exitCode, basis: 'summary', summary: summaryLine }
			: { ...base, passed: null, exitCode, basis: 'unknown', summary: null };
	}
	if (exitCode !== null) {
		return { ...base, passed: exitCode === 0, exitCode, basis: 'exit-code', summary: summaryLine };
	}
	if (last?.isError !== undefined) {
		return { ...base, passed: !last.isError, exitCode, basis: 'error-flag', summary: summaryLine };
	}
	if (summary) {
		return { ...base, passed: summary.passed, exitCode, basis: 'summary', summary: summaryLine };
	}
	return { ...base, passed: last === null ? null : true, exitCode, basis: last === null ? 'unknown' : 'no-error', summary: null };
}
