/**
 * What Arrow needs from a file (and from every split of one config): the same top-level keys on
 * every row and one kind of value at every path, list items included (an item may lack a key,
 * Arrow fills null). Paths the card declares `json` are free-form and skipped. Also: rows read
 * against the card's declared features, the way `datasets` casts them.
 */
import { type Kind, isObject, kindOf } from './common';

export interface RowProblem { line: number; problem: string }

/** A row with where it came from, for checks that span files. */
export interface SourcedRow { value: unknown; file: string; line: number }

export interface SourcedProblem { file: string; line: number; problem: string }

/** Problems by line (1-based) of rows that do not share one shape. `jsonPaths` use `messages[].tool_calls[].function.arguments` notation. */
export function checkFileUniformity(rows: readonly unknown[], jsonPaths: ReadonlySet<string> = new Set()): RowProblem[] {
	return uniformityProblems(rows.map((value, i) => ({ value, file: '', line: i + 1 })), jsonPaths)
		.map(({ line, problem }) => ({ line, problem }));
}

export function uniformityProblems(rows: readonly SourcedRow[], jsonPaths: ReadonlySet<string>): SourcedProblem[] {
	const problems: SourcedProblem[] = [];
	const where = (row: SourcedRow) => row.file ? `${row.file}:${row.line}` : `line ${row.line}`;
	const first = rows[0];
	const reference = first && isObject(first.value) ? Object.keys(first.value).sort() : undefined;
	const seen = new Map<string, { kind: Kind; row: SourcedRow }>();
	const reported = new Set<string>();
	const walk = (value: unknown, path: string, row: SourcedRow) => {
		if (jsonPaths.has(path)) {
			return;
		}
		const kind = kindOf(value);
		if (kind === 'null' || kind === 'missing') {
			return;
		}
		const before = seen.get(path);
		if (!before) {
			seen.set(path, { kind, row });
		} else if (before.kind !== kind && !reported.has(path)) {
			reported.add(path);
			problems.push({ file: row.file, line: row.line, problem: `${path}: ${kind} here, ${before.kind} on ${where(before.row)}` });
			return;
		}
		if (Array.isArray(value)) {
			value.forEach((item) => walk(item, `${path}[]`, row));
		} else if (isObject(value)) {
			Object.entries(value).forEach(([key, v]) => walk(v, path ? `${path}.${key}` : key, row));
		}
	};
	for (const row of rows) {
		if (!isObject(row.value)) {
			problems.push({ file: row.file, line: row.line, problem: `a row must be an object, got ${kindOf(row.value)}` });
			continue;
		}
		const keys = Object.keys(row.value).sort();
		if (reference && first && keys.join('\n') !== reference.join('\n')) {
			const missing = reference.filter((k) => !keys.includes(k)).map((k) => `missing "${k}"`);
			const extra = keys.filter((k) => !reference.includes(k)).map((k) => `extra "${k}"`);
			problems.push({ file: row.file, line: row.line, problem: `keys differ from ${where(first)}: ${[...missing, ...extra].join(', ')}` });
		}
		walk(row.value, '', row);
	}
	return problems;
}

/** A feature of the card's `dataset_info`, read from its YAML form. */
export type Feature =
	| { type: 'value'; dtype: string }
	| { type: 'list'; of: Feature }
	| { type: 'struct'; fields: Record<string, Feature> };

/** `[{name, dtype | list | struct | sequence}]` → fields; throws on a form it does not know. */
export function readFeatures(yaml: unknown): Record<string, Feature> {
	if (!Array.isArray(yaml)) {
		throw new Error('features must be a list of {name, dtype|list|struct}');
	}
	return Object.fromEntries(yaml.map((f) => {
		if (!isObject(f) || typeof f.name !== 'string') {
			throw new Error(`feature without a name: ${JSON.stringify(f)}`);
		}
		return [f.name, readNode(f)];
	}));
}

function readNode(node: Record<string, unknown>): Feature {
	if (typeof node.dtype === 'string') {
		return { type: 'value', dtype: node.dtype };
	}
	const inner = node.list ?? node.sequence;
	if (inner !== undefined) {
		return { type: 'list', of: readType(inner) };
	}
	if (node.struct !== undefined) {
		return { type: 'struct', fields: readFeatures(node.struct) };
	}
	throw new Error(`feature with no dtype, list or struct: ${JSON.stringify(node)}`);
}

function readType(t: unknown): Feature {
	if (typeof t === 'string') {
		return { type: 'value', dtype: t };
	}
	if (Array.isArray(t)) {
		return { type: 'struct', fields: readFeatures(t) };
	}
	if (isObject(t)) {
		return readNode(t);
	}
	throw new Error(`unknown feature type ${JSON.stringify(t)}`);
}

/** Paths declared `json`, in uniformity notation. */
export function jsonPaths(features: Record<string, Feature>): Set<string> {
	const out = new Set<string>();
	const visit = (feature: Feature, path: string) => {
		if (feature.type === 'value' && feature.dtype === 'json') {
			out.add(path);
		} else if (feature.type === 'list') {
			visit(feature.of, `${path}[]`);
		} else if (feature.type === 'struct') {
			Object.entries(feature.fields).forEach(([key, f]) => visit(f, `${path}.${key}`));
		}
	};
	Object.entries(features).forEach(([key, f]) => visit(f, key));
	return out;
}

const NUMBER = /^u?int(8|16|32|64)$|^float(16|32|64)$|^double$/;

/** Where a row does not fit the declared features (a key not declared, a value of another type); one problem per path. */
export function featureProblems(row: unknown, features: Record<string, Feature>, reported: Set<string>): string[] {
	const problems: string[] = [];
	const report = (path: string, problem: string) => {
		if (!reported.has(path)) {
			reported.add(path);
			problems.push(`features: ${path} ${problem}`);
		}
	};
	const conform = (value: unknown, feature: Feature, path: string) => {
		const kind = kindOf(value);
		if (kind === 'null' || kind === 'missing') {
			return;
		}
		if (feature.type === 'value') {
			const { dtype } = feature;
			const fits = dtype === 'json' || dtype === 'null'
				|| (/string$/.test(dtype) && kind === 'string')
				|| (dtype === 'bool' && kind === 'boolean')
				|| (NUMBER.test(dtype) && kind === 'number' && (!dtype.includes('int') || Number.isInteger(value)));
			if (!fits) {
				report(path, `is declared ${dtype}, got ${kind === 'number' ? String(value) : kind}`);
			}
		} else if (feature.type === 'list') {
			if (!Array.isArray(value)) {
				report(path, `is declared a list, got ${kind}`);
			} else {
				value.forEach((item) => conform(item, feature.of, `${path}[]`));
			}
		} else if (!isObject(value)) {
			report(path, `is declared a struct, got ${kind}`);
		} else {
			for (const [key, v] of Object.entries(value)) {
				const field = feature.fields[key];
				if (field) {
					conform(v, field, `${path}.${key}`);
				} else {
					report(`${path}.${key}`, 'is not declared');
				}
			}
		}
	};
	if (!isObject(row)) {
		return problems;
	}
	for (const [key, value] of Object.entries(row)) {
		if (features[key]) {
			conform(value, features[key], key);
		} else {
			report(key, 'is not declared');
		}
	}
	for (const key of Object.keys(features)) {
		if (!(key in row)) {
			report(key, 'is declared but missing from the row');
		}
	}
	return problems;
}
