/**
 * The chat messages a GenAI span carries, in every shape seen in the wild, normalised to the
 * semantic conventions' `{role, parts[]}` form:
 * - `gen_ai.input.messages` / `gen_ai.output.messages` (JSON string or structured), parts
 *   `text{content}`, `tool_call{id, name, arguments}`, `tool_call_response{id, response|result}`,
 *   `reasoning{content}`, `blob` / `file` / `uri` (media), as in the conventions' input and output
 *   message JSON schemas; also on the `gen_ai.client.inference.operation.details` event;
 * - OpenAI-shaped messages (`{role, content, tool_calls, tool_call_id}`), which older conventions
 *   recommended for the `gen_ai.prompt` / `gen_ai.completion` attributes of the
 *   `gen_ai.content.prompt` / `gen_ai.content.completion` span events;
 * - the flattened `gen_ai.prompt.<i>.role|content|tool_call_id` and
 *   `gen_ai.completion.<i>.role|content|tool_calls.<j>.id|name|arguments` attributes (OpenLLMetry).
 */
import { asArray, asObject, asString, parseJson, type JsonObject } from '../json';

export type Part =
	| { type: 'text'; content: string }
	| { type: 'reasoning'; content: string }
	| { type: 'tool_call'; id?: string; name: string; arguments: unknown }
	| { type: 'tool_call_response'; id?: string; response: unknown }
	| { type: 'media' };

export interface ChatTurn {
	role: string;
	parts: Part[];
	/** On a tool message: the tool's name, where given. */
	name?: string;
}

/** A JSON-encoded array (or the structured value) of messages; undefined when it is neither. */
export function messagesOf(value: unknown): ChatTurn[] | undefined {
	const parsed = typeof value === 'string' ? parseJson(value) : value;
	if (!Array.isArray(parsed)) {
		return undefined;
	}
	return parsed.flatMap((item) => {
		const turn = turnOf(asObject(item));
		return turn === undefined ? [] : [turn];
	});
}

/** `gen_ai.system_instructions`: a JSON array of parts, or plain text. */
export function instructionsOf(value: unknown): string | undefined {
	const parsed = typeof value === 'string' ? parseJson(value) ?? value : value;
	if (typeof parsed === 'string') {
		return parsed.trim().length > 0 ? parsed : undefined;
	}
	const text = partsOf(parsed).flatMap((part) => (part.type === 'text' ? [part.content] : [])).join('\n\n');
	return text.length > 0 ? text : undefined;
}

/** The flattened `<prefix>.<i>.…` attributes as OpenAI-shaped messages, in index order. */
export function flattenedMessages(attributes: ReadonlyMap<string, unknown>, prefix: string): ChatTurn[] | undefined {
	const messages = new Map<number, JsonObject>();
	const pattern = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d+)\\.(.+)$`);
	for (const [key, value] of attributes) {
		const match = pattern.exec(key);
		if (match === null) continue;
		const index = Number(match[1]);
		const message = messages.get(index) ?? {};
		messages.set(index, message);
		const field = match[2];
		const call = /^tool_calls\.(\d+)\.(id|name|arguments)$/.exec(field);
		if (call !== null) {
			const calls = (message.tool_calls ??= []) as JsonObject[];
			const j = Number(call[1]);
			calls[j] = { ...calls[j], [call[2]]: value };
		} else {
			message[field] = value;
		}
	}
	if (messages.size === 0) {
		return undefined;
	}
	return [...messages.entries()].sort(([a], [b]) => a - b).flatMap(([, message]) => {
		message.tool_calls = asArray(message.tool_calls).filter((call) => call !== undefined);
		const turn = turnOf(message);
		return turn === undefined ? [] : [turn];
	});
}

function turnOf(message: JsonObject | undefined): ChatTurn | undefined {
	const role = asString(message?.role);
	if (message === undefined || role === undefined) {
		return undefined;
	}
	const name = asString(message.name);
	if (Array.isArray(message.parts)) {
		return { role, parts: partsOf(message.parts), ...(name === undefined ? {} : { name }) };
	}
	// OpenAI shape
	const parts: Part[] = [];
	const content = message.content;
	if (role === 'tool' || typeof message.tool_call_id === 'string') {
		parts.push({ type: 'tool_call_response', id: asString(message.tool_call_id), response: content });
		return { role, parts, ...(name === undefined ? {} : { name }) };
	}
	if (typeof content === 'string') {
		parts.push({ type: 'text', content });
	} else {
		parts.push(...partsOf(content));
	}
	for (const raw of asArray(message.tool_calls)) {
		const call = asObject(raw);
		const fn = asObject(call?.function) ?? call;
		const callName = asString(fn?.name);
		if (callName !== undefined) {
			parts.push({ type: 'tool_call', id: asString(call?.id), name: callName, arguments: fn?.arguments });
		}
	}
	return { role, parts, ...(name === undefined ? {} : { name }) };
}

function partsOf(raw: unknown): Part[] {
	return asArray(raw).flatMap((item): Part[] => {
		const part = asObject(item);
		const type = asString(part?.type);
		if (part === undefined) {
			return typeof item === 'string' ? [{ type: 'text', content: item }] : [];
		}
		switch (type) {
			case 'text':
				return [{ type: 'text', content: asString(part.content) ?? asString(part.text) ?? '' }];
			case 'reasoning':
			case 'thinking':
				return [{ type: 'reasoning', content: asString(part.content) ?? asString(part.text) ?? asString(part.thinking) ?? '' }];
			case 'tool_call': {
				const name = asString(part.name);
				return name === undefined ? [] : [{ type: 'tool_call', id: asString(part.id), name, arguments: part.arguments }];
			}
			case 'tool_call_response':
				return [{ type: 'tool_call_response', id: asString(part.id), response: part.response ?? part.result }];
			case 'blob':
			case 'file':
			case 'uri':
			case 'image':
			case 'image_url':
				return [{ type: 'media' }];
			default:
				return [];
		}
	});
}
