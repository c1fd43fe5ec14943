/**
 * OpenAI fine-tuning files: `openai_chat` (method supervised) and `openai_dpo` (method dpo).
 * Shapes from the fine-tune schema (no `developer`, no legacy `function`/`functions`, no extra
 * keys); cross-message rules from the Chat Completions request rules and the cookbook checks.
 */
import { z } from 'zod';
import { callFlowProblems } from './callFlow';
import { TOOL_NAME, at, deepEqual, isObject, parseJson, shapeProblems } from './common';

const ROLES = ['system', 'user', 'assistant', 'tool'];

const toolCall = z.strictObject({
	id: z.string().min(1),
	type: z.literal('function'),
	function: z.strictObject({ name: z.string().regex(TOOL_NAME, 'name must be 1-64 letters, digits, _ or -'), arguments: z.unknown() }),
});

const tool = z.strictObject({
	type: z.literal('function'),
	function: z.strictObject({
		name: z.string().regex(TOOL_NAME, 'name must be 1-64 letters, digits, _ or -'),
		description: z.string().optional(),
		parameters: z.record(z.string(), z.unknown()).optional(),
		strict: z.boolean().optional(),
	}),
});

const plain = (role: string) => z.strictObject({ role: z.literal(role), content: z.string(), name: z.string().optional() });

function assistantShape(weighted: boolean) {
	return z.strictObject({
		role: z.literal('assistant'),
		content: z.string().nullable().optional(),
		name: z.string().optional(),
		tool_calls: z.array(toolCall).min(1).optional(),
		refusal: z.string().nullable().optional(),
		// Checked by hand below for the exact wording; absent from DPO outputs.
		...(weighted ? { weight: z.unknown().optional() } : {}),
	});
}

const messageShapes = (weighted: boolean): Record<string, z.ZodType> => ({
	system: plain('system'),
	user: plain('user'),
	assistant: assistantShape(weighted),
	tool: z.strictObject({ role: z.literal('tool'), content: z.string(), tool_call_id: z.string().min(1) }),
});

interface ChatContext {
	weighted: boolean;
	declared?: Set<string>;
	parallel: boolean;
}

/** Per-message problems (shape, content, arguments, weight); the call flow is checked on the whole list. */
function messageProblems(message: unknown, path: string, context: ChatContext): string[] {
	if (!isObject(message)) {
		return [at(path, 'data_type: a message must be an object')];
	}
	if (message.role === undefined) {
		return [at(path, 'message_missing_key role')];
	}
	if (typeof message.role !== 'string' || !ROLES.includes(message.role)) {
		return [at(path, `unrecognized_role ${String(message.role)}`)];
	}
	const problems = shapeProblems(messageShapes(context.weighted)[message.role], message, path);
	const calls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
	const content = message.content;
	if (message.role !== 'assistant' || calls.length === 0) {
		if (content === undefined || content === null || content === '') {
			problems.push(at(path, 'missing_content'));
		}
	}
	if ('weight' in message) {
		if (message.role !== 'assistant') {
			problems.push(at(path, 'weight is only allowed on assistant messages'));
		} else if (context.weighted && message.weight !== 0 && message.weight !== 1) {
			problems.push(at(path, `weight must be the integer 0 or 1, got ${JSON.stringify(message.weight)}`));
		}
	}
	if (calls.length > 1 && !context.parallel) {
		problems.push(at(path, `${calls.length} tool calls but parallel_tool_calls is false`));
	}
	calls.forEach((call, j) => {
		const fn = isObject(call) && isObject(call.function) ? call.function : undefined;
		if (!fn) {
			return;
		}
		problems.push(...argumentProblems(fn.arguments, `${path}.tool_calls[${j}].function.arguments`));
		if (context.declared && typeof fn.name === 'string' && !context.declared.has(fn.name)) {
			problems.push(at(`${path}.tool_calls[${j}]`, `function "${fn.name}" is not declared in tools`));
		}
	});
	return problems;
}

/** OpenAI arguments: a JSON-encoded string of an object, never the object itself. */
function argumentProblems(args: unknown, path: string): string[] {
	if (typeof args !== 'string') {
		return args === undefined ? [at(path, 'missing')] : [at(path, `must be a JSON-encoded string, got ${Array.isArray(args) ? 'array' : typeof args}`)];
	}
	const parsed = parseJson(args);
	if (!parsed) {
		return [at(path, 'is not valid JSON')];
	}
	return isObject(parsed.value) ? [] : [at(path, 'must encode a JSON object')];
}

function declaredTools(tools: unknown): Set<string> | undefined {
	if (!Array.isArray(tools)) {
		return undefined;
	}
	return new Set(tools.flatMap((t) => isObject(t) && isObject(t.function) && typeof t.function.name === 'string' ? [t.function.name] : []));
}

/** The messages (+ tools) object shared by a chat line and a DPO input. */
function conversationProblems(holder: Record<string, unknown>, base: string, weighted: boolean): string[] {
	const messages = holder.messages;
	const path = base ? `${base}.messages` : 'messages';
	if (!Array.isArray(messages)) {
		return [messages === undefined ? at(base, 'missing_messages_list') : at(path, 'missing_messages_list (not a list)')];
	}
	if (messages.length === 0) {
		return [at(path, 'missing_messages_list (empty)')];
	}
	const context: ChatContext = { weighted, declared: declaredTools(holder.tools), parallel: holder.parallel_tool_calls !== false };
	return [
		...messages.flatMap((m, i) => messageProblems(m, `${path}[${i}]`, context)),
		...callFlowProblems(messages, { pathOf: (i) => `${path}[${i}]`, allowTrailingCalls: weighted }),
	];
}

const chatTop = z.strictObject({
	messages: z.array(z.unknown()),
	tools: z.array(tool).optional(),
	parallel_tool_calls: z.boolean().optional(),
});

export function openAiChatProblems(row: unknown): string[] {
	if (!isObject(row)) {
		return ['data_type: a line must be a JSON object'];
	}
	const problems = [...shapeProblems(chatTop, row).filter((p) => !p.startsWith('messages')), ...conversationProblems(row, '', true)];
	const assistants = Array.isArray(row.messages) ? row.messages.filter((m) => isObject(m) && m.role === 'assistant') as Record<string, unknown>[] : [];
	if (assistants.length === 0) {
		problems.push('example_missing_assistant_message');
	} else if (assistants.every((m) => m.weight === 0)) {
		problems.push('every assistant message has weight 0 (nothing to train)');
	}
	return problems;
}

const OLD_NAMES: Record<string, string> = { preferred_completion: 'preferred_output', non_preferred_completion: 'non_preferred_output' };

const dpoTop = z.strictObject({
	input: z.strictObject({ messages: z.array(z.unknown()), tools: z.array(tool).optional(), parallel_tool_calls: z.boolean().optional() }),
	preferred_output: z.array(z.unknown()),
	non_preferred_output: z.array(z.unknown()),
});

export function openAiDpoProblems(row: unknown): string[] {
	if (!isObject(row)) {
		return ['data_type: a line must be a JSON object'];
	}
	const problems = shapeProblems(dpoTop, row)
		.filter((p) => !p.startsWith('input.messages'))
		.map((p) => {
			const old = /^unrecognized top-level key "(\w+)"$/.exec(p)?.[1];
			return old && OLD_NAMES[old] ? `old field name "${old}" (use "${OLD_NAMES[old]}")` : p;
		});
	const input = isObject(row.input) ? row.input : undefined;
	if (input) {
		problems.push(...conversationProblems(input, 'input', false));
		const messages = Array.isArray(input.messages) ? input.messages : [];
		const last = messages.at(-1);
		if (isObject(last) && last.role !== 'user' && last.role !== 'tool') {
			problems.push(`input.messages: must end with a user or tool message, ends with ${String(last.role)}`);
		}
	}
	const context: ChatContext = { weighted: false, declared: declaredTools(input?.tools), parallel: input?.parallel_tool_calls !== false };
	for (const side of ['preferred_output', 'non_preferred_output']) {
		const output = row[side];
		if (!Array.isArray(output)) {
			continue;
		}
		if (output.length !== 1) {
			problems.push(`${side}: must hold exactly one assistant message, has ${output.length}`);
		}
		output.forEach((message, i) => {
			if (isObject(message) && message.role !== 'assistant') {
				problems.push(`${side}[${i}]: must be an assistant message, got ${String(message.role)}`);
			} else {
				problems.push(...messageProblems(message, `${side}[${i}]`, context));
			}
		});
	}
	if (row.preferred_output !== undefined && deepEqual(row.preferred_output, row.non_preferred_output)) {
		problems.push('preferred_output and non_preferred_output are identical');
	}
	return problems;
}
