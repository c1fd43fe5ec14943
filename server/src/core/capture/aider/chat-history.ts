/**
 * Splits `.aider.chat.history.md` into runs (one per `# aider chat started at`) and each run into
 * blocks: what the person typed, what Aider printed, what the model replied.
 *
 * Line prefixes alone cannot tell them apart: a reply may quote with `>` or use `####` headings.
 * What can is how Aider writes the file (io.py): every input line is `#### <text>` and every output
 * message `> <text>`, both closed by two trailing spaces; a multi-line output message gets the `> `
 * only on its first line and the two spaces only on its last; a reply is written stripped (so it
 * never ends in two spaces) after a blank line. So a line opens a user or output block only when
 * it carries those marks and follows a blank line or another Aider line, and fences are not
 * tracked: models leave them unbalanced often enough (a README inside a SEARCH/REPLACE block) that
 * trusting them would swallow the Aider output after the reply.
 */
import type { ImportWarning, RawRecord } from '../importer';

export interface SourceLine {
	text: string;
	line: number;
}

export interface Block {
	kind: 'user' | 'output' | 'assistant';
	/** user: the typed lines without `#### `; output: one entry per Aider message without `> `; assistant: the reply's lines. */
	lines: SourceLine[];
}

export interface Run {
	/** The header's local wall-clock start, as written (`2025-12-03 14:43:45`). */
	start: string;
	line: number;
	blocks: Block[];
}

const HEADER_PREFIX = '# aider chat started at';
const HEADER = /^# aider chat started at (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})\s*$/;

type State = 'preamble' | 'skipping' | 'idle' | 'user' | 'output' | 'continuation' | 'assistant';

function isUserLine(text: string): boolean {
	return text.startsWith('#### ') && text.endsWith('  ');
}

/** A whole one-line output message (`> text  `, or `>  ` for an empty one). */
function isOutputLine(text: string): boolean {
	return text === '>  ' || (text.startsWith('> ') && text.endsWith('  '));
}

function outputText(text: string): string {
	return text.replace(/^> ?/, '').trimEnd();
}

export function readChatHistory(file: string, records: readonly RawRecord[], warnings: ImportWarning[]): Run[] {
	return new ChatHistorySplitter(file, warnings).split(records);
}

class ChatHistorySplitter {
	private readonly runs: Run[] = [];
	private run: Run | undefined;
	private block: Block | undefined;
	private state: State = 'preamble';
	private previousBlank = true;
	/** Blank lines inside a reply, kept only if more of the reply follows. */
	private pendingBlanks: SourceLine[] = [];
	private preamble: { count: number; line: number } | undefined;

	constructor(private readonly file: string, private readonly warnings: ImportWarning[]) {}

	split(records: readonly RawRecord[]): Run[] {
		for (const record of records) {
			this.read({ text: record.text, line: record.line });
			this.previousBlank = record.text.trim().length === 0;
		}
		this.closeRun();
		if (this.preamble !== undefined) {
			this.warnings.push({
				file: this.file,
				line: this.preamble.line,
				message: `skipped ${this.preamble.count} line(s) before the first "${HEADER_PREFIX} YYYY-MM-DD HH:MM:SS" line (first shown at this line)`,
			});
		}
		return this.runs;
	}

	private read(source: SourceLine): void {
		const { text } = source;
		if (text.startsWith(HEADER_PREFIX) && (this.previousBlank || this.state === 'preamble' || this.state === 'skipping')) {
			this.startRun(source);
			return;
		}
		const blank = text.trim().length === 0;
		switch (this.state) {
			case 'preamble':
				if (!blank) {
					this.preamble = { count: (this.preamble?.count ?? 0) + 1, line: this.preamble?.line ?? source.line };
				}
				return;
			case 'skipping':
				return;
			case 'continuation': {
				const message = this.block!.lines[this.block!.lines.length - 1];
				message.text += `\n${text}`;
				if (text.endsWith('  ')) {
					message.text = message.text.trimEnd();
					this.state = 'output';
				}
				return;
			}
		}
		if (blank) {
			if (this.state === 'assistant') {
				this.pendingBlanks.push(source);
			} else {
				this.state = 'idle';
			}
			return;
		}
		const afterAider = this.state === 'user' || this.state === 'output' || this.state === 'idle';
		const opensAiderLine = afterAider || this.previousBlank;
		if (opensAiderLine && isUserLine(text)) {
			this.append('user', { text: text.slice('#### '.length, -2), line: source.line }, this.state === 'user');
			this.state = 'user';
		} else if (opensAiderLine && isOutputLine(text)) {
			this.append('output', { text: outputText(text), line: source.line }, this.block?.kind === 'output' && this.state !== 'assistant');
			this.state = 'output';
		} else if ((this.state === 'user' || this.state === 'output') && text.startsWith('> ')) {
			this.append('output', { text: text.slice(2), line: source.line }, this.state === 'output');
			this.state = 'continuation';
		} else if (this.state === 'output') {
			// Still Aider's: a reply is always written after a blank line. This is a further line of a
			// message whose earlier lines happened to end in two spaces (padded shell-command lists).
			const message = this.block!.lines[this.block!.lines.length - 1];
			message.text += `\n${text.trimEnd()}`;
		} else {
			if (this.state === 'assistant') {
				this.block!.lines.push(...this.pendingBlanks);
			}
			this.pendingBlanks = [];
			this.append('assistant', source, this.state === 'assistant');
			this.state = 'assistant';
		}
	}

	private append(kind: Block['kind'], line: SourceLine, continues: boolean): void {
		if (kind !== 'assistant') {
			this.pendingBlanks = [];
		}
		if (continues && this.block !== undefined && this.block.kind === kind) {
			this.block.lines.push(line);
			return;
		}
		this.block = { kind, lines: [line] };
		this.run!.blocks.push(this.block);
	}

	private startRun(source: SourceLine): void {
		this.closeRun();
		const match = HEADER.exec(source.text);
		if (match === null) {
			this.warnings.push({
				file: this.file,
				line: source.line,
				message: `run header without a readable start time (expected "${HEADER_PREFIX} YYYY-MM-DD HH:MM:SS"); the lines up to the next run were skipped`,
			});
			this.state = 'skipping';
			return;
		}
		this.run = { start: match[1], line: source.line, blocks: [] };
		this.state = 'idle';
	}

	private closeRun(): void {
		if (this.run !== undefined) {
			this.runs.push(this.run);
		}
		this.run = undefined;
		this.block = undefined;
		this.pendingBlanks = [];
	}
}
