/**
 * OpenAI preference fine-tuning JSONL (method `dpo`): the shared context as `input` and one
 * assistant message on each side. Only the `_output` field names are written (the old
 * `*_completion` spelling is rejected). Rollout pairs hold whole trajectories, which this format
 * cannot carry, so they are dropped here and left to the TRL preference format.
 */
import { asObject, parseJson } from '../../capture/json';
import { sortKeys } from '../../gates/dedup/normalise';
import type { AssistantMessage, ChatMessage } from '../chatSample';
import type { PreferencePair } from '../preference/pair';
import type { Feature, PairFormat } from './format';
import {
	OPENAI_TOOLS_FEATURE, isObject, messageProblems, onlyKeys, openAiMessage, openAiMessageFeature, openAiTools, toolProblems, unrecognizedKeys, type OpenAiMessage, type OpenAiTool,
} from './openaiChat';

export interface OpenAiDpoRow {
	input: { messages: OpenAiMessage[]; tools: OpenAiTool[]; parallel_tool_calls: boolean };
	preferred_output: OpenAiMessage[];
	non_preferred_output: OpenAiMessage[];
}

const OUTPUT_FEATURE: Feature = { list: openAiMessageFeature(false) };
const OUTPUT_KEYS = ['preferred_output', 'non_preferred_output'] as const;

export const openaiDpo: PairFormat<OpenAiDpoRow> = {
	name: 'openai_dpo',
	source: 'pair',
	description: 'OpenAI preference fine-tuning JSONL (`input`, `preferred_output`, `non_preferred_output`), one assistant message per side.',
	taskCategory: 'text-generation',
	features: {
		input: { struct: { messages: { list: openAiMessageFeature(false) }, tools: OPENAI_TOOLS_FEATURE, parallel_tool_calls: 'bool' } },
		preferred_output: OUTPUT_FEATURE,
		non_preferred_output: OUTPUT_FEATURE,
	},
	validate: validateOpenAiDpoLine,
	rows(pair: PreferencePair, notes) {
		const chosen = single(pair.chosen);
		const rejected = single(pair.rejected);
		if (!chosen || !rejected) {
			notes.dropped('openai dpo outputs hold exactly one assistant message');
			return [];
		}
		const last = pair.prompt.at(-1)?.role;
		if (last !== 'user' && last !== 'tool') {
			notes.dropped('dpo input does not end on a user or tool message');
			return [];
		}
		if (!pair.prompt.some((m) => m.role === 'user')) {
			notes.dropped('dpo input has no user message');
			return [];
		}
		if (outputKey(chosen) === outputKey(rejected)) {
			notes.dropped('chosen and rejected are identical');
			return [];
		}
		return [{
			input: { messages: pair.prompt.map((m) => openAiMessage(m, false)), tools: openAiTools(pair.tools), parallel_tool_calls: true },
			preferred_output: [openAiMessage(chosen, false)],
			non_preferred_output: [openAiMessage(rejected, false)],
		}];
	},
};

function single(side: readonly ChatMessage[]): AssistantMessage | undefined {
	return side.length === 1 && side[0].role === 'assistant' ? side[0] : undefined;
}

function outputKey(m: AssistantMessage): string {
	return answerKey(m.content, m.toolCalls.map((c) => [c.name, c.args]));
}

/** Content and calls (names and parsed arguments, keys sorted), without call ids: two answers that differ only in ids are the same answer. */
function answerKey(content: unknown, calls: Array<[unknown, unknown]>): string {
	return JSON.stringify(sortKeys([content, calls]));
}

export function validateOpenAiDpoLine(line: unknown): string[] {
	if (!isObject(line)) {
		return ['data_type: line is not a JSON object'];
	}
	const problems = unrecognizedKeys(line, ['input', ...OUTPUT_KEYS]);
	const input = asObject(line.input);
	if (!input) {
		problems.add('input must be an object');
		return [...problems];
	}
	if (!onlyKeys(input, ['messages', 'tools', 'parallel_tool_calls'])) {
		problems.add('input holds only messages, tools and parallel_tool_calls');
	}
	const declared = toolProblems(input, problems);
	const messages = input.messages;
	if (!Array.isArray(messages) || messages.length === 0) {
		problems.add('missing_messages_list');
		return [...problems];
	}
	const last = asObject(messages.at(-1))?.role;
	if (last !== 'user' && last !== 'tool') {
		problems.add('input must end on a user or tool message');
	}
	const outputs: Record<string, unknown>[] = [];
	for (const key of OUTPUT_KEYS) {
		const output = line[key];
		if (!Array.isArray(output) || output.length !== 1) {
			problems.add(`${key} must hold exactly one message`);
			continue;
		}
		const message = asObject(output[0]);
		if (message?.role !== 'assistant') {
			problems.add(`${key} must be an assistant message`);
			continue;
		}
		outputs.push(message);
		// Each answer must follow the input as the chat rules say (calls answered, tools declared…).
		messageProblems([...messages, message], { declared, parallel: input.parallel_tool_calls !== false, weights: false }, problems);
	}
	if (outputs.length === 2 && answerKey(outputs[0].content, callsOf(outputs[0])) === answerKey(outputs[1].content, callsOf(outputs[1]))) {
		problems.add('preferred and non-preferred outputs are identical');
	}
	return [...problems];
}

function callsOf(message: Record<string, unknown>): Array<[unknown, unknown]> {
	const calls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
	return calls.map((c) => {
		const fn = asObject(asObject(c)?.function);
		return [fn?.name, typeof fn?.arguments === 'string' ? parseJson(fn.arguments) : fn?.arguments];
	});
}
