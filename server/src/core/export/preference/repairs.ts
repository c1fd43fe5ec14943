/**
 * Repair pairs: a call whose result failed, and the later attempt at the same step that succeeded.
 * Prompt: the chat before the failed attempt; rejected: the failed call; chosen: the successful one.
 *
 * The same step, conservatively, so that the two calls try to do the same thing:
 * - a test, build or lint run: the same kind and the same recognised programs (`pytest`,
 *   `npm test`, `cargo build`), whatever the paths or flags; verification.ts says whether it
 *   passed (exit code, error flag, runner summary, masking), and an unknown outcome is neither;
 * - any other tool that names a file (Edit, Write, Read, apply_patch…): the same tool on the same
 *   file(s); it failed when the tool answered an error.
 * Other shell commands are never attempts: their exit codes are not failures (`grep` that finds
 * nothing, `diff` that finds a difference). Rejected and interrupted calls are no failures either
 * (they never ran; see rejections.ts).
 *
 * The success must be the call's doing, or the pair would prefer a call that was not better:
 * - the first later success only, in a later message (one in the same message never saw the
 *   failure), never across a user turn (the user may have changed the task);
 * - a retry with the same command line or the same arguments makes no pair: it succeeded because
 *   the workspace changed (a test re-run after the fix), and both answers would be the same;
 * - a run retried differently pairs only if nothing between the two ran another shell command or
 *   changed code: otherwise that, not the new command line, may be what made it pass;
 * - a file tool retried differently pairs only if no other tool changed the same file between.
 * At most one pair per assistant message (ids are per message): its first failed call that pairs.
 */
import { asString } from '../../capture/json';
import { changesCode } from '../../reward/facts';
import { commandOf } from '../../reward/commands';
import { clip } from '../../reward/evidence';
import type { ToolExchange } from '../../reward/toolResults';
import { verificationRuns, type VerificationRun } from '../../reward/verification';
import type { ChatMessage } from '../chatSample';
import type { PreferencePair } from './pair';
import { answerOf, pairTools, promptBefore, turnBetween, type CallPlace, type PairSource } from './turns';
import { sortKeys } from '../../gates/dedup/normalise';

interface Attempt {
	exchange: ToolExchange;
	/** Position in toolExchanges order (call order), to find what ran between two attempts. */
	order: number;
	place: CallPlace;
	/** `run:<kind>:<programs>` or `file:<tool>:<files>`. */
	step: string;
	/** What the call does, to tell a changed retry from the same one. */
	action: string;
	ok: boolean | null;
	run?: VerificationRun;
	files: string[];
}

export function repairPairs(chat: readonly ChatMessage[], source: PairSource): PreferencePair[] {
	const { session, exchanges, places } = source;
	const runs = new Map(verificationRuns(session, exchanges).map((run) => [run.callId, run]));
	const attempts: Attempt[] = [];
	exchanges.forEach((exchange, order) => {
		const place = places.get(exchange.callId);
		const attempt = place && attemptOf(exchange, order, place, runs.get(exchange.callId));
		if (attempt) {
			attempts.push(attempt);
		}
	});
	const pairs: PreferencePair[] = [];
	const paired = new Set<number>();
	for (const [i, failed] of attempts.entries()) {
		if (failed.ok !== false || paired.has(failed.place.at)) {
			continue;
		}
		const success = attempts.slice(i + 1).find((a) => a.step === failed.step && a.ok === true && a.place.at > failed.place.at);
		if (!success || turnBetween(chat, failed.place.at, success.place.at) || success.action === failed.action
			|| changedBetween(exchanges, failed, success)) {
			continue;
		}
		const prompt = promptBefore(chat, failed.place.at);
		if (!prompt) {
			continue;
		}
		const chosen = [answerOf([success.place.call])];
		const rejected = [answerOf([failed.place.call])];
		paired.add(failed.place.at);
		pairs.push({
			id: `repair:${session.id}:${failed.exchange.callIndex}`,
			kind: 'repair',
			sessionIds: [session.id],
			split: source.split,
			prompt, chosen, rejected,
			tools: pairTools([...prompt, ...chosen, ...rejected], source.tools),
			margin: 1,
			why: whyOf(failed, success),
		});
	}
	return pairs;
}

function attemptOf(exchange: ToolExchange, order: number, place: CallPlace, run: VerificationRun | undefined): Attempt | undefined {
	if (run) {
		return { exchange, order, place, step: `run:${run.kind}:${run.tools.join(', ')}`, action: run.command.replace(/\s+/g, ' ').trim(), ok: run.passed, run, files: [] };
	}
	if (commandOf(exchange.name, exchange.rawArgs) !== undefined) {
		return undefined;
	}
	const files = filesOf(exchange);
	if (files.length === 0) {
		return undefined;
	}
	const ok = exchange.answer === 'ok' ? true : exchange.answer === 'error' ? false : null;
	return { exchange, order, place, step: `file:${exchange.name}:${files.join('\n')}`, action: JSON.stringify(sortKeys(exchange.args)), ok, files };
}

/** Argument names that hold the file a tool works on (Claude Code, Codex, Gemini CLI, editor tools). */
const FILE_ARGS = ['file_path', 'notebook_path', 'path', 'filePath', 'target_file'];
/** apply_patch names its files in the patch: `*** Update File: src/a.ts`. */
const PATCH_FILE = /^\*\*\* (?:Add|Update|Delete) File: (.+)$/gm;

function filesOf(exchange: ToolExchange): string[] {
	for (const key of FILE_ARGS) {
		const file = asString(exchange.args[key]);
		if (file) {
			return [file];
		}
	}
	const patch = asString(exchange.args.input) ?? asString(exchange.args.patch) ?? '';
	return [...new Set([...patch.matchAll(PATCH_FILE)].map((m) => m[1].trim()))].sort();
}

/** What ran between the two calls (later calls of the failed message, earlier ones of the successful one) could have made the difference. */
function changedBetween(exchanges: readonly ToolExchange[], failed: Attempt, success: Attempt): boolean {
	const ran = exchanges.slice(failed.order + 1, success.order).filter((e) => e.answer === 'ok' || e.answer === 'error');
	if (failed.run) {
		return ran.some((e) => commandOf(e.name, e.rawArgs) !== undefined || changesCode(e));
	}
	const sameFile = ran.filter((e) => e.name !== failed.exchange.name && filesOf(e).some((f) => failed.files.includes(f)));
	return sameFile.some(changesCode);
}

function whyOf(failed: Attempt, success: Attempt): string {
	if (failed.run && success.run) {
		return `\`${clip(failed.run.command, 80)}\` failed (${outcomeOf(failed.run)}); the retry \`${clip(success.run.command, 80)}\`, with nothing else changed, passed (${outcomeOf(success.run)}).`;
	}
	const error = clip(failed.exchange.result?.content ?? '', 100);
	return `${failed.exchange.name} on ${failed.files.join(', ')} failed ("${error}"); the retry with other arguments succeeded.`;
}

function outcomeOf(run: VerificationRun): string {
	const parts = [
		...(run.exitCode === null ? [] : [`exit code ${run.exitCode}`]),
		...(run.summary === null ? [] : [`summary "${clip(run.summary, 80)}"`]),
	];
	if (parts.length > 0) {
		return parts.join(', ');
	}
	return run.basis === 'error-flag' ? (run.passed ? 'the tool reported no error' : 'the tool reported an error') : 'no error reported';
}

