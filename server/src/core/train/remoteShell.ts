/**
 * Every value that reaches a remote shell passes through here. A value becomes exactly one POSIX
 * word: single quotes keep spaces, quotes, `$(...)`, backticks, globs and newlines as data, and the
 * only character single quotes cannot hold, `'`, is closed, escaped and reopened (`'\''`).
 * Operators, redirections and `$variables` are written in the code, never taken from a value.
 */

/** Words that need no quotes in any POSIX shell (no leading `=` or `~`, which zsh and sh expand). */
const PLAIN_WORD = /^[A-Za-z0-9_./-][A-Za-z0-9_./:@%+=,-]*$/;

export type ShellValue = string | number | readonly (string | number)[];

/** One shell word that stands for `value` exactly. */
export function shQuote(value: string | number): string {
	const text = String(value);
	if (text.includes('\0')) {
		throw new Error('a NUL character cannot be passed to a remote shell');
	}
	if (PLAIN_WORD.test(text)) {
		return text;
	}
	return `'${text.replaceAll('\'', '\'\\\'\'')}'`;
}

/** A command line from an argv array: each argument one quoted word. */
export function shCommand(argv: readonly (string | number)[]): string {
	if (argv.length === 0) {
		throw new Error('empty command');
	}
	return argv.map(shQuote).join(' ');
}

/**
 * A template tag: the literal text is shell code, every `${value}` is quoted (an array becomes
 * one word per element). `` sh`cd -- ${dir} && tar -xf - -C ${dest}` ``
 */
export function sh(code: TemplateStringsArray, ...values: ShellValue[]): string {
	let out = code[0];
	values.forEach((value, i) => {
		out += (Array.isArray(value) ? value.map(shQuote).join(' ') : shQuote(value as string | number)) + code[i + 1];
	});
	return out;
}

/**
 * A path operand that no command can read as an option: a relative path that starts with `-`
 * gets `./` in front (absolute paths never start with `-`).
 */
export function pathOperand(remotePath: string): string {
	return remotePath.startsWith('-') ? `./${remotePath}` : remotePath;
}

/** `~`, `~/x` and relative paths against the remote home; absolute paths as they are. */
export function remoteAbsolute(remotePath: string, home: string): string {
	if (remotePath.startsWith('/')) {
		return normalizePosix(remotePath);
	}
	const rest = remotePath === '~' ? '' : remotePath.startsWith('~/') ? remotePath.slice(2) : remotePath;
	return normalizePosix(`${home}/${rest}`);
}

/** Collapses `//`, `/./` and a trailing `/`; keeps `..` (the remote file system decides what it means). */
function normalizePosix(p: string): string {
	const parts = p.split('/').filter((part, i) => i === 0 || (part !== '' && part !== '.'));
	const joined = parts.join('/');
	return joined === '' ? '/' : joined;
}
