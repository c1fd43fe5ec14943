/**
 * Where the findings of a session sit in its rendered (redacted) transcript: every occurrence of a
 * placeholder, with the findings it stands for. Placeholders are looked up in the rendered text
 * rather than tracked through the renderer, which shortens long tool output.
 */
import type { FindingAction, FindingSeverity, FindingState } from '../../../../shared/protocol';
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
}

const SEVERITY_ORDER: FindingSeverity[] = ['critical', 'high', 'medium', 'low'];

export function transcriptMarks(text: string, review: SessionReview): TranscriptMark[] {
	const byPlaceholder = new Map<string, SessionReview['applied'][number][]>();
	review.applied.forEach((finding, i) => {
		const placeholder = review.redacted.placeholders[i];
		if (!placeholder) return;
		const list = byPlaceholder.get(placeholder) ?? [];
		list.push(finding);
		byPlaceholder.set(placeholder, list);
	});
	const marks: TranscriptMark[] = [];
	for (const [placeholder, findings] of byPlaceholder) {
		const first = findings[0];
		const severity = SEVERITY_ORDER.find((s) => findings.some((f) => f.severity === s)) ?? first.severity;
		const mark = {
			placeholder, findingIds: findings.map((f) => f.id), ruleId: first.ruleId, severity,
			action: findings.some((f) => f.action === 'block') ? 'block' as const : 'redact' as const,
			state: findings.every((f) => f.state === 'confirmed') ? 'confirmed' as const : 'open' as const,
			description: ruleDescription(first.ruleId),
		};
		for (let at = text.indexOf(placeholder); at !== -1; at = text.indexOf(placeholder, at + placeholder.length)) {
			marks.push({ ...mark, start: at, end: at + placeholder.length });
		}
	}
	return marks.sort((a, b) => a.start - b.start);
}
