/**
 * Reads Claude Code content blocks: user text split into human text and injected context,
 * tool results flattened to text, images counted (never carried as base64).
 */
import type { ContextKind } from '../../../../../shared/model';
import { asArray, asObject, asString, type JsonObject } from '../json';

export interface UserPart {
	/** null for text the human typed (or pasted: an image-only part is still human). */
	context: ContextKind | null;
	text: string;
	images: number;
}

/** Text injected whole: the opening tag (or marker) decides what the whole text is. */
const WHOLE_TEXT_KINDS: [RegExp, ContextKind][] = [
	[/^\[Request interrupted by user/, 'interrupt'],
	[/^<task-notification>/, 'notification'],
	[/^<user-prompt-submit-hook>/, 'notification'],
	[/^<(command-name|command-message|command-args|local-command-stdout|local-command-stderr|local-command-caveat)>/, 'command'],
	[/^<(bash-input|bash-stdout|bash-stderr)>/, 'command'],
];

/** Injected blocks that can sit inside human text; they are cut out into their own part. */
const EMBEDDED_BLOCKS: [RegExp, ContextKind][] = [
	[/<system-reminder>[\s\S]*?<\/system-reminder>/g, 'system-reminder'],
	[/<(ide_opened_file|ide_selection|ide_diagnostics)>[\s\S]*?<\/\1>/g, 'environment'],
];

const SEPARATOR = '\n\n';

/**
 * The non-tool-result content of a user line, in order, as human and context parts.
 * `wholeKind` marks the whole line (isMeta lines, compaction summaries).
 */
export function userParts(content: unknown, wholeKind: ContextKind | null): UserPart[] {
	const blocks = typeof content === 'string' ? [{ type: 'text', text: content }] : asArray(content).map(asObject);
	const parts: UserPart[] = [];
	let images = 0;
	for (const block of blocks) {
		const type = asString(block?.type);
		if (type === 'image') {
			images++;
		} else if (type === 'text') {
			const text = asString(block?.text) ?? '';
			const segments = wholeKind ? [{ context: wholeKind, text }] : splitInjected(text);
			for (const segment of segments) {
				append(parts, { ...segment, images: 0 });
			}
		}
	}
	if (images > 0) {
		const human = parts.find((p) => p.context === (wholeKind ?? null));
		if (human) {
			human.images += images;
		} else {
			parts.push({ context: wholeKind ?? null, text: '', images });
		}
	}
	return parts;
}

/** Joins neighbouring parts of the same kind (a text block per line of one prompt). */
function append(parts: UserPart[], part: UserPart): void {
	if (part.text.trim().length === 0) {
		return;
	}
	const last = parts[parts.length - 1];
	if (last && last.context === part.context) {
		last.text += SEPARATOR + part.text;
	} else {
		parts.push(part);
	}
}

function splitInjected(text: string): { context: ContextKind | null; text: string }[] {
	const trimmed = text.trimStart();
	for (const [pattern, context] of WHOLE_TEXT_KINDS) {
		if (pattern.test(trimmed)) {
			return [{ context, text }];
		}
	}
	const injected: { at: number; end: number; context: ContextKind }[] = [];
	for (const [pattern, context] of EMBEDDED_BLOCKS) {
		for (const match of text.matchAll(pattern)) {
			injected.push({ at: match.index, end: match.index + match[0].length, context });
		}
	}
	if (injected.length === 0) {
		return [{ context: null, text }];
	}
	injected.sort((a, b) => a.at - b.at);
	const segments: { context: ContextKind | null; text: string }[] = [];
	let cursor = 0;
	for (const block of injected) {
		if (block.at < cursor) {
			continue; // nested in a block already cut out
		}
		segments.push({ context: null, text: text.slice(cursor, block.at).trim() });
		segments.push({ context: block.context, text: text.slice(block.at, block.end) });
		cursor = block.end;
	}
	segments.push({ context: null, text: text.slice(cursor).trim() });
	return segments;
}

/** Blocks of a kind Tracemint cannot carry as text or count (e.g. `document`: attached PDFs). */
export function uncarriedBlocks(content: unknown): string[] {
	return asArray(content)
		.map((block) => asString(asObject(block)?.type))
		.filter((type): type is string => type !== undefined && !CARRIED_USER_BLOCKS.has(type));
}

const CARRIED_USER_BLOCKS = new Set(['text', 'image', 'tool_result']);

export interface ToolOutput {
	text: string;
	images: number;
}

/** A tool_result's `content`: a string, or text and image blocks. */
export function toolOutput(block: JsonObject): ToolOutput {
	const content = block.content;
	if (typeof content === 'string') {
		return { text: content, images: 0 };
	}
	const texts: string[] = [];
	let images = 0;
	for (const item of asArray(content).map(asObject)) {
		const type = asString(item?.type);
		if (type === 'image') {
			images++;
		} else if (type === 'text') {
			texts.push(asString(item?.text) ?? '');
		}
	}
	return { text: texts.join(SEPARATOR), images };
}

export interface ToolUse {
	id: string;
	name: string;
	input: unknown;
}

export interface AssistantContent {
	text: string;
	reasoning: string;
	toolUses: ToolUse[];
}

/** Content blocks of one response, across its streamed lines, in order. */
export function assistantContent(blockLists: unknown[]): AssistantContent {
	const texts: string[] = [];
	const thoughts: string[] = [];
	const toolUses: ToolUse[] = [];
	for (const block of blockLists.flatMap((content) => (typeof content === 'string' ? [{ type: 'text', text: content }] : asArray(content))).map(asObject)) {
		const type = asString(block?.type);
		if (type === 'text') {
			pushVisible(texts, asString(block?.text));
		} else if (type === 'thinking') {
			pushVisible(thoughts, asString(block?.thinking));
		} else if (type === 'tool_use') {
			const id = asString(block?.id);
			const name = asString(block?.name);
			if (id && name) {
				toolUses.push({ id, name, input: block?.input ?? {} });
			}
		}
	}
	return { text: texts.join(SEPARATOR), reasoning: thoughts.join(SEPARATOR), toolUses };
}

/** Streams open with a whitespace-only text block ("\n\n"); it is not content. */
function pushVisible(list: string[], text: string | undefined): void {
	if (text !== undefined && text.trim().length > 0) {
		list.push(text);
	}
}
