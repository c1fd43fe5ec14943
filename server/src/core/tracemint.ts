/**
 * The backend core as one object: everything the CLI and the LSP server do goes through
 * here, so both adapters run the same code. No editor or LSP imports below this folder.
 */
import type { AgentId, Session, SessionSummary } from '../../../shared/model';
import type { ExportReport, ImportReport, StoreStatus } from '../../../shared/protocol';
import { importers } from './capture/registry';
import type { LocationEnv } from './capture/importer';
import { exportDataset, type ExportOptions } from './export/exportDataset';
import { ImportRunner } from './importing/importRunner';
import { currentLocationEnv, resolveStorePath } from './paths';
import { TraceStore } from './store/store';
import { renderTranscript } from './transcript';

export class UnknownSessionError extends Error {
	constructor(query: string, matches: string[]) {
		super(matches.length === 0
			? `No session matches "${query}". List them with: tracemint sessions`
			: `"${query}" matches ${matches.length} sessions (${matches.slice(0, 3).join(', ')}${matches.length > 3 ? ', …' : ''}); give more of the id.`);
		this.name = 'UnknownSessionError';
	}
}

export class Tracemint {
	private constructor(readonly store: TraceStore, private readonly loc: LocationEnv) {}

	/** Opens (creating if needed) the store at `storePath`, TRACEMINT_STORE, or the platform default. */
	static open(storePath?: string, loc: LocationEnv = currentLocationEnv()): Tracemint {
		return new Tracemint(TraceStore.open(resolveStorePath(storePath, loc)), loc);
	}

	importSessions(options: { paths?: string[]; agent?: AgentId; log?: (line: string) => void } = {}): ImportReport & { changedSessionIds: string[] } {
		return new ImportRunner(this.store, importers, this.loc).run(options);
	}

	listSessions(filter: { agent?: AgentId; optedInOnly?: boolean } = {}): SessionSummary[] {
		return this.store.sessions.list(filter);
	}

	/** Resolves a full id, the agent's own id, or a unique prefix of either. */
	resolveSessionId(query: string): string {
		const matches = this.store.sessions.resolveId(query);
		if (matches.length !== 1) {
			throw new UnknownSessionError(query, matches);
		}
		return matches[0];
	}

	getSession(query: string): Session {
		return this.store.sessions.get(this.resolveSessionId(query))!;
	}

	isOptedIn(id: string): boolean {
		return this.store.sessions.isOptedIn(id);
	}

	renderTranscript(query: string): { title: string; text: string } {
		const session = this.getSession(query);
		return { title: session.title ?? session.id, text: renderTranscript(session, this.isOptedIn(session.id)) };
	}

	/** Consent given to a session covers the subagent sessions it spawned. */
	setConsent(queries: string[], optedIn: boolean, origin: string): { changed: string[]; unknown: string[] } {
		const ids: string[] = [];
		const unknown: string[] = [];
		for (const query of queries) {
			const matches = this.store.sessions.resolveId(query);
			if (matches.length === 1) {
				ids.push(...this.withDescendants(matches[0]));
			} else {
				unknown.push(query);
			}
		}
		return { changed: this.store.consent.set([...new Set(ids)], optedIn, origin), unknown };
	}

	exportDataset(options: ExportOptions): ExportReport {
		return exportDataset(this.store, importers, options);
	}

	status(): StoreStatus {
		const counts = this.store.sessions.counts();
		return { store: this.store.path, sessions: counts.sessions, optedIn: counts.optedIn, messages: counts.messages, schemaVersion: this.store.schemaVersion };
	}

	close(): void {
		this.store.close();
	}

	private withDescendants(id: string): string[] {
		const all = [id];
		for (let i = 0; i < all.length; i++) {
			all.push(...this.store.sessions.childrenOf(all[i]).filter((child) => !all.includes(child)));
		}
		return all;
	}
}
