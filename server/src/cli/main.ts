/**
 * The headless CLI: a thin adapter over the core. Every command takes --store and --json;
 * with --json exactly one JSON document goes to stdout, progress and warnings to stderr.
 */
import { parseArgs } from 'node:util';
import { AgentId } from '../../../shared/model';
import { NativeModuleError } from '../core/store/db';
import { Tracemint } from '../core/tracemint';
import { TOOL_VERSION } from '../core/version';
import { commands, UsageError, type CommandContext } from './commands';

const USAGE = `tracemint ${TOOL_VERSION}: coding-agent sessions → trusted training data

Usage: tracemint <command> [options]

Commands:
  import [PATH...] [--agent claude-code|codex]   import sessions (no PATH: every agent's default locations)
  sessions [--agent A] [--opted-in]              list sessions
  show SESSION_ID [--markdown]                   one session with its messages
  opt-in SESSION_ID...                           consent to use sessions (and their subagents) as training data
  opt-out SESSION_ID...                          withdraw consent
  export --out DIR [--format openai_chat] [--seed N]
                                                 write the opted-in sessions as a dataset
  status                                         where the store is and what it holds
  quickstart [--out DIR]                         import everything found, export the opted-in sessions

Options (every command):
  --store FILE   the trace store (default: $TRACEMINT_STORE, else the platform data folder)
  --json         one JSON document on stdout
  -h, --help     this text`;

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
				format: { type: 'string' },
				seed: { type: 'string' },
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
	const command = name ? commands[name] : undefined;
	if (values.help || !name) {
		process.stdout.write(`${USAGE}\n`);
		return values.help ? 0 : 2;
	}
	if (!command) {
		process.stderr.write(`tracemint: unknown command "${name}"\n\n${USAGE}\n`);
		return 2;
	}
	if (values.agent !== undefined && !AgentId.safeParse(values.agent).success) {
		process.stderr.write(`tracemint: --agent must be one of ${AgentId.options.join(', ')} (got "${values.agent}")\n`);
		return 2;
	}
	let core: Tracemint | undefined;
	try {
		core = Tracemint.open(values.store);
		const ctx: CommandContext = {
			core, args, options: values,
			log: (line) => process.stderr.write(`${line}\n`),
		};
		const result = await command(ctx);
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
	main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error: unknown) => {
		process.stderr.write(`tracemint: ${String(error)}\n`);
		process.exitCode = 1;
	});
}
