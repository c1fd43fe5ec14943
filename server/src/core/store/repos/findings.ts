/** Stored findings per session, the scan stamps that say when to re-scan, and people's review decisions. */
import type { FindingAction, FindingKind, FindingSeverity, FindingState, SessionFindingsSummary } from '../../../../../shared/protocol';
import type { FieldFinding } from '../../redact/redactSession';
import type { Db } from '../db';
import { nowIso } from './sourceFiles';

export interface StoredFinding extends FieldFinding {
	readonly id: number;
	readonly sessionId: string;
	readonly fingerprint: string;
	readonly state: FindingState;
}

interface FindingRow {
	id: number;
	session_id: string;
	message_idx: number | null;
	field: string;
	start: number;
	end: number;
	line: number;
	col: number;
	rule_id: string;
	kind: string;
	severity: string;
	action: string;
	fingerprint: string;
	verdict: string | null;
}

export interface FindingFilter {
	sessionId?: string;
	states?: readonly FindingState[];
	severities?: readonly FindingSeverity[];
	ruleIds?: readonly string[];
}

export type SessionBlockDecision = 'block' | 'release';

/** The per-session summary before block decisions are applied: how many findings still block, and a person's decision. */
export type SessionTotals = Omit<SessionFindingsSummary, 'block'> & { blocking: number; decision: SessionBlockDecision | null };

const SELECT = `SELECT f.*, r.verdict FROM findings f LEFT JOIN value_reviews r ON r.fingerprint = f.fingerprint`;
/** Over `sessions s LEFT JOIN session_scans x`, with the rules version as parameter: never scanned, changed since, or scanned by other rules. */
const STALE = 'x.session_id IS NULL OR x.content_sha256 <> s.content_sha256 OR x.rules_version <> ?';
const SCANS = 'sessions s LEFT JOIN session_scans x ON x.session_id = s.id';

export class FindingsRepo {
	private readonly key;
	private readonly deleteOf;
	private readonly insert;
	private readonly stamp;
	private readonly staleOne;
	private readonly ofSession;
	private readonly review;
	private readonly unreview;
	private readonly blockOf;
	private readonly setBlock;
	private readonly clearBlock;
	private readonly log;
	private readonly scanStamp;
	private readonly lastReview;

	constructor(private readonly db: Db) {
		this.key = db.prepare<[], { value: Buffer }>(`SELECT value FROM store_keys WHERE name = 'fingerprint'`);
		this.deleteOf = db.prepare('DELETE FROM findings WHERE session_id = ?');
		this.insert = db.prepare(`INSERT INTO findings (session_id, message_idx, field, start, end, line, col, rule_id, kind, severity, action, fingerprint)
			VALUES (@session_id, @message_idx, @field, @start, @end, @line, @col, @rule_id, @kind, @severity, @action, @fingerprint)`);
		this.stamp = db.prepare(`INSERT INTO session_scans (session_id, content_sha256, rules_version, scanned_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (session_id) DO UPDATE SET content_sha256 = excluded.content_sha256, rules_version = excluded.rules_version, scanned_at = excluded.scanned_at`);
		this.staleOne = db.prepare<[string, number], { id: string }>(`SELECT s.id FROM ${SCANS} WHERE s.id = ? AND (${STALE})`);
		this.ofSession = db.prepare<[string], FindingRow>(`${SELECT} WHERE f.session_id = ? ORDER BY f.id`);
		this.review = db.prepare(`INSERT INTO value_reviews (fingerprint, verdict, rule_id, decided_at, origin) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (fingerprint) DO UPDATE SET verdict = excluded.verdict, decided_at = excluded.decided_at, origin = excluded.origin
			WHERE value_reviews.verdict <> excluded.verdict`);
		this.unreview = db.prepare('DELETE FROM value_reviews WHERE fingerprint = ?');
		this.blockOf = db.prepare<[string], { decision: SessionBlockDecision }>('SELECT decision FROM session_blocks WHERE session_id = ?');
		this.setBlock = db.prepare(`INSERT INTO session_blocks (session_id, decision, decided_at, origin) VALUES (?, ?, ?, ?)
			ON CONFLICT (session_id) DO UPDATE SET decision = excluded.decision, decided_at = excluded.decided_at, origin = excluded.origin
			WHERE session_blocks.decision <> excluded.decision`);
		this.clearBlock = db.prepare('DELETE FROM session_blocks WHERE session_id = ?');
		this.log = db.prepare('INSERT INTO review_log (subject, decision, decided_at, origin) VALUES (?, ?, ?, ?)');
		this.scanStamp = db.prepare<[string], { k: string }>(`SELECT content_sha256 || ':' || rules_version || ':' || scanned_at AS k FROM session_scans WHERE session_id = ?`);
		this.lastReview = db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM review_log');
	}

	/**
	 * What a session's redaction currently depends on: its last scan and the latest review decision
	 * anywhere (a false positive on one value changes every session holding it).
	 */
	redactionKey(sessionId: string): string {
		const scan = this.scanStamp.get(sessionId);
		const review = this.lastReview.get()!;
		return `${scan?.k ?? 'unscanned'}/${review.id ?? 0}`;
	}

	/** The per-store key fingerprints are computed under (created by the migration). */
	fingerprintKey(): Buffer {
		return this.key.get()!.value;
	}

	/** Sessions never scanned, changed since their scan, or scanned by other rules. */
	staleSessionIds(rulesVersion: number): string[] {
		return this.db.prepare<[number], { id: string }>(`SELECT s.id FROM ${SCANS} WHERE ${STALE} ORDER BY s.id`).all(rulesVersion).map((r) => r.id);
	}

	/** staleSessionIds for one session, without visiting the others. */
	isStale(sessionId: string, rulesVersion: number): boolean {
		return this.staleOne.get(sessionId, rulesVersion) !== undefined;
	}

	/** Replaces a session's findings and stamps the scan, in one transaction. */
	replace(sessionId: string, contentSha256: string, rulesVersion: number, findings: readonly FieldFinding[]): void {
		this.db.transaction(() => {
			this.deleteOf.run(sessionId);
			for (const f of findings) {
				this.insert.run({
					session_id: sessionId, message_idx: f.messageIndex, field: f.field, start: f.start, end: f.end, line: f.line, col: f.column,
					rule_id: f.ruleId, kind: f.kind, severity: f.severity, action: f.action, fingerprint: f.fingerprint ?? '',
				});
			}
			this.stamp.run(sessionId, contentSha256, rulesVersion, nowIso());
		})();
	}

	ofSessionId(sessionId: string): StoredFinding[] {
		return this.ofSession.all(sessionId).map(toFinding);
	}

	list(filter: FindingFilter = {}): StoredFinding[] {
		const where: string[] = [];
		const params: (string | number)[] = [];
		const any = (column: string, values: readonly string[] | undefined) => {
			if (!values) return;
			where.push(values.length ? `${column} IN (${values.map(() => '?').join(', ')})` : '0');
			params.push(...values);
		};
		if (filter.sessionId !== undefined) {
			where.push('f.session_id = ?');
			params.push(filter.sessionId);
		}
		any('f.severity', filter.severities);
		any('f.rule_id', filter.ruleIds);
		if (filter.states) {
			const verdicts = filter.states.map((s) => s === 'open' ? null : s);
			const parts = [
				...(verdicts.includes(null) ? ['r.verdict IS NULL'] : []),
				...(verdicts.some((v) => v !== null) ? [`r.verdict IN (${verdicts.filter((v) => v !== null).map(() => '?').join(', ')})`] : []),
			];
			where.push(parts.length ? `(${parts.join(' OR ')})` : '0');
			params.push(...verdicts.filter((v): v is Exclude<FindingState, 'open'> => v !== null));
		}
		return this.db.prepare<(string | number)[], FindingRow>(`${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
			ORDER BY f.session_id, f.id`).all(...params).map(toFinding);
	}

	byIds(ids: readonly number[]): StoredFinding[] {
		if (ids.length === 0) return [];
		return this.db.prepare<number[], FindingRow>(`${SELECT} WHERE f.id IN (${ids.map(() => '?').join(', ')})`).all(...ids).map(toFinding);
	}

	/** Per session with findings or a block decision: counts by state, how many findings still block, and the block decision. */
	sessionTotals(sessionId?: string): SessionTotals[] {
		return this.db.prepare<string[], SessionTotals>(`WITH per AS (
				SELECT f.session_id,
					sum(r.verdict IS NULL) AS open,
					sum(coalesce(r.verdict = 'confirmed', 0)) AS confirmed,
					sum(coalesce(r.verdict = 'false-positive', 0)) AS falsePositive,
					sum(f.action = 'block' AND coalesce(r.verdict, '') <> 'false-positive') AS blocking
				FROM findings f LEFT JOIN value_reviews r ON r.fingerprint = f.fingerprint GROUP BY f.session_id
				UNION ALL SELECT session_id, 0, 0, 0, 0 FROM session_blocks WHERE session_id NOT IN (SELECT session_id FROM findings)
			)
			SELECT s.id AS sessionId, s.title, s.agent, s.started_at AS startedAt, per.open, per.confirmed, per.falsePositive, per.blocking, b.decision
			FROM per JOIN sessions s ON s.id = per.session_id LEFT JOIN session_blocks b ON b.session_id = s.id ${sessionId === undefined ? '' : 'WHERE s.id = ?'}
			ORDER BY s.started_at DESC, s.id`).all(...(sessionId === undefined ? [] : [sessionId]));
	}

	/** Per session, the findings in its title that are still applied (not false positives), for lists that show titles. */
	appliedTitleFindings(): Map<string, StoredFinding[]> {
		const bySession = new Map<string, StoredFinding[]>();
		for (const row of this.db.prepare<[], FindingRow>(`${SELECT} WHERE f.message_idx IS NULL AND coalesce(r.verdict, '') <> 'false-positive' ORDER BY f.session_id, f.start`).all()) {
			const f = toFinding(row);
			const list = bySession.get(f.sessionId);
			if (list) list.push(f);
			else bySession.set(f.sessionId, [f]);
		}
		return bySession;
	}

	/** Sessions holding any of these fingerprints (for "this value was sent to an agent"). */
	sessionsWithFingerprints(fingerprints: readonly string[]): { fingerprint: string; sessionId: string }[] {
		if (fingerprints.length === 0) return [];
		return this.db.prepare<string[], { fingerprint: string; sessionId: string }>(`SELECT DISTINCT fingerprint, session_id AS sessionId FROM findings
			WHERE fingerprint IN (${fingerprints.map(() => '?').join(', ')}) ORDER BY session_id`).all(...fingerprints);
	}

	/** Records a verdict on values; returns the fingerprints whose verdict changed. */
	setVerdict(values: readonly { fingerprint: string; ruleId: string }[], verdict: 'confirmed' | 'false-positive' | null, origin: string): string[] {
		const changed: string[] = [];
		this.db.transaction(() => {
			const at = nowIso();
			for (const { fingerprint, ruleId } of values) {
				const result = verdict === null ? this.unreview.run(fingerprint) : this.review.run(fingerprint, verdict, ruleId, at, origin);
				if (result.changes > 0) {
					this.log.run(`value:${fingerprint.slice(0, 16)}`, verdict ?? 'reopen', at, origin);
					changed.push(fingerprint);
				}
			}
		})();
		return changed;
	}

	allowlisted(): Set<string> {
		return new Set(this.db.prepare<[], { fingerprint: string }>(`SELECT fingerprint FROM value_reviews WHERE verdict = 'false-positive'`).all().map((r) => r.fingerprint));
	}

	blockDecision(sessionId: string): SessionBlockDecision | undefined {
		return this.blockOf.get(sessionId)?.decision;
	}

	/** Returns the session ids whose decision changed. */
	setBlockDecision(sessionIds: readonly string[], decision: SessionBlockDecision | null, origin: string): string[] {
		const changed: string[] = [];
		this.db.transaction(() => {
			const at = nowIso();
			for (const id of sessionIds) {
				const result = decision === null ? this.clearBlock.run(id) : this.setBlock.run(id, decision, at, origin);
				if (result.changes > 0) {
					this.log.run(`session:${id}`, decision ?? 'clear', at, origin);
					changed.push(id);
				}
			}
		})();
		return changed;
	}
}

function toFinding(row: FindingRow): StoredFinding {
	return {
		id: row.id, sessionId: row.session_id, messageIndex: row.message_idx, field: row.field,
		start: row.start, end: row.end, line: row.line, column: row.col,
		ruleId: row.rule_id, kind: row.kind as FindingKind, severity: row.severity as FindingSeverity, action: row.action as FindingAction,
		fingerprint: row.fingerprint, state: (row.verdict ?? 'open') as FindingState,
	};
}
