/**
 * Plain text of what a Copilot Chat tool returned. Two places hold it:
 * - `result.metadata.toolCallResults[<call id>]`: the LanguageModelToolResult the model saw,
 *   serialized with VS Code's `$mid` markers: `{content: [parts]}` where a part is text
 *   (`{value: string}`) or a prompt-tsx tree (`{value: {node: {children: [...]}}}`, text in
 *   `{type: 2, text}` leaves) or data (`{mimeType, data}`).
 * - a `toolInvocationSerialized` response part's `resultDetails`: `{input, output: [{type:
 *   'embed', value, isText}], isError}` for most tools, or a list of URIs (files or pages read).
 */
import { asArray, asObject, asString } from '../json';
import { pathOfUriValue } from './uri';

export interface ToolText {
	text: string;
	/** Image parts, which are not carried as text. */
	images: number;
}

const isImage = (mimeType: unknown): boolean => typeof mimeType === 'string' && mimeType.toLowerCase().startsWith('image/');

/** Text of a LanguageModelToolResult as stored in `toolCallResults`. */
export function toolResultText(result: unknown): ToolText | undefined {
	const object = asObject(result);
	if (object === undefined || !Array.isArray(object.content)) {
		return typeof result === 'string' ? { text: result, images: 0 } : undefined;
	}
	const texts: string[] = [];
	let images = 0;
	for (const part of object.content) {
		const value = asObject(part)?.value;
		if (typeof value === 'string') {
			texts.push(value);
		} else if (asObject(value)?.node !== undefined) {
			texts.push(promptTreeText(asObject(value)?.node));
		} else if (isImage(asObject(part)?.mimeType)) {
			images++;
		}
	}
	return { text: texts.join('\n'), images };
}

/** Concatenated text leaves of a serialized prompt-tsx element tree, in document order. */
function promptTreeText(node: unknown): string {
	const out: string[] = [];
	const walk = (value: unknown, depth: number): void => {
		const object = asObject(value);
		if (object === undefined || depth > 200) {
			return;
		}
		const text = asString(object.text);
		if (text !== undefined) {
			out.push(object.lineBreakBefore === true && out.length > 0 ? `\n${text}` : text);
		}
		for (const child of asArray(object.children)) {
			walk(child, depth + 1);
		}
	};
	walk(node, 0);
	return out.join('');
}

/** Text of a `toolInvocationSerialized` part's result details, when it has any. */
export function invocationResultText(details: unknown): ToolText | undefined {
	if (Array.isArray(details)) {
		const targets = details.map((item) => asString(asObject(item)?.external) ?? pathOfUriValue(item) ?? asString(asObject(item)?.path)).filter((t) => t !== undefined);
		return targets.length > 0 ? { text: targets.join('\n'), images: 0 } : undefined;
	}
	const object = asObject(details);
	if (object === undefined) {
		return undefined;
	}
	if (typeof object.output === 'string') {
		return { text: object.output, images: 0 };
	}
	if (!Array.isArray(object.output)) {
		return undefined;
	}
	const texts: string[] = [];
	let images = 0;
	for (const part of object.output) {
		const item = asObject(part);
		const value = asString(item?.value);
		if (item?.isText === true && value !== undefined) {
			texts.push(value);
		} else if (item?.type === 'ref') {
			const target = pathOfUriValue(item.uri);
			if (target !== undefined) texts.push(target);
		} else if (isImage(item?.mimeType)) {
			images++;
		}
	}
	return { text: texts.join('\n'), images };
}

/** The text of an IMarkdownString (`{value}`) or a plain string. */
export function markdownText(value: unknown): string | undefined {
	return asString(value) ?? asString(asObject(value)?.value);
}
