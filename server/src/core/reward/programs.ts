/**
 * What each program counts as when it runs: a test runner, a build or type check, a linter, or
 * nothing. Toolchains are read by their subcommand (`cargo test`, `go vet`), package managers and
 * task runners by the script or target name (`npm run test:unit`, `make check`, `gradle :app:test`),
 * formatters only in check mode (`black --check`).
 */

export type VerificationKind = 'test' | 'build' | 'lint';

export interface Recognised {
	kind: VerificationKind;
	/** A short name for explanations: `npm test`, `python -m pytest`. */
	label: string;
	/** The command hides its own status (an inner `bash -c` that is masked). */
	masked?: boolean;
}

/** Test over build (and type checks) over lint: a line that does several counts as the strongest. */
export const RANK: Record<VerificationKind, number> = { lint: 1, build: 2, test: 3 };

export function stronger(a: VerificationKind | null, b: VerificationKind): VerificationKind {
	return a === null || RANK[b] > RANK[a] ? b : a;
}

/** The stronger of two findings, the earlier one on a tie. */
function keep(found: Recognised | null, next: Recognised | null): Recognised | null {
	return next !== null && (found === null || RANK[next.kind] > RANK[found.kind]) ? next : found;
}

export function recogniseProgram(program: string, args: string[]): Recognised | null {
	const direct = own(DIRECT, program);
	if (direct) {
		return direct(args, program);
	}
	switch (program) {
		case 'python': case 'python3': case 'py': case 'pypy3':
			return python(args);
		case 'npm': case 'pnpm': case 'yarn': case 'bun':
			return packageManager(program, args);
		case 'node':
			if (args.includes('--test')) return { kind: 'test', label: 'node --test' };
			if (args[0] === '--run' && args[1]) return script(`node --run ${args[1]}`, args[1]);
			return null;
		case 'make': case 'gmake': case 'just': case 'task': case 'mage':
			return makeTargets(program, args);
		case 'php':
			if (args[0] === 'artisan' && args[1] === 'test') return { kind: 'test', label: 'php artisan test' };
			return args[0] ? recogniseProgram(programName(args[0]), args.slice(1)) : null;
		case 'composer':
			return composer(args);
		default:
			return /^python\d(\.\d+)?$/.test(program) ? python(args) : null;
	}
}

type Rule = (args: string[], program: string) => Recognised | null;

const always = (kind: VerificationKind): Rule => (_args, program) => ({ kind, label: program });
/** The first non-flag word chooses the family (`cargo test`, `go vet`, `dotnet build`). */
const bySubcommand = (table: Record<string, VerificationKind>): Rule => (args, program) => {
	const sub = args.find((arg) => !arg.startsWith('-') && !arg.startsWith('+'));
	const kind = sub === undefined ? undefined : own(table, sub);
	return kind ? { kind, label: `${program} ${sub}` } : null;
};
/** Formatters verify only in check mode (`black --check`, `prettier --check`). */
const withFlag = (kind: VerificationKind, flags: string[]): Rule => (args, program) => {
	const flag = args.find((arg) => flags.includes(arg));
	return flag ? { kind, label: `${program} ${flag}` } : null;
};

const DIRECT: Record<string, Rule> = {
	// Test runners.
	pytest: always('test'), 'py.test': always('test'), tox: always('test'), nox: always('test'), nose2: always('test'), green: always('test'),
	jest: always('test'), mocha: always('test'), ava: always('test'), tap: always('test'), jasmine: always('test'), karma: always('test'),
	rspec: always('test'), phpunit: always('test'), pest: always('test'), gotestsum: always('test'), ctest: always('test'), bats: always('test'),
	behave: always('test'), prove: always('test'), busted: always('test'),
	vitest: (args) => (args[0] === 'bench' || args[0] === 'list' ? null : { kind: 'test', label: 'vitest' }),
	playwright: bySubcommand({ test: 'test' }),
	cypress: bySubcommand({ run: 'test' }),
	// Compilers, bundlers and type checkers: "build".
	tsc: always('build'), 'vue-tsc': always('build'), 'svelte-check': always('build'), mypy: always('build'), pyright: always('build'),
	basedpyright: always('build'), pytype: always('build'), tsup: always('build'), webpack: always('build'), rollup: always('build'), ninja: always('build'), msbuild: always('build'),
	vite: bySubcommand({ build: 'build' }), next: bySubcommand({ build: 'build' }), nuxt: bySubcommand({ build: 'build' }), nuxi: bySubcommand({ build: 'build' }),
	parcel: bySubcommand({ build: 'build' }), elm: bySubcommand({ make: 'build' }),
	cmake: (args) => (args.includes('--build') ? { kind: 'build', label: 'cmake --build' } : null),
	// Linters, and formatters in check mode.
	eslint: always('lint'), oxlint: always('lint'), stylelint: always('lint'), flake8: always('lint'), pylint: always('lint'), pycodestyle: always('lint'),
	pydocstyle: always('lint'), bandit: always('lint'), 'golangci-lint': always('lint'), staticcheck: always('lint'), revive: always('lint'),
	shellcheck: always('lint'), hadolint: always('lint'), rubocop: always('lint'), standardrb: always('lint'), markdownlint: always('lint'),
	'markdownlint-cli2': always('lint'), yamllint: always('lint'), actionlint: always('lint'), ktlint: always('lint'), detekt: always('lint'),
	swiftlint: always('lint'), 'clang-tidy': always('lint'), cppcheck: always('lint'), tflint: always('lint'), codespell: always('lint'),
	ruff: (args) => (args[0] === 'format' ? withFlag('lint', ['--check', '--diff'])(args, 'ruff format') : { kind: 'lint', label: args[0] === 'check' ? 'ruff check' : 'ruff' }),
	black: withFlag('lint', ['--check', '--diff']), isort: withFlag('lint', ['--check', '--check-only', '-c', '--diff']),
	prettier: withFlag('lint', ['--check', '-c', '--list-different', '-l']), gofmt: withFlag('lint', ['-l', '-d']),
	biome: bySubcommand({ check: 'lint', lint: 'lint', ci: 'lint' }), sqlfluff: bySubcommand({ lint: 'lint' }),
	// Toolchains whose subcommand decides.
	go: bySubcommand({ test: 'test', build: 'build', vet: 'lint' }),
	cargo: (args, program) => {
		const sub = args.find((arg) => !arg.startsWith('-') && !arg.startsWith('+'));
		if (sub === 'fmt') return args.includes('--check') ? { kind: 'lint', label: 'cargo fmt --check' } : null;
		return bySubcommand({ test: 'test', t: 'test', nextest: 'test', build: 'build', b: 'build', check: 'build', c: 'build', clippy: 'lint' })(args, program);
	},
	dotnet: (args, program) => (args[0] === 'format' ? withFlag('lint', ['--verify-no-changes'])(args, 'dotnet format') : bySubcommand({ test: 'test', build: 'build' })(args, program)),
	swift: bySubcommand({ test: 'test', build: 'build' }),
	xcodebuild: (args) => ({ kind: args.includes('test') ? 'test' : 'build', label: args.includes('test') ? 'xcodebuild test' : 'xcodebuild' }),
	deno: (args, program) => (args[0] === 'task' && args[1] ? script(`deno task ${args[1]}`, args[1]) : bySubcommand({ test: 'test', check: 'build', lint: 'lint' })(args, program)),
	zig: (args) => (args[0] === 'build' ? { kind: args.includes('test') ? 'test' : 'build', label: args.includes('test') ? 'zig build test' : 'zig build' } : null),
	meson: bySubcommand({ test: 'test', compile: 'build' }),
	bazel: bySubcommand({ test: 'test', build: 'build' }), bazelisk: bySubcommand({ test: 'test', build: 'build' }),
	sbt: (args) => tasksOf('sbt', args.map((arg) => arg.replace(/^.*\//, ''))),
	lein: bySubcommand({ test: 'test', compile: 'build' }),
	stack: bySubcommand({ test: 'test', build: 'build' }), cabal: bySubcommand({ test: 'test', build: 'build' }),
	dune: bySubcommand({ test: 'test', build: 'build' }), rebar3: bySubcommand({ eunit: 'test', ct: 'test', compile: 'build' }),
	flutter: bySubcommand({ test: 'test', analyze: 'lint' }), dart: bySubcommand({ test: 'test', analyze: 'lint' }),
	mix: (args) => {
		if (args[0] === 'format') return args.includes('--check-formatted') ? { kind: 'lint', label: 'mix format --check-formatted' } : null;
		return bySubcommand({ test: 'test', compile: 'build', credo: 'lint' })(args, 'mix');
	},
	rake: bySubcommand({ test: 'test', spec: 'test' }), rails: bySubcommand({ test: 'test' }),
	ng: bySubcommand({ test: 'test', build: 'build', lint: 'lint' }),
	nx: (args) => {
		if (args[0] === 'run' && args[1]) return script(`nx run ${args[1]}`, args[1].split(':').pop() ?? '');
		if (args[0] === 'run-many' || args[0] === 'affected') return tasksOf(`nx ${args[0]}`, valuesOf(args, ['-t', '--target', '--targets']).flatMap((t) => t.split(',')));
		return args[0] ? script(`nx ${args[0]}`, args[0]) : null;
	},
	turbo: (args) => tasksOf('turbo', args[0] === 'run' ? args.slice(1) : args),
	lerna: (args) => (args[0] === 'run' && args[1] ? script(`lerna run ${args[1]}`, args[1]) : null),
	mvn: (args) => mavenPhases('mvn', args), mvnw: (args) => mavenPhases('mvn', args),
	gradle: (args) => gradleTasks(args), gradlew: (args) => gradleTasks(args),
};

function python(args: string[]): Recognised | null {
	let i = 0;
	while (i < args.length && args[i].startsWith('-') && args[i] !== '-m') {
		i += ['-X', '-W'].includes(args[i]) ? 2 : 1;
	}
	if (args[i] === '-m' && args[i + 1]) {
		const module = args[i + 1];
		if (module === 'unittest') return { kind: 'test', label: 'python -m unittest' };
		const found = recogniseProgram(module, args.slice(i + 2));
		return found ? { ...found, label: `python -m ${found.label}` } : null;
	}
	const file = args[i] === undefined ? '' : basename(args[i]);
	if ((file === 'manage.py' || file === 'setup.py') && args[i + 1] === 'test') {
		return { kind: 'test', label: `python ${file} test` };
	}
	if (/^run_?tests?\.py$/.test(file)) {
		return { kind: 'test', label: `python ${file}` };
	}
	return null;
}

/** Flags of npm/pnpm/yarn/bun that take a value, so the value is not read as the subcommand. */
const PM_VALUE_FLAGS = new Set(['--prefix', '-C', '--dir', '--filter', '-F', '--cwd', '--workspace']);
const PM_NOT_SCRIPTS = new Set(['install', 'i', 'ci', 'add', 'remove', 'rm', 'uninstall', 'update', 'up', 'upgrade', 'link', 'publish', 'pack', 'init', 'create', 'outdated', 'audit', 'list', 'ls', 'why', 'view', 'info', 'config', 'set', 'cache', 'login', 'version', 'start', 'dev', 'serve', 'import', 'dedupe', 'prune', 'rebuild', 'store']);

function packageManager(pm: string, args: string[]): Recognised | null {
	const rest = [...args];
	while (rest.length > 0 && rest[0].startsWith('-')) {
		const flag = rest.shift()!;
		if (PM_VALUE_FLAGS.has(flag) || (pm === 'npm' && flag === '-w')) {
			rest.shift();
		}
	}
	if (pm === 'yarn' && rest[0] === 'workspace') {
		rest.splice(0, 2);
	}
	if (pm === 'yarn' && rest[0] === 'workspaces' && rest[1] === 'foreach') {
		const run = rest.indexOf('run');
		rest.splice(0, run === -1 ? rest.length : run);
	}
	const sub = rest.shift();
	if (sub === undefined || PM_NOT_SCRIPTS.has(sub)) {
		return null;
	}
	if (sub === 'test' || sub === 't' || sub === 'tst') {
		return { kind: 'test', label: `${pm} test` };
	}
	if (sub === 'run' || sub === 'run-script' || sub === 'rs') {
		const name = rest.find((arg) => !arg.startsWith('-'));
		return name ? script(`${pm} run ${name}`, name) : null;
	}
	if (sub === 'exec' || sub === 'dlx' || sub === 'x') {
		const inner = rest[0] === '--' ? rest.slice(1) : rest;
		return inner.length > 0 ? recogniseProgram(programName(inner[0]), inner.slice(1)) : null;
	}
	if (pm === 'bun' && sub === 'build') {
		return { kind: 'build', label: 'bun build' };
	}
	if (pm === 'npm') {
		return null; // npm runs scripts only through `run` (and `test`).
	}
	// `yarn build`, `pnpm lint`: a script; `yarn tsc`, `pnpm vitest`: a package binary.
	return script(`${pm} ${sub}`, sub) ?? recogniseProgram(programName(sub), rest);
}

/** A package script or task name, by the words it is made of: `test:unit`, `type-check`, `lint:fix`. */
function script(label: string, name: string): Recognised | null {
	const kind = taskKind(name);
	return kind ? { kind, label } : null;
}

const TEST_TASK = /(?:^|[:_\-/.])(?:test|tests|spec|e2e|jest|vitest|mocha|unit|integration|coverage|ci)(?:$|[:_\-/.])|^test/i;
const BUILD_TASK = /(?:^|[:_\-/.])(?:build|compile|bundle|dist|typecheck|tsc|types|check-types|type-check|typescript)(?:$|[:_\-/.])|^(?:check:types|type:check)$/i;
const LINT_TASK = /(?:^|[:_\-/.])(?:lint|eslint|stylelint|check|format:check|fmt:check|check-format|prettier:check|vet)(?:$|[:_\-/.])/i;

function taskKind(name: string): VerificationKind | null {
	if (TEST_TASK.test(name)) return 'test';
	if (BUILD_TASK.test(name)) return 'build';
	if (LINT_TASK.test(name)) return 'lint';
	return null;
}

/** Several tasks in one invocation (`turbo run build test`, `sbt compile test`): the strongest counts. */
function tasksOf(label: string, tasks: string[]): Recognised | null {
	let found: Recognised | null = null;
	for (const task of tasks.filter((t) => !t.startsWith('-'))) {
		const kind = taskKind(task);
		found = keep(found, kind && { kind, label: `${label} ${task}` });
	}
	return found;
}

function valuesOf(args: string[], flags: string[]): string[] {
	const values: string[] = [];
	args.forEach((arg, i) => {
		const eq = flags.find((flag) => arg.startsWith(`${flag}=`));
		if (eq) values.push(arg.slice(eq.length + 1));
		else if (flags.includes(arg) && args[i + 1]) values.push(args[i + 1]);
	});
	return values;
}

const MAKE_VALUE_FLAGS = new Set(['-C', '-f', '--file', '--directory', '-j', '-l', '-o', '-W', '--justfile', '-d', '--dir']);

function makeTargets(program: string, args: string[]): Recognised | null {
	const targets: string[] = [];
	for (let i = 0; i < args.length; i++) {
		if (MAKE_VALUE_FLAGS.has(args[i]) && !/^-j\d/.test(args[i])) {
			i++;
		} else if (!args[i].startsWith('-') && !args[i].includes('=')) {
			targets.push(args[i]);
		}
	}
	if (targets.length === 0) {
		// A bare `make` builds the default target; other runners' defaults are unknown.
		return program === 'make' || program === 'gmake' ? { kind: 'build', label: program } : null;
	}
	let found: Recognised | null = null;
	for (const target of targets) {
		const kind = /^(?:all|build|compile)$/.test(target) ? 'build' : /^check$/.test(target) ? 'test' : taskKind(target);
		found = keep(found, kind && { kind, label: `${program} ${target}` });
	}
	return found;
}

function composer(args: string[]): Recognised | null {
	const name = args[0] === 'run' || args[0] === 'run-script' ? args[1] : args[0];
	return name && !PM_NOT_SCRIPTS.has(name) ? script(`composer ${name}`, name) : null;
}

const MAVEN_VALUE_FLAGS = new Set(['-pl', '--projects', '-P', '--activate-profiles', '-f', '--file', '-T', '--threads', '-s', '--settings', '-rf', '--resume-from']);
const MAVEN_PHASES: Record<string, VerificationKind> = {
	test: 'test', verify: 'test', 'integration-test': 'test', 'surefire:test': 'test', 'failsafe:integration-test': 'test',
	compile: 'build', 'test-compile': 'build', package: 'build', install: 'build', deploy: 'build',
	'checkstyle:check': 'lint', 'spotless:check': 'lint', 'pmd:check': 'lint', 'spotbugs:check': 'lint',
};

function mavenPhases(label: string, args: string[]): Recognised | null {
	let found: Recognised | null = null;
	for (let i = 0; i < args.length; i++) {
		if (MAVEN_VALUE_FLAGS.has(args[i])) {
			i++;
			continue;
		}
		const kind = own(MAVEN_PHASES, args[i]);
		found = keep(found, kind ? { kind, label: `${label} ${args[i]}` } : null);
	}
	return found;
}

function gradleTasks(args: string[]): Recognised | null {
	let found: Recognised | null = null;
	for (const arg of args.filter((a) => !a.startsWith('-'))) {
		const task = arg.split(':').pop() ?? '';
		const kind: VerificationKind | null = /^(?:test|check|connectedCheck)$|Test$/.test(task) ? 'test'
			: /^(?:build|assemble|classes|jar)|^compile/.test(task) ? 'build'
				: /^(?:lint|detekt)|Check$/.test(task) ? 'lint' : null;
		found = keep(found, kind && { kind, label: `gradle ${arg}` });
	}
	return found;
}

// ---- Names ----

/** `./node_modules/.bin/jest`, `/usr/bin/python3`, `pytest.exe`, `./gradlew` → the program's name. */
export function programName(word: string): string {
	return basename(word).replace(/\.(?:exe|cmd|bat|ps1)$/i, '').toLowerCase();
}

export function basename(path: string): string {
	return path.replace(/^.*[/\\]/, '');
}

/** A table entry, never an inherited property (`constructor` is not a program). */
export function own<T>(table: Record<string, T>, key: string): T | undefined {
	return Object.hasOwn(table, key) ? table[key] : undefined;
}
