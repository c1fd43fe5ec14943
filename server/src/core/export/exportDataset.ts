/**
 * The export: the sessions the gates let through, redacted, become a new dataset version in every
 * requested format, in the split the gate report assigned (by group, near duplicates together),
 * with preference pairs mined from what happened, a manifest, a dataset card and the reports.
 *
 * Sessions stream through one at a time (memory follows the largest session, not the store), the
 * loop yields between sessions so a cancel or another request gets through, and everything is
 * written in a staging folder renamed into place at the end.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_DATASET_NAME, FORMAT_NAMES, isFormatName, type ExportProgress, type ExportReport, type ExportSettings, type FormatName, type FormatReport, type TrainOn } from '../../../../shared/dataset';
import type { Session } from '../../../../shared/model';
import { isExportBlocked } from '../../../../shared/protocol';
import type { GateReport, SessionGate, SplitName } from '../../../../shared/quality';
import type { AgentImporter } from '../capture/importer';
import { reviewSession, storedBlock } from '../findings/sessionReview';
import { RULES_VERSION } from '../redact/scan';
import { REWARD_FORMULA_VERSION } from '../reward';
import type { TraceStore } from '../store/store';
import { TOOL_VERSION } from '../version';
import { emptyFixes, toChat, toolsOf, type ChatSample, type SampleFixes } from './chatSample';
import { datasetCard } from './datasetCard';
import { datasetName, publishVersion, stagingFolder } from './datasetVersions';
import { DatasetWriter } from './datasetWriter';
import { FORMATS } from './formats';
import { jsonlToParquet } from './parquet';
import { DEFAULT_MIN_MARGIN, mineSessionPairs, rolloutKeyOf, rolloutPair, rolloutPlan, type PairKind, type PreferencePair, type RolloutKey } from './preference';
import { sampleParts } from './sampleParts';
import { bump, sortedByKey } from './tallies';


export interface ExportControl {
	log?: (line: string) => void;
	/** Aborting stops the export between sessions; nothing is left behind. */
	signal?: AbortSignal;
	onProgress?: (progress: ExportProgress) => void;
}

export type ExportOptions = ExportSettings & ExportControl;

const SPLITS: SplitName[] = ['train', 'validation', 'test', 'holdout'];

/**
 * Writes the sessions `gates` assigned a split. Expects the store's findings to be fresh and the
 * report computed from them (Tracemint.exportDataset does both).
 */
export async function exportDataset(store: TraceStore, importers: readonly AgentImporter[], gates: GateReport, options: ExportOptions): Promise<ExportReport> {
	const formats = resolveFormats(options.formats);
	const name = datasetName(options.name ?? DEFAULT_DATASET_NAME);
	const root = path.join(path.resolve(options.out), name);
	const trainOn = options.trainOn ?? 'all';
	const maxTokensPerSample = options.maxTokensPerSample ?? 0;
	const minRewardMargin = options.minRewardMargin ?? DEFAULT_MIN_MARGIN;
	const splits = SPLITS.filter((split) => split !== 'holdout' || gates.split.holdout > 0);
	const selected = gates.sessions.filter((g) => g.split !== undefined);
	const staging = stagingFolder(root);
	const writer = new DatasetWriter(staging, formats.map((f) => FORMATS[f]), splits);
	try {
		const run = new ExportRun(store, writer, { trainOn, maxTokensPerSample }, options);
		for (const [done, gate] of selected.entries()) {
			options.signal?.throwIfAborted();
			run.addSession(gate);
			options.onProgress?.({ phase: 'sessions', done: done + 1, total: selected.length, rows: writer.rows });
			// Between sessions the event loop runs: a cancel, or another request of the editor, gets through.
			await new Promise((resolve) => setImmediate(resolve));
		}
		await run.addRollouts(minRewardMargin);
		options.onProgress?.({ phase: 'finishing', done: selected.length, total: selected.length, rows: writer.rows });
		const reports = writer.finish();
		if (options.parquet) {
			await writeParquet(staging, reports, options.signal);
		}
		options.signal?.throwIfAborted();
		const blocked = blockedSessions(store, gates);
		writeJson(staging, 'reports/redaction.json', { rules_version: RULES_VERSION, redacted_per_rule: sortedByKey(run.redactedPerRule), blocked_sessions: blocked });
		writeJson(staging, 'reports/rejection.json', {
			preset: gates.preset, thresholds: gates.thresholds, counts: gates.counts, reasons: gates.reasons,
			sessions: gates.sessions.map((g) => ({ id: g.sessionId, decision: g.decision, reasons: g.reasons, details: g.details, split: g.split ?? null })),
		});
		writeJson(staging, 'reports/validation.json', {
			samples: { fixes: run.fixes, parts: run.parts },
			formats: Object.fromEntries(reports.map((r) => [r.format, { rows: r.rows, dropped: r.dropped, fixed: r.fixed, invalid: r.invalid }])),
		});
		const sessions = { exported: run.exportedSessions, skippedNotOptedIn: gates.reasons['not-opted-in'] ?? 0, skippedEmpty: run.skippedEmpty, blocked: blocked.length };
		const version = publishVersion(root, staging, (v) => {
			fs.writeFileSync(path.join(staging, 'README.md'), datasetCard({
				name, version: v, toolVersion: TOOL_VERSION, gates, sessions, pairs: run.pairs, trainOn, maxTokensPerSample,
				formats: reports.map((report) => ({ format: FORMATS[report.format], report })),
				redactedValues: Object.values(run.redactedPerRule).reduce((a, b) => a + b, 0),
			}));
			writeJson(staging, 'manifest.json', {
				name, version: v,
				created_at: new Date().toISOString(),
				tool_version: TOOL_VERSION,
				versions: {
					parsers: Object.fromEntries(importers.map((i) => [i.agent, i.parserVersion])),
					redaction_rules: RULES_VERSION, reward_formula: REWARD_FORMULA_VERSION, store_schema: store.schemaVersion,
				},
				options: { formats, train_on: trainOn, max_tokens_per_sample: maxTokensPerSample, min_reward_margin: minRewardMargin, parquet: options.parquet === true },
				seed: gates.split.seed,
				split: gates.split,
				gates: { preset: gates.preset, thresholds: gates.thresholds, counts: gates.counts, reasons: gates.reasons, near_duplicate_clusters: gates.nearDuplicateClusters },
				counts: { samples: run.samplesPerSplit, sessions, pairs: run.pairs },
				files: manifestFiles(staging, reports),
				/** Per split, in line order: line N of every chat format's <split>.jsonl came from source_sample_ids[split][N] (`<session>#<part>` for split sessions). */
				source_sample_ids: run.sampleIds,
				/** Per split, in line order of every pair format's file (KTO writes two lines per pair). */
				source_pair_ids: run.pairIds,
			});
		});
		const out = path.join(root, `v${version}`);
		return {
			out, name, version,
			formats: reports.map((r) => ({ ...r, files: r.files.map((f) => ({ ...f, path: path.join(out, f.path) })) })),
			counts: run.samplesPerSplit,
			sessions,
			pairs: run.pairs,
			manifest: path.join(out, 'manifest.json'),
			card: path.join(out, 'README.md'),
			gates,
		};
	} catch (error) {
		writer.abort();
		throw error;
	} finally {
		fs.rmSync(staging, { recursive: true, force: true });
	}
}

function resolveFormats(names: readonly string[] | undefined): FormatName[] {
	const list = names && names.length > 0 ? [...new Set(names)] : ['openai_chat'];
	const unknown = list.filter((n) => !isFormatName(n));
	if (unknown.length > 0) {
		throw new Error(`unknown format ${unknown.join(', ')}: expected one or more of ${FORMAT_NAMES.join(', ')}`);
	}
	return list as FormatName[];
}

type SessionChat = NonNullable<ReturnType<typeof toChat>> & { session: Session };

/** The state of one export while sessions stream through it. */
class ExportRun {
	readonly fixes: SampleFixes = emptyFixes();
	readonly redactedPerRule: Record<string, number> = {};
	readonly sampleIds: Partial<Record<SplitName, string[]>> = {};
	readonly pairIds: Partial<Record<SplitName, string[]>> = {};
	readonly pairs: Record<PairKind, number> = { repair: 0, rejection: 0, rollout: 0 };
	readonly parts = { sessionsSplit: 0, overLimit: 0 };
	exportedSessions = 0;
	skippedEmpty = 0;
	private readonly rolloutKeys: RolloutKey[] = [];

	get samplesPerSplit(): Record<SplitName, number> {
		const count = (split: SplitName) => this.sampleIds[split]?.length ?? 0;
		return { train: count('train'), validation: count('validation'), test: count('test'), holdout: count('holdout') };
	}

	constructor(
		private readonly store: TraceStore,
		private readonly writer: DatasetWriter,
		private readonly settings: { trainOn: TrainOn; maxTokensPerSample: number },
		private readonly options: ExportControl,
	) {}

	addSession(gate: SessionGate): void {
		const chat = this.chatOf(gate.sessionId);
		if (!chat) {
			this.skippedEmpty++;
			return;
		}
		const split = gate.split!;
		const reward = gate.reward ?? 0;
		const { parts, overLimit } = sampleParts(chat.messages, this.settings.maxTokensPerSample);
		this.parts.overLimit += overLimit;
		if (parts.length > 1) {
			this.parts.sessionsSplit++;
		}
		const schemas = new Map(chat.tools.map((t) => [t.name, t.parameters]));
		let written = 0;
		parts.forEach((messages, i) => {
			if (!messages.some((m) => m.role === 'assistant' && m.train)) {
				return;
			}
			const id = parts.length === 1 ? gate.sessionId : `${gate.sessionId}#${i + 1}`;
			const sample: ChatSample = {
				id, sessionId: gate.sessionId, part: i + 1, parts: parts.length, split, reward, messages,
				tools: toolsOf(messages, (name) => schemas.get(name)!),
			};
			this.writer.addSample(sample);
			(this.sampleIds[split] ??= []).push(id);
			written++;
		});
		if (written === 0) {
			this.skippedEmpty++;
			return;
		}
		this.exportedSessions++;
		if (this.writer.wantsPairs) {
			for (const pair of mineSessionPairs(chat.session, chat.messages, chat.tools, split)) {
				this.addPair(pair);
			}
			const key = rolloutKeyOf(chat.session, chat.messages, reward, split);
			if (key) {
				this.rolloutKeys.push(key);
			}
		}
	}

	/** Rollout pairs need every session's key first; then each pair loads its two sessions again. */
	async addRollouts(minMargin: number): Promise<void> {
		if (!this.writer.wantsPairs) {
			return;
		}
		const plan = rolloutPlan(this.rolloutKeys, minMargin);
		let chosen: { id: string; chat: SessionChat } | undefined;
		for (const [done, step] of plan.entries()) {
			this.options.signal?.throwIfAborted();
			if (chosen?.id !== step.chosen.sessionId) {
				chosen = { id: step.chosen.sessionId, chat: this.chatOf(step.chosen.sessionId, false)! };
			}
			const rejected = this.chatOf(step.rejected.sessionId, false)!;
			this.addPair(rolloutPair(step, chosen.chat.messages, rejected.messages, chosen.chat.tools, rejected.tools));
			this.options.onProgress?.({ phase: 'pairs', done: done + 1, total: plan.length, rows: this.writer.rows });
			await new Promise((resolve) => setImmediate(resolve));
		}
	}

	private addPair(pair: PreferencePair): void {
		this.writer.addPair(pair);
		this.pairs[pair.kind]++;
		(this.pairIds[pair.split] ??= []).push(pair.id);
	}

	/** The session as it may leave the store (redacted), reduced to trainable chat. */
	private chatOf(id: string, count = true): SessionChat | undefined {
		const stored = this.store.sessions.get(id)!;
		// Nothing leaves the store unredacted; the gates already kept blocked sessions out, and this re-check costs nothing.
		const review = reviewSession(this.store, stored);
		if (isExportBlocked(review.block)) {
			throw new Error(`internal: ${id} is blocked from export but the gates selected it`);
		}
		const { session, redacted } = review.redacted;
		if (count) {
			for (const [rule, n] of Object.entries(redacted)) {
				bump(this.redactedPerRule, rule, n);
			}
		}
		const chat = toChat(session, this.settings.trainOn, count ? this.fixes : emptyFixes());
		return chat && { ...chat, session };
	}
}

/** Parquet beside each non-empty JSONL file, converted from it (the JSONL stays the source of truth). */
async function writeParquet(staging: string, reports: FormatReport[], signal?: AbortSignal): Promise<void> {
	for (const report of reports) {
		for (const file of report.files.filter((f) => f.rows > 0)) {
			signal?.throwIfAborted();
			const jsonl = path.join(staging, file.path);
			await jsonlToParquet(jsonl, jsonl.replace(/\.jsonl$/, '.parquet'), FORMATS[report.format].features);
		}
	}
}

/** sha256 of every file in the version folder except the manifest itself. */
function manifestFiles(staging: string, reports: FormatReport[]): { path: string; bytes: number; sha256: string; rows?: number; split?: SplitName; format?: FormatName }[] {
	const data = reports.flatMap((r) => r.files.map((f) => ({ path: f.path, format: r.format, split: f.split, rows: f.rows, bytes: f.bytes, sha256: f.sha256 })));
	const known = new Set(data.map((f) => f.path));
	const others = listFiles(staging).filter((p) => !known.has(p) && p !== 'manifest.json').map((p) => ({ path: p, ...fileDigest(path.join(staging, p)) }));
	return [...data, ...others].sort((a, b) => a.path.localeCompare(b.path));
}

function listFiles(root: string, dir = ''): string[] {
	return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
		const rel = dir ? `${dir}/${entry.name}` : entry.name;
		return entry.isDirectory() ? listFiles(root, rel) : [rel];
	});
}

/** Size and sha256 of a file, read 1 MB at a time: Parquet files can be large, and memory stays flat. */
function fileDigest(file: string): { bytes: number; sha256: string } {
	const hash = createHash('sha256');
	const chunk = Buffer.alloc(1024 * 1024);
	const fd = fs.openSync(file, 'r');
	let bytes = 0;
	try {
		for (let n = fs.readSync(fd, chunk); n > 0; n = fs.readSync(fd, chunk)) {
			hash.update(chunk.subarray(0, n));
			bytes += n;
		}
	} finally {
		fs.closeSync(fd);
	}
	return { bytes, sha256: hash.digest('hex') };
}

function writeJson(root: string, relative: string, value: unknown): void {
	fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
	fs.writeFileSync(path.join(root, relative), `${JSON.stringify(value, null, 2)}\n`);
}

/** Opted-in sessions the redaction bars, and why (the rules of their blocking findings, or the person's block). */
function blockedSessions(store: TraceStore, gates: GateReport): { id: string; rules: string[] }[] {
	return gates.sessions.filter((g) => g.reasons.includes('blocking-finding') && !g.reasons.includes('not-opted-in'))
		.map((g) => ({ id: g.sessionId, rules: storedBlock(store, g.sessionId).rules }));
}
