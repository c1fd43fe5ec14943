/**
 * Raw lines to validated trace records. A line that is not a record of this format version is
 * skipped with a warning naming its file, line and what was expected; the rest still imports.
 * Lines that are not JSON at all were already counted and reported by the import runner.
 */
import {
	TRACE_FORMAT_VERSION, TRACE_RECORD_SCHEMAS, TRACE_RECORD_TYPES, isTraceRecordType, type TraceRecord,
} from '../../../../../shared/traceFormat';
import type { ImportWarning, RawFile } from '../importer';
import { asObject } from '../json';

export interface TraceLine {
	record: TraceRecord;
	file: string;
	line: number;
}

export function readTraceLines(files: readonly RawFile[], warnings: ImportWarning[]): TraceLine[] {
	const lines: TraceLine[] = [];
	for (const file of files) {
		for (const raw of file.records) {
			if (raw.value === undefined) continue;
			const record = validate(raw.value, (message) => warnings.push({ file: file.path, line: raw.line, message }));
			if (record !== undefined) {
				lines.push({ record, file: file.path, line: raw.line });
			}
		}
	}
	return lines;
}

function validate(value: unknown, warn: (message: string) => void): TraceRecord | undefined {
	const object = asObject(value);
	if (object === undefined) {
		warn(`expected a tracemint record (a JSON object with "type" and "v"); line skipped`);
		return undefined;
	}
	if (typeof object.v === 'number' && object.v > TRACE_FORMAT_VERSION) {
		warn(`record of trace format version ${object.v}; this reader knows version ${TRACE_FORMAT_VERSION}; line skipped`);
		return undefined;
	}
	const type = object.type;
	if (!isTraceRecordType(type)) {
		warn(`unknown record type ${JSON.stringify(type ?? null)} (expected one of ${TRACE_RECORD_TYPES.join(', ')}); line skipped`);
		return undefined;
	}
	const checked = TRACE_RECORD_SCHEMAS[type].safeParse(object);
	if (!checked.success) {
		const issue = checked.error.issues[0];
		const where = issue.path.length > 0 ? issue.path.join('.') : 'record';
		warn(`not a valid tracemint ${type} record: ${where}: ${issue.message}; line skipped`);
		return undefined;
	}
	return checked.data;
}
