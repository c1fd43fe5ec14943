/**
 * Import = read new bytes of every candidate file into raw records (one transaction per
 * file; how a file is read depends on its layout, see FileLayout), then re-derive the sessions of every group whose records changed (one transaction
 * per group). Both steps are idempotent and a kill between them is repaired by the next run.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { Session, type AgentId } from '../../../../shared/model';
import type { ImportReport } from '../../../../shared/protocol';
import type { AgentImporter, ImportWarning, LocationEnv, RawFile, RawRecord } from '../capture/importer';
import type { TraceStore } from '../store/store';
import { discover, type Candidate } from './discover';
import { withDatabaseSnapshot } from '../store/db';
import type { SplitResult } from './lines';
import { splitRecords } from './readers';

const HEAD_BYTES = 64 * 1024;
const MAX_WARNINGS = 500;

export interface ImportOptions {
	paths?: string[];
	agent?: AgentId;
	/** Sources the user switched off: not read (explicit paths of theirs included). */
	skip?: readonly AgentId[];
	/** Progress and warnings for humans (stderr in the CLI, the output channel in the editor). */
	log?: (line: string) => void;
}

export class ImportRunner {
	constructor(private readonly store: TraceStore, private readonly importers: readonly AgentImporter[], private readonly loc: LocationEnv) {}

	run(options: ImportOptions = {}): ImportReport & { changedSessionIds: string[] } {
		const warnings: ImportWarning[] = [];
		const pool = (options.agent ? this.importers.filter((i) => i.agent === options.agent) : this.importers)
			.filter((i) => !options.skip?.includes(i.agent));
		const { candidates } = discover(options.paths, pool, this.loc, warnings);
		const report: ImportReport & { changedSessionIds: string[] } = {
			store: this.store.path,
			files: { scanned: candidates.length, read: 0, unchanged: 0, rewritten: 0 },
			bytes: 0, records: 0, malformed: 0, torn: 0,
			sessions: { added: 0, updated: 0, unchanged: 0 },
			messages: 0, warnings: [], changedSessionIds: [],
		};
		const freshRecords = new Map<string, RawRecord[]>();
		for (const candidate of candidates) {
			this.readFile(candidate, report, warnings, freshRecords);
		}
		for (const importer of pool) {
			this.store.sourceFiles.markStaleGroups(importer.agent, importer.parserVersion);
		}
		const derived = new Set<string>();
		const forgotten = this.store.forgotten.ids();
		for (const group of this.store.sourceFiles.pendingGroups()) {
			const importer = this.importers.find((i) => i.agent === group.agent);
			if (importer) {
				derived.add(groupId(group.agent, group.group_key));
				this.deriveGroup(importer, group.group_key, freshRecords, forgotten, report, warnings);
			}
		}
		// Sessions of scanned groups that needed no re-derivation are unchanged too.
		for (const key of new Set(candidates.map((c) => groupId(c.importer.agent, c.importer.groupKey(c.path))))) {
			if (!derived.has(key)) {
				const [agent, groupKey] = key.split('\u0000');
				report.sessions.unchanged += this.store.sessions.countInGroup(agent, groupKey);
			}
		}
		report.warnings = warnings.slice(0, MAX_WARNINGS);
		if (warnings.length > MAX_WARNINGS) {
			report.warnings.push({ file: '', message: `${warnings.length - MAX_WARNINGS} more warnings not shown` });
		}
		options.log?.(`imported ${report.files.read} of ${report.files.scanned} files, ${report.records} new records, ${report.malformed} malformed`);
		return report;
	}

	private readFile(candidate: Candidate, report: ImportReport, warnings: ImportWarning[], fresh: Map<string, RawRecord[]>): void {
		const { path: file, importer } = candidate;
		const layout = importer.layoutOf(file);
		if (layout === 'sqlite') {
			this.readDatabaseFile(candidate, report, warnings, fresh);
			return;
		}
		let fd: number;
		try {
			fd = fs.openSync(file, 'r');
		} catch (error) {
			warnings.push({ file, message: `cannot be read: ${(error as Error).message}` });
			return;
		}
		try {
			const stat = fs.fstatSync(fd);
			const known = this.store.sourceFiles.find(file);
			if (known && known.consumed_bytes === stat.size && known.mtime_ms === Math.trunc(stat.mtimeMs)) {
				report.files.unchanged++;
				return;
			}
			if (layout === 'json') {
				this.readDocument(candidate, readAt(fd, 0, stat.size), Math.trunc(stat.mtimeMs), report, warnings, fresh);
				return;
			}
			let restart = !known;
			if (known && !restart) {
				const headLength = Math.min(HEAD_BYTES, known.consumed_bytes);
				restart = stat.size < known.consumed_bytes || hashOf(readAt(fd, 0, headLength)) !== known.head_sha256;
				if (restart) {
					report.files.rewritten++;
				}
			}
			const start = restart ? 0 : known!.consumed_bytes;
			const baseLine = restart ? 0 : known!.consumed_lines;
			const chunk = readAt(fd, start, stat.size - start);
			const split = splitRecords(layout, chunk, start, baseLine);
			if (split.torn) {
				report.torn++;
			}
			if (split.consumed === 0 && !restart) {
				report.files.unchanged++;
				return;
			}
			const consumedBytes = start + split.consumed;
			const headSha = hashOf(start === 0 ? chunk.subarray(0, Math.min(HEAD_BYTES, consumedBytes)) : readAt(fd, 0, Math.min(HEAD_BYTES, consumedBytes)));
			const malformed = layout === 'jsonl' ? countMalformed(candidate, split.records, warnings) : 0;
			this.store.sourceFiles.append({ path: file, agent: importer.agent, groupKey: importer.groupKey(file) }, {
				restart, records: split.records, consumedBytes, consumedLines: baseLine + split.lines, headSha256: headSha,
				mtimeMs: Math.trunc(stat.mtimeMs), malformed,
			});
			if (restart) {
				fresh.set(file, split.records);
			}
			report.files.read++;
			report.bytes += split.consumed;
			report.records += split.records.length;
			report.malformed += malformed;
		} finally {
			fs.closeSync(fd);
		}
	}

	/**
	 * A document rewritten whole: its content hash says whether anything changed (a save that
	 * rewrote the same bytes is not a change). One that does not parse is mid-write: left as it
	 * was for the next import, so the last good version stays in the store.
	 */
	private readDocument(candidate: Candidate, bytes: Buffer, mtimeMs: number, report: ImportReport, warnings: ImportWarning[], fresh: Map<string, RawRecord[]>): void {
		this.storeSnapshot(candidate, bytes, mtimeMs, report, warnings, fresh, () => splitRecords('json', bytes, 0, 0));
	}

	/** Cursor-style databases: a private copy is read, never the file the agent has open. */
	private readDatabaseFile(candidate: Candidate, report: ImportReport, warnings: ImportWarning[], fresh: Map<string, RawRecord[]>): void {
		const { path: file, importer } = candidate;
		try {
			const stat = fs.statSync(file);
			const walStat = fs.statSync(`${file}-wal`, { throwIfNoEntry: false });
			const size = stat.size + (walStat?.size ?? 0);
			const mtimeMs = Math.trunc(Math.max(stat.mtimeMs, walStat?.mtimeMs ?? 0));
			const known = this.store.sourceFiles.find(file);
			if (known && known.consumed_bytes === size && known.mtime_ms === mtimeMs) {
				report.files.unchanged++;
				return;
			}
			withDatabaseSnapshot(file, (db, copied) => {
				const bytes = Buffer.concat(copied);
				this.storeSnapshot(candidate, bytes, mtimeMs, report, warnings, fresh, () => {
					const records = importer.readDatabase?.(db, file) ?? [];
					return { records, consumed: bytes.length, torn: false, lines: records.length };
				});
			});
		} catch (error) {
			warnings.push({ file, message: `cannot be read as a ${importer.agent} database: ${(error as Error).message}` });
		}
	}

	/** Stores a whole-file snapshot (document or database) when its content hash changed. */
	private storeSnapshot(
		candidate: Candidate, bytes: Buffer, mtimeMs: number, report: ImportReport, warnings: ImportWarning[], fresh: Map<string, RawRecord[]>, read: () => SplitResult,
	): void {
		const { path: file, importer } = candidate;
		const known = this.store.sourceFiles.find(file);
		const sha = hashOf(bytes);
		if (known && known.head_sha256 === sha) {
			this.store.sourceFiles.touch(known, mtimeMs);
			report.files.unchanged++;
			return;
		}
		const split = read();
		if (split.torn) {
			report.torn++;
			// A document mid-write keeps its last good version; JSON Lines keep their complete lines.
			if (split.records.length === 0) return;
		}
		if (known) {
			report.files.rewritten++;
		}
		const malformed = countMalformed(candidate, split.records, warnings);
		this.store.sourceFiles.append({ path: file, agent: importer.agent, groupKey: importer.groupKey(file) }, {
			restart: true, records: split.records, consumedBytes: bytes.length, consumedLines: split.lines, headSha256: sha, mtimeMs, malformed,
		});
		fresh.set(file, split.records);
		report.files.read++;
		report.bytes += bytes.length;
		report.records += split.records.length;
		report.malformed += malformed;
	}

	private deriveGroup(importer: AgentImporter, groupKey: string, fresh: Map<string, RawRecord[]>, forgotten: ReadonlySet<string>, report: ImportReport & { changedSessionIds: string[] }, warnings: ImportWarning[]): void {
		const files: RawFile[] = this.store.sourceFiles.filesInGroup(importer.agent, groupKey).map((row) => ({
			path: row.path,
			records: fresh.get(row.path) ?? this.store.sourceFiles.records(row.id).map((r) => ({
				line: r.line, offset: r.byte_offset, text: r.text, value: r.valid ? JSON.parse(r.text) as unknown : undefined,
			})),
		}));
		let parsed;
		try {
			parsed = importer.parse(files);
		} catch (error) {
			// A parser bug must not lose the raw records or stop other groups; the group stays dirty.
			warnings.push({ file: groupKey, message: `${importer.agent} parser failed: ${(error as Error).message}` });
			return;
		}
		warnings.push(...parsed.warnings);
		this.store.db.transaction(() => {
			for (const input of parsed.sessions) {
				// A person asked to forget it: it never comes back, however often the log is read.
				if (forgotten.has(input.id)) continue;
				const checked = Session.safeParse(input);
				if (!checked.success) {
					warnings.push({ file: input.source_files?.[0] ?? groupKey, message: `session ${input.id} does not match the canonical model: ${checked.error.issues[0]?.path.join('.')} ${checked.error.issues[0]?.message}` });
					continue;
				}
				const outcome = this.store.sessions.upsert(checked.data, groupKey);
				report.sessions[outcome]++;
				report.messages += checked.data.messages.length;
				if (outcome !== 'unchanged') {
					report.changedSessionIds.push(checked.data.id);
				}
			}
			this.store.sourceFiles.markClean(importer.agent, groupKey, importer.parserVersion);
		})();
	}
}

/** Lines that are not JSON are kept raw (a later parser may read them) and each is warned about. */
function countMalformed({ path: file, importer }: Candidate, records: readonly RawRecord[], warnings: ImportWarning[]): number {
	let malformed = 0;
	for (const record of records) {
		if (record.value === undefined) {
			malformed++;
			warnings.push({ file, line: record.line, message: `not valid JSON (expected one ${importer.agent} JSON record per line); line skipped and kept raw` });
		}
	}
	return malformed;
}

function groupId(agent: string, groupKey: string): string {
	return `${agent}\u0000${groupKey}`;
}

function readAt(fd: number, position: number, length: number): Buffer {
	const buffer = Buffer.alloc(Math.max(0, length));
	let done = 0;
	while (done < length) {
		const n = fs.readSync(fd, buffer, done, length - done, position + done);
		if (n === 0) {
			break;
		}
		done += n;
	}
	return done === length ? buffer : buffer.subarray(0, done);
}

function hashOf(bytes: Buffer): string {
	return createHash('sha256').update(bytes).digest('hex');
}
