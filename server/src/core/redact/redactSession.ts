/**
 * Applies the redaction engine to a whole session before anything leaves the store: every
 * message content, reasoning text and tool-call argument, with one placeholder map per session
 * so the same value reads the same everywhere. A `block` finding bars the session.
 */
import type { Message, Session } from '../../../../shared/model';
import { PlaceholderMap, redactText } from './redact';
import { scanText } from './scan';

export interface RedactedSession {
	session: Session;
	/** Rule ids of `block` findings; a non-empty list means the session must not be exported. */
	blockedBy: string[];
	/** Findings replaced, per rule id. */
	redacted: Record<string, number>;
}

export function redactSession(session: Session): RedactedSession {
	const placeholders = new PlaceholderMap();
	const blockedBy = new Set<string>();
	const redacted: Record<string, number> = {};
	const clean = (text: string): string => {
		const findings = scanText(text);
		for (const f of findings) {
			if (f.action === 'block') {
				blockedBy.add(f.ruleId);
			}
			redacted[f.ruleId] = (redacted[f.ruleId] ?? 0) + 1;
		}
		return findings.length === 0 ? text : redactText(text, findings, placeholders);
	};
	const messages = session.messages.map((m): Message => ({
		...m,
		content: clean(m.content),
		...(m.reasoning !== undefined ? { reasoning: clean(m.reasoning) } : {}),
		...(m.tool_calls ? { tool_calls: m.tool_calls.map((c) => ({ ...c, function: { ...c.function, arguments: redactArguments(c.function.arguments, clean) } })) } : {}),
	}));
	return { session: { ...session, title: session.title === null ? null : clean(session.title), messages }, blockedBy: [...blockedBy].sort(), redacted };
}

/** Redacts the string leaves of JSON arguments so the result is still valid JSON. */
function redactArguments(args: string, clean: (text: string) => string): string {
	let parsed: unknown;
	try {
		parsed = JSON.parse(args);
	} catch {
		return clean(args);
	}
	const walk = (value: unknown): unknown => {
		if (typeof value === 'string') return clean(value);
		if (Array.isArray(value)) return value.map(walk);
		if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
		return value;
	};
	return JSON.stringify(walk(parsed));
}
