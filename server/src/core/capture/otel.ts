/**
 * OpenTelemetry GenAI spans exported as OTLP/JSON: a `.json` document
 * (`{resourceSpans:[{resource, scopeSpans:[{scope, spans}]}]}`) or JSON Lines with one such
 * document per line (what the Collector's file exporter writes, usually to a `.json` path: such
 * a file is read by line; see importing/readers.ts). Files named
 * `*.otlp.json` / `*.otlp.jsonl`, or any `.json` / `.jsonl` inside a folder named `otel` or
 * `otlp`; the global drop folder is `<data dir>/otel` beside the default store. A folder is read
 * at once, so a conversation exported over several files is one session.
 *
 * Attribute names follow the OpenTelemetry GenAI semantic conventions as published in
 * open-telemetry/semantic-conventions (docs/gen-ai/gen-ai-spans.md, gen-ai-events.md,
 * gen-ai-input-messages.json, gen-ai-output-messages.json and docs/registry/attributes/gen-ai.md,
 * before the conventions moved to open-telemetry/semantic-conventions-genai in 2026):
 * `gen_ai.operation.name`, `gen_ai.provider.name` (formerly `gen_ai.system`),
 * `gen_ai.request.model`, `gen_ai.response.model`, `gen_ai.conversation.id`,
 * `gen_ai.agent.name`, `gen_ai.system_instructions`, `gen_ai.input.messages`,
 * `gen_ai.output.messages`, `gen_ai.usage.input_tokens` / `output_tokens` /
 * `cache_read.input_tokens` / `cache_creation.input_tokens` / `reasoning.output_tokens`
 * (formerly `prompt_tokens` / `completion_tokens`), the `gen_ai.client.inference.operation.details`
 * event, `execute_tool` spans with `gen_ai.tool.name`, `gen_ai.tool.call.id`,
 * `gen_ai.tool.call.arguments`, `gen_ai.tool.call.result`, and the older `gen_ai.content.prompt` /
 * `gen_ai.content.completion` events carrying `gen_ai.prompt` / `gen_ai.completion`.
 * The session's agent version is the exporting service (`service.name service.version`).
 */
import * as path from 'node:path';
import type { SessionInput } from '../../../../shared/model';
import { defaultDataDir } from '../paths';
import type { AgentImporter, FileHead, ImportWarning, LocationEnv, RawFile } from './importer';
import { asObject } from './json';
import { AGENT, buildSessions } from './otel/conversation';
import { readSpans } from './otel/spans';
import { pathSegments, pathsFor } from './paths';

const PARSER_VERSION = 1;
const FOLDERS = new Set(['otel', 'otlp']);

export const otelImporter: AgentImporter = {
	agent: AGENT,
	parserVersion: PARSER_VERSION,

	defaultRoots(loc: LocationEnv): string[] {
		const p = pathsFor(loc);
		return [p.join(defaultDataDir(loc), 'otel')];
	},

	isSessionFile(file: string): boolean {
		const parts = pathSegments(file);
		const name = parts[parts.length - 1].toLowerCase();
		if (name.endsWith('.otlp.json') || name.endsWith('.otlp.jsonl')) {
			return true;
		}
		return (name.endsWith('.json') || name.endsWith('.jsonl')) && parts.slice(0, -1).some((part) => FOLDERS.has(part.toLowerCase()));
	},

	layoutOf(file: string) {
		return file.toLowerCase().endsWith('.jsonl') ? 'jsonl' : 'json';
	},

	/** A JSON Lines export starts with a one-line document; a pretty-printed one opens with its resourceSpans key. */
	sniff(head: FileHead): boolean {
		if (Array.isArray(asObject(head.firstRecord)?.resourceSpans)) {
			return true;
		}
		return /^\uFEFF?\s*\{\s*"resourceSpans"\s*:\s*\[/.test(head.text);
	},

	groupKey(file: string): string {
		return path.dirname(file);
	},

	parse(files: RawFile[]) {
		const warnings: ImportWarning[] = [];
		const ordered = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
		const sessions: SessionInput[] = buildSessions(readSpans(ordered, warnings), PARSER_VERSION, warnings);
		return { sessions, warnings };
	},
};
