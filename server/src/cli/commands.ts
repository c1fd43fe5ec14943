/** The store commands: one function each, core call in, JSON document and human text out. */
import * as path from 'node:path';
import { FORMAT_NAMES } from '../../../shared/dataset';
import type { AgentId, SessionSummary } from '../../../shared/model';
import type { ExportReport, ImportReport } from '../../../shared/protocol';
import { UsageError, type Command, type CommandContext, type CommandResult } from './command';
import { exportSettingsOf } from './exportOptions';
import { qualityParamsOf } from './qualityOptions';

/** Real logs shipped with Tracemint (see media/samples/SOURCES.md), for machines with no agent history. */
export const SAMPLES_DIR = path.join(__dirname, '..', '..', 'media', 'samples', 'sessions');
const DEFAULT_OUT = 'tracemint-out';

export const commands: Record<string, Command> = {
	import: ({ core, args, options, log }) => {
		const report = core.importSessions({ paths: args.length > 0 ? args : undefined, agent: options.agent as AgentId | undefined, log });
		logWarnings(report, log);
		return { json: stripIds(report), text: describeImport(report) };
	},

	sessions: ({ core, options }) => {
		const list = core.listSessions({ agent: options.agent as AgentId | undefined, optedInOnly: options['opted-in'] });
		const json = list.map((s) => ({
			id: s.id, agent: s.agent, title: s.title, cwd: s.cwd, started: s.started_at, messages: s.message_count,
			optedIn: s.opted_in, parent: s.parent_session_id,
		}));
		return { json, text: list.length === 0 ? 'No sessions in the store yet. Run: tracemint import' : list.map(describeSession).join('\n') };
	},

	show: ({ core, args, options }) => {
		const id = single(args, 'SESSION_ID');
		// Nothing leaves the store unredacted: the session as an export would see it.
		const session = core.redactedSession(id);
		return { json: session, text: options.markdown ? core.renderTranscript(session.id).text : JSON.stringify(session, null, 2) };
	},

	'opt-in': (ctx) => consent(ctx, true),
	'opt-out': (ctx) => consent(ctx, false),

	export: async ({ core, options, log }) => {
		if (!options.out) {
			throw new UsageError('--out DIR is required');
		}
		const report = await core.exportDataset({ ...exportSettingsOf(options, options.out), ...qualityParamsOf(options), log });
		return { json: report, text: describeExport(report) };
	},

	status: ({ core }) => {
		const status = core.status();
		return { json: status, text: `store: ${status.store}\nsessions: ${status.sessions} (${status.optedIn} opted in), messages: ${status.messages}` };
	},

	/** `npm start`: import what this machine has; on a machine with no agent history, the shipped samples, opted in. */
	quickstart: async ({ core, options, log }) => {
		log(`store: ${core.store.path}`);
		let imported = core.importSessions({ log });
		let usedSamples = false;
		if (imported.files.scanned === 0) {
			log('No agent sessions found on this machine; importing the bundled sample sessions instead.');
			imported = core.importSessions({ paths: [SAMPLES_DIR], log });
			const sampleIds = core.listSessions().filter((s) => s.source_files.some((f) => f.startsWith(SAMPLES_DIR))).map((s) => s.id);
			core.setConsent(sampleIds, true, 'quickstart-samples');
			usedSamples = true;
		}
		logWarnings(imported, log);
		const out = path.resolve(options.out ?? DEFAULT_OUT);
		// The samples are short public sessions no test run verified: under the default preset none reaches the reward
		// floor, so the demo uses `experimental` unless told otherwise. Your own sessions get the default preset.
		const quality = qualityParamsOf(options);
		// The demo writes every format unless told otherwise, so one run shows the whole dataset.
		const settings = { formats: [...FORMAT_NAMES], ...exportSettingsOf(options, out) };
		const exported = await core.exportDataset({ ...settings, log, ...(usedSamples && !quality.preset ? { ...quality, preset: 'experimental' } : quality) });
		const status = core.status();
		const lines = [
			usedSamples ? 'Imported the bundled sample sessions (no agent sessions were found on this machine) and opted them in.' : 'Imported the agent sessions found on this machine.',
			describeImport(imported),
			`Store: ${status.store}: ${status.sessions} sessions, ${status.optedIn} opted in.`,
			describeExport(exported),
		];
		if (status.optedIn === 0) {
			lines.push('', 'Nothing is exported until you opt sessions in (consent stays yours):',
				'  npm run --silent tracemint -- sessions            # list them',
				'  npm run --silent tracemint -- opt-in SESSION_ID   # consent to one',
				'  npm start                                          # export again');
		}
		return { json: { usedSamples, import: stripIds(imported), export: exported, status }, text: lines.join('\n') };
	},
};

function consent({ core, args }: CommandContext, optedIn: boolean): CommandResult {
	return sessionChange(core.setConsent(sessionIds(args), optedIn, 'cli'), optedIn ? 'opted in' : 'opted out');
}

/** SESSION_ID... of the commands that change whole sessions (consent, block): at least one. */
export function sessionIds(args: string[]): string[] {
	if (args.length === 0) {
		throw new UsageError('give at least one SESSION_ID');
	}
	return args;
}

/** What changed and which ids matched no session (exit code 1 when any did not). */
export function sessionChange(result: { changed: string[]; unknown: string[] }, verb: string): CommandResult {
	const text = [`${result.changed.length} session(s) ${verb}${result.changed.length ? `: ${result.changed.join(', ')}` : ''}`,
		...result.unknown.map((q) => `unknown or ambiguous session id: ${q}`)].join('\n');
	return { json: result, text, exitCode: result.unknown.length > 0 ? 1 : 0 };
}

function single(args: string[], name: string): string {
	if (args.length !== 1) {
		throw new UsageError(`expected exactly one ${name}`);
	}
	return args[0];
}

function stripIds(report: ImportReport & { changedSessionIds?: string[] }): ImportReport {
	const { changedSessionIds: _ids, ...rest } = report;
	return rest;
}

function logWarnings(report: ImportReport, log: (line: string) => void): void {
	for (const w of report.warnings) {
		log(`warning: ${w.file}${w.line ? `:${w.line}` : ''}: ${w.message}`);
	}
}

function describeImport(r: ImportReport): string {
	return `Import: ${r.files.scanned} files (${r.files.read} read, ${r.files.unchanged} unchanged), ${r.records} new records, ` +
		`${r.malformed} malformed lines skipped; sessions ${r.sessions.added} added, ${r.sessions.updated} updated, ${r.sessions.unchanged} unchanged; ` +
		`${r.warnings.length} warnings.`;
}

function describeExport(r: ExportReport): string {
	const gates = r.gates ? ` Gates (${r.gates.preset}): ${r.gates.counts.accepted} accepted, ${r.gates.counts.downgraded} downgraded, ${r.gates.counts.rejected} rejected; see tracemint gate.` : '';
	const c = r.counts;
	const pairs = Object.values(r.pairs).reduce((a, b) => a + b, 0);
	const lines = [
		`Export: ${r.name} v${r.version} in ${r.out}: ${r.sessions.exported} sessions → ${c.train} train / ${c.validation} validation / ${c.test} test` +
		`${c.holdout > 0 ? ` / ${c.holdout} holdout` : ''} samples, ${pairs} preference pairs (${r.pairs.repair} repair, ${r.pairs.rejection} rejection, ${r.pairs.rollout} rollout).${gates}`,
		...r.formats.map((f) => {
			const rows = Object.values(f.rows).reduce((a, b) => a + b, 0);
			const dropped = Object.entries(f.dropped).map(([why, n]) => `${n} dropped: ${why}`);
			return `  ${f.format.padEnd(22)} ${String(rows).padStart(6)} rows${dropped.length > 0 ? `  (${dropped.join('; ')})` : ''}`;
		}),
		`Dataset card: ${r.card}`,
	];
	return lines.join('\n');
}

function describeSession(s: SessionSummary): string {
	return `${s.opted_in ? '[x]' : '[ ]'} ${s.id}  ${s.started_at?.slice(0, 16) ?? '?'}  ${String(s.message_count).padStart(4)} msgs  ${s.title ?? ''}`;
}
