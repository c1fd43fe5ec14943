/**
 * TRL explicit-prompt conversational preference: `{prompt, chosen, rejected, tools}`, one row per
 * pair, for `DPOTrainer` (also ORPO, CPO and `RewardTrainer`). The prompt ends on a user or tool
 * message; each answer starts with an assistant turn and, for rollouts, goes on with the tool
 * results and turns that followed (DPO scores the whole answer, tool output included).
 */
import type { PreferencePair } from '../preference/pair';
import type { PairFormat } from './format';
import {
	TRL_MESSAGES, TRL_TOOLS, type TrlMessage, type TrlTool, answerProblems, endsOn, messageList, rowColumns, sameAnswer, toolList, trlConversation, trlTool, unique,
} from './trlMessage';

export interface TrlPreferenceRow { prompt: TrlMessage[]; chosen: TrlMessage[]; rejected: TrlMessage[]; tools: TrlTool[] }

const FEATURES = { prompt: TRL_MESSAGES, chosen: TRL_MESSAGES, rejected: TRL_MESSAGES, tools: TRL_TOOLS };

export const trlPreference: PairFormat<TrlPreferenceRow> = {
	source: 'pair',
	name: 'trl_preference',
	description: 'Explicit-prompt conversational preference rows `{prompt, chosen, rejected, tools}` for TRL `DPOTrainer` (also ORPO, CPO, `RewardTrainer`).',
	taskCategory: 'text-generation',
	features: FEATURES,

	rows(pair: PreferencePair, notes) {
		const chosen = trlConversation(pair.chosen, notes);
		const rejected = trlConversation(pair.rejected, notes);
		if (sameAnswer(chosen, rejected)) {
			notes.dropped('chosen and rejected are identical');
			return [];
		}
		return [{ prompt: trlConversation(pair.prompt, notes), chosen, rejected, tools: pair.tools.map(trlTool) }];
	},

	validate(row) {
		const problems: string[] = [];
		const columns = rowColumns(row, Object.keys(FEATURES), problems);
		if (!columns) {
			return problems;
		}
		const prompt = messageList(columns.prompt, 'prompt', problems);
		const chosen = messageList(columns.chosen, 'chosen', problems);
		const rejected = messageList(columns.rejected, 'rejected', problems);
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
		toolList(columns.tools, [...prompt ?? [], ...chosen ?? [], ...rejected ?? []], problems);
		return unique(problems);
	},
};
