/**
 * The in-editor test entry (`extensionTestsPath`): a tiny runner in rust-analyzer's style,
 * no mocha. Tests run in order and may build on each other's state (import, then consent,
 * then export), so a failure is reported and the run goes on, failing what depends on it.
 * Output is TAP-like `ok`/`not ok` lines (`ok … # SKIP why` for a test this machine cannot run)
 * and exactly one `N passed, N failed[, N skipped]` line.
 */
import { consentTests } from './consent.test';
import { exportDatasetTests } from './exportDataset.test';
import { findingsTests } from './findings.test';
import { liveCaptureTests } from './liveCapture.test';
import { reviewSecretsTests } from './reviewSecrets.test';
import { tracemintTests } from './tracemint.test';
import { trainingTests } from './training.test';

export interface TestCase {
	name: string;
	run(): Promise<void> | void;
}

/** Thrown by a test that cannot run on this machine (a missing system package): reported as skipped, with why. */
export class SkipTest extends Error {}

/** Long enough for an import of the fixtures; a hung request should fail its test, not the whole run. */
const TEST_TIMEOUT_MS = 60_000;

export async function run(): Promise<void> {
	// Findings and consent tests import more sessions, so they run after the tests that count sessions exactly.
	// Export Dataset relies on the session tracemint.test.ts leaves opted in; training trains on its versions.
	const tests = [...tracemintTests(), ...exportDatasetTests(), ...trainingTests(), ...findingsTests(), ...reviewSecretsTests(), ...consentTests(), ...liveCaptureTests()];
	let passed = 0;
	let failed = 0;
	let skipped = 0;
	for (const [index, test] of tests.entries()) {
		const started = Date.now();
		try {
			await withTimeout(Promise.resolve().then(() => test.run()), TEST_TIMEOUT_MS);
			passed++;
			console.log(`ok ${index + 1} - ${test.name} (${Date.now() - started} ms)`);
		} catch (error) {
			if (error instanceof SkipTest) {
				skipped++;
				console.log(`ok ${index + 1} - ${test.name} # SKIP ${error.message}`);
				continue;
			}
			failed++;
			// One console call, so the details travel with their `not ok` line through the workbench.
			const details = indent(error instanceof Error ? error.stack ?? error.message : String(error));
			console.log(`not ok ${index + 1} - ${test.name} (${Date.now() - started} ms)\n${details}`);
		}
	}
	console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
	if (failed > 0) {
		throw new Error(`${failed} of ${tests.length} tests failed`);
	}
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function indent(text: string): string {
	return text.split('\n').map((line) => `    ${line}`).join('\n');
}
