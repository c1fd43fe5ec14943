/**
 * LLaMA-Factory's ShareGPT and Alpaca rows. LLaMA-Factory logs and skips a broken row (the dataset
 * silently shrinks), so every rule it applies at load time is a hard problem here.
 */
import { z } from 'zod';
import { at, deepEqual, isObject, kindOf, parseJson, shapeProblems } from './common';

const turn = z.strictObject({ from: z.enum(['human', 'gpt', 'observation', 'function_call', 'system']), value: z.string() });

const sharegptRow = z.strictObject({
	conversations: z.array(z.unknown()).min(1),
	system: z.string().optional(),
	tools: z.unknown().optional(),
	chosen: z.unknown().optional(),
	rejected: z.unknown().optional(),
	kto_tag: z.unknown().optional(),
});

const USER_SIDE = ['human', 'observation'];
const MODEL_SIDE = ['gpt', 'function_call'];

/** The `{name, arguments}` calls of a function_call value (a JSON object, or a list for parallel calls). */
function callProblems(value: string, path: string, declared: Set<string> | undefined): string[] {
	const parsed = parseJson(value);
	if (!parsed) {
		return [at(path, 'function_call value is not valid JSON')];
	}
	const calls = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
	if (calls.length === 0) {
		return [at(path, 'function_call value is an empty list')];
	}
	return calls.flatMap((c, i) => {
		const where = Array.isArray(parsed.value) ? `${path} call ${i}` : path;
		if (!isObject(c) || typeof c.name !== 'string' || c.name === '') {
			return [at(where, 'function_call needs {"name": …, "arguments": {…}}')];
		}
		const problems: string[] = [];
		if (!isObject(c.arguments)) {
			problems.push(at(where, `function_call arguments must be a JSON object, got ${typeof c.arguments === 'string' ? 'a string' : kindOf(c.arguments)}`));
		}
		if (declared && !declared.has(c.name)) {
			problems.push(at(where, `function "${c.name}" is not declared in tools`));
		}
		return problems;
	});
}

/** `tools`: a JSON string (or empty) of `{name, description, parameters}` specs, bare or OpenAI-wrapped; the default formatter reads `parameters.properties`. */
function sharegptTools(tools: unknown): { problems: string[]; declared?: Set<string> } {
	if (tools === undefined || tools === '') {
		return { problems: [] };
	}
	if (typeof tools !== 'string') {
		return { problems: [`tools: must be a JSON string, got ${kindOf(tools)}`] };
	}
	const parsed = parseJson(tools);
	if (!parsed || !Array.isArray(parsed.value)) {
		return { problems: ['tools: must be a JSON string of a list of tool specs'] };
	}
	const problems: string[] = [];
	const declared = new Set<string>();
	parsed.value.forEach((raw, i) => {
		const spec = isObject(raw) && raw.type === 'function' && isObject(raw.function) ? raw.function : raw;
		if (!isObject(spec) || typeof spec.name !== 'string' || spec.name === '') {
			problems.push(`tools[${i}]: needs a name`);
			return;
		}
		declared.add(spec.name);
		if (!isObject(spec.parameters) || !isObject(spec.parameters.properties)) {
			problems.push(`tools[${i}]: parameters.properties is missing (use {} for a tool without arguments)`);
		}
	});
	return { problems, declared };
}

export function sharegptProblems(row: unknown): string[] {
	if (!isObject(row)) {
		return ['a line must be a JSON object'];
	}
	const problems = shapeProblems(sharegptRow, row);
	const tools = sharegptTools(row.tools);
	problems.push(...tools.problems);
	const declared = tools.declared && tools.declared.size > 0 ? tools.declared : undefined;
	const conversations = Array.isArray(row.conversations) ? row.conversations : [];
	// A leading system turn is lifted into the system prompt; alternation counts from the turn after it.
	const start = isObject(conversations[0]) && conversations[0].from === 'system' ? 1 : 0;
	conversations.forEach((t, k) => {
		const path = `conversations[${k}]`;
		problems.push(...shapeProblems(turn, t, path));
		if (!isObject(t) || typeof t.from !== 'string' || typeof t.value !== 'string') {
			return;
		}
		if (t.value.trim() === '') {
			problems.push(at(path, 'empty value'));
		}
		if (t.from === 'system') {
			if (k !== 0) {
				problems.push(at(path, 'a system turn is only allowed first'));
			}
			return;
		}
		const even = (k - start) % 2 === 0;
		const allowed = even ? USER_SIDE : MODEL_SIDE;
		if (!allowed.includes(t.from)) {
			problems.push(at(path, `expected ${allowed.join(' or ')} at this position (turns alternate), got ${t.from}`));
		}
		const previous = conversations[k - 1];
		const after = isObject(previous) ? previous.from : undefined;
		if (t.from === 'observation' && after !== 'function_call') {
			problems.push(at(path, 'an observation must follow a function_call turn'));
		}
		if (after === 'function_call' && t.from !== 'observation') {
			problems.push(at(path, `a function_call turn must be answered by an observation, got ${t.from}`));
		}
		if (t.from === 'function_call' && t.value.trim() !== '') {
			problems.push(...callProblems(t.value, path, declared));
		}
	});
	const turns = conversations.length - start;
	const preference = 'chosen' in row || 'rejected' in row;
	if (preference) {
		if (turns % 2 === 0) {
			problems.push(`conversations: a preference row needs an odd number of turns ending on human or observation, has ${turns}`);
		}
		for (const side of ['chosen', 'rejected']) {
			const answer = row[side];
			const shape = shapeProblems(z.strictObject({ from: z.enum(MODEL_SIDE), value: z.string().min(1) }), answer, side);
			problems.push(...shape);
			if (shape.length === 0 && isObject(answer) && answer.from === 'function_call') {
				problems.push(...callProblems(answer.value as string, side, declared));
			}
		}
		if (deepEqual(row.chosen, row.rejected)) {
			problems.push('chosen and rejected are identical');
		}
	} else if (turns % 2 !== 0) {
		problems.push(`conversations: odd number of turns (${turns}); SFT needs human/gpt pairs`);
	}
	if ('kto_tag' in row && typeof row.kto_tag !== 'boolean') {
		problems.push(`kto_tag: must be a boolean, got ${kindOf(row.kto_tag)}`);
	}
	return problems;
}

const alpacaRow = z.strictObject({
	instruction: z.string(),
	input: z.string().optional(),
	output: z.string().optional(),
	system: z.string().optional(),
	history: z.array(z.unknown()).optional(),
	chosen: z.string().optional(),
	rejected: z.string().optional(),
	kto_tag: z.unknown().optional(),
});

export function alpacaProblems(row: unknown): string[] {
	if (!isObject(row)) {
		return ['a line must be a JSON object'];
	}
	const problems = shapeProblems(alpacaRow, row);
	if (typeof row.instruction === 'string' && row.instruction.trim() === '') {
		problems.push('instruction: empty text');
	}
	const preference = 'chosen' in row || 'rejected' in row;
	if (preference) {
		for (const side of ['chosen', 'rejected']) {
			if (row[side] === undefined || row[side] === '') {
				problems.push(at(side, 'missing'));
			}
		}
		if (row.chosen === row.rejected) {
			problems.push('chosen and rejected are identical');
		}
	} else if (row.output === undefined) {
		problems.push('output: missing');
	} else if (row.output === '') {
		problems.push('output: empty text');
	}
	if (Array.isArray(row.history)) {
		row.history.forEach((pair, i) => {
			if (!Array.isArray(pair) || pair.length !== 2 || pair.some((s) => typeof s !== 'string' || s.trim() === '')) {
				problems.push(`history[${i}]: must be a [user, assistant] pair of non-empty strings`);
			}
		});
	}
	if ('kto_tag' in row && typeof row.kto_tag !== 'boolean') {
		problems.push(`kto_tag: must be a boolean, got ${kindOf(row.kto_tag)}`);
	}
	return problems;
}
