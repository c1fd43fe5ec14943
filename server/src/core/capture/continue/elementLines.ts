/**
 * The line each element of a top-level array field starts on, in a JSON document's text, so a
 * message can point at its own line of a pretty-printed session file. A small scanner: it skips
 * strings and counts nesting, and gives up (empty result) on text it cannot follow.
 */
export function arrayElementLines(text: string, field: string): number[] {
	const lines: number[] = [];
	let line = 1;
	let depth = 0;
	let inString = false;
	let stringStart = 0;
	let lastKey: string | undefined;
	let inArray = false;
	let expectElement = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (ch === '\n') {
			line++;
			continue;
		}
		if (inString) {
			if (ch === '\\') {
				i++;
			} else if (ch === '"') {
				inString = false;
				if (depth === 1 && !inArray) lastKey = text.slice(stringStart + 1, i);
			}
			continue;
		}
		if (ch === ' ' || ch === '\t' || ch === '\r') continue;
		if (inArray && depth === 2 && expectElement && ch !== ']') {
			lines.push(line);
			expectElement = false;
		}
		switch (ch) {
			case '"':
				inString = true;
				stringStart = i;
				break;
			case '{':
			case '[':
				depth++;
				if (ch === '[' && depth === 2 && lastKey === field) {
					inArray = true;
					expectElement = true;
				}
				break;
			case '}':
			case ']':
				if (inArray && depth === 2) {
					return lines;
				}
				depth--;
				break;
			case ',':
				if (inArray && depth === 2) expectElement = true;
				if (depth === 1) lastKey = undefined;
				break;
		}
	}
	return inArray ? lines : [];
}
