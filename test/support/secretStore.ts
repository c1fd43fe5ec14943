/** The secret sessions (secretSession.mjs) written into a temp folder and imported into a fresh store there. */
import * as path from 'node:path';
import { Tracemint } from '../../server/src/core/tracemint';
import { noHome, tempDir } from './fixtures';
import { writeSecretSessions, type SecretSessions } from './secretSession.mjs';

export interface SecretStore {
	dir: string;
	workspace: string;
	secrets: SecretSessions;
	storePath: string;
	core: Tracemint;
	report: ReturnType<Tracemint['importSessions']>;
}

/** `beforeImport` may rewrite the workspace or the logs first; `scan: false` imports without the secret scan. */
export function secretStore(options: { scan?: boolean; beforeImport?: (secrets: SecretSessions, workspace: string) => void } = {}): SecretStore {
	const dir = tempDir();
	const workspace = path.join(dir, 'workspace');
	const secrets = writeSecretSessions(workspace, path.join(dir, 'logs'));
	options.beforeImport?.(secrets, workspace);
	const storePath = path.join(dir, 'store.sqlite');
	const core = Tracemint.open(storePath, noHome);
	const report = core.importSessions({ paths: [secrets.logsDir], scan: options.scan });
	return { dir, workspace, secrets, storePath, core, report };
}
