/** One open trace store: the database and its repositories. */
import { openDatabase, schemaVersion, type Db } from './db';
import { ConsentRepo } from './repos/consent';
import { FindingsRepo } from './repos/findings';
import { ForgottenRepo } from './repos/forgotten';
import { QualityRepo } from './repos/quality';
import { RatingsRepo } from './repos/ratings';
import { SessionsRepo } from './repos/sessions';
import { SourceFilesRepo } from './repos/sourceFiles';

export class TraceStore {
	readonly sourceFiles: SourceFilesRepo;
	readonly sessions: SessionsRepo;
	readonly consent: ConsentRepo;
	readonly findings: FindingsRepo;
	readonly ratings: RatingsRepo;
	readonly quality: QualityRepo;
	readonly forgotten: ForgottenRepo;

	private constructor(readonly path: string, readonly db: Db) {
		this.sourceFiles = new SourceFilesRepo(db);
		this.sessions = new SessionsRepo(db);
		this.consent = new ConsentRepo(db);
		this.findings = new FindingsRepo(db);
		this.ratings = new RatingsRepo(db);
		this.quality = new QualityRepo(db);
		this.forgotten = new ForgottenRepo(db);
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
