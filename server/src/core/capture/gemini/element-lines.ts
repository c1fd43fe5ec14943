/**
 * Where each element of a top-level array starts in a JSON document, so a message read from a
 * whole-document session file can still point at its own line. One pass over the text that only
 * tracks strings and nesting; the document is known to parse (the runner only stores those).
 */

/** 1-based start line of each element of the top-level object's `key` array; [] when there is none. */
export function arrayElementLines(text: string, key: string): number[] {
	const lines: number[] = [];
	let line = 1;
	let depth = 0;
	let inTarget = false;
	let expectElement = false;
	let lastString: string | undefined;
	let currentKey: string | undefined;
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (char === '\n') {
			line++;
			continue;
		}
		if (char === ' ' || char === '\t' || char === '\r') {
			continue;
		}
		if (inTarget && depth === 2 && expectElement && char !== ']') {
			lines.push(line);
			expectElement = false;
		}
		if (char === '"') {
			const end = stringEnd(text, i);
			if (depth === 1) {
				lastString = text.slice(i + 1, end);
			}
			i = end;
			continue;
		}
		switch (char) {
			case ':':
				if (depth === 1) {
					currentKey = lastString;
				}
				break;
			case ',':
				if (inTarget && depth === 2) {
					expectElement = true;
				}
				break;
			case '{':
			case '[':
				depth++;
				if (char === '[' && depth === 2 && currentKey === key) {
					inTarget = true;
					expectElement = true;
				}
				break;
			case '}':
			case ']':
				depth--;
				if (inTarget && depth === 1) {
					return lines;
				}
				break;
		}
	}
	return lines;
}

/** Index of the quote closing the string that opens at `start`. */
function stringEnd(text: string, start: number): number {
	for (let i = start + 1; i < text.length; i++) {
		if (text[i] === '\\') {
			i++;
		} else if (text[i] === '"') {
			return i;
		}
	}
	return text.length;
}
