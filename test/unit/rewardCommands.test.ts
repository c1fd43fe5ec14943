/**
 * The reward's command reading: which shell commands are verification runs (test, build/type
 * check, lint), and what their logged output says about how they ended.
 *
 * Real texts come from the fixtures where they have them (Codex `shell` envelopes, a Claude Code
 * background start, every command the real sessions ran). The fixtures hold no test-runner
 * output, so the summary lines below are the runners' own formats, one per family.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { backgroundIdOf, exitCodeOf, runningSessionOf, summaryOf } from '../../server/src/core/reward/commandOutput';
import { classifyCommand, commandOf } from '../../server/src/core/reward/commands';
import { parseCommandLine } from '../../server/src/core/reward/shell';
import { FIXTURES } from '../support/fixtures';
import { fixtureSessions } from '../support/fixtureSessions';

const CODEMIE_ROLLOUT = path.join(FIXTURES, 'codex', 'codemie-code', 'rollout-2026-01-02T18-39-45-019b7f94-51b4-7593-922e-ba12b5b73b52.jsonl');
const TOOL_HEAVY = path.join(FIXTURES, 'claude-code', 'marot-spotter', 'tool_heavy.jsonl');

const kindOf = (line: string) => classifyCommand(line)?.kind ?? null;

void describe('reward commands: shell lines', () => {
	void it('splits on operators outside quotes, keeps redirections and substitutions in their word', () => {
		const line = parseCommandLine(`cd "my app" && FOO='a b' npm test 2>&1 | tail -5; echo "x && y" $(date +%s)`);
		assert.deepEqual(line.commands.map((c) => [c.words, c.next]), [
			[['cd', 'my app'], '&&'],
			[['FOO=a b', 'npm', 'test', '2>&1'], '|'],
			[['tail', '-5'], ';'],
			[['echo', 'x && y', '$(date +%s)'], null],
		]);
		assert.equal(line.pipefail, false);
	});

	void it('skips heredoc bodies and comments, so their lines are never commands', () => {
		const line = parseCommandLine("cat > notes.md <<'EOF'\npytest -q\nnpm test\nEOF\n# npm run build\nls");
		assert.deepEqual(line.commands.map((c) => c.words[0]), ['cat', 'ls']);
	});

	void it('notices pipefail', () => {
		assert.equal(parseCommandLine('set -o pipefail; pytest | tee log').pipefail, true);
	});
});

void describe('reward commands: recognising verification runs', () => {
	const families: Array<[string, string[]]> = [
		['test', [
			'pytest', 'pytest -q tests/test_api.py::test_login', 'python -m pytest -x', 'python3 -m unittest discover', 'uv run pytest', 'poetry run pytest -k slow',
			'py.test', 'tox -e py312', 'jest', 'npx jest --runInBand', 'npx vitest run', 'vitest', 'npm test', 'npm t', 'npm run test:unit', 'pnpm test',
			'pnpm --filter web test', 'yarn test', 'yarn workspace api test', 'bun test', 'node --test test/', 'go test ./...', 'cargo test --all',
			'cargo nextest run', 'make test', 'make check', 'mvn test', 'mvn -q verify', './gradlew test', 'gradle :app:testDebugUnitTest', 'dotnet test',
			'bundle exec rspec', 'rspec spec/models', 'python manage.py test', 'php artisan test', 'vendor/bin/phpunit', 'mix test', 'swift test',
			'deno test -A', 'npx playwright test', 'ctest --output-on-failure', 'nx test api', 'turbo run test',
		]],
		['build', [
			'tsc', 'npx tsc --noEmit', 'tsc -b', 'npm run build', 'pnpm build', 'yarn build', 'npm run typecheck', 'go build ./...', 'cargo build --release',
			'cargo check', 'mypy src', 'pyright', 'make', 'make all', 'mvn package -DskipTests', './gradlew assembleDebug', 'dotnet build', 'swift build',
			'vite build', 'npx vue-tsc --noEmit', 'cmake --build build', 'next build',
		]],
		['lint', [
			'eslint .', 'npx eslint src --max-warnings 0', 'ruff check .', 'ruff', 'ruff format --check', 'flake8', 'pylint pkg', 'black --check .',
			'prettier --check .', 'golangci-lint run', 'go vet ./...', 'cargo clippy -- -D warnings', 'cargo fmt --check', 'npm run lint', 'shellcheck x.sh',
			'rubocop', 'biome check .', 'mix format --check-formatted',
		]],
	];
	for (const [kind, lines] of families) {
		void it(`recognises ${kind} commands`, () => {
			for (const line of lines) {
				assert.equal(kindOf(line), kind, line);
			}
		});
	}

	void it('finds the program behind cd, env, wrappers, subshells and bash -c', () => {
		for (const line of [
			'cd server && npm test', 'CI=true npm test', 'env NODE_ENV=test npx jest', 'timeout 300 pytest -q', 'time cargo test', '(cd app && go test ./...)',
			'sudo -E pytest', 'xvfb-run -a npm test', 'bash -lc "cd api && pytest"', "sh -c 'npm run test:e2e'", 'source .venv/bin/activate && pytest',
			'./node_modules/.bin/jest', '/usr/local/bin/pytest', 'pytest.exe', 'npm.cmd test',
		]) {
			assert.equal(kindOf(line), 'test', line);
		}
	});

	void it('ignores commands that only mention a runner (hard negatives)', () => {
		for (const line of [
			'echo "pytest"', 'cat jest.config.js', 'grep -r vitest .', 'pip install pytest', 'npm install --save-dev jest', 'npm ci', 'which tsc',
			'ls tests/', 'vim pytest.ini', 'git commit -m "make tests pass"', 'rg "npm test" README.md', 'python script.py', 'node server.js', 'go run .',
			'cargo run', 'npm run dev', 'npm start', 'make install', 'docker build .', 'pytest --version', 'tsc --help', 'jest --listTests',
			'pytest --collect-only', 'ruff format src', 'prettier --write .', 'npx create-react-app x', 'cat <<EOF > ci.sh\nnpm test\nEOF',
			'brew install go', 'man pytest', 'echo $(pytest --version)',
		]) {
			assert.equal(classifyCommand(line), null, line);
		}
	});

	void it('names the strongest family and every tool of a chained line', () => {
		assert.deepEqual(classifyCommand('npm run lint && npm run build && npm test'), { kind: 'test', tools: ['npm run lint', 'npm run build', 'npm test'], masked: false });
		assert.deepEqual(classifyCommand('ruff check . && mypy src'), { kind: 'build', tools: ['ruff check', 'mypy'], masked: false });
	});

	void it('knows when the logged exit status is not the verification command\'s own', () => {
		for (const line of ['pytest -q 2>&1 | tail -20', 'npm test || true', 'npm test; echo done', 'go test ./... | grep FAIL', 'npm test &', 'bash -c "pytest | tail"']) {
			assert.equal(classifyCommand(line)?.masked, true, line);
		}
		for (const line of ['cd x && npm test', 'npm test && echo ok', 'npm test 2>&1', 'set -o pipefail && pytest | tee log', 'echo start; pytest']) {
			assert.equal(classifyCommand(line)?.masked, false, line);
		}
	});

	void it('reads the command of Claude Code, Codex shell, exec_command and local_shell calls, and no other tool', () => {
		assert.equal(commandOf('Bash', JSON.stringify({ command: 'npm test', description: 'Run tests' })), 'npm test');
		assert.equal(commandOf('shell', JSON.stringify({ command: ['bash', '-lc', 'cargo test'], workdir: '/w' })), 'cargo test');
		assert.equal(commandOf('shell', JSON.stringify({ command: ['pytest', '-k', 'a and b'] })), "pytest -k 'a and b'");
		assert.equal(commandOf('exec_command', JSON.stringify({ cmd: 'go test ./...', yield_time_ms: 10000 })), 'go test ./...');
		assert.equal(commandOf('local_shell', JSON.stringify({ type: 'exec', command: ['npm', 'test'] })), 'npm test');
		assert.equal(commandOf('update_plan', JSON.stringify({ command: 'npm test' })), undefined);
		assert.equal(commandOf('Read', JSON.stringify({ file_path: 'package.json' })), undefined);
		assert.equal(commandOf('Bash', '[REDACTED_ARGUMENTS len=9 sha=0]'), undefined);
	});

	void it('finds no verification run among the commands of the real fixtures', () => {
		const commands = fixtureSessions().flatMap((s) => s.messages.flatMap((m) => m.tool_calls ?? []))
			.map((c) => commandOf(c.function.name, c.function.arguments)).filter((c): c is string => c !== undefined);
		// rm, tail, mix phx.server | head, a publish script, ls, rg --files, sed -n … README.md
		assert.ok(commands.length >= 7, `only ${commands.length} commands`);
		assert.ok(commands.includes('mix phx.server 2>&1 | head -80'));
		for (const command of commands) {
			assert.equal(classifyCommand(command), null, command);
		}
	});
});

void describe('reward commands: exit codes', () => {
	void it('reads Claude Code, Codex unified exec, shell_command and background read-back codes', () => {
		assert.equal(exitCodeOf('Exit code 1\nFAILED tests/test_api.py::test_login'), 1);
		assert.equal(exitCodeOf('Exit code 2'), 2);
		assert.equal(exitCodeOf('Chunk ID: 4f2a\nWall time: 3.1 seconds\nProcess exited with code 1\nOriginal token count: 12\nOutput:\n1 failed'), 1);
		assert.equal(exitCodeOf('Exit code: 0\nWall time: 1 seconds\nOutput:\nok'), 0);
		assert.equal(exitCodeOf('<retrieval_status>success</retrieval_status>\n\n<task_id>b1</task_id>\n\n<status>completed</status>\n\n<exit_code>3</exit_code>'), 3);
	});

	void it('never reads a code out of the command\'s own output', () => {
		assert.equal(exitCodeOf('Wall time: 0.1 seconds\nProcess exited with code 0\nOutput:\nProcess exited with code 9\n'), 0);
		assert.equal(exitCodeOf('Output:\nExit code: 3'), null);
		assert.equal(exitCodeOf('all good\nExit code 1'), null);
		assert.equal(exitCodeOf(''), null);
	});

	void it('reads the exit code of the real Codex shell envelope, which the importer turns into is_error only', () => {
		const outputs = fs.readFileSync(CODEMIE_ROLLOUT, 'utf8').split('\n').filter((l) => l.includes('"function_call_output"'))
			.map((l) => (JSON.parse(l) as { payload: { output: string } }).payload.output);
		assert.equal(outputs.length, 3);
		assert.deepEqual(outputs.map(exitCodeOf), [0, 0, 0]);
		const imported = fixtureSessions().find((s) => s.id === 'codex:019b7f94-51b4-7593-922e-ba12b5b73b52')!;
		const results = imported.messages.filter((m) => m.role === 'tool');
		assert.deepEqual(results.map((m) => [exitCodeOf(m.content), m.is_error]), [[null, false], [null, false], [null, false]]);
	});

	void it('spots runs that finish later: Codex sessions and Claude Code background commands (real start text)', () => {
		assert.equal(runningSessionOf('Chunk ID: a\nWall time: 10.0 seconds\nProcess running with session ID 27299\nOriginal token count: 12\nOutput:\nworking...\n'), '27299');
		assert.equal(runningSessionOf('Wall time: 1 seconds\nProcess exited with code 0\nOutput:\nProcess running with session ID 5\n'), null);
		const heavy = fixtureSessions().find((s) => s.id === 'claude-code:d6e0bada-1959-4eec-a9d2-0bfade768d8f')!;
		assert.ok(fs.existsSync(TOOL_HEAVY));
		const started = heavy.messages.find((m) => m.role === 'tool' && m.content.startsWith('Command running in background'))!;
		assert.equal(backgroundIdOf(started.content), 'bae407b');
		assert.equal(backgroundIdOf('bae407b running'), null);
	});
});

void describe('reward commands: runner summaries', () => {
	const cases: Array<[string, string, boolean | null]> = [
		['pytest fail', '============ 1 failed, 12 passed, 2 warnings in 0.84s ============', false],
		['pytest pass', '12 passed in 0.41s', true],
		['pytest errors', '=================== 2 errors in 0.12s ===================', false],
		['pytest FAILED line', 'FAILED tests/test_api.py::test_login - AssertionError: 401 != 200', false],
		['pytest nothing ran', '============ no tests ran in 0.01s ============', null],
		['jest fail', 'Test Suites: 1 failed, 3 passed, 4 total\nTests:       2 failed, 40 passed, 42 total', false],
		['jest pass', 'Test Suites: 4 passed, 4 total\nTests:       42 passed, 42 total', true],
		['jest file line', 'FAIL src/auth.test.ts\n  ● login › rejects bad password', false],
		['vitest fail', ' Test Files  1 failed | 5 passed (6)\n      Tests  2 failed | 61 passed (63)', false],
		['vitest pass', ' Test Files  6 passed (6)\n      Tests  63 passed (63)', true],
		['go fail', '--- FAIL: TestParse (0.00s)\n    parse_test.go:12: got 1\nFAIL\nFAIL\texample.com/pkg\t0.012s', false],
		['go pass', 'ok  \texample.com/pkg\t0.012s\nok  \texample.com/cmd\t(cached)', true],
		['cargo fail', 'test result: FAILED. 9 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s', false],
		['cargo pass', 'test result: ok. 10 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s', true],
		['rustc error', 'error[E0308]: mismatched types\n --> src/main.rs:4:18', false],
		['tsc error', "src/app.ts(3,5): error TS2322: Type 'string' is not assignable to type 'number'.", false],
		['tsc count', 'Found 2 errors in 1 file.', false],
		['mypy pass', 'Success: no issues found in 12 source files', true],
		['ruff pass', 'All checks passed!', true],
		['mocha fail', '  14 passing (32ms)\n  1 failing', false],
		['node test', '# tests 5\n# pass 5\n# fail 0', true],
		['unittest fail', 'Ran 4 tests in 0.002s\n\nFAILED (failures=1)', false],
		['unittest pass', 'Ran 4 tests in 0.002s\n\nOK', true],
		['maven', '[ERROR] Tests run: 5, Failures: 1, Errors: 0, Skipped: 0\n[INFO] BUILD FAILURE', false],
		['gradle', 'BUILD SUCCESSFUL in 4s\n7 actionable tasks: 7 executed', true],
		['dotnet', 'Failed!  - Failed:     1, Passed:    20, Skipped:     0, Total:    21', false],
		['eslint errors', '✖ 3 problems (2 errors, 1 warning)', false],
		['eslint warnings only', '✖ 1 problem (0 errors, 1 warning)', true],
		['rspec', '42 examples, 0 failures', true],
		['mix', '3 doctests, 10 tests, 1 failure', false],
		['phpunit', 'FAILURES!\nTests: 5, Assertions: 8, Failures: 1.', false],
		['make', 'make: *** [Makefile:12: test] Error 1', false],
		['npm', 'npm error Lifecycle script `test` failed with error:', false],
		['ansi colours', '\u001b[31m\u001b[1m1 failed\u001b[0m, \u001b[32m3 passed\u001b[0m in 0.10s', false],
		['no summary', 'Compiling...\nDone.', null],
		['a zero count is not a failure', '0 failed, 5 passed in 0.2s', true],
	];
	for (const [name, text, passed] of cases) {
		void it(`reads ${name}`, () => {
			assert.equal(summaryOf(text)?.passed ?? null, passed);
		});
	}

	void it('lets any failing line win over passing lines, and quotes the decisive line', () => {
		assert.deepEqual(summaryOf('ok  \texample.com/a\t0.1s\n--- FAIL: TestB (0.00s)\nok  \texample.com/c\t0.1s'), { passed: false, line: '--- FAIL: TestB (0.00s)' });
		assert.deepEqual(summaryOf('Tests:       3 passed, 3 total'), { passed: true, line: 'Tests:       3 passed, 3 total' });
	});
});
