/** Helpers the format rules share: zod issues turned into short `path: problem` lines, and value kinds. */
import { type z } from 'zod';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Kind = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' | 'missing';

export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function kindOf(value: unknown): Kind {
	if (value === undefined) {
		return 'missing';
	}
	if (value === null) {
		return 'null';
	}
	if (Array.isArray(value)) {
		return 'array';
	}
	return typeof value === 'object' ? 'object' : typeof value as Kind;
}

/** `messages[1].tool_calls[0]` from a path array. */
export function pathText(path: readonly PropertyKey[], base = ''): string {
	return path.reduce<string>((text, key) => typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key), base);
}

/** `path: problem`, or the problem alone at the top level. */
export function at(path: string, problem: string): string {
	return path ? `${path}: ${problem}` : problem;
}

/** The problems zod finds with `value`, worded by path; `base` prefixes every path. */
export function shapeProblems(schema: z.ZodType, value: unknown, base = ''): string[] {
	const result = schema.safeParse(value);
	return result.success ? [] : result.error.issues.flatMap((issue) => describe(issue, value, base));
}

function describe(issue: z.core.$ZodIssue, root: unknown, base: string): string[] {
	const path = pathText(issue.path, base);
	const actual = issue.path.reduce<unknown>((v, key) => isObject(v) || Array.isArray(v) ? (v as Record<PropertyKey, unknown>)[key] : undefined, root);
	switch (issue.code) {
		case 'unrecognized_keys':
			return issue.keys.map((key) => path ? `${path}: unrecognized key "${key}"` : `unrecognized top-level key "${key}"`);
		case 'invalid_type':
			return [at(path, actual === undefined ? 'missing' : `expected ${issue.expected}, got ${kindOf(actual)}`)];
		case 'invalid_value':
			return [at(path, `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${JSON.stringify(actual) ?? 'nothing'}`)];
		case 'too_small':
			return [at(path, issue.minimum === 1 ? 'must not be empty' : issue.message)];
		default:
			return [at(path, issue.message)];
	}
}

export function deepEqual(a: unknown, b: unknown): boolean {
	return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
	if (Array.isArray(value)) {
		return value.map(canonical);
	}
	if (isObject(value)) {
		return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical(value[k])]));
	}
	return value;
}

/** A JSON string's value, or undefined when it does not parse. */
export function parseJson(text: string): { value: unknown } | undefined {
	try {
		return { value: JSON.parse(text) as unknown };
	} catch {
		return undefined;
	}
}

/** Function names OpenAI accepts (and every loader copes with). */
export const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
