/**
 * `npm run bench`, one table per part:
 * 1. import throughput beside a bare JSON.parse loop (importBench.ts);
 * 2. detection quality on the labelled public corpora, tracemint vs secretlint (qualityBench.ts);
 * 3. redaction throughput on one corpus, tracemint vs secretlint, same strings and process (redactionBench.ts);
 * 4. a 50 MB session: time, memory, longest event-loop block, whole vs sliced scanning (largeSessionBench.ts);
 * 5. reward and gates over a store of ~2000 sessions, first evaluation and cached, beside loading them (gatesBench.ts).
 * Figures only; targets are printed as met or not, never asserted.
 */
import { loadSecretlint } from './corpus';
import { gatesBench } from './gatesBench';
import { importBench } from './importBench';
import { largeSessionBench } from './largeSessionBench';
import { qualityBench } from './qualityBench';
import { redactionBench } from './redactionBench';

async function main(): Promise<void> {
	const started = Date.now();
	importBench();
	const secretlint = await loadSecretlint();
	if (!secretlint) console.log('\nsecretlint is not installed (npm install): its columns read n/a');
	await qualityBench(secretlint);
	await redactionBench(secretlint);
	largeSessionBench();
	gatesBench();
	console.log(`\nbench finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

void main();
