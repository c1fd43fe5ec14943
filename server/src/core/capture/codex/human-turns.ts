/**
 * Decides which user-role response_items are human turns, using the UI stream as a witness.
 *
 * Codex writes each typed prompt twice: as a `response_item` message (what the model saw,
 * which we import) and as an `event_msg` user_message (what the UI showed). Injected context
 * (AGENTS.md, environment, …) only exists in the first stream. Markers catch most of it, but
 * not text they don't know or text redacted upstream, so within each block of user input
 * (the records between two model outputs) every event claims one response_item: the one
 * with the same text, else the latest, since Codex injects context before the prompt.
 * Files without any user_message event fall back to the markers alone.
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

export class HumanTurnMatcher {
	private candidates: MessageInput[] = [];
	private events: UiUserMessage[] = [];
	private readonly unclaimed: MessageInput[] = [];
	private readonly orphanEvents: UiUserMessage[] = [];
	private sawEvent = false;

	addCandidate(message: MessageInput): void {
		this.candidates.push(message);
	}

	addEvent(event: UiUserMessage): void {
		this.sawEvent = true;
		this.events.push(event);
	}

	/** Call at every model output: a prompt and its event never straddle one. */
	closeBlock(): void {
		const candidates = [...this.candidates];
		const events: UiUserMessage[] = [];
		for (const event of this.events) {
			const same = candidates.findIndex((candidate) => candidate.content.trim() === event.text.trim());
			if (same === -1) {
				events.push(event);
			} else {
				candidates.splice(same, 1);
			}
		}
		while (candidates.length > 0 && events.length > 0) {
			candidates.pop();
			events.pop();
		}
		this.unclaimed.push(...candidates);
		this.orphanEvents.push(...events);
		this.candidates = [];
		this.events = [];
	}

	finish(): HumanTurnVerdict {
		this.closeBlock();
		if (!this.sawEvent) {
			return { unclaimed: [], orphanEvents: [] };
		}
		return { unclaimed: [...this.unclaimed], orphanEvents: [...this.orphanEvents] };
	}
}
