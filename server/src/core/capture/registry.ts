/** Every importer Tracemint knows, in sniffing order. */
import type { AgentId } from '../../../../shared/model';
import { claudeCodeImporter } from './claudeCode';
import { codexImporter } from './codex';
import type { AgentImporter } from './importer';

export const importers: readonly AgentImporter[] = [claudeCodeImporter, codexImporter];

export function importerFor(agent: AgentId): AgentImporter {
	const found = importers.find((i) => i.agent === agent);
	if (!found) {
		throw new Error(`No importer for agent "${agent}". Known: ${importers.map((i) => i.agent).join(', ')}.`);
	}
	return found;
}
