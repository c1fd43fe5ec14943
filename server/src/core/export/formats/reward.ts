/**
 * Reward-model rows: `{prompt, completion, reward, tools}`, one per sample. The prompt is the task
 * (leading system text and the user message(s) before the first assistant turn), the completion
 * is everything the session did after it, and the reward is the session's score (0..1). `tools`
 * is there because the completion calls them: a chat template renders their schemas, so the
 * reward model sees the same text the policy was trained on.
 */
import type { ChatSample } from '../chatSample';
import type { ChatFormat } from './format';
import { TRL_MESSAGES, TRL_TOOLS, type TrlMessage, type TrlTool, answerProblems, endsOn, onlyRoles, trlConversation, trlRowProblems, trlTool } from './trlMessage';

export interface RewardRow { prompt: TrlMessage[]; completion: TrlMessage[]; reward: number; tools: TrlTool[] }

// JSON writes 1.0 as 1: a loader inferring types alone may read a chunk of whole rewards as
// integers, so the card declares the column float64.
const FEATURES = { prompt: TRL_MESSAGES, completion: TRL_MESSAGES, reward: 'float64', tools: TRL_TOOLS } as const;

export const reward: ChatFormat<RewardRow> = {
	source: 'chat',
	name: 'reward',
	description: 'Conversational rows `{prompt, completion, reward, tools}`: the task, what the session did, and its reward (0..1), for reward-model regression.',
	taskCategory: 'text-classification',
	features: FEATURES,

	rows(sample: ChatSample, notes) {
		const first = sample.messages.findIndex((m) => m.role === 'assistant');
		if (first < 1 || sample.messages[first - 1].role !== 'user') {
			notes.dropped('no user message before the first assistant turn');
			return [];
		}
		// Train flags say nothing here: the reward scores the whole session.
		const messages = trlConversation(sample.messages, notes);
		return [{ prompt: messages.slice(0, first), completion: messages.slice(first), reward: sample.reward, tools: sample.tools.map(trlTool) }];
	},

	validate: (row) => trlRowProblems(row, Object.keys(FEATURES), ['prompt', 'completion'], ([prompt, completion], problems, columns) => {
		if (prompt) {
			onlyRoles(prompt, ['system', 'user'], 'prompt', problems);
			endsOn(prompt, ['user'], 'prompt', problems);
		}
		if (completion) {
			answerProblems(prompt, completion, 'completion', problems);
		}
		if (typeof columns.reward !== 'number' || !Number.isFinite(columns.reward)) {
			problems.push('reward is not a finite number');
		}
	}),
};
