/**
 * Where the findings of a session sit in its rendered (redacted) transcript: every occurrence of a
 * placeholder, with the findings it stands for. Placeholders are looked up in the rendered text
 * rather than tracked through the renderer, which shortens long tool output.
 */
import type { Session } from '../../../../shared/model';
import type { FindingAction, FindingSeverity, FindingState } from '../../../../shared/protocol';
import { textAt } from '../redact/sessionFields';
import { maskValue } from './maskedContext';
import { ruleDescription } from './ruleInfo';
import type { SessionReview } from './sessionReview';

export interface TranscriptMark {
	/** JavaScript string indices into the transcript text. */
	start: number;
	end: number;
	placeholder: string;
	findingIds: number[];
	ruleId: string;
	severity: FindingSeverity;
	action: FindingAction;
	/** `confirmed` only when every finding behind the placeholder is. */
	state: FindingState;
	description: string;
	/** The mask of the first finding's value (as in its FindingDto's context), never the value. */
	mask: string;
}

const SEVERITY_ORDER: FindingSeverity[] = ['critical', 'high', 'medium', 'low'];
/** Anything shaped like a placeholder; rule ids hold no brackets, so placeholders never overlap. */
const PLACEHOLDER = /\[REDACTED:[^\][]*\]/g;

/** `original`: the session before redaction, for the masks. */
export function transcriptMarks(text: string, review: SessionReview, original: Session): TranscriptMark[] {
	const byPlaceholder = new Map<string, SessionReview['applied'][number][]>();
	review.applied.forEach((finding, i) => {
		const placeholder = review.redacted.placeholders[i];
		if (!placeholder) return;
		const list = byPlaceholder.get(placeholder);
		if (list) list.push(finding);
		else byPlaceholder.set(placeholder, [finding]);
	});
	const marks = new Map<string, Omit<TranscriptMark, 'start' | 'end'>>();
	for (const [placeholder, findings] of byPlaceholder) {
		const first = findings[0];
		marks.set(placeholder, {
			placeholder, findingIds: findings.map((f) => f.id), ruleId: first.ruleId,
			severity: SEVERITY_ORDER.find((s) => findings.some((f) => f.severity === s)) ?? first.severity,
			action: findings.some((f) => f.action === 'block') ? 'block' : 'redact',
			state: findings.every((f) => f.state === 'confirmed') ? 'confirmed' : 'open',
			description: ruleDescription(first.ruleId),
			mask: maskValue((textAt(original, first) ?? '').slice(first.start, first.end)),
		});
	}
	// One pass over the text, in order, however many placeholders the session has.
	const found: TranscriptMark[] = [];
	for (const match of text.matchAll(PLACEHOLDER)) {
		const mark = marks.get(match[0]);
		if (mark) found.push({ ...mark, start: match.index, end: match.index + match[0].length });
	}
	return found;
}
