/**
 * TRL explicit-prompt conversational preference: `{prompt, chosen, rejected, tools}`, one row per
 * pair, for `DPOTrainer` (also ORPO, CPO and `RewardTrainer`). The prompt ends on a user or tool
 * message; each answer starts with an assistant turn and, for rollouts, goes on with the tool
 * results and turns that followed (DPO scores the whole answer, tool output included).
 */
import type { PreferencePair } from '../preference/pair';
import type { PairFormat } from './format';
import { TRL_MESSAGES, TRL_TOOLS, type TrlPair, answerProblems, endsOn, sameAnswer, trlPair, trlRowProblems } from './trlMessage';

export type TrlPreferenceRow = TrlPair;

const FEATURES = { prompt: TRL_MESSAGES, chosen: TRL_MESSAGES, rejected: TRL_MESSAGES, tools: TRL_TOOLS };

export const trlPreference: PairFormat<TrlPreferenceRow> = {
	source: 'pair',
	name: 'trl_preference',
	description: 'Explicit-prompt conversational preference rows `{prompt, chosen, rejected, tools}` for TRL `DPOTrainer` (also ORPO, CPO, `RewardTrainer`).',
	taskCategory: 'text-generation',
	features: FEATURES,

	rows(pair: PreferencePair, notes) {
		const row = trlPair(pair, notes);
		return row ? [row] : [];
	},

	validate: (row) => trlRowProblems(row, Object.keys(FEATURES), ['prompt', 'chosen', 'rejected'], ([prompt, chosen, rejected], problems) => {
		if (prompt) {
			endsOn(prompt, ['user', 'tool'], 'prompt', problems);
		}
		for (const [column, answer] of [['chosen', chosen], ['rejected', rejected]] as const) {
			if (answer) {
				answerProblems(prompt, answer, column, problems);
			}
		}
		if (chosen && rejected && sameAnswer(chosen, rejected)) {
			problems.push('chosen and rejected are identical');
		}
	}),
};
