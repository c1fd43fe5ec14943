/**
 * What Copilot Chat sends the model besides the typed request, turned into context messages
 * (never human turns):
 * - `variableData.variables`: what was attached to the request (#file, selections, problems,
 *   pasted code, prompt and instruction files). Prompt and instruction files (`promptFile`,
 *   `promptText`) steer the model like AGENTS.md does, so they are `instructions`; everything
 *   else describes the workspace the user pointed at, so it is `environment`. Tool references
 *   (`tool`, `toolset`) only enable tools and are not context.
 * - `result.metadata.renderedGlobalContext`: the environment and workspace block Copilot
 *   prepends to the conversation (OS, shell, folders), kept once per distinct text.
 */
import type { ContextKind } from '../../../../../shared/model';
import { asArray, asObject, asString, type JsonObject } from '../json';
import { pathOfUriValue } from './uri';

const INSTRUCTION_KINDS = new Set(['promptFile', 'promptText']);
const NOT_CONTEXT_KINDS = new Set(['tool', 'toolset']);

export interface ContextBlock {
	kind: ContextKind;
	text: string;
}

/** The attachments of one request as at most two blocks: instructions first, then environment. */
export function attachedContext(variableData: unknown): ContextBlock[] {
	const instructions: string[] = [];
	const environment: string[] = [];
	for (const item of asArray(asObject(variableData)?.variables)) {
		const variable = asObject(item);
		const kind = asString(variable?.kind) ?? 'generic';
		if (variable === undefined || NOT_CONTEXT_KINDS.has(kind)) {
			continue;
		}
		(INSTRUCTION_KINDS.has(kind) ? instructions : environment).push(describe(variable, kind));
	}
	const blocks: ContextBlock[] = [];
	if (instructions.length > 0) blocks.push({ kind: 'instructions', text: instructions.join('\n\n') });
	if (environment.length > 0) blocks.push({ kind: 'environment', text: environment.join('\n\n') });
	return blocks;
}

/** One attachment as text: its name and target, plus inline content when the log carries it. */
function describe(variable: JsonObject, kind: string): string {
	const name = asString(variable.name) ?? asString(variable.id) ?? kind;
	const value = variable.value;
	const location = pathOfUriValue(value) ?? pathOfUriValue(asObject(value)?.uri) ?? pathOfUriValue(variable.uri);
	const header = `[${kind}] ${name}${location !== undefined && location !== name ? ` (${location})` : ''}`;
	const inline = asString(variable.code) ?? asString(variable.output) ?? (typeof value === 'string' ? value : asString(asObject(value)?.value));
	return inline !== undefined && inline.trim().length > 0 ? `${header}\n${inline}` : header;
}

/** Text parts of a rendered prompt (`[{type: 1, text}, {type: 3, cacheType}]`), joined. */
export function renderedText(parts: unknown): string | undefined {
	const texts = asArray(parts).map((part) => asString(asObject(part)?.text)).filter((text) => text !== undefined && text.trim().length > 0);
	return texts.length > 0 ? texts.join('\n') : undefined;
}
