/**
 * Detection quality on the labelled public corpora: recall (detected / `detect` cases) and false positives
 * (`ignore` cases that fire), for tracemint and for secretlint's recommended preset, per source and in total.
 */
import { scanText } from '../../server/src/core/redact/scan';
import { loadLabelled, PUBLIC_CORPORA, splitCases, type Secretlint } from './corpus';
import { pct, printTable } from './table';

/** Detect cases found (hits) and ignore cases that fired (fps). */
interface Score {
	hits: number;
	fps: number;
}

interface QualityTotals {
	detect: number;
	ignore: number;
	tracemint: Score;
	secretlint: Score;
}

export async function qualityBench(secretlint: Secretlint | undefined): Promise<void> {
	const corpora = loadLabelled();
	if (!corpora) {
		console.log(`\n2. Detection quality: skipped, labelled corpora not found at ${PUBLIC_CORPORA}`);
		return;
	}
	const fires = {
		tracemint: async (text: string) => scanText(text).length > 0,
		secretlint: async (text: string) => (secretlint ? (await secretlint.lint(text)) > 0 : false),
	};
	const count = async (engine: keyof typeof fires, cases: readonly { text: string }[]) => {
		let n = 0;
		for (const c of cases) if (await fires[engine](c.text)) n++;
		return n;
	};
	const totals: QualityTotals = { detect: 0, ignore: 0, tracemint: { hits: 0, fps: 0 }, secretlint: { hits: 0, fps: 0 } };
	const rows: string[][] = [];
	let pii: { detect: number; ignore: number; t: Score; s: Score } | undefined;
	for (const [source, cases] of corpora) {
		const { detect, ignore } = splitCases(cases);
		const t = { hits: await count('tracemint', detect), fps: await count('tracemint', ignore) };
		const s = { hits: await count('secretlint', detect), fps: await count('secretlint', ignore) };
		totals.detect += detect.length;
		totals.ignore += ignore.length;
		totals.tracemint.hits += t.hits;
		totals.tracemint.fps += t.fps;
		totals.secretlint.hits += s.hits;
		totals.secretlint.fps += s.fps;
		rows.push(row(source, detect.length, ignore.length, t, s));
		if (source === 'presidio') pii = { detect: detect.length, ignore: ignore.length, t, s };
	}
	rows.push(row('total', totals.detect, totals.ignore, totals.tracemint, totals.secretlint));
	// secretlint has no PII rules, so the secrets-only total is the like-for-like one.
	if (pii) {
		const minus = (a: Score, b: Score) => ({ hits: a.hits - b.hits, fps: a.fps - b.fps });
		rows.push(row('total without presidio (PII)', totals.detect - pii.detect, totals.ignore - pii.ignore, minus(totals.tracemint, pii.t), minus(totals.secretlint, pii.s)));
	}
	const sl = secretlint ? `secretlint ${secretlint.version}` : 'secretlint (not installed)';
	const moreRecall = totals.tracemint.hits > totals.secretlint.hits;
	const fewerFps = totals.tracemint.fps <= totals.secretlint.fps;
	printTable(`2. Detection quality on the labelled public corpora (tracemint vs ${sl} + preset-recommend)`,
		['source', 'detect', 'tm recall', 'sl recall', 'ignore', 'tm FP', 'sl FP'], rows, [
			'recall = detect cases with at least one finding; FP = ignore cases (texts not labelled detect in the same source) with one',
			`target more recall than secretlint: ${moreRecall ? 'yes' : 'no'} (${totals.tracemint.hits} vs ${totals.secretlint.hits}); ` +
			`no more false positives: ${fewerFps ? 'yes' : 'no'} (${totals.tracemint.fps} vs ${totals.secretlint.fps})`,
		]);
}

function row(source: string, detect: number, ignore: number, t: Score, s: Score): string[] {
	return [source, String(detect), `${t.hits} ${pct(t.hits, detect)}`, `${s.hits} ${pct(s.hits, detect)}`, String(ignore), String(t.fps), String(s.fps)];
}
