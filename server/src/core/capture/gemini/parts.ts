/**
 * Gemini `PartListUnion` content (a string, one part, or a list of parts) as text. Text parts
 * are concatenated as Gemini CLI builds them (each carries its own newlines); parts marked
 * `thought` are reasoning; images sent as inline or file data are counted, never carried.
 * functionCall/functionResponse parts are skipped: the message's toolCalls hold those.
 */
import { asArray, asObject, asString, type JsonObject } from '../json';

export interface PartsText {
	text: string;
	thought: string;
	images: number;
}

export function partsOf(content: unknown): JsonObject[] {
	if (typeof content === 'string') {
		return [{ text: content }];
	}
	const single = asObject(content);
	if (single !== undefined) {
		return [single];
	}
	const parts: JsonObject[] = [];
	for (const part of asArray(content)) {
		const object = typeof part === 'string' ? { text: part } : asObject(part);
		if (object !== undefined) {
			parts.push(object);
		}
	}
	return parts;
}

export function readParts(content: unknown): PartsText {
	let text = '';
	let thought = '';
	let images = 0;
	for (const part of partsOf(content)) {
		const partText = asString(part.text);
		if (partText !== undefined) {
			if (part.thought === true) {
				thought += partText;
			} else {
				text += partText;
			}
		} else if (isImage(part.inlineData) || isImage(part.fileData)) {
			images++;
		}
	}
	return { text, thought, images };
}

function isImage(data: unknown): boolean {
	return asString(asObject(data)?.mimeType)?.startsWith('image/') === true;
}
