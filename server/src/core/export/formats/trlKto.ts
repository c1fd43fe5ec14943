/**
 * TRL unpaired preference: `{prompt, completion, label, tools}`, two rows per pair (chosen with
 * label true, rejected with label false), for `KTOTrainer` and BCO. The label is a real boolean:
 * a string would not be read as one.
 */
import type { PreferencePair } from '../preference/pair';
import type { PairFormat } from './format';
import { TRL_MESSAGES, TRL_TOOLS, type TrlMessage, type TrlTool, answerProblems, endsOn, trlPair, trlRowProblems } from './trlMessage';

export interface TrlKtoRow { prompt: TrlMessage[]; completion: TrlMessage[]; label: boolean; tools: TrlTool[] }

const FEATURES = { prompt: TRL_MESSAGES, completion: TRL_MESSAGES, label: 'bool', tools: TRL_TOOLS } as const;

export const trlKto: PairFormat<TrlKtoRow> = {
	source: 'pair',
	name: 'trl_kto',
	description: 'Unpaired preference rows `{prompt, completion, label, tools}` for TRL `KTOTrainer`: each pair gives a desirable (`label: true`) and an undesirable (`label: false`) row.',
	taskCategory: 'text-generation',
	features: FEATURES,

	rows(pair: PreferencePair, notes) {
		// The same answer labelled both ways teaches nothing: trlPair drops it.
		const converted = trlPair(pair, notes);
		if (!converted) {
			return [];
		}
		const { prompt, chosen, rejected, tools } = converted;
		return [
			{ prompt, completion: chosen, label: true, tools },
			{ prompt, completion: rejected, label: false, tools },
		];
	},

	validate: (row) => trlRowProblems(row, Object.keys(FEATURES), ['prompt', 'completion'], ([prompt, completion], problems, columns) => {
		if (prompt) {
			endsOn(prompt, ['user', 'tool'], 'prompt', problems);
		}
		if (completion) {
			answerProblems(prompt, completion, 'completion', problems);
		}
		if (typeof columns.label !== 'boolean') {
			problems.push('label is not a boolean');
		}
	}),
};
