/**
 * Everything the scorer reads from a session, gathered in one pass, and the cheap facts the
 * quality gates use too.
 *
 * Definitions:
 * - Human turn: role `user` with `context === null` (injected context is never a human turn);
 *   consecutive human messages with no assistant message between them are one turn.
 * - Follow-up turn: every human turn after the first. Each is a round where the agent's work
 *   needed another instruction; the evidence calls them `user-correction`.
 * - Iterations: failed verification runs + follow-up turns.
 * - Rejection: a tool call the user declined. Interrupt: a call the user stopped, or an
 *   interrupt marker in the conversation. Claude Code writes the marker
 *   "[Request interrupted by user for tool use]" right after rejected or stopped calls: that
 *   marker is the same act and is not counted again.
 * - Tool error: a tool result flagged is_error that is not a rejection or an interrupt (a
 *   failed test run is one too; the derived review only weighs the other tools' errors).
 * - Code changed: an edit/write tool or a patch (`apply_patch`, `git apply`) that succeeded.
 */
import type { Session } from '../../../../shared/model';
import type { Evidence, SessionFacts } from '../../../../shared/quality';
import { clip } from './evidence';
import { parseCommandLine } from './shell';
import { commandOf } from './commands';
import { lastTodoState, type TodoState } from './todos';
import { rejectionFeedback, toolExchanges, type ToolExchange } from './toolResults';
import { finalCriteria, verdictLines, type CriterionLine, type VerdictLine } from './verdicts';
import { verificationRuns, type VerificationRun } from './verification';

export interface SessionEvidence {
	exchanges: ToolExchange[];
	runs: VerificationRun[];
	todos: TodoState | null;
	verdicts: VerdictLine[];
	criteria: CriterionLine[];
	rejections: Evidence[];
	interrupts: Evidence[];
	followUps: Evidence[];
	toolErrors: Evidence[];
	/** Calls with a result that are not verification runs, and the errors among them. */
	otherToolCalls: number;
	otherToolErrors: Evidence[];
	humanTurns: number;
	assistantTurns: number;
	codeChanged: boolean;
}

export function sessionFacts(session: Session): SessionFacts {
	return factsOf(gatherEvidence(session));
}

export function factsOf(evidence: SessionEvidence): SessionFacts {
	const known = evidence.runs.filter((run) => run.passed !== null);
	return {
		iterations: iterationsOf(evidence).length,
		codeChanged: evidence.codeChanged,
		userTurns: evidence.humanTurns,
		assistantTurns: evidence.assistantTurns,
		toolCalls: evidence.exchanges.length,
		toolErrors: evidence.toolErrors.length,
		rejectedToolCalls: evidence.rejections.length,
		interrupts: evidence.interrupts.length,
		verificationRuns: evidence.runs.length,
		lastVerificationPassed: known.length === 0 ? null : known[known.length - 1].passed,
	};
}

/** The facts behind the iteration count, in message order. */
export function iterationsOf(evidence: SessionEvidence): Evidence[] {
	const failed = evidence.runs.filter((run) => run.passed === false).map((run): Evidence => ({
		messageIndex: run.index, kind: run.kind, detail: clip(run.command), exitCode: run.exitCode, passed: false,
	}));
	return [...failed, ...evidence.followUps].sort((a, b) => (a.messageIndex ?? 0) - (b.messageIndex ?? 0));
}

export function gatherEvidence(session: Session): SessionEvidence {
	const exchanges = toolExchanges(session);
	const runs = verificationRuns(session, exchanges);
	const turns = humanTurns(session);
	const runCalls = new Set(runs.map((run) => run.callId));
	const others = exchanges.filter((e) => (e.answer === 'ok' || e.answer === 'error') && !runCalls.has(e.callId));
	const toolErrors = exchanges.filter((e) => e.answer === 'error').map((e): Evidence => ({
		messageIndex: e.resultIndex, kind: 'tool-error', detail: clip(`${e.name}: ${e.result?.content ?? ''}`),
	}));
	return {
		exchanges,
		runs,
		todos: lastTodoState(exchanges),
		verdicts: verdictLines(session, exchanges),
		criteria: finalCriteria(session),
		rejections: exchanges.filter((e) => e.answer === 'rejected').map(rejectionEvidence),
		interrupts: interruptsOf(session, exchanges),
		followUps: turns.slice(1).map((index): Evidence => ({
			messageIndex: index, kind: 'user-correction', detail: clip(session.messages[index].content) || '(no text)',
		})),
		toolErrors,
		otherToolCalls: others.length,
		otherToolErrors: toolErrors.filter((error) => others.some((e) => e.resultIndex === error.messageIndex)),
		humanTurns: turns.length,
		assistantTurns: session.messages.filter((m) => m.role === 'assistant' && !m.context).length,
		codeChanged: exchanges.some(changesCode),
	};
}

/** The index of the first message of each human turn. */
function humanTurns(session: Session): number[] {
	const starts: number[] = [];
	let assistantSince = true;
	session.messages.forEach((message, index) => {
		if (message.role === 'assistant') {
			assistantSince = true;
		} else if (message.role === 'user' && !message.context && assistantSince) {
			starts.push(index);
			assistantSince = false;
		}
	});
	return starts;
}

function rejectionEvidence(exchange: ToolExchange): Evidence {
	const command = commandOf(exchange.name, exchange.rawArgs);
	const feedback = rejectionFeedback(exchange.result?.content ?? '');
	const what = command === undefined ? exchange.name : `${exchange.name}: ${command}`;
	return { messageIndex: exchange.resultIndex, kind: 'rejection', detail: clip(feedback ? `${what} — user said: ${feedback}` : what) };
}

function interruptsOf(session: Session, exchanges: readonly ToolExchange[]): Evidence[] {
	const answers = new Map(exchanges.filter((e) => e.resultIndex !== null).map((e) => [e.resultIndex!, e]));
	const found: Evidence[] = [];
	session.messages.forEach((message, index) => {
		const exchange = answers.get(index);
		if (exchange?.answer === 'interrupted') {
			found.push({ messageIndex: index, kind: 'interrupt', detail: clip(`${exchange.name} stopped: ${message.content}`) });
		} else if (message.role === 'user' && message.context === 'interrupt' && !followsStoppedCall(session, answers, index)) {
			found.push({ messageIndex: index, kind: 'interrupt', detail: clip(message.content) });
		}
	});
	return found;
}

/** The tool results right before the marker include a rejected or stopped call. */
function followsStoppedCall(session: Session, answers: Map<number, ToolExchange>, index: number): boolean {
	for (let i = index - 1; i >= 0 && session.messages[i].role === 'tool'; i--) {
		const answer = answers.get(i)?.answer;
		if (answer === 'rejected' || answer === 'interrupted') {
			return true;
		}
	}
	return false;
}

/** Tools that write files: Claude Code, Codex, Gemini CLI, Cline, Copilot and editor-style tools. */
const EDIT_TOOLS = new Set([
	'Edit', 'MultiEdit', 'Write', 'NotebookEdit', 'apply_patch', 'write_file', 'replace', 'edit_file', 'create_file',
	'write_to_file', 'replace_in_file', 'apply_diff', 'insert_edit_into_file', 'str_replace_editor', 'str_replace_based_edit_tool',
]);

/** Whether the call changed code: an edit tool that wrote, or a patch applied from the shell. */
export function changesCode(exchange: ToolExchange): boolean {
	if (exchange.answer !== 'ok') {
		return false;
	}
	if (EDIT_TOOLS.has(exchange.name)) {
		return exchange.args.command !== 'view'; // the editor tools also read files
	}
	const command = commandOf(exchange.name, exchange.rawArgs);
	return command !== undefined && parseCommandLine(command).commands.some(({ words }) => {
		const program = words[0].replace(/^.*\//, '');
		return program === 'apply_patch' || program === 'applypatch' || (program === 'git' && words[1] === 'apply');
	});
}
