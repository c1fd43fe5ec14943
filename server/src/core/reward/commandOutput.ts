/**
 * What a command's logged output says about how it ended: the exit code where the agent wrote
 * one, and the summary line of common test runners, compilers and linters.
 *
 * Exit codes, as the importers leave them in the tool message text:
 * - Claude Code `Bash`: a failed command's result starts with `Exit code N` (and is_error is set);
 *   a successful one carries no code. Background runs report `<exit_code>N</exit_code>` when
 *   read back (TaskOutput, BashOutput).
 * - Codex `exec_command`/`write_stdin`: a header line `Process exited with code N`, `shell_command`
 *   `Exit code: N`, both before an `Output:` line. `shell` wrote a JSON envelope whose
 *   `metadata.exit_code` the importer turns into is_error, so the number itself is gone.
 */
import { asNumber, asObject, parseJson } from '../capture/json';

export function exitCodeOf(text: string): number | null {
	const claude = /^Exit code (-?\d+)[ \t]*(?:\r?\n|$)/.exec(text);
	if (claude) {
		return Number(claude[1]);
	}
	const tagged = /<exit_code>\s*(-?\d+)\s*<\/exit_code>/.exec(text);
	if (tagged) {
		return Number(tagged[1]);
	}
	if (text.startsWith('{')) {
		const code = asNumber(asObject(asObject(parseJson(text))?.metadata)?.exit_code);
		if (code !== undefined) {
			return code;
		}
	}
	// Only the header: a command whose own output prints such a line cannot fake its status.
	for (const raw of text.split('\n', 8)) {
		const line = raw.trim();
		if (line === 'Output:') {
			break;
		}
		const header = /^(?:Process exited with code|Exit code:)\s*(-?\d+)$/.exec(line);
		if (header) {
			return Number(header[1]);
		}
	}
	return null;
}

/** A Codex unified-exec result for a command still running: later `write_stdin` polls carry its end. */
export function runningSessionOf(text: string): string | null {
	return /^Process running with session ID (\d+)\s*$/m.exec(text.split(/\nOutput:\n/, 1)[0])?.[1] ?? null;
}

/** A Claude Code background Bash start: `Command running in background with ID: abc123`. */
export function backgroundIdOf(text: string): string | null {
	return /^Command running in background with ID:\s*(\S+?)\.?(?:\s|$)/.exec(text)?.[1] ?? null;
}

/** A read-back of a background task that has not finished (`<status>running</status>`). */
export function stillRunning(text: string): boolean {
	return /<status>\s*running\s*<\/status>/.test(text);
}

export interface Summary {
	passed: boolean;
	/** The decisive line, as printed (trimmed). */
	line: string;
}

type Verdict = 'pass' | 'fail' | null;

interface SummaryRule {
	pattern: RegExp;
	verdict: (match: RegExpExecArray) => Verdict;
	/** A totals line ("1 failed, 3 passed"): quoted in preference to a single failing item. */
	total?: true;
}

const tally = (failed: number, passed: number): Verdict => (failed > 0 ? 'fail' : passed > 0 ? 'pass' : null);
const n = (value: string | undefined): number => (value === undefined ? 0 : Number(value));
const countOf = (line: string, word: RegExp): number => {
	let total = 0;
	for (const match of line.matchAll(new RegExp(`(\\d+) (?:${word.source})\\b`, 'g'))) total += Number(match[1]);
	return total;
};

/**
 * Summary lines by runner family. A failing line anywhere in the output wins over passing lines,
 * so "12 passed" from one tool never hides "1 failed" from another in the same output; a totals
 * line is quoted rather than the first failing item.
 */
const RULES: SummaryRule[] = [
	// pytest: "===== 1 failed, 3 passed, 2 warnings in 0.12s =====" or quiet "3 passed in 0.1s"
	{ pattern: /^=*\s*((?:\d+ (?:passed|failed|errors?|skipped|xfailed|xpassed|warnings?|deselected|rerun)(?:, )?)+) in [\d.]+s\b/, verdict: (m) => tally(countOf(m[1], /failed|errors?/), countOf(m[1], /passed/)), total: true },
	{ pattern: /^(?:FAILED|ERROR) \S+::\S*/, verdict: () => 'fail' },
	// jest: "Tests:       1 failed, 5 passed, 6 total", "Test Suites: 1 failed, 2 passed, 3 total"
	{ pattern: /^(?:Tests|Test Suites):\s+(.*\d+ total)/, verdict: (m) => tally(countOf(m[1], /failed/), countOf(m[1], /passed/)), total: true },
	// vitest: " Test Files  1 failed | 2 passed (3)", "      Tests  2 failed | 10 passed (12)"
	{ pattern: /^\s*(?:Test Files|Tests)\s{2,}(.*\(\d+\))/, verdict: (m) => tally(countOf(m[1], /failed/), countOf(m[1], /passed/)), total: true },
	// go test
	{ pattern: /^--- FAIL: /, verdict: () => 'fail' },
	{ pattern: /^FAIL(?:\s+\S+.*)?$/, verdict: () => 'fail' },
	{ pattern: /^ok\s+\S+\s+(?:[\d.]+s|\(cached\))/, verdict: () => 'pass' },
	{ pattern: /^PASS$/, verdict: () => 'pass' },
	// cargo test, rustc
	{ pattern: /^test result: (ok|FAILED)\. (\d+) passed; (\d+) failed/, verdict: (m) => (m[1] === 'FAILED' || n(m[3]) > 0 ? 'fail' : 'pass'), total: true },
	{ pattern: /^error(?:\[E\d+\])?: /, verdict: () => 'fail' },
	// tsc, ruff, mypy: "src/a.ts(3,5): error TS2322: …", "Found 2 errors in 1 file.", "Found 1 error in 1 file (checked 3 source files)"
	{ pattern: /\berror TS\d+:/, verdict: () => 'fail' },
	{ pattern: /^Found (\d+) errors?\b/, verdict: (m) => (n(m[1]) > 0 ? 'fail' : 'pass'), total: true },
	{ pattern: /^Success: no issues found/, verdict: () => 'pass' },
	{ pattern: /^All checks passed!?$/, verdict: () => 'pass' },
	// mocha
	{ pattern: /^\s*(\d+) failing\b/, verdict: (m) => (n(m[1]) > 0 ? 'fail' : null), total: true },
	{ pattern: /^\s*(\d+) passing\b/, verdict: () => 'pass' },
	// node --test (TAP and spec reporters)
	{ pattern: /^[#ℹ] fail (\d+)$/, verdict: (m) => (n(m[1]) > 0 ? 'fail' : null), total: true },
	{ pattern: /^[#ℹ] pass (\d+)$/, verdict: (m) => (n(m[1]) > 0 ? 'pass' : null) },
	// unittest
	{ pattern: /^FAILED \((?:failures|errors)=\d+/, verdict: () => 'fail', total: true },
	// maven, gradle, dotnet
	{ pattern: /\bBUILD FAILURE\b|^BUILD FAILED\b|^Build FAILED\.?$/, verdict: () => 'fail' },
	{ pattern: /\bBUILD SUCCESS\b|^BUILD SUCCESSFUL\b|^Build succeeded\.?$/, verdict: () => 'pass' },
	{ pattern: /Tests run: \d+, Failures: (\d+), Errors: (\d+)/, verdict: (m) => (n(m[1]) + n(m[2]) > 0 ? 'fail' : 'pass'), total: true },
	{ pattern: /^(?:Failed|Passed)!\s+-\s+Failed:\s+(\d+), Passed:\s+(\d+)/, verdict: (m) => (n(m[1]) > 0 ? 'fail' : 'pass'), total: true },
	// eslint: "✖ 3 problems (2 errors, 1 warning)"
	{ pattern: /^✖ \d+ problems? \((\d+) errors?/, verdict: (m) => (n(m[1]) > 0 ? 'fail' : 'pass'), total: true },
	// rspec, minitest, mix, swift
	{ pattern: /^\d+ examples?, (\d+) failures?/, verdict: (m) => (n(m[1]) > 0 ? 'fail' : 'pass'), total: true },
	{ pattern: /^\d+ runs, \d+ assertions, (\d+) failures, (\d+) errors/, verdict: (m) => (n(m[1]) + n(m[2]) > 0 ? 'fail' : 'pass'), total: true },
	{ pattern: /^(?:\d+ doctests?, )?\d+ tests?, (\d+) failures?/, verdict: (m) => (n(m[1]) > 0 ? 'fail' : 'pass'), total: true },
	{ pattern: /Executed \d+ tests?, with (\d+) failures?/, verdict: (m) => (n(m[1]) > 0 ? 'fail' : 'pass'), total: true },
	// phpunit
	{ pattern: /^(?:FAILURES|ERRORS)!$/, verdict: () => 'fail' },
	{ pattern: /^OK \(\d+ tests?, \d+ assertions?\)$/, verdict: () => 'pass' },
	// make, npm
	{ pattern: /^g?make(?:\[\d+\])?: \*\*\* .*Error \d+/, verdict: () => 'fail' },
	{ pattern: /^npm (?:ERR!|error) (?:Test failed|code ELIFECYCLE|Lifecycle script)/, verdict: () => 'fail' },
];

/** unittest prints a bare "OK" after "Ran N tests": only then is "OK" a verdict. */
const UNITTEST_OK = /^OK(?: \([^)]*\))?$/;

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');

export function summaryOf(text: string): Summary | null {
	let pass: Summary | null = null;
	let fail: Summary | null = null;
	let sawUnittestRun = false;
	for (const raw of text.replace(ANSI, '').split(/\r?\n/)) {
		const line = raw.trimEnd();
		if (line.length === 0 || line.length > 400) {
			continue;
		}
		if (/^Ran \d+ tests? in /.test(line)) {
			sawUnittestRun = true;
		}
		if (sawUnittestRun && UNITTEST_OK.test(line.trim())) {
			pass = { passed: true, line: line.trim() };
			continue;
		}
		for (const rule of RULES) {
			const match = rule.pattern.exec(line);
			if (!match) {
				continue;
			}
			const verdict = rule.verdict(match);
			if (verdict === 'fail') {
				if (rule.total) {
					return { passed: false, line: line.trim() };
				}
				fail ??= { passed: false, line: line.trim() };
			}
			if (verdict === 'pass') {
				pass = { passed: true, line: line.trim() };
			}
			break;
		}
	}
	return fail ?? pass;
}
