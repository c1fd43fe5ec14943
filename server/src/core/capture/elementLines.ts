/**
 * Line numbers of the messages inside a JSON document, so a message read from a whole-document
 * session file points at its own element rather than at line 1. One linear pass that tracks
 * strings and nesting only (the runner stores documents that parse). Files written on one line
 * (Cline) give every element line 1; pretty-printed ones (Gemini CLI, Continue, Roo exports) get
 * real lines.
 */

/**
 * The 1-based line where each element of the message array starts: the root array, or the `key`
 * array of the root object. Empty when neither is there.
 */
export function arrayElementLines(text: string, key: string): number[] {
	const lines: number[] = [];
	// One entry per open container: is it an array whose elements we want, and (objects) the last key.
	const stack: Array<{ array: boolean; target: boolean; key?: string }> = [];
	let line = 1;
	let expectElement = false;
	let stringStart = -1;
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (stringStart !== -1) {
			if (char === '\\') {
				i++;
			} else if (char === '"') {
				const top = stack[stack.length - 1];
				// Only keys of the root object matter; other strings are skipped without copying.
				if (stack.length === 1 && top !== undefined && !top.array) {
					top.key = text.slice(stringStart + 1, i);
				}
				stringStart = -1;
			} else if (char === '\n') {
				line++;
			}
			continue;
		}
		if (char === '\n') {
			line++;
			continue;
		}
		if (char === ' ' || char === '\t' || char === '\r') {
			continue;
		}
		if (expectElement && char !== ']') {
			lines.push(line);
		}
		expectElement = false;
		const top = stack[stack.length - 1];
		if (char === '"') {
			stringStart = i;
		} else if (char === '[') {
			const target = stack.length === 0 || (stack.length === 1 && top !== undefined && !top.array && top.key === key);
			stack.push({ array: true, target });
			expectElement = target;
		} else if (char === '{') {
			stack.push({ array: false, target: false });
		} else if (char === ']' || char === '}') {
			stack.pop();
		} else if (char === ',' && top?.target === true) {
			expectElement = true;
		}
	}
	return lines;
}
