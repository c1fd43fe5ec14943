/**
 * Which sessions belong to the open workspace, and which one the agent is writing now. Pure (no
 * editor API): the caller passes the workspace folders' paths and the clock.
 */
import * as path from 'node:path';
import type { SessionSummary } from '../../../shared/model';

/** A session whose last record is this recent is still being written. */
export const LIVE_WINDOW_MS = 5 * 60_000;

/** The folder of `folders` that holds the session's working directory (the deepest one), if any. */
export function sessionFolder(session: SessionSummary, folders: readonly string[]): string | undefined {
	const cwd = session.cwd ?? session.workspace;
	if (!cwd) {
		return undefined;
	}
	return folders.filter((folder) => isInside(folder, cwd)).sort((a, b) => b.length - a.length)[0];
}

/** `file` is `folder` or below it. */
export function isInside(folder: string, file: string): boolean {
	const relative = path.relative(folder, file);
	return relative === '' || (relative.split(path.sep)[0] !== '..' && !path.isAbsolute(relative));
}

/** When the session was last written to: its end, else its start (ISO), or null. */
export function lastActivity(session: SessionSummary): string | null {
	return session.ended_at ?? session.started_at;
}

/**
 * The session the agent is writing now in this workspace: of the top-level sessions whose cwd is
 * inside a workspace folder, the one active most recently. Subagent sessions are part of the
 * session that spawned them, so they never stand for it.
 */
export function currentSession(sessions: readonly SessionSummary[], folders: readonly string[]): SessionSummary | undefined {
	let best: SessionSummary | undefined;
	let bestTime = Number.NEGATIVE_INFINITY;
	for (const session of sessions) {
		if (session.parent_session_id !== null || sessionFolder(session, folders) === undefined) {
			continue;
		}
		const time = timeOf(lastActivity(session));
		if (best === undefined || time > bestTime || (time === bestTime && session.id > best.id)) {
			best = session;
			bestTime = time;
		}
	}
	return best;
}

export function isLive(session: SessionSummary, now: number): boolean {
	const time = timeOf(lastActivity(session));
	return Number.isFinite(time) && now - time <= LIVE_WINDOW_MS;
}

function timeOf(iso: string | null): number {
	const time = iso ? Date.parse(iso) : Number.NaN;
	return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}
