/**
 * Every importer Tracemint knows, in sniffing order: the agents whose files are most common
 * first; the generic formats (our own traces, OTLP) last, since anyone can write those.
 */
import type { AgentId } from '../../../../shared/model';
import { aiderImporter } from './aider';
import { claudeCodeImporter } from './claudeCode';
import { clineImporter, kiloImporter, rooImporter } from './cline';
import { codexImporter } from './codex';
import { continueImporter } from './continueDev';
import { copilotChatImporter } from './copilotChat';
import { copilotCliImporter } from './copilotCli';
import { cursorImporter } from './cursor';
import { geminiCliImporter } from './geminiCli';
import type { AgentImporter } from './importer';
import { otelImporter } from './otel';
import { tracemintTracesImporter } from './tracemintTraces';

export const importers: readonly AgentImporter[] = [
	claudeCodeImporter, codexImporter, clineImporter, rooImporter, kiloImporter, copilotChatImporter, copilotCliImporter,
	aiderImporter, geminiCliImporter, continueImporter, cursorImporter, tracemintTracesImporter, otelImporter,
];

export function importerFor(agent: AgentId): AgentImporter {
	const found = importers.find((i) => i.agent === agent);
	if (!found) {
		throw new Error(`No importer for agent "${agent}". Known: ${importers.map((i) => i.agent).join(', ')}.`);
	}
	return found;
}
