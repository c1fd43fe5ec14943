/**
 * The part of YAML a training config needs, and nothing more: nested `key: value` mappings by
 * indentation, `- item` lists and `[a, b]` flow lists of scalars, quoted or plain scalars,
 * numbers, booleans, null and `#` comments. Anything else (anchors, multi-line strings, flow
 * mappings, tabs) is an error naming the line, so a file never means something unexpected.
 * Plain scalars follow YAML 1.2's core schema: `2e-4` is a number, `yes` is a string.
 */

export class YamlSubsetError extends Error {
	constructor(message: string, readonly line: number) {
		super(`line ${line}: ${message}`);
		this.name = 'YamlSubsetError';
	}
}

type Scalar = string | number | boolean | null;
type Value = Scalar | Value[] | { [key: string]: Value };

interface Line {
	number: number;
	indent: number;
	text: string;
}

export function parseYamlSubset(source: string): Record<string, Value> {
	const lines: Line[] = [];
	source.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, i) => {
		const number = i + 1;
		if (/^\s*\t/.test(raw) && raw.trim() !== '') throw new YamlSubsetError('indent with spaces, not tabs', number);
		const text = stripComment(raw, number).trimEnd();
		if (text.trim() === '' || text.trim() === '---') return;
		lines.push({ number, indent: text.length - text.trimStart().length, text: text.trim() });
	});
	if (lines.length === 0) return {};
	const [value, next] = parseBlock(lines, 0, lines[0].indent);
	if (next < lines.length) throw new YamlSubsetError('unexpected indentation', lines[next].number);
	if (value === null || Array.isArray(value) || typeof value !== 'object') {
		throw new YamlSubsetError('the file must be a mapping of keys to values', lines[0].number);
	}
	return value;
}

function parseBlock(lines: Line[], start: number, indent: number): [Value, number] {
	return lines[start].text.startsWith('- ') || lines[start].text === '-' ? parseList(lines, start, indent) : parseMapping(lines, start, indent);
}

function parseMapping(lines: Line[], start: number, indent: number): [Value, number] {
	const out: Record<string, Value> = {};
	let i = start;
	while (i < lines.length && lines[i].indent === indent) {
		const { text, number } = lines[i];
		const match = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"[\]{}&*!|>%@`-][^:]*?|-[^\s:][^:]*?)\s*:(?:\s+(.*))?$/.exec(text);
		if (!match) throw new YamlSubsetError(`expected "key: value", got "${text}"`, number);
		const key = String(parseScalar(match[1], number));
		if (Object.hasOwn(out, key)) throw new YamlSubsetError(`"${key}" appears twice`, number);
		i++;
		if (match[2] !== undefined && match[2] !== '') {
			out[key] = parseInline(match[2], number);
		} else if (i < lines.length && lines[i].indent > indent) {
			[out[key], i] = parseBlock(lines, i, lines[i].indent);
		} else if (i < lines.length && lines[i].indent === indent && lines[i].text.startsWith('- ')) {
			// A list may sit at its key's own indentation.
			[out[key], i] = parseList(lines, i, indent);
		} else {
			out[key] = null;
		}
	}
	if (i < lines.length && lines[i].indent > indent) throw new YamlSubsetError('unexpected indentation', lines[i].number);
	return [out, i];
}

function parseList(lines: Line[], start: number, indent: number): [Value, number] {
	const out: Value[] = [];
	let i = start;
	while (i < lines.length && lines[i].indent === indent && (lines[i].text.startsWith('- ') || lines[i].text === '-')) {
		const item = lines[i].text.slice(1).trim();
		if (item === '' || /^[^'"[]*:(\s|$)/.test(item)) {
			throw new YamlSubsetError('list items must be plain values (nested mappings are not supported here)', lines[i].number);
		}
		out.push(parseInline(item, lines[i].number));
		i++;
	}
	return [out, i];
}

function parseInline(text: string, line: number): Value {
	if (text.startsWith('[')) {
		if (!text.endsWith(']')) throw new YamlSubsetError('a [flow list] must close on the same line', line);
		const inner = text.slice(1, -1).trim();
		return inner === '' ? [] : splitFlow(inner, line).map((item) => parseScalar(item, line));
	}
	return parseScalar(text, line);
}

function parseScalar(text: string, line: number): Scalar {
	if (text.startsWith('"')) {
		if (!/^"(?:[^"\\]|\\.)*"$/.test(text)) throw new YamlSubsetError(`unterminated or trailing text after ${text}`, line);
		try {
			return JSON.parse(text) as string;
		} catch {
			throw new YamlSubsetError(`unsupported escape in ${text}`, line);
		}
	}
	if (text.startsWith('\'')) {
		if (!/^'(?:[^']|'')*'$/.test(text)) throw new YamlSubsetError(`unterminated or trailing text after ${text}`, line);
		return text.slice(1, -1).replaceAll('\'\'', '\'');
	}
	if (/^[&*!|>%@`{]/.test(text)) throw new YamlSubsetError(`"${text}": anchors, tags, block strings and flow mappings are not supported; quote the value`, line);
	if (/^(null|Null|NULL|~)$/.test(text)) return null;
	if (/^(true|True|TRUE)$/.test(text)) return true;
	if (/^(false|False|FALSE)$/.test(text)) return false;
	if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
	return text;
}

/** Splits `a, "b, c", d` at top-level commas. */
function splitFlow(inner: string, line: number): string[] {
	const items: string[] = [];
	let current = '';
	let quote: string | undefined;
	for (let i = 0; i < inner.length; i++) {
		const c = inner[i];
		if (quote) {
			current += c;
			if (c === '\\' && quote === '"') current += inner[++i] ?? '';
			else if (c === quote) quote = undefined;
		} else if (c === '"' || c === '\'') {
			quote = c;
			current += c;
		} else if (c === ',') {
			items.push(current.trim());
			current = '';
		} else if (c === '[' || c === '{') {
			throw new YamlSubsetError('nested flow collections are not supported', line);
		} else {
			current += c;
		}
	}
	if (quote) throw new YamlSubsetError('unterminated quote in a flow list', line);
	items.push(current.trim());
	if (items.some((item) => item === '')) throw new YamlSubsetError('empty item in a flow list', line);
	return items;
}

/** Drops a `#` comment that starts the line or follows a space, outside quotes. */
function stripComment(raw: string, line: number): string {
	let quote: string | undefined;
	for (let i = 0; i < raw.length; i++) {
		const c = raw[i];
		if (quote) {
			if (c === '\\' && quote === '"') i++;
			else if (c === quote) quote = undefined;
		} else if ((c === '"' || c === '\'') && (i === 0 || /[\s:[,-]/.test(raw[i - 1]))) {
			quote = c;
		} else if (c === '#' && (i === 0 || /\s/.test(raw[i - 1]))) {
			return raw.slice(0, i);
		}
	}
	if (quote) throw new YamlSubsetError('unterminated quote', line);
	return raw;
}
