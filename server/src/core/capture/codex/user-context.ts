/**
 * Codex sends AGENTS.md, environment and other harness text to the model as user-role
 * messages. They are context for the model, never human turns. The markers are the ones
 * Codex itself uses to recognise these fragments (prefix match on a text part).
 */
import type { ContextKind } from '../../../../../shared/model';

const MARKERS: ReadonlyArray<readonly [string, ContextKind]> = [
	['# agents.md instructions for ', 'instructions'],
	['<user_instructions>', 'instructions'],
	['<permissions instructions>', 'instructions'],
	['<developer_instructions>', 'instructions'],
	['<collaboration_mode>', 'instructions'],
	['<skill', 'instructions'],
	['<plugins>', 'instructions'],
	['<subagents>', 'instructions'],
	['<environment_context>', 'environment'],
	['<user_shell_command>', 'command'],
	['<turn_aborted>', 'interrupt'],
	['<subagent_notification>', 'notification'],
];

/** The context kind of a user message whose text parts carry a harness marker, else null. */
export function contextOfUserParts(parts: readonly string[]): ContextKind | null {
	for (const part of parts) {
		const head = part.trimStart().slice(0, 64).toLowerCase();
		for (const [marker, kind] of MARKERS) {
			if (head.startsWith(marker)) {
				return kind;
			}
		}
	}
	return null;
}

const IDE_REQUEST_HEADING = '## My request for Codex:';

/** The part of a human message worth showing as a title (IDE builds prepend editor context). */
export function requestText(text: string): string {
	const at = text.lastIndexOf(IDE_REQUEST_HEADING);
	return at === -1 ? text : text.slice(at + IDE_REQUEST_HEADING.length);
}
