/**
 * Splits a shell command line into simple commands and the operators between them, enough to
 * find which program runs (`cd app && FOO=1 npm test 2>&1 | tail -5`) and whether the exit
 * status the log reports is that program's. Not a shell: no expansion, no globbing. Quotes are
 * removed, `$(…)` and backticks stay inside their word, heredoc bodies and comments are skipped,
 * so a line inside a heredoc (`pytest` in a patch) is never read as a command.
 */

export type ShellOperator = '&&' | '||' | ';' | '|' | '&' | '\n';

export interface SimpleCommand {
	/** Words with quotes removed; redirections are kept as written (`2>&1`, `>`, `out.txt`). */
	words: string[];
	/** The operator after this command; null for the last one. */
	next: ShellOperator | null;
}

export interface CommandLine {
	commands: SimpleCommand[];
	/** `set -o pipefail` (or `-eo pipefail`) appears: a pipeline fails when any part fails. */
	pipefail: boolean;
}

export function parseCommandLine(line: string): CommandLine {
	return new Lexer(line).run();
}

class Lexer {
	private readonly commands: SimpleCommand[] = [];
	private words: string[] = [];
	private word = '';
	/** The word has started even when empty (`""`). */
	private inWord = false;
	private readonly heredocs: string[] = [];
	private pos = 0;

	constructor(private readonly text: string) {}

	run(): CommandLine {
		const t = this.text;
		while (this.pos < t.length) {
			const c = t[this.pos];
			if (c === '\\' && this.pos + 1 < t.length) {
				if (t[this.pos + 1] !== '\n') {
					this.append(t[this.pos + 1]);
				}
				this.pos += 2;
			} else if (c === '\'') {
				this.quoted('\'');
			} else if (c === '"') {
				this.quoted('"');
			} else if (c === '`') {
				this.raw('`');
			} else if (c === '$' && t[this.pos + 1] === '(') {
				this.substitution();
			} else if (c === '#' && !this.inWord) {
				while (this.pos < t.length && t[this.pos] !== '\n') this.pos++;
			} else if (c === '\n') {
				this.end('\n');
				this.pos++;
				this.skipHeredocBodies();
			} else if (c === ' ' || c === '\t' || c === '\r') {
				this.endWord();
				this.pos++;
			} else if (c === '(' || c === ')' || (c === '{' && !this.inWord && isBlank(t[this.pos + 1])) || (c === '}' && !this.inWord && this.atWordEnd(1))) {
				// Subshells and groups: `(cd x && npm test)` runs the same commands.
				this.endWord();
				this.pos++;
			} else if (c === '&' || c === '|' || c === ';') {
				this.operator(c);
			} else {
				this.append(c);
				this.pos++;
			}
		}
		this.end(null);
		return { commands: this.commands, pipefail: /\bpipefail\b/.test(this.text) };
	}

	private operator(c: string): void {
		const t = this.text;
		const pair = t.slice(this.pos, this.pos + 2);
		// `2>&1`, `>&2`, `&>file`, `|&`: redirections, not command separators.
		if (c === '&' && (this.word.endsWith('>') || this.word.endsWith('<') || t[this.pos + 1] === '>')) {
			this.append(c);
			this.pos++;
			return;
		}
		if (pair === '&&' || pair === '||') {
			this.end(pair);
			this.pos += 2;
		} else if (pair === '|&') {
			this.end('|');
			this.pos += 2;
		} else if (pair === ';;') {
			this.end(';');
			this.pos += 2;
		} else {
			this.end(c as ShellOperator);
			this.pos++;
		}
	}

	private quoted(quote: '\'' | '"'): void {
		const t = this.text;
		this.inWord = true;
		this.pos++;
		while (this.pos < t.length && t[this.pos] !== quote) {
			if (quote === '"' && t[this.pos] === '\\' && this.pos + 1 < t.length) {
				this.pos++;
			}
			this.word += t[this.pos];
			this.pos++;
		}
		this.pos++;
	}

	/** Backticks: kept verbatim inside the current word. */
	private raw(close: string): void {
		const t = this.text;
		const end = t.indexOf(close, this.pos + 1);
		const stop = end === -1 ? t.length : end + 1;
		this.append(t.slice(this.pos, stop));
		this.pos = stop;
	}

	/** `$( … )` with nesting: kept verbatim inside the current word. */
	private substitution(): void {
		const t = this.text;
		let depth = 0;
		const start = this.pos;
		this.pos++;
		while (this.pos < t.length) {
			const c = t[this.pos];
			if (c === '(') depth++;
			if (c === ')' && --depth === 0) {
				this.pos++;
				break;
			}
			this.pos++;
		}
		this.append(t.slice(start, this.pos));
	}

	private append(text: string): void {
		this.word += text;
		this.inWord = true;
	}

	private atWordEnd(offset: number): boolean {
		const next = this.text[this.pos + offset];
		return next === undefined || isBlank(next) || next === ';' || next === '&' || next === '|';
	}

	private endWord(): void {
		if (!this.inWord) {
			return;
		}
		const word = this.word;
		const previous = this.words[this.words.length - 1];
		const heredoc = /^<<-?(.*)$/.exec(word);
		if (heredoc && heredoc[1] !== '' && !word.startsWith('<<<')) {
			this.heredocs.push(heredoc[1]);
		} else if ((previous === '<<' || previous === '<<-') && word !== '') {
			this.heredocs.push(word);
		}
		this.words.push(word);
		this.word = '';
		this.inWord = false;
	}

	private end(next: ShellOperator | null): void {
		this.endWord();
		if (this.words.length > 0) {
			this.commands.push({ words: this.words, next });
		} else if (next !== null && next !== '\n' && this.commands.length > 0) {
			// `a &&\n b`: the operator belongs to the command before the line break.
			this.commands[this.commands.length - 1].next = next;
		}
		this.words = [];
	}

	/** After a newline, the bodies of pending heredocs are data: skip to each delimiter line. */
	private skipHeredocBodies(): void {
		const t = this.text;
		while (this.heredocs.length > 0) {
			const delimiter = this.heredocs.shift()!;
			while (this.pos < t.length) {
				const eol = t.indexOf('\n', this.pos);
				const stop = eol === -1 ? t.length : eol;
				const line = t.slice(this.pos, stop);
				this.pos = eol === -1 ? t.length : eol + 1;
				if (line.trim() === delimiter) {
					break;
				}
			}
		}
	}
}

function isBlank(c: string | undefined): boolean {
	return c === undefined || c === ' ' || c === '\t' || c === '\n' || c === '\r';
}
