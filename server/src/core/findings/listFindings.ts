/** Stored findings as the editor and CLI show them: masked, with placeholders and per-session totals. */
import type { Session } from '../../../../shared/model';
import type { FindingDto, ListFindings, SessionFindingsSummary } from '../../../../shared/protocol';
import { RULES_VERSION } from '../redact/scan';
import { fieldKey, textAt, type FieldRef } from '../redact/sessionFields';
import type { StoredFinding } from '../store/repos/findings';
import type { TraceStore } from '../store/store';
import { blockStateOf } from './blockState';
import { maskedContext, type Span } from './maskedContext';
import { titleRedactor } from './publicTitles';
import { ruleDescription } from './ruleInfo';
import { reviewSession, type SessionReview } from './sessionReview';

export function listFindings(store: TraceStore, params: ListFindings.Params): ListFindings.Result {
	const selected = store.findings.list(params);
	const bySession = new Map<string, StoredFinding[]>();
	for (const f of selected) {
		const list = bySession.get(f.sessionId) ?? [];
		list.push(f);
		bySession.set(f.sessionId, list);
	}
	const findings: FindingDto[] = [];
	for (const [sessionId, wanted] of bySession) {
		const session = store.sessions.get(sessionId);
		if (!session) continue;
		findings.push(...toDtos(session, reviewSession(store, session), wanted));
	}
	return { findings, sessions: summaries(store, params.sessionId), rulesVersion: RULES_VERSION };
}

function toDtos(session: Session, review: SessionReview, wanted: readonly StoredFinding[]): FindingDto[] {
	const placeholderOf = new Map(review.applied.map((f, i) => [f.id, review.redacted.placeholders[i]]));
	// Per text a finding sits in, looked up once: the text, and the applied findings there with their placeholders.
	const fields = new Map<string, { text: string; applied: (Span & { placeholder: string })[] }>();
	const fieldOf = (ref: FieldRef) => {
		const key = fieldKey(ref);
		let field = fields.get(key);
		if (!field) fields.set(key, (field = { text: textAt(session, ref) ?? '', applied: [] }));
		return field;
	};
	for (const o of review.applied) fieldOf(o).applied.push({ start: o.start, end: o.end, placeholder: placeholderOf.get(o.id) ?? '[REDACTED]' });
	return wanted.map((f) => {
		const { text, applied: sameField } = fieldOf(f);
		return {
			id: f.id, sessionId: f.sessionId, ruleId: f.ruleId, kind: f.kind, severity: f.severity, action: f.action,
			description: ruleDescription(f.ruleId), messageIndex: f.messageIndex, field: f.field,
			start: f.start, end: f.end, line: f.line, column: f.column, fingerprint: f.fingerprint, state: f.state,
			placeholder: placeholderOf.get(f.id) ?? '(not redacted: marked as a false positive)',
			context: maskedContext(text, f, sameField),
		};
	});
}

function summaries(store: TraceStore, sessionId: string | undefined): SessionFindingsSummary[] {
	const publicTitle = titleRedactor(store);
	return store.findings.sessionTotals(sessionId).map((t) => {
		const block = blockStateOf(t.blocking > 0, t.decision ?? undefined);
		return { sessionId: t.sessionId, title: publicTitle(t.sessionId, t.title), agent: t.agent, startedAt: t.startedAt, open: t.open, confirmed: t.confirmed, falsePositive: t.falsePositive, block };
	});
}
