/**
 * Writes samples and pairs into every requested format at once, one JSONL file per format and
 * split, as they arrive: nothing is kept but a write buffer per file, so memory stays flat
 * however large the dataset. Every row passes its format's validator before it is written;
 * what a format dropped, fixed or found invalid is counted by reason for the validation report.
 */
import { createHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FormatReport } from '../../../../shared/dataset';
import type { SplitName } from '../../../../shared/quality';
import type { ChatSample } from './chatSample';
import type { DatasetFormat, FormatNotes } from './formats/format';
import type { PreferencePair } from './preference/pair';
import { bump, sortedByKey } from './tallies';

export class DatasetWriter {
	private readonly outputs: FormatOutput[];
	/** Whether any requested format is made from preference pairs (so mining them is worth it). */
	readonly wantsPairs: boolean;

	/** `splits`: the files every format gets (holdout only when a holdout share was asked for). */
	constructor(staging: string, formats: readonly DatasetFormat[], splits: readonly SplitName[]) {
		this.outputs = formats.map((format) => new FormatOutput(staging, format, splits));
		this.wantsPairs = formats.some((f) => f.source === 'pair');
	}

	get rows(): number {
		return this.outputs.reduce((n, o) => n + o.rowsWritten, 0);
	}


	addSample(sample: ChatSample): void {
		for (const output of this.outputs) {
			if (output.format.source === 'chat') {
				output.add(sample.split, output.format.rows(sample, output.notes));
			}
		}
	}

	addPair(pair: PreferencePair): void {
		for (const output of this.outputs) {
			if (output.format.source === 'pair') {
				output.add(pair.split, output.format.rows(pair, output.notes));
			}
		}
	}

	/** Closes every file; paths in the report are relative to the staging folder. */
	finish(): FormatReport[] {
		return this.outputs.map((o) => o.finish());
	}

	/** Closes every file without a report (the export failed or was cancelled). */
	abort(): void {
		this.outputs.forEach((o) => o.close());
	}
}

class FormatOutput {
	readonly notes: FormatNotes;
	private readonly dropped: Record<string, number> = {};
	private readonly fixed: Record<string, number> = {};
	private readonly invalid: Record<string, number> = {};
	private readonly files: Map<SplitName, JsonlFile>;

	get rowsWritten(): number {
		return [...this.files.values()].reduce((n, file) => n + file.rows, 0);
	}

	constructor(staging: string, readonly format: DatasetFormat, splits: readonly SplitName[]) {
		fs.mkdirSync(path.join(staging, format.name), { recursive: true });
		this.files = new Map(splits.map((split) => [split, new JsonlFile(staging, `${format.name}/${split}.jsonl`)]));
		this.notes = {
			dropped: (reason) => bump(this.dropped, reason),
			fixed: (reason, count = 1) => bump(this.fixed, reason, count),
		};
	}

	add(split: SplitName, rows: unknown[]): void {
		const file = this.files.get(split);
		if (!file) {
			throw new Error(`internal: no ${split} file for ${this.format.name}`);
		}
		for (const row of rows) {
			const problems = this.format.validate(row);
			if (problems.length > 0) {
				// Writers are meant to make this impossible; a row that breaks the format is never written.
				bump(this.invalid, problems[0]);
				continue;
			}
			file.write(JSON.stringify(row));
		}
	}

	finish(): FormatReport {
		this.close();
		const files = [...this.files].map(([split, f]) => ({ path: f.relative, split, rows: f.rows, bytes: f.bytes, sha256: f.sha256() }));
		const rows = { train: 0, validation: 0, test: 0, holdout: 0 } as Record<SplitName, number>;
		files.forEach((f) => { rows[f.split] = f.rows; });
		return { format: this.format.name, files, rows, dropped: sortedByKey(this.dropped), fixed: sortedByKey(this.fixed), invalid: sortedByKey(this.invalid) };
	}

	close(): void {
		this.files.forEach((f) => f.close());
	}
}

/** One JSONL file, written through a buffer and hashed as it goes. */
export class JsonlFile {
	rows = 0;
	bytes = 0;
	private fd: number | undefined;
	private readonly hash: Hash = createHash('sha256');
	private pending: string[] = [];
	private pendingChars = 0;
	private digest: string | undefined;

	constructor(root: string, readonly relative: string) {
		this.fd = fs.openSync(path.join(root, relative), 'w');
	}

	write(line: string): void {
		this.pending.push(line, '\n');
		this.pendingChars += line.length + 1;
		this.rows++;
		if (this.pendingChars >= 1 << 20) {
			this.flush();
		}
	}

	close(): void {
		if (this.fd !== undefined) {
			this.flush();
			fs.closeSync(this.fd);
			this.fd = undefined;
		}
	}

	sha256(): string {
		this.digest ??= this.hash.digest('hex');
		return this.digest;
	}

	private flush(): void {
		if (this.pending.length === 0 || this.fd === undefined) {
			return;
		}
		const bytes = Buffer.from(this.pending.join(''), 'utf8');
		this.pending = [];
		this.pendingChars = 0;
		fs.writeSync(this.fd, bytes);
		this.hash.update(bytes);
		this.bytes += bytes.length;
	}
}

