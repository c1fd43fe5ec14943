/**
 * TRL unpaired preference: `{prompt, completion, label, tools}`, two rows per pair (chosen with
 * label true, rejected with label false), for `KTOTrainer` and BCO. The label is a real boolean:
 * a string would not be read as one.
 */
import type { PreferencePair } from '../preference/pair';
import type { PairFormat } from './format';
import {
	TRL_MESSAGES, TRL_TOOLS, type TrlMessage, type TrlTool, answerProblems, endsOn, messageList, rowColumns, sameAnswer, toolList, trlConversation, trlTool, unique,
} from './trlMessage';

export interface TrlKtoRow { prompt: TrlMessage[]; completion: TrlMessage[]; label: boolean; tools: TrlTool[] }

const FEATURES = { prompt: TRL_MESSAGES, completion: TRL_MESSAGES, label: 'bool', tools: TRL_TOOLS } as const;

export const trlKto: PairFormat<TrlKtoRow> = {
	source: 'pair',
	name: 'trl_kto',
	description: 'Unpaired preference rows `{prompt, completion, label, tools}` for TRL `KTOTrainer`: each pair gives a desirable (`label: true`) and an undesirable (`label: false`) row.',
	taskCategory: 'text-generation',
	features: FEATURES,

	rows(pair: PreferencePair, notes) {
		const chosen = trlConversation(pair.chosen, notes);
		const rejected = trlConversation(pair.rejected, notes);
		// The same answer labelled both ways teaches nothing.
		if (sameAnswer(chosen, rejected)) {
			notes.dropped('chosen and rejected are identical');
			return [];
		}
		const prompt = trlConversation(pair.prompt, notes);
		const tools = pair.tools.map(trlTool);
		return [
			{ prompt, completion: chosen, label: true, tools },
			{ prompt, completion: rejected, label: false, tools },
		];
	},

	validate(row) {
		const problems: string[] = [];
		const columns = rowColumns(row, Object.keys(FEATURES), problems);
		if (!columns) {
			return problems;
		}
		const prompt = messageList(columns.prompt, 'prompt', problems);
		const completion = messageList(columns.completion, 'completion', problems);
		if (prompt) {
			endsOn(prompt, ['user', 'tool'], 'prompt', problems);
		}
		if (completion) {
			answerProblems(prompt, completion, 'completion', problems);
		}
		if (typeof columns.label !== 'boolean') {
			problems.push('label is not a boolean');
		}
		toolList(columns.tools, [...prompt ?? [], ...completion ?? []], problems);
		return unique(problems);
	},
};
