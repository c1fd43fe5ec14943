/**
 * `.aider.input.history` (prompt_toolkit's FileHistory): every line the person typed at a prompt,
 * confirmation answers included, as a `# <local timestamp>` line followed by one `+<text>` line per
 * input line. It is the only place Aider records when each prompt was sent.
 */
import type { ImportWarning, RawRecord } from '../importer';

export interface InputEntry {
	/** The raw local wall-clock stamp, e.g. `2025-12-03 14:44:06.503685`. */
	time: string;
	text: string;
	line: number;
}

const STAMP = /^# (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?)\s*$/;

export function readInputHistory(file: string, records: readonly RawRecord[], warnings: ImportWarning[]): InputEntry[] {
	const entries: InputEntry[] = [];
	let open: { time: string; lines: string[]; line: number } | undefined;
	const close = (): void => {
		if (open !== undefined) {
			entries.push({ time: open.time, text: open.lines.join('\n'), line: open.line });
			open = undefined;
		}
	};
	let stray: { count: number; line: number } | undefined;
	for (const record of records) {
		const stamp = STAMP.exec(record.text);
		if (stamp !== null) {
			close();
			open = { time: stamp[1], lines: [], line: record.line };
		} else if (record.text.startsWith('+') && open !== undefined) {
			open.lines.push(record.text.slice(1));
		} else if (record.text.trim().length > 0) {
			stray = { count: (stray?.count ?? 0) + 1, line: stray?.line ?? record.line };
		}
	}
	close();
	if (stray !== undefined) {
		warnings.push({
			file,
			line: stray.line,
			message: `skipped ${stray.count} input-history line(s) that are neither a "# <timestamp>" line nor a "+<input>" line after one (first shown at this line)`,
		});
	}
	return entries;
}
