/**
 * Small text helpers shared by the views, the status bar and the commands. Pure (no editor
 * API), so the unit tests cover them directly.
 */
import { AGENT_NAMES, type AgentId, type SessionSummary } from '../../shared/model';

/** `1 session`, `2 sessions`. */
export function plural(n: number, noun: string): string {
	return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export function agentName(agent: AgentId): string {
	return AGENT_NAMES[agent] ?? agent;
}

/** The title comes from the server already redacted; the id stands in when there is none. */
export function sessionLabel(session: SessionSummary): string {
	return session.title?.trim() || session.subagent_type || session.id;
}

/** Local `YYYY-MM-DD HH:MM`: sortable, and the same on every machine's locale. */
export function formatDate(iso: string | null): string {
	const date = iso ? new Date(iso) : undefined;
	if (!date || Number.isNaN(date.getTime())) {
		return '';
	}
	const pad = (n: number): string => String(n).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function escapeMarkdown(text: string): string {
	return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
