/**
 * `scanTextSliced`: the findings of `scanText` for a long text, computed in slices with the event loop let run
 * between them, so the backend (one process that also serves the editor) answers requests while a
 * multi-megabyte tool output is scanned.
 *
 * How it stays equal to `scanText`:
 * - Slices are cut at line starts (a line longer than half a slice is cut after a character that cannot be part of
 *   a base64 run, so an encoded blob is never split and is masked exactly as in the whole text).
 * - Each slice is scanned through a window that reaches `overlapChars` into its neighbours, so look-arounds,
 *   validators (which read a few hundred characters around a value) and matches that cross the cut see the same
 *   text as in a whole scan. A candidate belongs to the slice its value starts in, so a value seen from two windows
 *   is counted once (no duplicates to remove).
 * - Which rules run is decided once, by the keyword prefilter over the whole text (a first pass over the slices),
 *   not per slice: a keyword in one slice enables its rule everywhere, as it does in `scanText`. The same pass notes
 *   where the keywords of anchored rules start, and each window reads those near the ones inside it.
 * - Overlaps between values are resolved over all slices together, and lines and columns are counted in the whole
 *   text.
 *
 * Limitations: a single match longer than `overlapChars` (with its look-around context) that crosses a cut is found
 * whole only by a slice whose window holds all of it, and a validator only sees `overlapChars` of context beyond the
 * slice. The default overlap (64,000 characters) holds the longest bounded rule patterns (PEM blocks up to 20,000
 * body characters; an RSA 4096 PEM key is about 3,300 characters, JSON-escaped about 3,400) and the context the
 * validators read (a few hundred characters; kubernetes-secret-data reads back up to 32,000 characters to its
 * `data:` header and 4,000 around the manifest's data map). Keep `overlapChars` well above the longest secret you
 * expect.
 */
import { maskBlobs } from './filters';
import { scanText, type Candidate, type Finding, type ScanOptions } from './scan';
import { collectCandidates } from './scanning/candidates';
import { KeywordGate } from './scanning/keywordGate';
import { LineCursor, toFinding } from './scanning/lineCursor';
import { resolveOverlaps } from './scanning/overlaps';

export interface SliceOptions {
	/** Characters per slice (before the overlap is added on both sides). Default 1,000,000. */
	readonly sliceChars?: number;
	/** Characters each slice's window reaches into its neighbours. Default 64,000. */
	readonly overlapChars?: number;
}

const DEFAULT_SLICE_CHARS = 1_000_000;
export const DEFAULT_OVERLAP_CHARS = 64_000;

/** Lets pending I/O and timers run before the next slice. */
/** Lets timers and I/O (a server's requests) run before the next piece of work. */
export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** `A-Z a-z 0-9 + / =`: the characters of a base64 run, which the blob masks take whole. */
function base64Char(c: number): boolean {
	return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 61;
}

/**
 * Cut points `0 = c0 < c1 < … < ck = text.length`, each about `sliceChars` after the previous: the start of a line
 * when one begins in the second half of the slice, else just after a character that is not part of a base64 run.
 */
export function sliceBounds(text: string, sliceChars: number): number[] {
	const size = Math.max(2, Math.floor(sliceChars));
	const cuts = [0];
	let at = 0;
	while (text.length - at > size) {
		const target = at + size;
		const half = at + (size >> 1);
		let cut = text.lastIndexOf('\n', target - 1) + 1;
		if (cut <= half) {
			cut = 0;
			for (let p = target; p > half; p--) {
				if (!base64Char(text.charCodeAt(p - 1))) {
					cut = p;
					break;
				}
			}
		}
		if (cut <= half) {
			// One base64 run longer than half a slice: the slice takes all of it.
			let p = target;
			while (p < text.length && base64Char(text.charCodeAt(p))) p++;
			cut = p + 1;
		}
		if (cut >= text.length) break;
		cuts.push(cut);
		at = cut;
	}
	cuts.push(text.length);
	return cuts;
}

/** `scanText(text, options)`, computed slice by slice with the event loop let run in between. */
export async function scanTextSliced(text: string, options: ScanOptions = {}, slicing: SliceOptions = {}): Promise<Finding[]> {
	const sliceChars = Math.max(2, slicing.sliceChars ?? DEFAULT_SLICE_CHARS);
	const overlap = Math.max(0, slicing.overlapChars ?? DEFAULT_OVERLAP_CHARS);
	if (text.length <= sliceChars) return scanText(text, options);
	const cuts = sliceBounds(text, sliceChars);
	const slices = cuts.length - 1;
	const window = (i: number): { from: number; view: string } => {
		const from = Math.max(0, cuts[i] - overlap);
		return { from, view: maskBlobs(text.slice(from, Math.min(text.length, cuts[i + 1] + overlap))) };
	};

	// Pass 1: which rules run (their keywords anywhere in the masked text), and where the keywords of the rules
	// anchored on them start (in the whole text).
	const gate = new KeywordGate(options, { starts: true });
	for (let i = 0; i < slices; i++) {
		const { from, view } = window(i);
		gate.feed(view, cuts[i] - from, cuts[i + 1] - from, from);
		await yieldToLoop();
	}
	const rules = gate.selected();

	// Pass 2: each rule over each window; a candidate belongs to the slice its value starts in.
	const candidates: Candidate[] = [];
	if (rules.length) {
		for (let i = 0; i < slices; i++) {
			const { from, view } = window(i);
			collectCandidates(rules, view, candidates, from, cuts[i] - from, cuts[i + 1] - from, gate);
			await yieldToLoop();
		}
	}
	if (!candidates.length) return [];

	// Overlaps across the whole text, then lines and columns counted forward through it.
	const cursor = new LineCursor(text);
	const findings: Finding[] = [];
	let counted = 0;
	for (const c of resolveOverlaps(candidates)) {
		if (c.start - counted > sliceChars) {
			await yieldToLoop();
			counted = c.start;
		}
		findings.push(toFinding(text, c, cursor, options));
	}
	return findings;
}
