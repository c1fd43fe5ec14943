/**
 * What a text block of a Cline-family user message is. The agents send everything as user text:
 * tool results (`[read_file for 'x'] Result:`), the `<environment_details>` block of every turn,
 * their own reminders, and the human's words (the first as `<task>…</task>`). Only the last are
 * human turns; the markers below are the strings the agents' own prompt builders write.
 */
import type { ContextKind } from '../../../../../shared/model';
import { titleLine } from '../canonical';

export interface TextPart {
	context: ContextKind | null;
	text: string;
}

export type UserText =
	/** A tool result; `body` may be empty when it comes in the next blocks (Cline before 3.5x). */
	| { kind: 'result'; name: string; body: string }
	/** A call the agent refused to run, which is its result: `Tool [x] was not executed…`. */
	| { kind: 'not-run'; name: string; text: string }
	| { kind: 'parts'; parts: TextPart[] };

/** `[name] Result:` or `[name for 'detail'] Result:`; the detail may span lines (multi-line commands). */
const RESULT_HEADER = /^\[([\w.:-]+)(?: for [\s\S]*?)?\] Result:[ \t]*\r?\n?/;
const NOT_RUN = [
	/^Tool \[([\w.:-]+)\] was not executed because/,
	/^Skipping tool \[?([\w.:-]+)/,
];

/** Blocks injected whole, told apart by how they start. */
const WHOLE_BLOCKS: ReadonlyArray<readonly [RegExp, ContextKind]> = [
	[/^<environment_details>/, 'environment'],
	[/^# (task_progress|TODO LIST)\b/i, 'system-reminder'],
	[/^\[ERROR\] You did not use a tool/, 'system-reminder'],
	[/^<hook_context\b/, 'notification'],
	[/^\[The user has switched to (ACT|PLAN) MODE/, 'meta'],
	[/^<explicit_instructions\b/, 'command'],
];

/** Context that can follow the human's words inside the same block (@-mentions expanded, environment). */
const TRAILING_CONTEXT: ReadonlyArray<readonly [RegExp, ContextKind]> = [
	[/^<(file_content|folder_content|workspace_diagnostics|terminal_output|url_content|git_working_changes|git_commit)\b/m, 'environment'],
	[/^<environment_details>/m, 'environment'],
];

const RESUMPTION = '[TASK RESUMPTION]';
const USER_MESSAGE = '<user_message>';

export function classifyUserText(text: string): UserText {
	const head = text.trimStart();
	const header = RESULT_HEADER.exec(head);
	if (header !== null) {
		return { kind: 'result', name: header[1], body: head.slice(header[0].length) };
	}
	for (const pattern of NOT_RUN) {
		const match = pattern.exec(head);
		if (match !== null) {
			return { kind: 'not-run', name: match[1], text: head };
		}
	}
	for (const [pattern, context] of WHOLE_BLOCKS) {
		if (pattern.test(head)) {
			return { kind: 'parts', parts: [{ context, text }] };
		}
	}
	if (head.startsWith(RESUMPTION)) {
		// The agent's resume notice, then (when the human typed something) their words.
		const at = text.indexOf(USER_MESSAGE);
		return { kind: 'parts', parts: at === -1 ? [{ context: 'meta', text }] : [{ context: 'meta', text: text.slice(0, at).trimEnd() }, ...humanParts(text.slice(at))] };
	}
	return { kind: 'parts', parts: humanParts(text) };
}

/** Human text with any trailing injected context cut into its own part. */
function humanParts(text: string): TextPart[] {
	let cut = -1;
	let kind: ContextKind = 'environment';
	for (const [pattern, context] of TRAILING_CONTEXT) {
		const match = pattern.exec(text);
		if (match !== null && (cut === -1 || match.index < cut)) {
			cut = match.index;
			kind = context;
		}
	}
	if (cut === -1) {
		return [{ context: null, text }];
	}
	const human = text.slice(0, cut).trimEnd();
	const context = { context: kind, text: text.slice(cut) };
	return human.trim().length === 0 ? [context] : [{ context: null, text: human }, context];
}

/** How the agents word a failed or refused tool run (their formatResponse helpers). */
const ERROR_RESULTS = [
	/^The user denied this operation/,
	/^The tool execution failed/,
	/^\[ERROR\]/,
	/^<error>/,
];

export function isErrorResult(body: string): boolean {
	const head = body.trimStart();
	return ERROR_RESULTS.some((pattern) => pattern.test(head));
}

const WORKING_DIRECTORY = /^# Current (?:Working|Workspace) Directory \((.+)\) Files\s*$/m;

/** The task's folder as the environment details name it (Cline "Working", Roo "Workspace"). */
export function workingDirectoryIn(text: string): string | undefined {
	return WORKING_DIRECTORY.exec(text)?.[1];
}

/** A short title from the human's first words, without the agents' wrapper tags. */
export function titleOf(text: string): string | null {
	return titleLine(text.replace(/<\/?(task|user_message|feedback)>/g, ' '));
}
