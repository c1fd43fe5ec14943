/**
 * The texts of a session that can carry a secret, each with a stable path: the title, then per
 * message its content, reasoning and tool-call arguments (every string leaf of JSON arguments).
 * Scanning, stored findings, redaction and transcripts all walk sessions through here, in this
 * order, so a finding's path and a placeholder's number mean the same thing everywhere.
 */
import type { Message, Session } from '../../../../shared/model';

export interface FieldRef {
	/** null for the session title. */
	readonly messageIndex: number | null;
	/** `title`, `content`, `reasoning`, `tool_calls[0].function.arguments`, or a JSON path below it. */
	readonly field: string;
}

export interface TextField extends FieldRef {
	readonly text: string;
	/** For a string inside JSON arguments: the nearest property name (`api_key`), which decides whether a bare value is a credential. */
	readonly key?: string;
}

/** One string per path, for grouping findings by the text they sit in. */
export function fieldKey(ref: FieldRef): string {
	return `${ref.messageIndex ?? 'title'}\u0000${ref.field}`;
}

/** Returns the text to keep; returning `field.text` unchanged keeps the original object. */
export type TextMapper = (field: TextField) => string;

export function mapSessionTexts(session: Session, map: TextMapper): Session {
	const title = session.title === null ? null : map({ messageIndex: null, field: 'title', text: session.title });
	const messages = session.messages.map((m, i) => mapMessageTexts(m, i, map));
	const same = title === session.title && messages.every((m, i) => m === session.messages[i]);
	return same ? session : { ...session, title, messages };
}

function mapMessageTexts(message: Message, index: number, map: TextMapper): Message {
	const content = map({ messageIndex: index, field: 'content', text: message.content });
	const reasoning = message.reasoning === undefined ? undefined : map({ messageIndex: index, field: 'reasoning', text: message.reasoning });
	let callsChanged = false;
	const toolCalls = message.tool_calls?.map((call, c) => {
		const args = mapArguments(call.function.arguments, `tool_calls[${c}].function.arguments`, index, map);
		if (args === call.function.arguments) return call;
		callsChanged = true;
		return { ...call, function: { ...call.function, arguments: args } };
	});
	if (content === message.content && reasoning === message.reasoning && !callsChanged) return message;
	return {
		...message, content,
		...(reasoning !== undefined ? { reasoning } : {}),
		...(toolCalls ? { tool_calls: toolCalls } : {}),
	};
}

/** Every text of a session, in walk order. */
export function sessionTexts(session: Session): TextField[] {
	const out: TextField[] = [];
	mapSessionTexts(session, (f) => {
		out.push(f);
		return f.text;
	});
	return out;
}

/** The text at one path, or undefined when the session no longer has it. */
export function textAt(session: Session, ref: FieldRef): string | undefined {
	let found: string | undefined;
	const visit: TextMapper = (f) => {
		if (f.field === ref.field) found = f.text;
		return f.text;
	};
	if (ref.messageIndex === null) {
		if (ref.field === 'title') return session.title ?? undefined;
		return undefined;
	}
	const message = session.messages[ref.messageIndex];
	if (message) mapMessageTexts(message, ref.messageIndex, visit);
	return found;
}

/** JSON arguments are walked leaf by leaf so a redacted result is still valid JSON; other text is one field. */
function mapArguments(args: string, base: string, index: number, map: TextMapper): string {
	let parsed: unknown;
	try {
		parsed = JSON.parse(args);
	} catch {
		return map({ messageIndex: index, field: base, text: args });
	}
	if (typeof parsed !== 'object' || parsed === null) {
		return map({ messageIndex: index, field: base, text: args });
	}
	let changed = false;
	const walk = (value: unknown, at: string, key: string | undefined): unknown => {
		if (typeof value === 'string') {
			const next = map({ messageIndex: index, field: at, text: value, ...(key !== undefined ? { key } : {}) });
			if (next !== value) changed = true;
			return next;
		}
		if (Array.isArray(value)) return value.map((v, i) => walk(v, `${at}[${i}]`, key));
		if (value && typeof value === 'object') {
			return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, `${at}${keyPath(k)}`, k)]));
		}
		return value;
	};
	const result = walk(parsed, base, undefined);
	return changed ? JSON.stringify(result) : args;
}

function keyPath(key: string): string {
	return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
