import { fingerprint } from '../redact';
import type { Candidate, Finding, ScanOptions } from '../scan';

/** Walks a text forward, counting lines, so positions in increasing order get their line and column in one pass. */
export class LineCursor {
	private line = 0;
	private lineStart = 0;
	/** The first newline not yet counted; -1 when there is none left. */
	private next: number;

	constructor(private readonly text: string) {
		this.next = text.indexOf('\n');
	}

	/** Moves forward to `index` and returns its 0-based line and the index that line starts at. */
	seek(index: number): { line: number; lineStart: number } {
		while (this.next !== -1 && this.next < index) {
			this.line++;
			this.lineStart = this.next + 1;
			this.next = this.text.indexOf('\n', this.lineStart);
		}
		return { line: this.line, lineStart: this.lineStart };
	}
}

/** Turns resolved candidates (sorted by start) into findings; `cursor` must not be past the first one. */
export function toFinding(text: string, { rule, start, end }: Candidate, cursor: LineCursor, options: ScanOptions): Finding {
	const { line, lineStart } = cursor.seek(start);
	const finding: Finding = {
		ruleId: rule.id, kind: rule.kind, severity: rule.severity, action: rule.action,
		start, end, line: line + 1, column: start - lineStart + 1,
	};
	return options.fingerprintKey === undefined ? finding : { ...finding, fingerprint: fingerprint(text.slice(start, end), options.fingerprintKey) };
}

