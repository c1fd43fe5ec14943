/**
 * A global regex scan that reads only near the occurrences of a literal every match holds. With the literal starting
 * between `min` and `max` characters after each match start (a lookbehind not counted), it finds the same matches,
 * in the same order, as `re.exec` from the text's start does.
 */

/**
 * `([\s\S]{0,width}?)(?:pattern)`, sticky and with indices: from `lastIndex` it tries each start up to `width` further
 * in order, and its first group ends where the pattern's match starts. The pattern must hold no backreference (the
 * extra group shifts their numbers) and no `u` or `v` flag.
 */
export function windowRegExp(pattern: RegExp, width: number): RegExp {
	const { source, flags } = pattern;
	if (/[uv]/.test(flags) || /\\[1-9]|\\k</.test(source) || !Number.isInteger(width) || width < 0) throw new Error(`no anchored scan for /${source}/${flags}`);
	return new RegExp(`([\\s\\S]{0,${width}}?)(?:${source})`, `${flags.replace(/[gyd]/g, '')}yd`);
}

/**
 * Calls `found(m, start)` for each match of the pattern `window` was made from (window = windowRegExp(pattern, max -
 * min)), in order; `start` is where the pattern's match starts, and the pattern's groups are `m`'s, shifted by one.
 * `next(at)` is the first occurrence of the literal at or after `at` (-1 when none), asked at increasing `at`.
 *
 * A match starting at `s` holds an occurrence at some `q` in [s + min, s + max], so with `cur` where the global scan
 * would resume, the first occurrence at or after `cur + min` bounds the next match's start from below by `q - max`:
 * the window regex tries each start from there (in order, as the global scan would) up to `max - min` further, and
 * when none matches, the scan resumes past them.
 */
export function scanAnchored(window: RegExp, min: number, max: number, view: string, next: (at: number) => number, found: (m: RegExpExecArray, start: number) => void): void {
	const width = max - min;
	let cur = 0;
	for (;;) {
		const q = next(cur + min);
		if (q === -1) return;
		const at = Math.max(cur, q - max);
		window.lastIndex = at;
		const m = window.exec(view);
		if (!m) {
			cur = at + width + 1;
			continue;
		}
		const start = m.indices![1][1];
		const end = m.index + m[0].length;
		found(m, start);
		cur = end === start ? end + 1 : end;
	}
}

/**
 * `next` for scanAnchored over an ascending list of occurrences, given in coordinates where the view starts at
 * `shift`; occurrences at or past `end` (in the view) are left out.
 */
export function nextIn(list: readonly number[], shift = 0, end = Infinity): (at: number) => number {
	let k = 0;
	return (at) => {
		while (k < list.length && list[k] - shift < at) k++;
		return k < list.length && list[k] - shift < end ? list[k] - shift : -1;
	};
}

/** `next` for scanAnchored over the occurrences of `literal` in `hay`. */
export function nextOf(hay: string, literal: string): (at: number) => number {
	return (at) => hay.indexOf(literal, at);
}
