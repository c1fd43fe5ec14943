/** Each format's row rules, by format name. */
import type { FormatName } from '../../../shared/dataset';
import { alpacaProblems, sharegptProblems } from './llamaFactory';
import { openAiChatProblems, openAiDpoProblems } from './openai';
import { rewardProblems, trlKtoProblems, trlMessagesProblems, trlPreferenceProblems, trlPromptCompletionProblems } from './trl';

export const ROW_RULES: Record<FormatName, (row: unknown) => string[]> = {
	openai_chat: openAiChatProblems,
	openai_dpo: openAiDpoProblems,
	trl_messages: trlMessagesProblems,
	trl_prompt_completion: trlPromptCompletionProblems,
	trl_preference: trlPreferenceProblems,
	trl_kto: trlKtoProblems,
	sharegpt: sharegptProblems,
	alpaca: alpacaProblems,
	reward: rewardProblems,
};

/** The problems of one row by its format's public rules (empty: valid). */
export function validateRow(format: FormatName, row: unknown): string[] {
	return ROW_RULES[format](row);
}
