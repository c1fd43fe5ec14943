/** One open trace store: the database and its repositories. */
import { openDatabase, schemaVersion, type Db } from './db';
import { ConsentRepo } from './repos/consent';
import { FindingsRepo } from './repos/findings';
import { SessionsRepo } from './repos/sessions';
import { SourceFilesRepo } from './repos/sourceFiles';

export class TraceStore {
	readonly sourceFiles: SourceFilesRepo;
	readonly sessions: SessionsRepo;
	readonly consent: ConsentRepo;
	readonly findings: FindingsRepo;

	private constructor(readonly path: string, readonly db: Db) {
		this.sourceFiles = new SourceFilesRepo(db);
		this.sessions = new SessionsRepo(db);
		this.consent = new ConsentRepo(db);
		this.findings = new FindingsRepo(db);
	}

	static open(path: string): TraceStore {
		return new TraceStore(path, openDatabase(path));
	}

	get schemaVersion(): number {
		return schemaVersion(this.db);
	}

	close(): void {
		this.db.close();
	}
}
