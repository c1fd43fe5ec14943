// `npm test`: unit and CLI tests (node:test), then the end-to-end suite in a real VS Code
// (code-server + Chromium). Prints one closing line with the totals of every tier.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const only = process.argv.slice(2);
const tiers = only.length > 0 ? only : ['node', 'e2e'];
let passed = 0;
let failed = 0;
let skipped = 0;

if (tiers.includes('node')) {
	// The training tests talk to a real sshd on loopback; without OpenSSH they skip and say why.
	const ssh = spawnSync('bash', [path.join(root, 'test', 'install-debian-packages.sh'), 'openssh-server', 'openssh-client'], { stdio: ['ignore', 'inherit', 'inherit'] });
	if (ssh.status !== 0) console.error('OpenSSH could not be installed; the sshd tests will skip');
	const tapDir = mkdtempSync(path.join(tmpdir(), 'tracemint-tap-'));
	const tap = path.join(tapDir, 'node.tap');
	const files = ['unit', 'cli'].flatMap((dir) => listTests(path.join('test', dir)));
	const run = spawnSync(process.execPath, [
		'--import', 'tsx', '--test', '--test-concurrency=2',
		'--test-reporter=spec', '--test-reporter-destination=stdout',
		'--test-reporter=tap', `--test-reporter-destination=${tap}`,
		...files,
	], { cwd: root, stdio: 'inherit' });
	const text = readFileSync(tap, 'utf8');
	const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
	passed += count('pass');
	failed += count('fail') + count('cancelled');
	skipped += count('skipped');
	if (run.status !== 0 && count('fail') === 0) {
		failed++;
		console.error(`node test runner exited with ${run.status}`);
	}
	rmSync(tapDir, { recursive: true, force: true });
}

if (tiers.includes('e2e')) {
	const run = spawnSync(process.execPath, ['test/e2e/run.mjs'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
	process.stdout.write(run.stdout);
	const summary = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/m.exec(run.stdout);
	if (summary) {
		passed += Number(summary[1]);
		failed += Number(summary[2]);
		skipped += Number(summary[3] ?? 0);
	}
	if (run.status !== 0 && (!summary || Number(summary[2]) === 0)) {
		failed++;
		console.error(`end-to-end suite exited with ${run.status}`);
	}
}

console.log(`\ntotal: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);

function listTests(dir) {
	return readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.test.ts')).sort().map((f) => path.join(dir, f));
}
