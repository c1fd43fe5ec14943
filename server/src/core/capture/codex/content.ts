/**
 * Reads the `content[]` of a Codex message (input_text / output_text / input_image parts,
 * and the same shape in tool outputs) into plain text plus an image count.
 */
import { asArray, asObject, asString } from '../json';

export interface PlainContent {
	text: string;
	/** Each text part, for prefix checks on injected context. */
	parts: string[];
	images: number;
}

const IMAGE_PARTS = new Set(['input_image', 'output_image', 'image']);

export function plainContent(content: unknown, separator: string): PlainContent {
	if (typeof content === 'string') {
		return { text: content, parts: [content], images: 0 };
	}
	const parts: string[] = [];
	let images = 0;
	for (const item of asArray(content)) {
		const part = asObject(item);
		const type = asString(part?.type);
		if (type !== undefined && IMAGE_PARTS.has(type)) {
			images++;
			continue;
		}
		const text = asString(part?.text) ?? asString(part?.refusal);
		if (text !== undefined) {
			parts.push(text);
		}
	}
	return { text: parts.join(separator), parts, images };
}
