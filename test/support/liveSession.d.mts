export interface LiveSession {
	/** The Tracemint session id (`claude-code:<uuid>`). */
	id: string;
	/** The log file written. */
	file: string;
}

export function writeLiveSession(options: {
	/** A real Claude Code log to re-home. */
	source: string;
	/** The session's cwd. */
	workspace: string;
	/** Claude Code's `projects` folder (`~/.claude/projects`). */
	projectsDir: string;
	/** The appended exchange, which makes this copy's content its own. */
	prompt: string;
	answer: string;
	/** When the last record was written (default: now). */
	now?: number;
}): LiveSession;

export function appendExchange(options: { file: string; prompt: string; answer: string; now?: number }): void;
