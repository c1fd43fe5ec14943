/**
 * The edit a reply proposed for one file, so an `Applied edit to <file>` call carries what was
 * applied. Aider's edit formats: SEARCH/REPLACE (`diff`: file name, fence, block; `diff-fenced`:
 * fence, file name, block), unified diffs in a `diff` fence (`udiff`), and whole files (`whole`:
 * file name, then the fenced content). File names are compared the way Aider strips them.
 */
const FENCE = /^(`{3,}|~{3,})(.*)$/;
const SEARCH = /^<{5,9} SEARCH\s*$/;
const REPLACE = /^>{5,9} REPLACE\s*$/;
const UDIFF_TARGET = /^\+\+\+ (?:b\/)?(\S.*?)\s*$/;

interface EditBlock {
	file: string;
	text: string;
	/** A fenced block after a file name: only taken when no SEARCH/REPLACE or diff names the file. */
	whole: boolean;
}

/** `#### src/App.js:` and `**src/App.js**` both name `src/App.js`. */
export function normaliseFileName(name: string): string {
	return name.trim().replace(/:+$/, '').replace(/^#+/, '').trim().replace(/^[`*]+|[`*]+$/g, '').trim();
}

/** The edit text for `file` in `reply`, or undefined when the reply shows none for it. */
export function editFor(reply: string, file: string): string | undefined {
	const wanted = normaliseFileName(file);
	const blocks = editBlocks(reply).filter((block) => block.file === wanted);
	const exact = blocks.filter((block) => !block.whole);
	const chosen = exact.length > 0 ? exact : blocks;
	return chosen.length > 0 ? chosen.map((block) => block.text).join('\n') : undefined;
}

function editBlocks(reply: string): EditBlock[] {
	const lines = reply.split('\n');
	const blocks: EditBlock[] = [];
	let lastFile = '';
	for (let i = 0; i < lines.length; i++) {
		if (SEARCH.test(lines[i])) {
			const end = findIndex(lines, i + 1, (line) => REPLACE.test(line));
			const file = searchBlockFile(lines, i) ?? lastFile;
			lastFile = file;
			blocks.push({ file, text: lines.slice(i, end + 1).join('\n'), whole: false });
			i = end;
			continue;
		}
		const fence = FENCE.exec(lines[i]);
		if (fence === null) {
			continue;
		}
		const end = findIndex(lines, i + 1, (line) => line.trim() === fence[1]);
		const body = lines.slice(i + 1, end);
		if (body.some((line) => SEARCH.test(line))) {
			continue; // its SEARCH/REPLACE blocks are read on their own lines
		}
		if (fence[2].trim() === 'diff') {
			const target = body.map((line) => UDIFF_TARGET.exec(line)).find((match) => match !== null);
			if (target) {
				blocks.push({ file: normaliseFileName(target[1]), text: body.join('\n'), whole: false });
			}
		} else if (i > 0 && lines[i - 1].trim().length > 0) {
			blocks.push({ file: normaliseFileName(lines[i - 1]), text: body.join('\n'), whole: true });
		}
		i = end;
	}
	return blocks;
}

/** The file name before a SEARCH line: right above it, or above the fence right above it. */
function searchBlockFile(lines: readonly string[], searchAt: number): string | undefined {
	let at = searchAt - 1;
	if (at >= 0 && FENCE.test(lines[at])) {
		at--;
	}
	const name = at >= 0 ? normaliseFileName(lines[at]) : '';
	return name.length > 0 && !FENCE.test(lines[at]) ? name : undefined;
}

/** Index of the first line from `start` that matches, or the last line when none does. */
function findIndex(lines: readonly string[], start: number, test: (line: string) => boolean): number {
	for (let i = start; i < lines.length; i++) {
		if (test(lines[i])) {
			return i;
		}
	}
	return lines.length - 1;
}
