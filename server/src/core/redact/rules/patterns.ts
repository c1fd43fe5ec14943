/** Regex source shared by the rules that anchor a value to a name (`NAME = value`). */

/** Assignment operators of code and config files: `=`, `:`, `:=`, `::=`, `:::=` (Makefile), `?=`, `=>`. */
export const OP = String.raw`(?:=>|:{1,3}=|\?=|=|:)`;

/** From the end of a name to the start of its value: optional closing quote (also JSON-escaped), operator, optional opening quote. */
export const NAME_TO_VALUE = String.raw`\\?["']?\s{0,4}${OP}\s{0,4}\\?["']?`;

/** NAME_TO_VALUE on one line: at most three spaces or tabs each side of the operator. */
export const NAME_TO_VALUE_INLINE = String.raw`\\?["']?[ \t]{0,3}${OP}[ \t]{0,3}\\?["']?`;

/** A lower-case UUID (`8-4-4-4-12` hex digits), the shape of several services' API keys. */
export const UUID = String.raw`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`;

/**
 * Every string `prefixes[i] + [_-]? + (api)? + [_-]? + words[j]` can take: the keywords of a rule whose pattern
 * requires `(?:prefix)[_-]?(?:api)?[_-]?(?:word)`, so it runs only where that name can be (not on every `cl` or `sl`).
 */
export function nameKeywords(prefixes: readonly string[], words: readonly string[]): string[] {
	const out = new Set<string>();
	for (const p of prefixes) for (const a of ['', '_', '-']) for (const api of ['', 'api']) for (const b of ['', '_', '-']) for (const w of words) out.add(p + a + api + b + w);
	return [...out];
}
