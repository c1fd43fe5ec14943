/** Every dataset format by name. */
import type { FormatName } from '../../../../../shared/dataset';
import { alpaca } from './alpaca';
import type { DatasetFormat } from './format';
import { openaiChat } from './openaiChat';
import { openaiDpo } from './openaiDpo';
import { reward } from './reward';
import { sharegpt } from './sharegpt';
import { trlKto } from './trlKto';
import { trlMessages } from './trlMessages';
import { trlPreference } from './trlPreference';
import { trlPromptCompletion } from './trlPromptCompletion';

export const FORMATS: Record<FormatName, DatasetFormat> = {
	openai_chat: openaiChat,
	openai_dpo: openaiDpo,
	trl_messages: trlMessages,
	trl_prompt_completion: trlPromptCompletion,
	trl_preference: trlPreference,
	trl_kto: trlKto,
	sharegpt,
	alpaca,
	reward,
};
