/**
 * TRL conversational language modeling: `{messages, tools}`, one row per sample, for
 * `SFTTrainer` (with `assistant_only_loss=True` every assistant turn is trained).
 */
import type { ChatSample } from '../chatSample';
import type { ChatFormat } from './format';
import { TRL_MESSAGES, TRL_TOOLS, type TrlMessage, type TrlTool, conversationProblems, trlConversation, trlRowProblems, trlTool } from './trlMessage';

export interface TrlMessagesRow { messages: TrlMessage[]; tools: TrlTool[] }

const FEATURES = { messages: TRL_MESSAGES, tools: TRL_TOOLS };

export const trlMessages: ChatFormat<TrlMessagesRow> = {
	source: 'chat',
	name: 'trl_messages',
	description: 'Conversational language-modeling rows `{messages, tools}` for TRL `SFTTrainer` (`assistant_only_loss=True` trains every assistant turn).',
	taskCategory: 'text-generation',
	features: FEATURES,

	rows(sample: ChatSample, notes) {
		const assistants = sample.messages.filter((m) => m.role === 'assistant');
		if (!assistants.some((m) => m.train)) {
			notes.dropped('no trained assistant turn');
			return [];
		}
		// TRL has no per-turn weight: a row either trains every assistant turn or none.
		const untrained = assistants.filter((m) => !m.train).length;
		if (untrained > 0) {
			notes.fixed('assistant turns marked untrained are trained too (no per-turn weight in TRL)', untrained);
		}
		return [{ messages: trlConversation(sample.messages, notes), tools: sample.tools.map(trlTool) }];
	},

	validate: (row) => trlRowProblems(row, Object.keys(FEATURES), ['messages'], ([messages], problems) => {
		if (messages) {
			conversationProblems(messages, problems);
			if (!messages.some((m) => m.role === 'assistant')) {
				problems.push('messages: no assistant message');
			}
		}
	}),
};
