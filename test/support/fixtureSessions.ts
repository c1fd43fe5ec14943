/** Every session of the real fixture logs, parsed by the real importers without a store. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Session } from '../../shared/model';
import { claudeCodeImporter } from '../../server/src/core/capture/claudeCode';
import { codexImporter } from '../../server/src/core/capture/codex';
import type { AgentImporter } from '../../server/src/core/capture/importer';
import { recordsOf } from '../../server/src/core/importing/lines';
import { FIXTURES, filesUnder } from './fixtures';

export function fixtureSessions(): Session[] {
	const sessions: Session[] = [];
	for (const [importer, dir] of [[claudeCodeImporter, 'claude-code'], [codexImporter, 'codex']] as Array<[AgentImporter, string]>) {
		const groups = new Map<string, string[]>();
		for (const file of filesUnder(path.join(FIXTURES, dir), '').filter((f) => importer.isSessionFile(f))) {
			groups.set(importer.groupKey(file), [...(groups.get(importer.groupKey(file)) ?? []), file]);
		}
		for (const files of groups.values()) {
			const result = importer.parse(files.map((file) => ({ path: file, records: recordsOf(fs.readFileSync(file)) })));
			sessions.push(...result.sessions.map((s) => Session.parse(s)));
		}
	}
	return sessions;
}
