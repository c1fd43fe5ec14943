/**
 * The first exporter: opted-in sessions → OpenAI chat JSONL split into train/validation/test
 * by repository (or workspace) so one project's sessions never straddle splits, plus a
 * manifest with counts, hashes, seed and versions. Files are written to a temp folder and
 * renamed into place, so a crash never leaves a half-written dataset.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Session } from '../../../../shared/model';
import { isExportBlocked, type ExportReport, type SplitName } from '../../../../shared/protocol';
import type { AgentImporter } from '../capture/importer';
import { reviewSession } from '../findings/sessionReview';
import { RULES_VERSION } from '../redact/scan';
import type { TraceStore } from '../store/store';
import { TOOL_VERSION } from '../version';
import { emptyFixes, toOpenAiChat, validateOpenAiChatLine } from './openaiChat';
import { DEFAULT_RATIOS, DEFAULT_SEED, splitFor, type SplitRatios } from './split';

export interface ExportOptions {
	out: string;
	format?: 'openai_chat';
	seed?: number;
	ratios?: SplitRatios;
	log?: (line: string) => void;
}

const SPLITS: SplitName[] = ['train', 'validation', 'test', 'holdout'];
/** Startup pings of 2.0.x subagents carry no task. */
const NOISE_SUBAGENTS = new Set(['warmup']);

/** Expects the store's findings to be fresh (Tracemint.exportDataset re-scans stale sessions first). */
export function exportDataset(store: TraceStore, importers: readonly AgentImporter[], options: ExportOptions): ExportReport {
	const format = options.format ?? 'openai_chat';
	const seed = options.seed ?? DEFAULT_SEED;
	const ratios = options.ratios ?? DEFAULT_RATIOS;
	const out = path.resolve(options.out);
	if (fs.existsSync(out) && fs.readdirSync(out).length > 0 && !fs.existsSync(path.join(out, 'manifest.json'))) {
		throw new Error(`${out} exists and is not a Tracemint dataset (no manifest.json); choose an empty or new folder.`);
	}
	fs.mkdirSync(path.dirname(out), { recursive: true });
	const all = store.sessions.list();
	const optedIn = all.filter((s) => s.opted_in).sort((a, b) => a.id.localeCompare(b.id));
	const fixes = emptyFixes();
	const exportedIds: Record<SplitName, string[]> = { train: [], validation: [], test: [], holdout: [] };
	let skippedEmpty = 0;
	const blocked: { id: string; rules: string[] }[] = [];
	const redactedPerRule: Record<string, number> = {};
	const staging = fs.mkdtempSync(path.join(path.dirname(out), `.${path.basename(out)}.tmp-`));
	try {
		fs.mkdirSync(path.join(staging, format), { recursive: true });
		// Lines stream to disk one session at a time, so memory follows the largest session, not the dataset.
		const writers = Object.fromEntries(SPLITS.map((split) => [split, new SplitWriter(staging, `${format}/${split}.jsonl`)])) as Record<SplitName, SplitWriter>;
		try {
			for (const summary of optedIn) {
				const stored = store.sessions.get(summary.id);
				if (!stored || NOISE_SUBAGENTS.has(stored.subagent_type ?? '')) {
					skippedEmpty++;
					continue;
				}
				// Nothing leaves the store unredacted; a private key bars the whole session until a person releases it.
				const review = reviewSession(store, stored);
				const { session, blockedBy, redacted } = review.redacted;
				if (isExportBlocked(review.block)) {
					blocked.push({ id: session.id, rules: review.block === 'blocked-by-user' ? ['blocked-by-user'] : blockedBy });
					continue;
				}
				for (const [rule, n] of Object.entries(redacted)) {
					redactedPerRule[rule] = (redactedPerRule[rule] ?? 0) + n;
				}
				const line = toOpenAiChat(session, fixes);
				if (!line) {
					skippedEmpty++;
					continue;
				}
				const problems = validateOpenAiChatLine(line);
				if (problems.length > 0) {
					// The converter is meant to make this impossible; a bad line is never written.
					options.log?.(`skipped ${session.id}: ${problems.slice(0, 3).join('; ')}`);
					skippedEmpty++;
					continue;
				}
				const split = splitFor(groupKeyOf(session), seed, ratios);
				writers[split].write(JSON.stringify(line));
				exportedIds[split].push(session.id);
			}
		} finally {
			SPLITS.forEach((split) => writers[split].close());
		}

		const exported = exportedIds.train.length + exportedIds.validation.length + exportedIds.test.length;
		const files = SPLITS.map((split) => ({ path: writers[split].relative, split, lines: writers[split].lines, sha256: writers[split].sha256() }));
		const counts = { train: writers.train.lines, validation: writers.validation.lines, test: writers.test.lines, holdout: writers.holdout.lines };
		const manifest = {
			name: path.basename(out),
			format,
			created_at: new Date().toISOString(),
			tool_version: TOOL_VERSION,
			parser_versions: Object.fromEntries(importers.map((i) => [i.agent, i.parserVersion])),
			store_schema_version: store.schemaVersion,
			seed,
			split: { ratios, group_by: 'repository_url, else cwd, else session id' },
			counts,
			sessions: { opted_in: optedIn.length, exported, skipped_empty_or_noise: skippedEmpty, not_opted_in: all.length - optedIn.length },
			redaction: { rules_version: RULES_VERSION, redacted_per_rule: sortedRecord(redactedPerRule), blocked_sessions: blocked },
			fixes,
			files,
			/** Per split, in line order: line N of train.jsonl came from source_session_ids.train[N]. */
			source_session_ids: exportedIds,
		};
		fs.writeFileSync(path.join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
		replaceDir(staging, out);
		return {
			out, format, files: files.map((f) => ({ ...f, path: path.join(out, f.path) })), counts,
			sessions: { exported, skippedNotOptedIn: all.length - optedIn.length, skippedEmpty, blocked: blocked.length },
			manifest: path.join(out, 'manifest.json'),
		};
	} finally {
		fs.rmSync(staging, { recursive: true, force: true });
	}
}

/** One split file written line by line, hashed as it goes. */
class SplitWriter {
	lines = 0;
	private readonly fd: number;
	private readonly hash = createHash('sha256');

	constructor(staging: string, readonly relative: string) {
		this.fd = fs.openSync(path.join(staging, relative), 'w');
	}

	write(line: string): void {
		const bytes = Buffer.from(`${line}\n`, 'utf8');
		fs.writeSync(this.fd, bytes);
		this.hash.update(bytes);
		this.lines++;
	}

	close(): void {
		fs.closeSync(this.fd);
	}

	sha256(): string {
		return this.hash.digest('hex');
	}
}

function sortedRecord(record: Record<string, number>): Record<string, number> {
	return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/** One repository's sessions (and a parent's subagents) share a split, so test never leaks into train. */
function groupKeyOf(session: Session): string {
	return session.repository_url ?? session.cwd ?? session.parent_session_id ?? session.id;
}

/** Swaps the finished staging folder in for `out`, keeping the old one until the new one is in place. */
function replaceDir(staging: string, out: string): void {
	const old = `${out}.old-${process.pid}`;
	const existed = fs.existsSync(out);
	if (existed) {
		fs.renameSync(out, old);
	}
	fs.renameSync(staging, out);
	if (existed) {
		fs.rmSync(old, { recursive: true, force: true });
	}
}
