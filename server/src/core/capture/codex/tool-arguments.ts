/**
 * Tool-call arguments must be a JSON string of an object (the OpenAI chat shape). Codex
 * function calls already carry one; freeform tools (apply_patch) and odd payloads are wrapped.
 */
import { asObject, parseJson } from '../json';

export interface ToolArguments {
	json: string;
	/** True when the raw value was not a JSON object and had to be wrapped as `{input}`. */
	wrapped: boolean;
}

/** `function_call.arguments`: kept verbatim when it is a JSON object string. */
export function functionArguments(raw: unknown): ToolArguments {
	if (typeof raw === 'string') {
		return asObject(parseJson(raw)) !== undefined ? { json: raw, wrapped: false } : { json: JSON.stringify({ input: raw }), wrapped: true };
	}
	if (asObject(raw) !== undefined) {
		return { json: JSON.stringify(raw), wrapped: false };
	}
	return { json: JSON.stringify({ input: raw ?? null }), wrapped: true };
}

/** `custom_tool_call.input` is freeform text by design, so wrapping it is the normal case. */
export function customToolArguments(input: unknown): string {
	return asObject(input) !== undefined ? JSON.stringify(input) : JSON.stringify({ input: input ?? '' });
}

/** Built-in call items (local_shell_call, …): the payload minus its envelope fields. */
export function builtinCallArguments(payload: Record<string, unknown>): string {
	const action = asObject(payload.action);
	if (action !== undefined) {
		return JSON.stringify(action);
	}
	const rest: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(payload)) {
		if (!['type', 'id', 'call_id', 'status'].includes(key)) {
			rest[key] = value;
		}
	}
	return JSON.stringify(rest);
}
