/**
 * Explicit decisions written into the trace: a pipeline's gate and review verdicts, and
 * acceptance criteria marked as met or not.
 *
 * Conservative on purpose, a sentence that mentions a verdict is not one:
 * - A verdict is a line of its own, `<label>: <SHIP|ADVISORY|HOLD>`, optionally in markdown
 *   (`## Verdict: ADVISORY`, `**Gate:** HOLD`) or JSON (`"verdict": "SHIP"`). Labels `gate` and
 *   `outcome` are gate decisions (the outcome component); `verdict` and `review` are reviews.
 *   A template offering choices (`VERDICT: SHIP | HOLD`) or a value followed by prose
 *   (`Verdict: SHIP IT!`) is not a verdict.
 * - Read from the agent's own turns, subagent results (a reviewer's report comes back as the
 *   Task/Agent result) and injected notifications. Never from the human's prompt (it asks for a
 *   verdict, it does not give one) nor from command output (`cat review.md` shows an old one).
 * - Text inside fenced code blocks is quoted, not decided: skipped.
 * - Criteria come from the agent's final report (its last message with text, after the last
 *   human turn; earlier messages hold plans, not results): task-list items `- [x]` / `- [ ]`, and lines marked `PASS`/`FAIL` (`AC1: PASS`,
 *   `[FAIL] handles empty input`, `- login works — PASS`).
 */
import type { Verdict } from '../../../../shared/quality';
import type { Session } from '../../../../shared/model';
import type { ToolExchange } from './toolResults';

export interface VerdictLine {
	index: number;
	/** `outcome`: a gate decision; `review`: a review verdict. */
	target: 'outcome' | 'review';
	verdict: Verdict;
	line: string;
}

export interface CriterionLine {
	index: number;
	text: string;
	passed: boolean;
	line: string;
}

const SUBAGENT_TOOLS = new Set(['Task', 'Agent']);
const MARKUP = String.raw`(?:\*\*|__|\x60)?`;
const LABEL = String.raw`(?:final |code |review |pipeline |quality )?(verdict|review|gate|outcome)(?: verdict| decision)?`;
const VERDICT_LINE = new RegExp(String.raw`^[\s>#*\-]*${MARKUP}${LABEL}${MARKUP}\s*[:=]\s*${MARKUP}\s*(SHIP|ADVISORY|HOLD)\s*${MARKUP}[\s.!]*$`, 'i');
const VERDICT_JSON = /"(verdict|review|gate|outcome)"\s*:\s*"(SHIP|ADVISORY|HOLD)"/gi;

export function verdictLines(session: Session, exchanges: readonly ToolExchange[]): VerdictLine[] {
	const subagentResults = new Set(exchanges.filter((e) => SUBAGENT_TOOLS.has(e.name)).map((e) => e.resultIndex));
	const lines: VerdictLine[] = [];
	session.messages.forEach((message, index) => {
		const readable = (message.role === 'assistant' && !message.context)
			|| (message.role === 'tool' && (subagentResults.has(index) || message.subagent_session_id !== undefined))
			|| (message.role === 'user' && message.context === 'notification');
		if (!readable) {
			return;
		}
		for (const line of unfencedLines(message.content)) {
			const match = VERDICT_LINE.exec(line);
			if (match) {
				lines.push({ index, target: targetOf(match[1]), verdict: match[2].toUpperCase() as Verdict, line: line.trim() });
				continue;
			}
			for (const json of line.matchAll(VERDICT_JSON)) {
				lines.push({ index, target: targetOf(json[1]), verdict: json[2].toUpperCase() as Verdict, line: line.trim() });
			}
		}
	});
	return lines;
}

function targetOf(label: string): 'outcome' | 'review' {
	return /gate|outcome/i.test(label) ? 'outcome' : 'review';
}

const CHECKBOX = /^\s*(?:[-*+]|\d+[.)])\s+\[([ xX])\]\s+(.+?)\s*$/;
const MARK_FIRST = /^\s*(?:[-*+]\s+)?(?:\[(PASS(?:ED)?|FAIL(?:ED)?)\]|(PASS(?:ED)?|FAIL(?:ED)?)\s*[:\-–—])\s*(.+?)\s*$/;
const MARK_LAST = /^\s*(?:[-*+]\s+)?(.+?)\s*(?:[:\-–—]|\()\s*(?:\*\*)?(PASS(?:ED)?|FAIL(?:ED)?)(?:\*\*)?\)?\s*$/;

/** Criteria marked in the agent's final report (its last message with text); empty when it marks none. */
export function finalCriteria(session: Session): CriterionLine[] {
	const messages = session.messages;
	for (let index = messages.length - 1; index >= 0; index--) {
		const message = messages[index];
		if (message.role === 'user' && !message.context) {
			return []; // the human spoke last: no final report
		}
		if (message.role !== 'assistant' || message.context || message.content.trim() === '') {
			continue;
		}
		const criteria: CriterionLine[] = [];
		for (const line of unfencedLines(message.content)) {
			const criterion = criterionOf(line);
			if (criterion) {
				criteria.push({ index, ...criterion, line: line.trim() });
			}
		}
		return criteria;
	}
	return [];
}

function criterionOf(line: string): { text: string; passed: boolean } | null {
	const box = CHECKBOX.exec(line);
	if (box) {
		return { text: box[2], passed: box[1] !== ' ' };
	}
	if (line.includes('|')) {
		return null; // table rows: test-result tables, not criteria
	}
	const first = MARK_FIRST.exec(line);
	if (first) {
		return { text: first[3], passed: (first[1] ?? first[2]).startsWith('PASS') };
	}
	const last = MARK_LAST.exec(line);
	if (last) {
		return { text: last[1].replace(/[*_`]+$/, '').trim(), passed: last[2].startsWith('PASS') };
	}
	return null;
}

/** Lines outside ``` / ~~~ fences. */
function unfencedLines(text: string): string[] {
	const out: string[] = [];
	let fence: string | null = null;
	for (const line of text.split(/\r?\n/)) {
		const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
		if (marker !== undefined) {
			if (fence === null) {
				fence = marker[0];
			} else if (marker[0] === fence) {
				fence = null;
			}
			continue;
		}
		if (fence === null) {
			out.push(line);
		}
	}
	return out;
}
