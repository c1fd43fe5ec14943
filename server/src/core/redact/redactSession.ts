/**
 * Applies findings to a whole session before anything leaves the store: every text that
 * sessionFields walks, with one placeholder map per session so the same value reads the same
 * everywhere (`[REDACTED:github-pat#1]` in the title, a tool call and its result).
 */
import type { Session } from '../../../../shared/model';
import { PlaceholderMap, redactText, type RedactableFinding } from './redact';
import { scanText, type Finding } from './scan';
import { fieldKey, mapSessionTexts, sessionTexts, type FieldRef, type TextField } from './sessionFields';

/** A finding located in one text of a session. */
export type FieldFinding = Finding & FieldRef;

export interface RedactedSession {
	session: Session;
	/** Rule ids of `block` findings among those applied. */
	blockedBy: string[];
	/** Findings replaced, per rule id. */
	redacted: Record<string, number>;
	/** The placeholder each applied finding became, in the order of `findings`. */
	placeholders: string[];
}

/**
 * A JSON argument value is scanned as `key=value`, so `{"password": "..."}` is judged like the
 * assignment it is; findings inside the synthetic prefix are dropped and offsets point into the value.
 */
export function scanField(field: TextField, fingerprintKey?: string | Buffer): FieldFinding[] {
	const { messageIndex, field: path, text, key } = field;
	if (key === undefined || text.length === 0) return scanText(text, { fingerprintKey }).map((f) => ({ ...f, messageIndex, field: path }));
	const prefix = `${key}=`;
	return scanText(prefix + text, { fingerprintKey }).filter((f) => f.start >= prefix.length).map((f) => ({
		...f, messageIndex, field: path, start: f.start - prefix.length, end: f.end - prefix.length,
		column: f.line === 1 ? f.column - prefix.length : f.column,
	}));
}

/** Scans every text of a session; `fingerprintKey` adds keyed fingerprints. */
export function scanSession(session: Session, fingerprintKey?: string | Buffer): FieldFinding[] {
	return sessionTexts(session).flatMap((field) => scanField(field, fingerprintKey));
}

/**
 * A title on its own, given the findings in it: the title is the first text a session walk visits,
 * so its placeholders read the same as in the whole redacted session.
 */
export function redactTitle(title: string, findings: readonly RedactableFinding[]): string {
	return redactText(title, findings, new PlaceholderMap());
}

/** Replaces the value of each given finding (default: a fresh scan); the caller filters out allowlisted ones. */
export function redactSession(session: Session, findings: readonly FieldFinding[] = scanSession(session)): RedactedSession {
	const byField = new Map<string, { finding: FieldFinding; order: number }[]>();
	findings.forEach((finding, order) => {
		const key = fieldKey(finding);
		let list = byField.get(key);
		if (!list) byField.set(key, (list = []));
		list.push({ finding, order });
	});
	const map = new PlaceholderMap();
	const placeholders: string[] = new Array<string>(findings.length).fill('');
	const redacted: Record<string, number> = {};
	const blockedBy = new Set<string>();
	const clean = mapSessionTexts(session, (field) => {
		const here = byField.get(fieldKey(field));
		if (!here) return field.text;
		const valid = here.filter(({ finding: f }) => f.start >= 0 && f.end <= field.text.length && f.end > f.start)
			.sort((a, b) => a.finding.start - b.finding.start);
		for (const { finding, order } of valid) {
			placeholders[order] = map.placeholderFor(finding.ruleId, field.text.slice(finding.start, finding.end));
			redacted[finding.ruleId] = (redacted[finding.ruleId] ?? 0) + 1;
			if (finding.action === 'block') blockedBy.add(finding.ruleId);
		}
		return redactText(field.text, valid.map((v) => v.finding), map);
	});
	return { session: clean, blockedBy: [...blockedBy].sort(), redacted, placeholders };
}
