/**
 * `npm run bench`, one table per part:
 * 1. import throughput per agent format beside a bare parse loop, and idle CPU while watching 1,000 files (importBench.ts);
 * 2. detection quality on the labelled public corpora, tracemint vs secretlint (qualityBench.ts);
 * 3. redaction throughput on one corpus, tracemint vs secretlint, same strings and process (redactionBench.ts);
 * 4. a 50 MB session: time, memory, longest event-loop block, whole vs sliced scanning (largeSessionBench.ts);
 * 5. reward and gates over a store of ~2000 sessions, first evaluation and cached, beside loading them (gatesBench.ts);
 * 6. export: 100,000 samples through the dataset writer beside a bare JSON.stringify loop, then one whole export (exportBench.ts).
 * An optional argument runs only the parts whose name contains it (import, quality, redaction, large, gates, export).
 * Figures only; targets are printed as met or not, never asserted.
 */
import { loadSecretlint } from './corpus';
import { exportBench } from './exportBench';
import { gatesBench } from './gatesBench';
import { importBench } from './importBench';
import { largeSessionBench } from './largeSessionBench';
import { qualityBench } from './qualityBench';
import { redactionBench } from './redactionBench';

const only = process.argv[2];
const wanted = (part: string): boolean => !only || part.includes(only);

async function main(): Promise<void> {
	const started = Date.now();
	if (wanted('import')) await importBench();
	if (wanted('quality') || wanted('redaction')) {
		const secretlint = await loadSecretlint();
		if (!secretlint) console.log('\nsecretlint is not installed (npm install): its columns read n/a');
		if (wanted('quality')) await qualityBench(secretlint);
		if (wanted('redaction')) await redactionBench(secretlint);
	}
	if (wanted('large')) largeSessionBench();
	if (wanted('gates')) gatesBench();
	if (wanted('export')) await exportBench();
	console.log(`\nbench finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

void main();
