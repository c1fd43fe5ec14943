/**
 * Hugging Face TRL dataset types: conversational language modeling (`trl_messages`),
 * prompt-completion, explicit preference, unpaired preference (KTO) and a scored
 * prompt/completion (`reward`). Tool-call arguments and tool schemas are JSON objects here
 * (templates run `| tojson` on them); OpenAI's `weight` means nothing to TRL.
 */
import { z } from 'zod';
import { callFlowProblems } from './callFlow';
import { at, deepEqual, isObject, kindOf, shapeProblems } from './common';

const call = z.strictObject({
	type: z.literal('function').optional(),
	id: z.string().min(1).optional(),
	function: z.strictObject({ name: z.string().min(1), arguments: z.unknown() }),
});

const message = z.strictObject({
	role: z.enum(['system', 'user', 'assistant', 'tool']),
	content: z.string(),
	name: z.string().optional(),
	// An empty list is no calls: writers keep one struct shape per message for Arrow, and templates test it for truth.
	tool_calls: z.array(call).optional(),
	tool_call_id: z.string().optional(),
});

const tool = z.strictObject({
	type: z.literal('function'),
	function: z.strictObject({
		name: z.string().min(1),
		description: z.string().optional(),
		parameters: z.record(z.string(), z.unknown()).optional(),
	}),
});

function messageProblems(m: unknown, path: string, declared: Set<string> | undefined): string[] {
	if (!isObject(m)) {
		return [at(path, 'a message must be an object')];
	}
	const problems = shapeProblems(message, m, path).filter((p) => p !== `${path}: unrecognized key "weight"`);
	if ('weight' in m) {
		problems.push(at(path, 'weight means nothing to TRL (split the example or use prompt-completion)'));
	}
	const calls = Array.isArray(m.tool_calls) ? m.tool_calls : [];
	if (calls.length > 0 && m.role !== 'assistant') {
		problems.push(at(path, 'only assistant messages carry tool_calls'));
	}
	if (m.content === '' && calls.length === 0) {
		problems.push(at(path, 'empty content'));
	}
	calls.forEach((c, j) => {
		const fn = isObject(c) && isObject(c.function) ? c.function : undefined;
		if (!fn) {
			return;
		}
		const args = fn.arguments;
		if (!isObject(args)) {
			const got = typeof args === 'string' ? 'a JSON string (templates want the object)' : kindOf(args);
			problems.push(at(`${path}.tool_calls[${j}].function.arguments`, `must be a JSON object, got ${got}`));
		}
		if (declared && typeof fn.name === 'string' && !declared.has(fn.name)) {
			problems.push(at(`${path}.tool_calls[${j}]`, `function "${fn.name}" is not declared in tools`));
		}
	});
	return problems;
}

function toolsProblems(row: Record<string, unknown>): { problems: string[]; declared?: Set<string> } {
	if (!('tools' in row)) {
		return { problems: [] };
	}
	if (typeof row.tools === 'string') {
		return { problems: ['tools: must be a list of tool schemas (JSON objects), got a JSON string'] };
	}
	const problems = shapeProblems(z.array(tool), row.tools, 'tools');
	const declared = new Set(Array.isArray(row.tools)
		? row.tools.flatMap((t) => isObject(t) && isObject(t.function) && typeof t.function.name === 'string' ? [t.function.name] : [])
		: []);
	return { problems, declared };
}

interface Part { key: string; value: unknown[] }

/** Messages of one or more parts read as one conversation (a prompt and its completion). */
function conversationProblems(parts: Part[], declared: Set<string> | undefined, allowTrailingCalls: boolean): string[] {
	// A system message after the first is left to the chat template (the format documents call it a warning).
	const all = parts.flatMap((part) => part.value.map((m, i) => ({ m, path: `${part.key}[${i}]` })));
	const problems = all.flatMap(({ m, path }) => messageProblems(m, path, declared));
	return [...problems, ...callFlowProblems(all.map((x) => x.m), { pathOf: (i) => all[i].path, allowTrailingCalls })];
}

function lastRole(list: unknown[]): string | undefined {
	const last = list.at(-1);
	return isObject(last) && typeof last.role === 'string' ? last.role : undefined;
}

/**
 * A prompt (ends on a user or tool turn) and a completion that starts on an assistant turn. A
 * trained completion (SFT, DPO, KTO: every completion token is a target by default) holds only
 * assistant turns and the tool results between them and ends on the assistant; a scored one
 * (reward) may be the whole rest of the session.
 */
function promptCompletionProblems(row: Record<string, unknown>, completionKeys: string[], declared: Set<string> | undefined, trained = true): string[] {
	const prompt = row.prompt;
	const problems: string[] = [];
	const conversational = Array.isArray(prompt);
	for (const key of completionKeys) {
		const completion = row[key];
		if (completion === undefined || prompt === undefined) {
			continue;
		}
		if (Array.isArray(completion) !== conversational) {
			problems.push(`prompt and ${key} must both be message lists or both be strings`);
		} else if (!conversational) {
			for (const [k, v] of [['prompt', prompt], [key, completion]] as const) {
				if (typeof v !== 'string') {
					problems.push(at(k, `expected string or message list, got ${kindOf(v)}`));
				} else if (v.trim() === '') {
					problems.push(at(k, 'empty text'));
				}
			}
		} else {
			const list = completion as unknown[];
			if (list.length === 0) {
				problems.push(at(key, 'must not be empty'));
			}
			list.forEach((m, i) => {
				if (trained && isObject(m) && m.role !== 'assistant' && m.role !== 'tool') {
					problems.push(at(`${key}[${i}]`, `only assistant and tool messages belong in a completion, got ${String(m.role)}`));
				}
			});
			if (list.length > 0 && lastRole(list.slice(0, 1)) !== 'assistant') {
				problems.push(at(`${key}[0]`, 'must be an assistant message'));
			}
			if (trained && list.length > 0 && lastRole(list) !== 'assistant') {
				problems.push(at(key, `must end with an assistant message, ends with ${lastRole(list) ?? 'nothing'}`));
			}
			problems.push(...conversationProblems([{ key: 'prompt', value: prompt as unknown[] }, { key, value: list }], declared, true));
		}
	}
	if (conversational) {
		if (prompt.length === 0) {
			problems.push('prompt: must not be empty');
		} else if (lastRole(prompt) !== 'user' && lastRole(prompt) !== 'tool') {
			problems.push(`prompt: must end with a user or tool message, ends with ${lastRole(prompt) ?? 'nothing'}`);
		}
	}
	// Each completion key rechecks the prompt; keep one copy of each problem.
	return [...new Set(problems)];
}

const columns = {
	messages: z.strictObject({ messages: z.array(z.unknown()), tools: z.unknown().optional() }),
	promptCompletion: z.strictObject({ prompt: z.unknown(), completion: z.unknown(), tools: z.unknown().optional() }),
	preference: z.strictObject({ prompt: z.unknown(), chosen: z.unknown(), rejected: z.unknown(), tools: z.unknown().optional() }),
	kto: z.strictObject({ prompt: z.unknown(), completion: z.unknown(), label: z.boolean(), tools: z.unknown().optional() }),
	reward: z.strictObject({ prompt: z.unknown(), completion: z.unknown(), reward: z.unknown(), tools: z.unknown().optional() }),
};

function rowCheck(shape: z.ZodType, body: (row: Record<string, unknown>, declared: Set<string> | undefined) => string[]) {
	return (row: unknown): string[] => {
		if (!isObject(row)) {
			return ['a line must be a JSON object'];
		}
		const tools = toolsProblems(row);
		return [...shapeProblems(shape, row), ...tools.problems, ...body(row, tools.declared)];
	};
}

export const trlMessagesProblems = rowCheck(columns.messages, (row, declared) => {
	const messages = row.messages;
	if (!Array.isArray(messages)) {
		return [];
	}
	if (messages.length === 0) {
		return ['messages: must not be empty'];
	}
	const problems = conversationProblems([{ key: 'messages', value: messages }], declared, true);
	if (!messages.some((m) => isObject(m) && m.role === 'assistant')) {
		problems.push('messages: no assistant message (assistant_only_loss would have nothing to train)');
	}
	return problems;
});

export const trlPromptCompletionProblems = rowCheck(columns.promptCompletion, (row, declared) => promptCompletionProblems(row, ['completion'], declared));

export const trlPreferenceProblems = rowCheck(columns.preference, (row, declared) => {
	const problems = promptCompletionProblems(row, ['chosen', 'rejected'], declared);
	if (row.chosen !== undefined && deepEqual(row.chosen, row.rejected)) {
		problems.push('chosen and rejected are identical');
	}
	return problems;
});

export const trlKtoProblems = rowCheck(columns.kto, (row, declared) => promptCompletionProblems(row, ['completion'], declared));

export const rewardProblems = rowCheck(columns.reward, (row, declared) => {
	const problems = promptCompletionProblems(row, ['completion'], declared, false);
	const reward = row.reward;
	if (reward !== undefined && (typeof reward !== 'number' || !Number.isFinite(reward) || reward < 0 || reward > 1)) {
		problems.push(`reward: must be a number in [0, 1], got ${JSON.stringify(reward)}`);
	}
	return problems;
});
