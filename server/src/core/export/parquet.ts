/**
 * Parquet copy of a JSONL split, with the Arrow schema the format's features describe: what the
 * Hub's viewer and `datasets` read fastest. Streams one row group at a time; the same JSONL always
 * gives the same bytes (no timestamps, a fixed created_by).
 */
import { createReadStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { ParquetWriter, fileWriter } from 'hyparquet-writer';
import type { Feature } from './formats/format';

type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

export interface ParquetOptions {
	/** A row group closes at this many rows… */
	rowGroupRows?: number;
	/** …or once its JSON text reaches this many characters, so long transcripts keep memory bounded. */
	rowGroupChars?: number;
}

const DEFAULTS: Required<ParquetOptions> = { rowGroupRows: 4096, rowGroupChars: 32 * 1024 * 1024 };

/** Writes `parquetPath` (through a temporary file, so a failed write leaves nothing half-written). */
export async function jsonlToParquet(jsonlPath: string, parquetPath: string, features: Record<string, Feature>, options: ParquetOptions = {}): Promise<{ rows: number; bytes: number }> {
	const { rowGroupRows, rowGroupChars } = { ...DEFAULTS, ...options };
	const names = Object.keys(features);
	const temporary = `${parquetPath}.tmp`;
	const input = createReadStream(jsonlPath, { encoding: 'utf8' });
	try {
		const writer = new ParquetWriter({
			writer: fileWriter(temporary),
			schema: parquetSchema(features),
			codec: 'SNAPPY',
			createdBy: 'tracemint',
		});
		let group: Record<string, unknown>[] = [];
		let chars = 0;
		let rows = 0;
		let lineNo = 0;
		const flush = async () => {
			const columnData = names.map((name) => ({ name, data: group.map((row) => row[name]) }));
			await writer.write({ columnData, rowGroupSize: group.length });
			group = [];
			chars = 0;
			// Encoding a group is synchronous: let the server answer requests between groups.
			await yieldToLoop();
		};
		for await (const line of createInterface({ input, crlfDelay: Infinity })) {
			lineNo++;
			if (!line.trim()) continue;
			rows++;
			group.push(toRow(parseLine(line, lineNo), features, lineNo));
			chars += line.length;
			if (group.length >= rowGroupRows || chars >= rowGroupChars) await flush();
		}
		if (group.length) await flush();
		await writer.finish();
		await rename(temporary, parquetPath);
		return { rows, bytes: (await stat(parquetPath)).size };
	} catch (error) {
		await rm(temporary, { force: true });
		throw error;
	} finally {
		input.destroy();
	}
}

/**
 * The Parquet schema `pyarrow` writes for the same `datasets` features: every field optional,
 * lists as the 3-level LIST (`list` / `element`), structs as groups, json as a UTF8 string.
 */
export function parquetSchema(features: Record<string, Feature>): SchemaElement[] {
	const elements: SchemaElement[] = [{ name: 'schema', repetition_type: 'REQUIRED', num_children: Object.keys(features).length }];
	for (const [name, feature] of Object.entries(features)) elements.push(...fieldSchema(name, feature));
	return elements;
}

function fieldSchema(name: string, feature: Feature): SchemaElement[] {
	const repetition_type = 'OPTIONAL';
	switch (feature) {
		case 'string':
		case 'json':
			return [{ name, repetition_type, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } }];
		case 'bool':
			return [{ name, repetition_type, type: 'BOOLEAN' }];
		case 'int64':
			return [{ name, repetition_type, type: 'INT64' }];
		case 'float64':
			return [{ name, repetition_type, type: 'DOUBLE' }];
	}
	if ('list' in feature) {
		return [
			{ name, repetition_type, converted_type: 'LIST', logical_type: { type: 'LIST' }, num_children: 1 },
			{ name: 'list', repetition_type: 'REPEATED', num_children: 1 },
			...fieldSchema('element', feature.list),
		];
	}
	const fields = Object.entries(feature.struct);
	return [{ name, repetition_type, num_children: fields.length }, ...fields.flatMap(([field, child]) => fieldSchema(field, child))];
}

function parseLine(line: string, n: number): unknown {
	try {
		return JSON.parse(line);
	} catch (error) {
		throw new Error(`line ${n}: not JSON (${(error as Error).message})`);
	}
}

/** A parsed JSONL row as the writer takes it; a value that does not fit its feature is an error, never a silent null. */
function toRow(row: unknown, features: Record<string, Feature>, line: number): Record<string, unknown> {
	return toStruct(row, features, `line ${line}`) ?? fail(`line ${line}`, 'an object', row);
}

function toStruct(value: unknown, fields: Record<string, Feature>, path: string): Record<string, unknown> | null {
	if (value === null || value === undefined) return null;
	if (typeof value !== 'object' || Array.isArray(value)) fail(path, 'an object', value);
	const object = value as Record<string, unknown>;
	for (const key of Object.keys(object)) {
		if (!(key in fields)) throw new Error(`${path}: "${key}" is not a column of the format`);
	}
	const out: Record<string, unknown> = {};
	for (const [key, feature] of Object.entries(fields)) out[key] = toValue(object[key], feature, `${path}.${key}`);
	return out;
}

function toValue(value: unknown, feature: Feature, path: string): unknown {
	if (value === null || value === undefined) return null;
	switch (feature) {
		case 'json':
			return JSON.stringify(value);
		case 'string':
			return typeof value === 'string' ? value : fail(path, 'a string', value);
		case 'bool':
			return typeof value === 'boolean' ? value : fail(path, 'a boolean', value);
		case 'int64':
			return Number.isInteger(value) ? BigInt(value as number) : fail(path, 'an integer', value);
		case 'float64':
			return typeof value === 'number' ? value : fail(path, 'a number', value);
	}
	if ('list' in feature) {
		return Array.isArray(value) ? value.map((item, i) => toValue(item, feature.list, `${path}[${i}]`)) : fail(path, 'a list', value);
	}
	return toStruct(value, feature.struct, path);
}

function fail(path: string, expected: string, value: unknown): never {
	throw new Error(`${path}: expected ${expected}, got ${JSON.stringify(value)?.slice(0, 80)}`);
}
