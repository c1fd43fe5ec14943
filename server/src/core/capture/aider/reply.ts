/**
 * A model reply as Aider logged it: text, with the reasoning some models emit in front of it.
 * Local reasoning models (qwen3, deepseek-r1) write `<think>…</think>` into the reply; Aider's own
 * reasoning support wraps it in `<thinking-content-…>` tags or shows `► **THINKING**` /
 * `► **ANSWER**` sections (the last two are from Aider's source, not seen in a sample log).
 */
export interface Reply {
	content: string;
	reasoning?: string;
}

const TAGGED = /^\s*<(think|thinking-content-[0-9a-f]+)>\n?([\s\S]*?)<\/\1>\s*/;
const THINKING_HEADING = /^\s*► \*\*THINKING\*\*\s*\n/;
const ANSWER_HEADING = /\n-{3,}\s*\n► \*\*ANSWER\*\*\s*\n|\n► \*\*ANSWER\*\*\s*\n/;

export function readReply(text: string): Reply {
	const tagged = TAGGED.exec(text);
	if (tagged !== null) {
		return withReasoning(text.slice(tagged[0].length), tagged[2]);
	}
	if (THINKING_HEADING.test(text)) {
		const body = text.replace(THINKING_HEADING, '');
		const answer = ANSWER_HEADING.exec(body);
		if (answer !== null) {
			return withReasoning(body.slice(answer.index + answer[0].length), body.slice(0, answer.index));
		}
	}
	return { content: text };
}

function withReasoning(content: string, reasoning: string): Reply {
	const thought = reasoning.trim();
	return thought.length > 0 ? { content: content.trim(), reasoning: thought } : { content: content.trim() };
}
