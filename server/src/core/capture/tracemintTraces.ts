/**
 * The native Tracemint trace format (shared/traceFormat.ts, docs/trace-format.md): JSONL files
 * named `*.trace.jsonl`, or any `.jsonl` inside a `traces` folder. The global folder is
 * `<data dir>/traces` beside the default store; workspace `.tracemint/traces/` folders are added
 * by the watcher. A folder is parsed at once, so a session may continue in another file.
 */
import * as path from 'node:path';
import type { SessionInput } from '../../../../shared/model';
import { TRACE_FORMAT_VERSION, isTraceRecordType } from '../../../../shared/traceFormat';
import { defaultDataDir } from '../paths';
import type { AgentImporter, FileHead, ImportWarning, LocationEnv, RawFile } from './importer';
import { asObject } from './json';
import { readTraceLines } from './traces/records';
import { AGENT, buildSessions } from './traces/sessions';
import { pathSegments, pathsFor } from './paths';

const PARSER_VERSION = 1;

export const tracemintTracesImporter: AgentImporter = {
	agent: AGENT,
	parserVersion: PARSER_VERSION,

	defaultRoots(loc: LocationEnv): string[] {
		const p = pathsFor(loc);
		return [p.join(defaultDataDir(loc), 'traces')];
	},

	isSessionFile(file: string): boolean {
		const parts = pathSegments(file);
		const name = parts[parts.length - 1].toLowerCase();
		return name.endsWith('.trace.jsonl') || (name.endsWith('.jsonl') && parts.slice(0, -1).includes('traces'));
	},

	layoutOf: () => 'jsonl',

	/** The first record of a trace file carries the format version and a known record type. */
	sniff(head: FileHead): boolean {
		const record = asObject(head.firstRecord);
		return record !== undefined && record.v === TRACE_FORMAT_VERSION && isTraceRecordType(record.type);
	},

	groupKey(file: string): string {
		return path.dirname(file);
	},

	parse(files: RawFile[]) {
		const warnings: ImportWarning[] = [];
		const ordered = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
		const sessions: SessionInput[] = buildSessions(readTraceLines(ordered, warnings), PARSER_VERSION, warnings);
		return { sessions, warnings };
	},
};
