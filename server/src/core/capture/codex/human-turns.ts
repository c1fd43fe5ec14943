/**
 * Decides which user-role response_items are human turns, using the UI stream as a witness.
 *
 * Codex writes each typed prompt twice: as a `response_item` message (what the model saw,
 * which we import) and as an `event_msg` user_message (what the UI showed). Injected context
 * (AGENTS.md, environment, …) only exists in the first stream. Markers catch most of it, but
 * not text they don't know or text redacted upstream, so every event claims one unmarked
 * response_item: the nearest one with the same text, else, within the same block of user
 * input (the records between two model outputs), the latest one, since Codex injects context
 * before the prompt. Files without any user_message event fall back to the markers alone.
 */
import type { MessageInput } from '../../../../../shared/model';

export interface UiUserMessage {
	line: number;
	text: string;
}

export interface HumanTurnVerdict {
	/** Candidates no event claimed: injected text the markers did not recognise. */
	unclaimed: MessageInput[];
	/** Events that claimed nothing: a turn the model stream lacks. */
	orphanEvents: UiUserMessage[];
}

interface Entry<T> {
	value: T;
	line: number;
	block: number;
	claimed: boolean;
}

export class HumanTurnMatcher {
	private readonly candidates: Array<Entry<MessageInput>> = [];
	private readonly events: Array<Entry<UiUserMessage>> = [];
	private block = 0;

	addCandidate(message: MessageInput, line: number): void {
		this.candidates.push({ value: message, line, block: this.block, claimed: false });
	}

	addEvent(event: UiUserMessage): void {
		this.events.push({ value: event, line: event.line, block: this.block, claimed: false });
	}

	/** Call at every model output: it ends the current block of user input. */
	closeBlock(): void {
		this.block++;
	}

	finish(): HumanTurnVerdict {
		if (this.events.length === 0) {
			return { unclaimed: [], orphanEvents: [] };
		}
		for (const event of this.events) {
			const same = this.nearest(event, (candidate) => candidate.value.content.trim() === event.value.text.trim());
			if (same !== undefined) {
				claim(event, same);
			}
		}
		for (const event of [...this.events].reverse()) {
			if (event.claimed) {
				continue;
			}
			const latest = this.candidates.filter((candidate) => !candidate.claimed && candidate.block === event.block).pop();
			if (latest !== undefined) {
				claim(event, latest);
			}
		}
		return {
			unclaimed: this.candidates.filter((candidate) => !candidate.claimed).map((candidate) => candidate.value),
			orphanEvents: this.events.filter((event) => !event.claimed).map((event) => event.value),
		};
	}

	/** The closest unclaimed match before the event (Codex records the prompt first), else after it. */
	private nearest(event: Entry<UiUserMessage>, matches: (candidate: Entry<MessageInput>) => boolean): Entry<MessageInput> | undefined {
		const open = this.candidates.filter((candidate) => !candidate.claimed && matches(candidate));
		return open.filter((candidate) => candidate.line < event.line).pop() ?? open.find((candidate) => candidate.line > event.line);
	}
}

function claim(event: Entry<UiUserMessage>, candidate: Entry<MessageInput>): void {
	event.claimed = true;
	candidate.claimed = true;
}
