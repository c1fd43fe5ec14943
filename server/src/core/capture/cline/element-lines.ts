/**
 * Line numbers of the messages inside a JSON document, so a message's `source` points at its
 * element rather than at line 1. Cline writes its files on one line (every element is on line 1);
 * pretty-printed files (Roo's exports, hand-edited tasks) get real lines. One linear pass.
 */

/**
 * The 1-based line where each element of the message array starts: the root array, or the
 * `messages` array of a root object (Roo's versioned envelope). Empty when neither is found.
 */
export function elementLines(text: string): number[] {
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
			const target = stack.length === 0 || (stack.length === 1 && top !== undefined && !top.array && top.key === 'messages');
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
