/**
 * TRL conversational prompt-completion: `{prompt, completion, tools}`, one row per sample, for
 * `SFTTrainer`, which trains the completion only. The completion is the final trained stretch:
 * the assistant messages after the last user or tool message before the last trained assistant
 * turn, up to that turn. It holds assistant messages only: everything in it is trained, and tool
 * output is the environment's text, not the model's. So the prompt ends on a user or tool
 * message (TRL adds the generation prompt after it), and what follows the trained turn (the
 * results of its calls, later untrained turns) is left out: the completion may end on a call.
 */
import type { ChatMessage, ChatSample } from '../chatSample';
import type { ChatFormat } from './format';
import { TRL_MESSAGES, TRL_TOOLS, type TrlMessage, type TrlTool, conversationProblems, endsOn, onlyRoles, trlConversation, trlRowProblems, trlTool } from './trlMessage';

export interface TrlPromptCompletionRow { prompt: TrlMessage[]; completion: TrlMessage[]; tools: TrlTool[] }

const FEATURES = { prompt: TRL_MESSAGES, completion: TRL_MESSAGES, tools: TRL_TOOLS };

export const trlPromptCompletion: ChatFormat<TrlPromptCompletionRow> = {
	source: 'chat',
	name: 'trl_prompt_completion',
	description: 'Conversational prompt-completion rows `{prompt, completion, tools}` for TRL `SFTTrainer`: the completion is the final trained assistant stretch, everything before it is prompt.',
	taskCategory: 'text-generation',
	features: FEATURES,

	rows(sample: ChatSample, notes) {
		const m = sample.messages;
		const last = m.findLastIndex((x) => x.role === 'assistant' && x.train);
		if (last < 0) {
			notes.dropped('no trained assistant turn');
			return [];
		}
		const start = m.slice(0, last).findLastIndex((x) => x.role === 'user' || x.role === 'tool') + 1;
		if (start === 0) {
			notes.dropped('no user or tool message before the trained turn');
			return [];
		}
		// Consecutive assistant messages form one turn; TRL cannot leave part of a completion untrained.
		const joined = countAssistants(m.slice(start, last), false);
		if (joined > 0) {
			notes.fixed('untrained assistant messages joined the trained turn they precede', joined);
		}
		const earlier = countAssistants(m.slice(0, start), true);
		if (earlier > 0) {
			notes.fixed('trained turns before the final stretch became prompt context', earlier);
		}
		if (last + 1 < m.length) {
			notes.fixed('messages after the last trained turn left out', m.length - last - 1);
		}
		const messages = trlConversation(m.slice(0, last + 1), notes);
		return [{ prompt: messages.slice(0, start), completion: messages.slice(start), tools: sample.tools.map(trlTool) }];
	},

	validate: (row) => trlRowProblems(row, Object.keys(FEATURES), ['prompt', 'completion'], ([prompt, completion], problems) => {
		if (prompt) {
			endsOn(prompt, ['user', 'tool'], 'prompt', problems);
		}
		if (completion) {
			onlyRoles(completion, ['assistant'], 'completion', problems);
		}
		if (prompt && completion) {
			conversationProblems([...prompt, ...completion], problems);
		}
	}),
};

function countAssistants(messages: readonly ChatMessage[], train: boolean): number {
	return messages.filter((m) => m.role === 'assistant' && m.train === train).length;
}
