/**
 * `tracemint watch`: live capture without an editor. Every agent location (and any PATH given,
 * e.g. a repository with Aider logs or a `.tracemint/traces` folder) is watched until SIGINT or
 * SIGTERM; each import is one line on stdout (one JSON object per line with --json).
 */
import * as path from 'node:path';
import { AgentId } from '../../../shared/model';
import type { ImportReport } from '../../../shared/protocol';
import type { Command } from './command';

export const WATCH_USAGE = `Live capture:
  watch [PATH...] [--polling] [--agent A]         watch every agent's log folders (plus each PATH) and import what is
                                                 written there as it is written, until Ctrl-C; one line per import
                                                 (--json: one JSON object per line); --polling: no native file events`;

export const watch: Command = async ({ core, args, options, stdout, log }) => {
	const only = options.agent as AgentId | undefined;
	const disabled = only ? AgentId.options.filter((a) => a !== only) : [];
	const live = await core.watch({
		mode: options.polling ? 'polling' : 'auto',
		disabled,
		extraRoots: args.map((dir) => ({ dir: path.resolve(dir), agents: only ? [only] : [...AgentId.options] })),
		log,
		onImported: (report) => stdout.write(`${options.json ? JSON.stringify(importLine(report)) : describe(report)}\n`),
	});
	// Explicit folders are read once in full; from then on only what changes.
	if (args.length > 0) core.importSessions({ paths: args, agent: only, skip: disabled, log });
	const watched = live.status().flatMap((s) => s.roots.filter((r) => r.state === 'events' || r.state === 'polling').map((r) => `${s.agent} ${r.dir} (${r.state})`));
	log(watched.length > 0 ? `watching:\n  ${watched.join('\n  ')}` : 'no agent folders on this machine yet; they are looked for every 10 s');
	// The watchers' own timers and handles do not hold the process open (an editor's backend must
	// be free to exit), so the command does, until it is told to stop.
	const keepAlive = setInterval(() => undefined, 60_000);
	await new Promise<void>((resolve) => {
		process.once('SIGINT', resolve);
		process.once('SIGTERM', resolve);
	});
	clearInterval(keepAlive);
	await live.close();
	return { streamed: true };
};

function importLine(report: ImportReport & { changedSessionIds: string[] }) {
	return { at: new Date().toISOString(), files: report.files.read, records: report.records, malformed: report.malformed, sessions: report.sessions, changed: report.changedSessionIds };
}

function describe(report: ImportReport & { changedSessionIds: string[] }): string {
	const { added, updated } = report.sessions;
	return `${new Date().toISOString()}  ${report.records} new records from ${report.files.read} files: ${added} sessions added, ${updated} updated` +
		(report.malformed > 0 ? `, ${report.malformed} malformed lines skipped` : '');
}
