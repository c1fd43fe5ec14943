/**
 * The headless CLI: a thin adapter over the core. Every command takes --json (exactly one JSON
 * document on stdout; progress and warnings on stderr); the store commands take --store.
 * `redact` writes its own stdout (byte-exact text, or streamed JSON lines).
 */
import { parseArgs } from 'node:util';
import { AgentId } from '../../../shared/model';
import { redactLine } from '../core/redact/redactLine';
import { NativeModuleError } from '../core/store/db';
import { Tracemint } from '../core/tracemint';
import { TOOL_VERSION } from '../core/version';
import { UsageError, type Command, type CommandIo, type CommandResult, type StorelessCommand } from './command';
import { commands } from './commands';
import { findingsCommands } from './findingsCommands';
import { qualityCommands } from './qualityCommands';
import { EXPORT_FLAGS, EXPORT_USAGE } from './exportOptions';
import { QUALITY_FLAGS, QUALITY_USAGE } from './qualityOptions';
import { redact } from './redactCommand';
import { scan } from './scanCommand';
import { trainCommands, TRAIN_USAGE } from './trainCommands';
import { watch, WATCH_USAGE } from './watchCommand';

const USAGE = `tracemint ${TOOL_VERSION}: coding-agent sessions → trusted training data

Usage: tracemint <command> [options]

Commands:
  import [PATH...] [--agent A]                   import sessions (no PATH: every agent's default locations; without
                                                 --agent the format is sniffed per file). A: ${AgentId.options.join(', ')}
  sessions [--agent A] [--opted-in]              list sessions
  show SESSION_ID [--markdown]                   one session with its messages, redacted
  opt-in SESSION_ID...                           consent to use sessions (and their subagents) as training data
  opt-out SESSION_ID...                          withdraw consent
  export --out DIR [EXPORT OPTIONS] [QUALITY OPTIONS]
                                                 write the sessions the gates accept as a new dataset version
  status                                         where the store is and what it holds
  quickstart [--out DIR]                         import everything found, export the opted-in sessions

Reward, quality gates and consent:
  score [SESSION_ID...]                          reward 0..1 with its breakdown and the evidence behind it
  gate [QUALITY OPTIONS]                         every session's decision (accepted/downgraded/rejected) and why;
                                                 the counts equal the export's rejection report
  rate SESSION_ID... up|down|clear               your rating, which feeds the reward
  forget SESSION_ID...                           delete sessions and all derived data; never import them again

Secrets and personal data in stored sessions:
  findings [SESSION_ID] [--state S] [--severity V] [--rule ID]
                                                 list findings (repeatable or comma-separated filters;
                                                 S: open|confirmed|false-positive, V: critical|high|medium|low)
  review FINDING_ID... --confirm|--false-positive|--reopen
                                                 decide on findings (--false-positive allowlists the value everywhere)
  block SESSION_ID...                            bar sessions from export
  release SESSION_ID...                          allow export despite a block finding (values stay redacted)
  unblock SESSION_ID...                          drop your block/release decision

Any text, no store (FILE, or stdin when FILE is - or absent):
  scan [FILE|-]                                  list findings as FILE:LINE:COLUMN  SEVERITY  RULE  description;
                                                 --json gives offsets (JavaScript string indices), never values.
                                                 Exit code: 0 no findings, 1 findings, 2 bad usage or unreadable input
  redact [FILE|-]                                the text with each value replaced by [REDACTED:RULE#N], otherwise
                                                 byte-for-byte; the count goes to stderr (--json: {file, text, redacted})
  redact --jsonl [FILE|-]                        stream {"id","text"} lines to {"id","text"} lines, each redacted on
                                                 its own (other fields dropped); bad lines are named on stderr and
                                                 skipped, and the exit code is then 1

${EXPORT_USAGE}

${QUALITY_USAGE}

${WATCH_USAGE}

${TRAIN_USAGE}

Options:
  --store FILE   the trace store, for the store commands (default: $TRACEMINT_STORE, else the platform data folder)
  --json         one JSON document on stdout
  -h, --help     this text`;

/** Commands that work on the trace store: it is opened (created if missing) before they run. */
const storeCommands: Record<string, Command> = { ...commands, ...findingsCommands, ...qualityCommands, ...trainCommands, watch };
/** Commands on plain text: they must never open, let alone create, a store. */
const storelessCommands: Record<string, StorelessCommand> = { scan, redact };

export async function main(argv: string[]): Promise<number> {
	let parsed;
	try {
		parsed = parseArgs({
			args: argv,
			allowPositionals: true,
			options: {
				store: { type: 'string' },
				json: { type: 'boolean', default: false },
				agent: { type: 'string' },
				'opted-in': { type: 'boolean', default: false },
				markdown: { type: 'boolean', default: false },
				out: { type: 'string' },
				parquet: { type: 'boolean', default: false },
				jsonl: { type: 'boolean', default: false },
				state: { type: 'string', multiple: true },
				severity: { type: 'string', multiple: true },
				rule: { type: 'string', multiple: true },
				confirm: { type: 'boolean', default: false },
				'false-positive': { type: 'boolean', default: false },
				reopen: { type: 'boolean', default: false },
				config: { type: 'string' },
				'dry-run': { type: 'boolean', default: false },
				detach: { type: 'boolean', default: false },
				follow: { type: 'boolean', default: false },
				to: { type: 'string' },
				polling: { type: 'boolean', default: false },
				...Object.fromEntries([...QUALITY_FLAGS, ...EXPORT_FLAGS].map((flag) => [flag, { type: 'string' as const }])),
				help: { type: 'boolean', short: 'h', default: false },
				version: { type: 'boolean', default: false },
			},
		});
	} catch (error) {
		process.stderr.write(`tracemint: ${(error as Error).message}\n\n${USAGE}\n`);
		return 2;
	}
	const { values, positionals } = parsed;
	if (values.version) {
		process.stdout.write(`${TOOL_VERSION}\n`);
		return 0;
	}
	const [name, ...args] = positionals;
	if (values.help || !name) {
		process.stdout.write(`${USAGE}\n`);
		return values.help ? 0 : 2;
	}
	const storeCommand = Object.hasOwn(storeCommands, name) ? storeCommands[name] : undefined;
	const storelessCommand = Object.hasOwn(storelessCommands, name) ? storelessCommands[name] : undefined;
	if (!storeCommand && !storelessCommand) {
		process.stderr.write(`tracemint: unknown command "${name}"\n\n${USAGE}\n`);
		return 2;
	}
	if (values.agent !== undefined && !AgentId.safeParse(values.agent).success) {
		process.stderr.write(`tracemint: --agent must be one of ${AgentId.options.join(', ')} (got "${values.agent}")\n`);
		return 2;
	}
	const io: CommandIo = {
		args, options: values, stdin: process.stdin, stdout: process.stdout,
		// Warnings can quote parser errors about a session line, so log lines are redacted too.
		log: (line) => process.stderr.write(`${redactLine(line)}\n`),
	};
	let core: Tracemint | undefined;
	try {
		let result: CommandResult;
		if (storelessCommand) {
			result = await storelessCommand(io);
		} else {
			core = Tracemint.open(values.store);
			result = await storeCommand!({ ...io, core });
		}
		if ('streamed' in result) {
			return result.exitCode ?? 0;
		}
		if (values.json) {
			process.stdout.write(`${JSON.stringify(result.json, null, 2)}\n`);
		} else if (result.text) {
			process.stdout.write(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
		}
		return result.exitCode ?? 0;
	} catch (error) {
		if (error instanceof UsageError) {
			process.stderr.write(`tracemint ${name}: ${error.message}\n`);
			return 2;
		}
		if (error instanceof NativeModuleError) {
			process.stderr.write(`tracemint: ${error.reason}\n${error.fix}\n`);
			return 1;
		}
		process.stderr.write(`tracemint ${name}: ${(error as Error).message}\n`);
		return 1;
	} finally {
		core?.close();
	}
}

if (require.main === module) {
	// A reader that stops early (`| head`) closes the pipe: end quietly like other shell tools, not with a stack trace.
	process.stdout.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE') throw error;
		process.exit(1);
	});
	main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error: unknown) => {
		process.stderr.write(`tracemint: ${String(error)}\n`);
		process.exitCode = 1;
	});
}
