/**
 * `tracemint redact [FILE|-] [--jsonl]`: the text with every finding's value (block findings too) replaced by
 * a placeholder, byte-for-byte otherwise. The count goes to stderr; values never go anywhere but away.
 */
import { redactStandalone } from '../core/redact/redactLine';
import { UsageError, type CommandIo, type CommandResult } from './command';
import { decodeExact, inputSource, readAll } from './io';
import { redactJsonl } from './redactJsonl';
import { RedactionTally } from './redactTally';

export async function redact(ctx: CommandIo): Promise<CommandResult> {
	const { args, options, stdin, stdout, log } = ctx;
	if (options.jsonl && options.json) {
		throw new UsageError('--json and --jsonl cannot be combined (--jsonl already writes JSON lines)');
	}
	const input = inputSource(args, stdin);
	if (options.jsonl) {
		const report = await redactJsonl(input.stream, input.name === '-' ? 'stdin' : input.name, stdout, log);
		const bad = report.badLines === 1 ? '1 bad line skipped' : `${report.badLines} bad lines skipped`;
		log(`${report.lines} line${report.lines === 1 ? '' : 's'} redacted, ${bad}; replaced ${report.tally.describe()}`);
		return { streamed: true, exitCode: report.badLines > 0 ? 1 : 0 };
	}

	const { text, encoding } = decodeExact(await readAll(input.stream));
	// One map for the whole input, so the same value gets the same placeholder everywhere in it.
	const { text: redacted, findings } = redactStandalone(text);
	const tally = new RedactionTally();
	tally.add(findings);
	log(`redacted ${tally.describe()}`);
	if (options.json) {
		return { json: { file: input.name, text: redacted, redacted: tally.toJSON() } };
	}
	// Written here rather than by main.ts, which would add a missing final newline.
	stdout.write(Buffer.from(redacted, encoding));
	return { streamed: true };
}
