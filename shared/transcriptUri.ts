/**
 * Where a session's transcript lives, for the client (which renders it as a virtual document)
 * and the server (which publishes the session's findings as diagnostics on it). One builder, so
 * both always name the same document.
 */
export const TRANSCRIPT_SCHEME = 'tracemint-session';

/** `tracemint-session:/<encoded id>.md`: the `.md` gives the tab an icon and the Markdown language. */
export function transcriptUriString(sessionId: string): string {
	return `${TRANSCRIPT_SCHEME}:/${encodeURIComponent(sessionId)}.md`;
}
