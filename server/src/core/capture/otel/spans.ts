/**
 * OTLP/JSON trace documents (`{resourceSpans:[{resource, scopeSpans:[{scope, spans}]}]}`, as the
 * Collector's file exporter and the OTLP/HTTP JSON encoding write them) to flat spans with
 * decoded attributes. Follows the OTLP/JSON mapping: ids are hex strings, 64-bit integers and
 * nanosecond times may be strings, attribute values are `AnyValue` objects.
 */
import type { ImportWarning, RawFile, RawRecord } from '../importer';
import { asArray, asObject, asString, asText, type JsonObject } from '../json';

export interface SpanEvent {
	name: string;
	time?: string;
	attributes: Map<string, unknown>;
}

export interface Span {
	traceId: string;
	spanId: string;
	parentSpanId?: string;
	name: string;
	start?: string;
	end?: string;
	attributes: Map<string, unknown>;
	resource: Map<string, unknown>;
	events: SpanEvent[];
	/** OTLP status code 2 = ERROR. */
	failed: boolean;
	statusMessage?: string;
	file: string;
	line: number;
}

export function readSpans(files: readonly RawFile[], warnings: ImportWarning[]): Span[] {
	const spans: Span[] = [];
	for (const file of files) {
		for (const record of file.records) {
			if (record.value === undefined) continue;
			readDocument(file.path, record, spans, warnings);
		}
	}
	return spans;
}

function readDocument(file: string, record: RawRecord, spans: Span[], warnings: ImportWarning[]): void {
	const document = asObject(record.value);
	if (document === undefined || !Array.isArray(document.resourceSpans)) {
		warnings.push({ file, line: record.line, message: 'expected an OTLP JSON traces document ({"resourceSpans": [...]}); skipped' });
		return;
	}
	const lineOf = spanLines(record);
	for (const resourceSpans of asArray(document.resourceSpans)) {
		const resource = attributeMap(asObject(asObject(resourceSpans)?.resource)?.attributes);
		for (const scopeSpans of asArray(asObject(resourceSpans)?.scopeSpans)) {
			for (const raw of asArray(asObject(scopeSpans)?.spans)) {
				const span = asObject(raw);
				const traceId = asText(span?.traceId);
				const spanId = asText(span?.spanId);
				if (span === undefined || traceId === undefined || spanId === undefined) {
					warnings.push({ file, line: record.line, message: 'span without traceId and spanId (expected an OTLP span object); skipped' });
					continue;
				}
				spans.push(toSpan(span, traceId, spanId, resource, file, lineOf(spanId)));
			}
		}
	}
}

function toSpan(span: JsonObject, traceId: string, spanId: string, resource: Map<string, unknown>, file: string, line: number): Span {
	const status = asObject(span.status);
	return {
		traceId,
		spanId,
		...(asText(span.parentSpanId) === undefined ? {} : { parentSpanId: asText(span.parentSpanId) }),
		name: asString(span.name) ?? '',
		start: isoFromNanos(span.startTimeUnixNano),
		end: isoFromNanos(span.endTimeUnixNano),
		attributes: attributeMap(span.attributes),
		resource,
		events: asArray(span.events).flatMap((raw) => {
			const event = asObject(raw);
			return event === undefined ? [] : [{ name: asString(event.name) ?? '', time: isoFromNanos(event.timeUnixNano), attributes: attributeMap(event.attributes) }];
		}),
		failed: status?.code === 2 || status?.code === 'STATUS_CODE_ERROR',
		...(asText(status?.message) === undefined ? {} : { statusMessage: asText(status?.message) }),
		file,
		line,
	};
}

/** `[{key, value: AnyValue}]` to a map of plain values. */
export function attributeMap(raw: unknown): Map<string, unknown> {
	const map = new Map<string, unknown>();
	for (const item of asArray(raw)) {
		const attribute = asObject(item);
		const key = asString(attribute?.key);
		if (key !== undefined) {
			map.set(key, anyValue(attribute?.value));
		}
	}
	return map;
}

function anyValue(raw: unknown): unknown {
	const value = asObject(raw);
	if (value === undefined) return undefined;
	if ('stringValue' in value) return value.stringValue;
	if ('boolValue' in value) return value.boolValue;
	if ('intValue' in value) return Number(value.intValue);
	if ('doubleValue' in value) return Number(value.doubleValue);
	if ('bytesValue' in value) return value.bytesValue;
	if ('arrayValue' in value) return asArray(asObject(value.arrayValue)?.values).map(anyValue);
	if ('kvlistValue' in value) return Object.fromEntries(attributeMap(asObject(value.kvlistValue)?.values));
	return undefined;
}

/** Nanoseconds since the epoch (a string or a number) to UTC ISO with milliseconds. */
export function isoFromNanos(raw: unknown): string | undefined {
	let millis: number;
	try {
		if (typeof raw === 'string' && /^\d+$/.test(raw)) {
			millis = Number(BigInt(raw) / 1_000_000n);
		} else if (typeof raw === 'number' && Number.isFinite(raw)) {
			millis = Math.floor(raw / 1_000_000);
		} else {
			return undefined;
		}
	} catch {
		return undefined;
	}
	return millis > 0 ? new Date(millis).toISOString() : undefined;
}

/**
 * Where each span sits in a pretty-printed document: the line of its `"spanId"` field. A JSON Lines
 * document is one line, so every span of it is on the record's line.
 */
function spanLines(record: RawRecord): (spanId: string) => number {
	if (!record.text.includes('\n')) {
		return () => record.line;
	}
	const lines = new Map<string, number>();
	const pattern = /"spanId"\s*:\s*"([^"]*)"/g;
	let line = record.line;
	let scanned = 0;
	for (let match = pattern.exec(record.text); match !== null; match = pattern.exec(record.text)) {
		for (let i = record.text.indexOf('\n', scanned); i !== -1 && i < match.index; i = record.text.indexOf('\n', i + 1)) {
			line++;
			scanned = i + 1;
		}
		if (!lines.has(match[1])) lines.set(match[1], line);
	}
	return (spanId) => lines.get(spanId) ?? record.line;
}
