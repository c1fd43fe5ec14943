/**
 * A small reader of the YAML subset dataset cards use (block maps and lists, plain and quoted
 * scalars, one-line flow collections, block scalars, comments): enough to check a card's front
 * matter without a YAML dependency. Anything outside the subset throws with the line number.
 */

export type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };

interface Line { indent: number; text: string; no: number }

/** The YAML between the leading `---` and the next `---` of a Markdown file, parsed; undefined when there is none. */
export function readFrontMatter(markdown: string): Yaml | undefined {
	const match = /^---\r?\n([\s\S]*?)\r?\n---\s*(?:\r?\n|$)/.exec(markdown);
	return match ? parseYaml(match[1]) : undefined;
}

export function parseYaml(source: string): Yaml {
	const raw = source.split(/\r?\n/);
	const lines: Line[] = [];
	raw.forEach((text, i) => {
		const body = stripComment(text).trimEnd();
		if (body.trim() !== '') {
			lines.push({ indent: body.length - body.trimStart().length, text: body.trimStart(), no: i + 1 });
		}
	});
	const reader = new Reader(lines, raw);
	if (lines.length === 0) {
		return null;
	}
	const value = reader.block(lines[0].indent);
	if (reader.pos < lines.length) {
		throw new Error(`yaml line ${lines[reader.pos].no}: unexpected indentation`);
	}
	return value;
}

class Reader {
	pos = 0;
	constructor(private readonly lines: Line[], private readonly raw: string[]) {}

	block(indent: number): Yaml {
		const first = this.lines[this.pos];
		return first.text.startsWith('- ') || first.text === '-' ? this.list(indent) : this.map(indent);
	}

	private list(indent: number): Yaml[] {
		const out: Yaml[] = [];
		while (this.pos < this.lines.length) {
			const line = this.lines[this.pos];
			if (line.indent !== indent || !(line.text.startsWith('- ') || line.text === '-')) {
				break;
			}
			const rest = line.text.slice(1).trimStart();
			if (rest === '') {
				this.pos++;
				out.push(this.nested(indent));
			} else if (isMapEntry(rest) || rest.startsWith('- ')) {
				// `- key: value` (or `- - item`) opens a block whose first line sits at the column after the dash.
				const column = indent + line.text.length - rest.length;
				this.lines[this.pos] = { indent: column, text: rest, no: line.no };
				out.push(this.block(column));
			} else {
				this.pos++;
				out.push(this.scalarOrBlock(rest, line, indent));
			}
		}
		return out;
	}

	private map(indent: number): Yaml {
		const out: Record<string, Yaml> = {};
		while (this.pos < this.lines.length) {
			const line = this.lines[this.pos];
			if (line.indent !== indent || line.text.startsWith('- ')) {
				break;
			}
			const entry = splitEntry(line.text);
			if (!entry) {
				throw new Error(`yaml line ${line.no}: expected "key: value"`);
			}
			this.pos++;
			if (entry.value === '') {
				// A list may sit at the key's own indentation (`configs:\n- config_name: …`).
				const next = this.lines[this.pos];
				const sameLevelList = next && next.indent === indent && (next.text.startsWith('- ') || next.text === '-');
				out[entry.key] = sameLevelList ? this.list(indent) : this.nested(indent);
			} else {
				out[entry.key] = this.scalarOrBlock(entry.value, line, indent);
			}
		}
		return out;
	}

	private nested(parentIndent: number): Yaml {
		const next = this.lines[this.pos];
		return next && next.indent > parentIndent ? this.block(next.indent) : null;
	}

	private scalarOrBlock(text: string, line: Line, indent: number): Yaml {
		const header = /^([|>])([+-]?)$/.exec(text);
		return header ? this.blockScalar(header[1] === '>', header[2], line, indent) : scalar(text, line.no);
	}

	/** `|` keeps newlines, `>` folds them; `-` strips the final newline, `+` keeps trailing blank lines. */
	private blockScalar(folded: boolean, chomp: string, line: Line, indent: number): string {
		const body: string[] = [];
		let column = -1;
		let rawNo = line.no;
		while (rawNo < this.raw.length) {
			const text = this.raw[rawNo];
			const lead = text.length - text.trimStart().length;
			if (text.trim() !== '' && lead <= indent) {
				break;
			}
			if (text.trim() !== '' && column < 0) {
				column = lead;
			}
			body.push(text.trim() === '' ? '' : text.slice(column));
			rawNo++;
		}
		while (this.pos < this.lines.length && this.lines[this.pos].no <= rawNo) {
			this.pos++;
		}
		const trailing = chomp === '+' ? body.slice(body.findLastIndex((l) => l !== '') + 1).map(() => '\n').join('') : '';
		const content = body.slice(0, body.findLastIndex((l) => l !== '') + 1);
		const joined = folded ? content.join('\n').replace(/([^\n])\n(?=[^\n])/g, '$1 ') : content.join('\n');
		return chomp === '-' ? joined : `${joined}\n${trailing}`;
	}
}

function isMapEntry(text: string): boolean {
	return !text.startsWith('[') && !text.startsWith('{') && splitEntry(text) !== undefined;
}

function splitEntry(text: string): { key: string; value: string } | undefined {
	if (text.startsWith('"') || text.startsWith('\'')) {
		const end = quotedEnd(text);
		const rest = text.slice(end + 1);
		const match = /^\s*:(\s+|$)/.exec(rest);
		return match ? { key: String(scalar(text.slice(0, end + 1), 0)), value: rest.slice(match[0].length).trim() } : undefined;
	}
	const match = /^([^:]+?)\s*:(\s+|$)/.exec(text);
	return match ? { key: match[1], value: text.slice(match[0].length).trim() } : undefined;
}

function quotedEnd(text: string): number {
	const quote = text[0];
	for (let i = 1; i < text.length; i++) {
		if (quote === '"' && text[i] === '\\') {
			i++;
		} else if (text[i] === quote) {
			if (quote === '\'' && text[i + 1] === '\'') {
				i++;
			} else {
				return i;
			}
		}
	}
	throw new Error(`yaml: unterminated quoted string ${text}`);
}

function stripComment(text: string): string {
	let quote = '';
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quote) {
			if (c === '\\' && quote === '"') {
				i++;
			} else if (c === quote) {
				quote = '';
			}
		} else if (c === '"' || c === '\'') {
			quote = c;
		} else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
			return text.slice(0, i);
		}
	}
	return text;
}

function scalar(text: string, no: number): Yaml {
	if (text.startsWith('[') || text.startsWith('{')) {
		const flow = new Flow(text, no);
		const value = flow.value();
		flow.end();
		return value;
	}
	if (text.startsWith('"')) {
		return JSON.parse(text) as string;
	}
	if (text.startsWith('\'')) {
		return text.slice(1, -1).replaceAll('\'\'', '\'');
	}
	if (/^(null|Null|NULL|~)$/.test(text)) {
		return null;
	}
	if (/^(true|True|TRUE|false|False|FALSE)$/.test(text)) {
		return text.toLowerCase() === 'true';
	}
	if (/^[-+]?(\d+|\d*\.\d+|\d+\.\d*)([eE][-+]?\d+)?$/.test(text)) {
		return Number(text);
	}
	return text;
}

/** One-line flow collections: `[a, 'b', {c: 1}]`. */
class Flow {
	private i = 0;
	constructor(private readonly text: string, private readonly no: number) {}

	value(): Yaml {
		this.space();
		const c = this.text[this.i];
		if (c === '[') {
			return this.collection(']', () => this.value()) as Yaml[];
		}
		if (c === '{') {
			const out: Record<string, Yaml> = {};
			this.collection('}', () => {
				const key = String(this.value());
				this.space();
				this.expect(':');
				out[key] = this.value();
				return null;
			});
			return out;
		}
		if (c === '"' || c === '\'') {
			const end = this.i + quotedEnd(this.text.slice(this.i));
			const quoted = this.text.slice(this.i, end + 1);
			this.i = end + 1;
			return scalar(quoted, this.no);
		}
		const match = /^[^,\]}:]*(?::(?!\s)[^,\]}:]*)*/.exec(this.text.slice(this.i))!;
		this.i += match[0].length;
		return scalar(match[0].trim(), this.no);
	}

	end(): void {
		this.space();
		if (this.i < this.text.length) {
			this.fail('trailing text');
		}
	}

	private collection(close: string, item: () => Yaml): Yaml[] {
		const out: Yaml[] = [];
		this.i++;
		this.space();
		if (this.text[this.i] === close) {
			this.i++;
			return out;
		}
		for (;;) {
			out.push(item());
			this.space();
			if (this.text[this.i] === ',') {
				this.i++;
			} else {
				this.expect(close);
				return out;
			}
		}
	}

	private expect(c: string): void {
		if (this.text[this.i] !== c) {
			this.fail(`expected "${c}"`);
		}
		this.i++;
	}

	private space(): void {
		while (this.text[this.i] === ' ') {
			this.i++;
		}
	}

	private fail(why: string): never {
		throw new Error(`yaml line ${this.no}: ${why} in flow collection ${this.text}`);
	}
}
