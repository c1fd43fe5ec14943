/**
 * The first exporter: the sessions the gates let through → OpenAI chat JSONL in the split the
 * gate report assigned (by group, near duplicates together), plus a manifest with counts,
 * hashes, seed, versions and the gate report itself. Files are written to a temp folder and
 * renamed into place, so a crash never leaves a half-written dataset.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isExportBlocked, type ExportReport, type SplitName } from '../../../../shared/protocol';
import type { GateReport } from '../../../../shared/quality';
import type { AgentImporter } from '../capture/importer';
import { reviewSession, storedBlock } from '../findings/sessionReview';
import { RULES_VERSION } from '../redact/scan';
import type { TraceStore } from '../store/store';
import { TOOL_VERSION } from '../version';
import { emptyFixes, toOpenAiChat, validateOpenAiChatLine } from './openaiChat';

export interface ExportOptions {
	out: string;
	format?: 'openai_chat';
	log?: (line: string) => void;
}

const SPLITS: SplitName[] = ['train', 'validation', 'test', 'holdout'];

/**
 * Writes the sessions `gates` assigned a split. Expects the store's findings to be fresh and the
 * report computed from them (Tracemint.exportDataset does both).
 */
export function exportDataset(store: TraceStore, importers: readonly AgentImporter[], gates: GateReport, options: ExportOptions): ExportReport {
	const format = options.format ?? 'openai_chat';
	const out = path.resolve(options.out);
	if (fs.existsSync(out) && fs.readdirSync(out).length > 0 && !fs.existsSync(path.join(out, 'manifest.json'))) {
		throw new Error(`${out} exists and is not a Tracemint dataset (no manifest.json); choose an empty or new folder.`);
	}
	fs.mkdirSync(path.dirname(out), { recursive: true });
	const selected = gates.sessions.filter((g) => g.split !== undefined);
	const fixes = emptyFixes();
	const exportedIds: Record<SplitName, string[]> = { train: [], validation: [], test: [], holdout: [] };
	let skippedEmpty = 0;
	const blocked = blockedSessions(store, gates);
	const redactedPerRule: Record<string, number> = {};
	const staging = fs.mkdtempSync(path.join(path.dirname(out), `.${path.basename(out)}.tmp-`));
	try {
		fs.mkdirSync(path.join(staging, format), { recursive: true });
		// Lines stream to disk one session at a time, so memory follows the largest session, not the dataset.
		// holdout.jsonl exists only when a holdout share was asked for.
		const splits = SPLITS.filter((split) => split !== 'holdout' || gates.split.holdout > 0);
		const writers = Object.fromEntries(splits.map((split) => [split, new SplitWriter(staging, `${format}/${split}.jsonl`)])) as Record<SplitName, SplitWriter>;
		try {
			for (const gate of selected) {
				const stored = store.sessions.get(gate.sessionId)!;
				// Nothing leaves the store unredacted; the gates already kept blocked sessions out, and this re-check costs nothing.
				const review = reviewSession(store, stored);
				const { session, redacted } = review.redacted;
				if (isExportBlocked(review.block)) {
					throw new Error(`internal: ${session.id} is blocked from export but the gates selected it`);
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
				const split = gate.split!;
				writers[split].write(JSON.stringify(line));
				exportedIds[split].push(session.id);
			}
		} finally {
			splits.forEach((split) => writers[split].close());
		}

		const exported = SPLITS.reduce((n, split) => n + exportedIds[split].length, 0);
		const files = splits.map((split) => ({ path: writers[split].relative, split, lines: writers[split].lines, sha256: writers[split].sha256() }));
		const counts = { train: writers.train.lines, validation: writers.validation.lines, test: writers.test.lines, holdout: writers.holdout?.lines ?? 0 };
		const manifest = {
			name: path.basename(out),
			format,
			created_at: new Date().toISOString(),
			tool_version: TOOL_VERSION,
			parser_versions: Object.fromEntries(importers.map((i) => [i.agent, i.parserVersion])),
			store_schema_version: store.schemaVersion,
			seed: gates.split.seed,
			split: gates.split,
			counts,
			sessions: { in_store: gates.sessions.length, selected_by_gates: selected.length, exported, skipped_empty: skippedEmpty },
			gates: { preset: gates.preset, thresholds: gates.thresholds, counts: gates.counts, reasons: gates.reasons, near_duplicate_clusters: gates.nearDuplicateClusters },
			redaction: { rules_version: RULES_VERSION, redacted_per_rule: sortedRecord(redactedPerRule), blocked_sessions: blocked },
			fixes,
			files,
			/** Per split, in line order: line N of train.jsonl came from source_session_ids.train[N]. */
			source_session_ids: exportedIds,
			/** Every session's decision with its reasons: the rejection report (`tracemint gate --json` prints the same). */
			decisions: gates.sessions.map((g) => ({ id: g.sessionId, decision: g.decision, reasons: g.reasons, details: g.details, split: g.split ?? null })),
		};
		fs.writeFileSync(path.join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
		replaceDir(staging, out);
		return {
			out, format, files: files.map((f) => ({ ...f, path: path.join(out, f.path) })), counts,
			sessions: { exported, skippedNotOptedIn: gates.reasons['not-opted-in'] ?? 0, skippedEmpty, blocked: blocked.length },
			manifest: path.join(out, 'manifest.json'),
			gates,
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

/** Opted-in sessions the redaction bars, and why (the rules of their blocking findings, or the person's block). */
function blockedSessions(store: TraceStore, gates: GateReport): { id: string; rules: string[] }[] {
	return gates.sessions.filter((g) => g.reasons.includes('blocking-finding') && !g.reasons.includes('not-opted-in'))
		.map((g) => ({ id: g.sessionId, rules: storedBlock(store, g.sessionId).rules }));
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
