/**
 * The result Gemini CLI embeds in a tool call record: `result` holds the parts sent back to the
 * model (`functionResponse.response.output`, or `.error` when the tool failed), `status` says how
 * the call ended (success, error, cancelled when the user declined it) or that it is still running.
 */
import { asObject, asString, type JsonObject } from '../json';
import { partsOf } from './parts';

export interface ToolResult {
	content: string;
	isError: boolean;
	images: number;
}

const ENDED = new Set(['success', 'error', 'cancelled']);

function outputText(value: unknown): string {
	return typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
}

/** The call's result, or undefined while it has none yet (scheduled, awaiting approval, executing). */
export function readToolResult(call: JsonObject): ToolResult | undefined {
	const status = asString(call.status);
	const texts: string[] = [];
	let isError = status === 'error' || status === 'cancelled';
	let images = 0;
	const parts = call.result === null || call.result === undefined ? [] : partsOf(call.result);
	for (const part of parts) {
		const response = asObject(asObject(part.functionResponse)?.response);
		if (response !== undefined) {
			if (response.error !== undefined) {
				isError = true;
				texts.push(outputText(response.error));
			} else if (response.output !== undefined) {
				texts.push(outputText(response.output));
			} else if (Object.keys(response).length > 0) {
				texts.push(JSON.stringify(response));
			}
		} else if (typeof part.text === 'string') {
			texts.push(part.text);
		} else if (asString(asObject(part.inlineData)?.mimeType)?.startsWith('image/') === true) {
			images++;
		}
	}
	if (parts.length === 0) {
		if (status === undefined || !ENDED.has(status)) {
			return undefined;
		}
		// Ended without parts (a declined call): what the user saw is all there is.
		const shown = asString(call.resultDisplay);
		texts.push(shown !== undefined && shown.trim().length > 0 ? shown : status === 'cancelled' ? 'cancelled by the user' : status);
	}
	return { content: texts.join('\n'), isError, images };
}
