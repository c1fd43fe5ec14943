/** Derived sessions and their messages; consent lives in its own repo. */
import { createHash } from 'node:crypto';
import type { Message, Session, SessionSummary } from '../../../../../shared/model';
import type { Db } from '../db';
import { nowIso } from './sourceFiles';

interface SessionRow {
	id: string;
	header: string;
	content_sha256: string;
	message_count: number;
	total_tokens: number;
	opted_in: number | null;
	consent_at: string | null;
}

export type UpsertOutcome = 'added' | 'updated' | 'unchanged';

export class SessionsRepo {
	private readonly hashOf;
	private readonly insert;
	private readonly update;
	private readonly deleteMessages;
	private readonly insertMessage;
	private readonly one;
	private readonly messagesOf;

	constructor(private readonly db: Db) {
		this.hashOf = db.prepare<[string], { content_sha256: string }>('SELECT content_sha256 FROM sessions WHERE id = ?');
		const columns = `agent = @agent, group_key = @group_key, parser_version = @parser_version, content_sha256 = @content_sha256, title = @title,
			cwd = @cwd, started_at = @started_at, ended_at = @ended_at, model = @model, parent_session_id = @parent_session_id,
			message_count = @message_count, total_tokens = @total_tokens, header = @header, updated_at = @now`;
		this.insert = db.prepare(`INSERT INTO sessions (id, agent, group_key, parser_version, content_sha256, title, cwd, started_at, ended_at, model,
			parent_session_id, message_count, total_tokens, header, first_imported_at, updated_at)
			VALUES (@id, @agent, @group_key, @parser_version, @content_sha256, @title, @cwd, @started_at, @ended_at, @model,
			@parent_session_id, @message_count, @total_tokens, @header, @now, @now)`);
		this.update = db.prepare(`UPDATE sessions SET ${columns} WHERE id = @id`);
		this.deleteMessages = db.prepare('DELETE FROM messages WHERE session_id = ?');
		this.insertMessage = db.prepare('INSERT INTO messages (session_id, idx, role, context, content, data) VALUES (?, ?, ?, ?, ?, ?)');
		this.one = db.prepare<[string], SessionRow>(`SELECT s.id, s.header, s.content_sha256, s.message_count, s.total_tokens, c.opted_in, c.changed_at AS consent_at
			FROM sessions s LEFT JOIN consent c ON c.session_id = s.id WHERE s.id = ?`);
		this.messagesOf = db.prepare<[string], { data: string }>('SELECT data FROM messages WHERE session_id = ? ORDER BY idx');
	}

	/** Writes a derived session unless its content is unchanged. Call inside a transaction. */
	upsert(session: Session, groupKey: string): UpsertOutcome {
		const json = JSON.stringify(session);
		const sha = createHash('sha256').update(json).digest('hex');
		const previous = this.hashOf.get(session.id);
		if (previous?.content_sha256 === sha) {
			return 'unchanged';
		}
		const { messages, ...header } = session;
		const u = session.usage;
		const params = {
			id: session.id, agent: session.agent, group_key: groupKey, parser_version: session.parser_version, content_sha256: sha,
			title: session.title, cwd: session.cwd, started_at: session.started_at, ended_at: session.ended_at, model: session.model,
			parent_session_id: session.parent_session_id, message_count: messages.length,
			total_tokens: u.input_tokens + u.output_tokens + u.cache_read_tokens + u.cache_creation_tokens,
			header: JSON.stringify(header), now: nowIso(),
		};
		(previous ? this.update : this.insert).run(params);
		this.deleteMessages.run(session.id);
		messages.forEach((m, i) => this.insertMessage.run(session.id, i, m.role, m.context, m.content, JSON.stringify(m)));
		return previous ? 'updated' : 'added';
	}

	get(id: string): Session | undefined {
		const row = this.one.get(id);
		if (!row) {
			return undefined;
		}
		const messages = this.messagesOf.all(id).map((m) => JSON.parse(m.data) as Message);
		return { ...(JSON.parse(row.header) as Omit<Session, 'messages'>), messages };
	}

	list(filter: { agent?: string; optedInOnly?: boolean } = {}): SessionSummary[] {
		const where: string[] = [];
		const params: string[] = [];
		if (filter.agent) {
			where.push('s.agent = ?');
			params.push(filter.agent);
		}
		if (filter.optedInOnly) {
			where.push('c.opted_in = 1');
		}
		const rows = this.db.prepare<string[], SessionRow>(`SELECT s.id, s.header, s.content_sha256, s.message_count, s.total_tokens, c.opted_in, c.changed_at AS consent_at
			FROM sessions s LEFT JOIN consent c ON c.session_id = s.id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
			ORDER BY s.started_at DESC, s.id`).all(...params);
		return rows.map(toSummary);
	}

	/** Full ids matching an id, or the agent's own id / a unique prefix of it. */
	resolveId(query: string): string[] {
		const exact = this.db.prepare<[string], { id: string }>('SELECT id FROM sessions WHERE id = ?').get(query);
		if (exact) {
			return [exact.id];
		}
		const like = `${query.replace(/[%_\\]/g, '\\$&')}%`;
		return this.db.prepare<[string, string], { id: string }>(
			`SELECT id FROM sessions WHERE id LIKE ? ESCAPE '\\' OR substr(id, instr(id, ':') + 1) LIKE ? ESCAPE '\\' ORDER BY id`,
		).all(like, like).map((r) => r.id);
	}

	/** Hash of the session's stored content; changes whenever a re-import changes the session. */
	contentSha(id: string): string | undefined {
		return this.hashOf.get(id)?.content_sha256;
	}

	isOptedIn(id: string): boolean {
		return this.one.get(id)?.opted_in === 1;
	}

	countInGroup(agent: string, groupKey: string): number {
		return this.db.prepare<[string, string], { n: number }>('SELECT count(*) AS n FROM sessions WHERE agent = ? AND group_key = ?').get(agent, groupKey)!.n;
	}

	countByAgent(): Map<string, number> {
		const rows = this.db.prepare<[], { agent: string; n: number }>('SELECT agent, count(*) AS n FROM sessions GROUP BY agent').all();
		return new Map(rows.map((r) => [r.agent, r.n]));
	}

	childrenOf(id: string): string[] {
		return this.db.prepare<[string], { id: string }>('SELECT id FROM sessions WHERE parent_session_id = ? ORDER BY id').all(id).map((r) => r.id);
	}

	counts(): { sessions: number; messages: number; optedIn: number } {
		return this.db.prepare<[], { sessions: number; messages: number; optedIn: number }>(`SELECT
			(SELECT count(*) FROM sessions) AS sessions,
			(SELECT coalesce(sum(message_count), 0) FROM sessions) AS messages,
			(SELECT count(*) FROM sessions s JOIN consent c ON c.session_id = s.id WHERE c.opted_in = 1) AS optedIn`).get()!;
	}
}

function toSummary(row: SessionRow): SessionSummary {
	const header = JSON.parse(row.header) as Omit<Session, 'messages'>;
	const { usage: _usage, models: _models, schema_version: _schema, ...rest } = header;
	return {
		...rest,
		message_count: row.message_count,
		total_tokens: row.total_tokens,
		opted_in: row.opted_in === 1,
		consent_at: row.consent_at,
		workspace: header.cwd,
	};
}
