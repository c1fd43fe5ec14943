/**
 * Turns a Codex tool output (function_call_output / custom_tool_call_output `output`) into
 * the text the model saw plus an error flag where the output states one.
 */
import { plainContent } from './content';
import { asNumber, asObject, asString, parseJson } from '../json';

export interface ToolOutput {
	content: string;
	/** Undefined when the output does not say whether the tool failed. */
	isError?: boolean;
	images: number;
}

export function readToolOutput(output: unknown): ToolOutput {
	if (typeof output === 'string') {
		return readText(output);
	}
	if (Array.isArray(output)) {
		return readParts(output);
	}
	const object = asObject(output);
	if (object !== undefined) {
		// Some builds serialised a failed call as {content, success:false} instead of a string.
		const content = object.content;
		const inner = Array.isArray(content) ? readParts(content) : readText(asString(content) ?? JSON.stringify(object));
		return typeof object.success === 'boolean' ? { ...inner, isError: !object.success } : inner;
	}
	return { content: output === undefined || output === null ? '' : JSON.stringify(output), images: 0 };
}

function readParts(parts: unknown[]): ToolOutput {
	const { text, images } = plainContent(parts, '\n');
	return { content: text, images };
}

function readText(text: string): ToolOutput {
	const shell = shellEnvelope(text);
	if (shell !== undefined) {
		return shell;
	}
	const code = headerExitCode(text);
	return code === undefined ? { content: text, images: 0 } : { content: text, isError: code !== 0, images: 0 };
}

/** `shell` (and apply_patch) results: a JSON string `{"output": "...", "metadata": {"exit_code": N}}`. */
function shellEnvelope(text: string): ToolOutput | undefined {
	if (!text.startsWith('{')) {
		return undefined;
	}
	const envelope = asObject(parseJson(text));
	const output = asString(envelope?.output);
	const metadata = asObject(envelope?.metadata);
	if (output === undefined || metadata === undefined) {
		return undefined;
	}
	const code = asNumber(metadata.exit_code);
	return code === undefined ? { content: output, images: 0 } : { content: output, isError: code !== 0, images: 0 };
}

// exec_command / write_stdin write "Process exited with code N", shell_command "Exit code: N",
// in a short header that ends at an "Output:" line. Only the header is read, so a command
// whose own output contains such a line cannot flip the flag.
const EXIT_LINE = /^(?:Process exited with code|Exit code:)\s*(-?\d+)$/;
const HEADER_LINES = 8;

function headerExitCode(text: string): number | undefined {
	for (const raw of text.split('\n', HEADER_LINES)) {
		const line = raw.trim();
		if (line === 'Output:') {
			return undefined;
		}
		const match = EXIT_LINE.exec(line);
		if (match !== null) {
			return Number(match[1]);
		}
	}
	return undefined;
}
