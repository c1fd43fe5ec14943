/**
 * The server's session scan: the same findings as scanSession, but large texts are scanned in
 * slices and the event loop runs every YIELD_CHARS of text, so a 50 MB session never holds the
 * backend (and the editor's requests to it) for more than a slice.
 */
import type { Session } from '../../../../shared/model';
import { scanField, type FieldFinding } from './redactSession';
import { sessionTexts } from './sessionFields';
import { scanTextSliced, yieldToLoop } from './sliced';

const SLICED_FROM_CHARS = 128 * 1024;
const YIELD_CHARS = 128 * 1024;

export async function scanSessionAsync(session: Session, fingerprintKey?: string | Buffer): Promise<FieldFinding[]> {
	const out: FieldFinding[] = [];
	let since = 0;
	for (const field of sessionTexts(session)) {
		// Key-prefixed JSON values are short; anything big is a content or tool-output text.
		if (field.text.length >= SLICED_FROM_CHARS && field.key === undefined) {
			const found = await scanTextSliced(field.text, { fingerprintKey });
			for (const f of found) out.push({ ...f, messageIndex: field.messageIndex, field: field.field });
		} else {
			out.push(...scanField(field, fingerprintKey));
		}
		since += field.text.length;
		if (since >= YIELD_CHARS) {
			await yieldToLoop();
			since = 0;
		}
	}
	return out;
}
