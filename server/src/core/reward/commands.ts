/**
 * Recognises verification commands (tests, builds and type checks, linters) in shell tool calls.
 *
 * A command counts only when a known program sits in command position, after environment
 * assignments and wrappers (`env`, `timeout 60`, `npx`, `uv run`, `python -m`, `bash -c "…"`),
 * so `echo "pytest"`, `cat jest.config.js`, `pip install pytest` or `grep -r vitest .` never
 * count. Version, help and list-only invocations (`pytest --collect-only`) run nothing and are left out.
 */
import { asArray, asObject, asString, parseJson } from '../capture/json';
import { basename, own, programName, recogniseProgram, stronger, type Recognised, type VerificationKind } from './programs';
import { parseCommandLine, type ShellOperator } from './shell';

export type { VerificationKind } from './programs';

export interface VerificationCommand {
	/** The strongest family in the line: test over build (and type checks) over lint. */
	kind: VerificationKind;
	/** The recognised tools in order, e.g. `npm run build`, `npm test`, for explanations. */
	tools: string[];
	/**
	 * The exit status the log reports may be another command's: the verification is piped into
	 * another program (`| tail`, unless pipefail), followed by `||`, `;`, a new line or `&`.
	 */
	masked: boolean;
}

/** Tool names that run a shell command line: Claude Code `Bash`, Codex `shell`/`exec_command`/`local_shell`, others. */
const SHELL_TOOL = /^(?:bash|shell|exec_command|local_shell|shell_command|run_shell_command|execute_command|run_command|run_terminal_cmd|terminal|container\.exec)$/i;
const SHELL_PROGRAMS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh']);

/** The command line a shell tool call runs; undefined for any other tool. */
export function commandOf(toolName: string, argumentsJson: string): string | undefined {
	if (!SHELL_TOOL.test(toolName) && !/bash|shell|terminal/i.test(toolName)) {
		return undefined;
	}
	const args = asObject(parseJson(argumentsJson));
	const command = args?.command ?? args?.cmd;
	if (typeof command === 'string') {
		return command;
	}
	const argv = asArray(command).map((word) => asString(word));
	if (argv.length === 0 || argv.some((word) => word === undefined)) {
		return undefined;
	}
	const words = argv as string[];
	// Codex `shell` passes argv: ["bash", "-lc", "<script>"].
	if (words.length >= 3 && SHELL_PROGRAMS.has(basename(words[0])) && /^-\w*c$/.test(words[1])) {
		return words[2];
	}
	return words.map(shellQuote).join(' ');
}

export function classifyCommand(line: string): VerificationCommand | null {
	return classifyLine(line, 0);
}

function classifyLine(line: string, depth: number): VerificationCommand | null {
	const parsed = parseCommandLine(line);
	const tools: string[] = [];
	let kind: VerificationKind | null = null;
	let last = -1;
	let innerMasked = false;
	parsed.commands.forEach((command, i) => {
		const found = recogniseSimple(command.words, depth);
		if (found) {
			tools.push(found.label);
			kind = stronger(kind, found.kind);
			last = i;
			innerMasked = found.masked === true;
		}
	});
	if (kind === null) {
		return null;
	}
	const hides = (op: ShellOperator | null): boolean => op !== null && op !== '&&' && !(op === '|' && parsed.pipefail);
	const masked = innerMasked || parsed.commands.slice(last).some((command) => hides(command.next));
	return { kind, tools, masked };
}

// ---- One simple command ----

/** Flags that make a run print something instead of verifying anything. */
const NO_RUN_FLAGS = new Set(['--version', '-V', '--help', '-h', '--collect-only', '--co', '--listTests', '--list', '-list', '--showConfig', '--init']);

function recogniseSimple(rawWords: string[], depth: number): Recognised | null {
	const words = unwrap(withoutRedirections(rawWords));
	if (words.length === 0) {
		return null;
	}
	const program = programName(words[0]);
	const args = words.slice(1);
	if (args.some((arg) => NO_RUN_FLAGS.has(arg))) {
		return null;
	}
	if (SHELL_PROGRAMS.has(program)) {
		const script = args.findIndex((arg) => /^-\w*c$/.test(arg));
		if (script === -1 || args[script + 1] === undefined || depth > 2) {
			return null;
		}
		const inner = classifyLine(args[script + 1], depth + 1);
		return inner ? { kind: inner.kind, label: inner.tools.join(', '), masked: inner.masked } : null;
	}
	return recogniseProgram(program, args);
}

// ---- Words before the program ----

/** Wrappers that run the command after them, with their flags that take a value. */
const WRAPPERS: Record<string, Set<string>> = {
	env: new Set(['-u', '--unset', '-C', '--chdir', '-S']),
	sudo: new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-U']),
	time: new Set(['-f', '-o']),
	nice: new Set(['-n']),
	nohup: new Set(),
	command: new Set(),
	exec: new Set(['-a']),
	builtin: new Set(),
	stdbuf: new Set(['-i', '-o', '-e']),
	unbuffer: new Set(),
	caffeinate: new Set(['-t', '-w']),
	'xvfb-run': new Set(['-s', '--server-args', '-n', '--server-num', '-e', '--error-file', '-f', '--auth-file']),
	npx: new Set(['-p', '--package', '-c', '--call']),
	bunx: new Set(['-p', '--package']),
	pnpx: new Set(['-p', '--package']),
	dotenv: new Set(['-e', '-v', '-c']),
	chronic: new Set(),
};
/** Runners whose second word says "run the rest": `uv run`, `poetry run`, `bundle exec`. */
const RUNNERS: Record<string, { sub: string[]; valueFlags: Set<string> }> = {
	uv: { sub: ['run'], valueFlags: new Set(['--with', '--python', '-p', '--project', '--directory', '--package', '--extra', '--group', '--env-file', '--index']) },
	poetry: { sub: ['run'], valueFlags: new Set(['-C', '--directory', '-P', '--project']) },
	pipenv: { sub: ['run'], valueFlags: new Set() },
	pdm: { sub: ['run'], valueFlags: new Set(['-p', '--project']) },
	hatch: { sub: ['run'], valueFlags: new Set() },
	rye: { sub: ['run'], valueFlags: new Set() },
	conda: { sub: ['run'], valueFlags: new Set(['-n', '--name', '-p', '--prefix', '--cwd']) },
	mamba: { sub: ['run'], valueFlags: new Set(['-n', '--name', '-p', '--prefix']) },
	micromamba: { sub: ['run'], valueFlags: new Set(['-n', '--name', '-p', '--prefix']) },
	bundle: { sub: ['exec'], valueFlags: new Set() },
	mise: { sub: ['exec', 'x'], valueFlags: new Set(['-C', '--cd']) },
	direnv: { sub: ['exec'], valueFlags: new Set() },
	doppler: { sub: ['run'], valueFlags: new Set(['-p', '--project', '-c', '--config']) },
	op: { sub: ['run'], valueFlags: new Set(['--env-file']) },
};
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

function unwrap(input: string[]): string[] {
	let words = input;
	for (let guard = 0; guard < 8 && words.length > 0; guard++) {
		if (ASSIGNMENT.test(words[0])) {
			words = words.slice(1);
			continue;
		}
		const program = programName(words[0]);
		const wrapper = own(WRAPPERS, program);
		const runner = own(RUNNERS, program);
		if (wrapper) {
			words = skipOptions(words.slice(1), wrapper);
		} else if (program === 'timeout') {
			words = skipOptions(words.slice(1), new Set(['-s', '--signal', '-k', '--kill-after'])).slice(1);
		} else if (runner && runner.sub.includes(words[1])) {
			words = skipOptions(words.slice(2), runner.valueFlags);
		} else {
			return words;
		}
	}
	return words;
}

/** Drops leading options (and the values of those that take one), assignments and a `--`. */
function skipOptions(words: string[], valueFlags: Set<string>): string[] {
	let i = 0;
	while (i < words.length) {
		const word = words[i];
		if (word === '--') {
			return words.slice(i + 1);
		}
		if (ASSIGNMENT.test(word)) {
			i++;
		} else if (word.startsWith('-')) {
			i += valueFlags.has(word) ? 2 : 1;
		} else {
			break;
		}
	}
	return words.slice(i);
}

/** Redirections (`2>&1`, `> out.txt`, `</dev/null`) are not arguments. */
function withoutRedirections(words: string[]): string[] {
	const out: string[] = [];
	for (let i = 0; i < words.length; i++) {
		const word = words[i];
		if (/^(?:\d+|&)?[<>]/.test(word)) {
			if (/^(?:\d+|&)?[<>|&-]+$/.test(word)) {
				i++; // the operator alone: its target is the next word
			}
			continue;
		}
		out.push(word);
	}
	return out;
}

function shellQuote(word: string): string {
	return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, '\'\\\'\'')}'`;
}
