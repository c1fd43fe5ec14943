/**
 * Tool calls written as XML-ish tags in assistant text, the protocol Cline, Roo and Kilo used
 * before native tool calling (and still use with models that lack it):
 *
 *   <thinking>…</thinking>
 *   <read_file>
 *   <path>src/a.ts</path>
 *   </read_file>
 *
 * Each top-level tag named after a tool is a call whose child tags are its parameters; `<thinking>`
 * is the model's reasoning. Both are cut out of the text, as the agents' own parsers do.
 */

/** Tools of the three agents' prompts; result headers add any other name the agent ran. */
export const KNOWN_TOOLS: ReadonlySet<string> = new Set([
	'execute_command', 'read_file', 'write_to_file', 'replace_in_file', 'search_files', 'list_files',
	'list_code_definition_names', 'browser_action', 'use_mcp_tool', 'access_mcp_resource',
	'ask_followup_question', 'plan_mode_respond', 'plan_mode_response', 'attempt_completion', 'new_task',
	'load_mcp_documentation', 'web_fetch', 'web_search', 'condense', 'summarize_task', 'report_bug', 'new_rule',
	'apply_diff', 'insert_content', 'search_and_replace', 'switch_mode', 'codebase_search', 'fetch_instructions',
	'update_todo_list', 'run_slash_command', 'generate_image', 'edit_file', 'apply_patch',
]);

/** Parameters whose value may itself contain closing tags: the last closing tag ends them. */
const GREEDY_PARAMS = new Set(['content', 'diff']);

export interface XmlCall {
	name: string;
	input: Record<string, string>;
}

export interface AssistantText {
	text: string;
	reasoning: string[];
	calls: XmlCall[];
}

const OPEN_TAG = /<([a-z_][a-z0-9_]*)>/g;

export function readAssistantText(raw: string, tools: ReadonlySet<string>): AssistantText {
	const reasoning: string[] = [];
	let text = raw.replace(/<thinking>([\s\S]*?)(?:<\/thinking>|$)/g, (_all, inner: string) => {
		if (inner.trim().length > 0) {
			reasoning.push(inner.trim());
		}
		return '';
	});
	const calls: XmlCall[] = [];
	const kept: string[] = [];
	let from = 0;
	OPEN_TAG.lastIndex = 0;
	for (let match = OPEN_TAG.exec(text); match !== null; match = OPEN_TAG.exec(text)) {
		const name = match[1];
		if (!tools.has(name)) {
			continue;
		}
		const bodyStart = match.index + match[0].length;
		const close = text.indexOf(`</${name}>`, bodyStart);
		// A response cut off mid-call (interrupt, stream error) still names its call.
		const bodyEnd = close === -1 ? text.length : close;
		calls.push({ name, input: readParams(text.slice(bodyStart, bodyEnd)) });
		kept.push(text.slice(from, match.index));
		from = close === -1 ? text.length : close + name.length + 3;
		OPEN_TAG.lastIndex = from;
	}
	kept.push(text.slice(from));
	text = kept.join('').replace(/\n{3,}/g, '\n\n').trim();
	return { text, reasoning, calls };
}

function readParams(body: string): Record<string, string> {
	const input: Record<string, string> = {};
	const tag = /<([a-z_][a-z0-9_]*)>/g;
	for (let match = tag.exec(body); match !== null; match = tag.exec(body)) {
		const name = match[1];
		const start = match.index + match[0].length;
		const closing = `</${name}>`;
		const close = GREEDY_PARAMS.has(name) ? body.lastIndexOf(closing) : body.indexOf(closing, start);
		const end = close < start ? body.length : close;
		const value = body.slice(start, end);
		input[name] = GREEDY_PARAMS.has(name) ? value.replace(/^\r?\n/, '').replace(/\r?\n$/, '') : value.trim();
		tag.lastIndex = close < start ? body.length : close + closing.length;
	}
	return input;
}
