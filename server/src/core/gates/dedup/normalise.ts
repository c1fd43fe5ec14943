/**
 * The text two sessions are compared on. Two runs of the same task differ in values the agent or
 * the machine minted (ids, clocks, temp folders, the user's home) rather than in the work; those are
 * replaced by placeholders so the runs hash alike. Anything a person or the model chose is kept.
 */
import type { Message, Session } from '../../../../../shared/model';
import { compareIds } from '../compareIds';

/** Minted values, matched after lower-casing; order matters (a uuid before the long-hex rule eats its tail). */
const MINTED: readonly [RegExp, string][] = [
	[/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uuid>'],
	// Agent and API ids: tool-call ids (toolu_, call_, fc_), message/request/response ids.
	[/\b(?:toolu|call|fc|msg|req|resp|chatcmpl)_[0-9a-z]{6,}\b/g, '<id>'],
	// Date-times (a bare date may be content: a changelog entry, a deadline).
	[/\b\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:z|[+-]\d{2}:?\d{2})?/g, '<time>'],
	// Hashes and opaque ids: commit shas, digests, object ids.
	[/\b(?=[0-9a-f]*\d)[0-9a-f]{12,}\b/g, '<hex>'],
	// The random folder a mkdtemp made (only its first segment: what is below it is the task's).
	[/(?<![\w.~-])(?:\/private)?\/var\/folders\/[^\s/]+\/[^\s/]+\/t\/[^\s/"'`]+/g, '<tmp>'],
	[/(?<![\w.~-])\/tmp\/[^\s/"'`]+/g, '<tmp>'],
	[/[a-z]:(?:\\{1,2})users\\{1,2}[^\\\s"'`]+\\{1,2}appdata\\{1,2}local\\{1,2}temp\\{1,2}[^\\\s"'`]+/g, '<tmp>'],
	// Home folders: the same work in another account's checkout is the same example.
	[/(?<![\w.~-])\/(?:home|users)\/[^\s/"'`]+/g, '~'],
	[/[a-z]:(?:\\{1,2})users\\{1,2}[^\\\s"'`]+/g, '~'],
];

/** Unicode compatibility forms folded, lower-cased, minted values replaced, whitespace collapsed. */
export function normaliseText(text: string): string {
	let out = text.normalize('NFKC').toLowerCase();
	for (const [pattern, placeholder] of MINTED) {
		out = out.replace(pattern, placeholder);
	}
	return out.replace(/\s+/g, ' ').trim();
}

/**
 * One line per real turn: `role: content`, each tool call as `call name {args}` with its JSON
 * arguments re-serialised with sorted keys (key order and spacing are not the work).
 * Context (instructions files, environment blocks, reminders) is left out: every session of a
 * repository carries the same instructions, which would make unrelated short sessions look alike.
 * Reasoning is left out too: it is never exported.
 */
export function dedupText(session: Pick<Session, 'messages'>): string {
	const lines: string[] = [];
	for (const m of session.messages) {
		if (m.context) {
			continue;
		}
		const parts = [normaliseText(m.content), ...callsOf(m)].filter(Boolean);
		if (parts.length > 0) {
			lines.push(`${m.role}: ${parts.join(' ')}`);
		}
	}
	return lines.join('\n');
}

function callsOf(m: Message): string[] {
	return (m.tool_calls ?? []).map((c) => normaliseText(`call ${c.function.name} ${canonicalJson(c.function.arguments)}`));
}

/** Arguments with sorted keys; text that is not JSON is kept as it is. */
function canonicalJson(text: string): string {
	try {
		return JSON.stringify(sortKeys(JSON.parse(text)));
	} catch {
		return text;
	}
}

/** The value with every object's keys in one order: equal JSON for equal content, whatever order it was written in. */
export function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) {
		return value.map(sortKeys);
	}
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => compareIds(a, b));
		return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
	}
	return value;
}
