/**
 * What one line of Aider's own output (a `> ` message in the chat history) says. Aider logs no tool
 * structure; edits, commits, shell runs and added files are only known from these lines. Patterns
 * follow the strings in Aider's source (base_coder.py, repo.py, io.py) as seen in 0.82–0.86 logs.
 */
import type { TokenUsage } from '../../../../../shared/model';

export type OutputLine =
	| { kind: 'version'; version: string }
	| { kind: 'model'; model: string }
	| { kind: 'tokens'; usage: TokenUsage }
	| { kind: 'unreadable-tokens' }
	| { kind: 'applied'; file: string }
	| { kind: 'skipped-edit'; file: string }
	| { kind: 'commit'; sha: string; message: string }
	| { kind: 'confirm'; question: string; accepted: boolean }
	| { kind: 'text' };

const VERSION = /^Aider v(\d\S*)$/;
// `Main model: X with diff edit format, prompt cache, infinite output`; older builds say `Model:`.
const MODEL = /^(?:Main model|Model): (\S.*?) with \S+ edit format/;
const COUNT = String.raw`(\d+(?:\.\d+)?[kKmM]?)`;
// base_coder.py: `Tokens: <sent> sent[, <w> cache write][, <h> cache hit], <received> received.`
const TOKENS = new RegExp(`^Tokens: ${COUNT} sent(?:, ${COUNT} cache write)?(?:, ${COUNT} cache hit)?, ${COUNT} received\\.`);
const APPLIED = /^Applied edit to (.+)$/;
const SKIPPED = /^Skipping edits to (.+)$/;
const COMMIT = /^Commit ([0-9a-f]{7,40}) (.+)$/;
// io.py confirm_ask: `<question> (Y)es/(N)o[/…] [<default>]: <answer>`.
const CONFIRM = /^(.*?\?) \(Y\)es\/\(N\)o.*?\[(Yes|No|All|Skip all|Don't ask again)\]: ?(.*)$/;

/** `3.2k` → 3200: Aider rounds counts of 1000 and more to tenths or whole thousands. */
export function parseTokenCount(text: string): number {
	const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text);
	if (match === null) {
		return 0;
	}
	const scale = match[2] === '' ? 1 : match[2].toLowerCase() === 'k' ? 1_000 : 1_000_000;
	return Math.round(Number(match[1]) * scale);
}

export function readOutputLine(text: string): OutputLine {
	let match = VERSION.exec(text);
	if (match !== null) {
		return { kind: 'version', version: match[1] };
	}
	if ((match = MODEL.exec(text)) !== null) {
		return { kind: 'model', model: match[1] };
	}
	if (text.startsWith('Tokens: ')) {
		match = TOKENS.exec(text);
		if (match === null) {
			return { kind: 'unreadable-tokens' };
		}
		// "sent" is the prompt as the provider counted it; cache hits and writes are listed
		// apart. Providers differ on whether "sent" already holds the cache hits (Anthropic: no,
		// DeepSeek: yes); the log cannot tell, so the numbers are taken as written.
		return {
			kind: 'tokens',
			usage: {
				input_tokens: parseTokenCount(match[1]),
				output_tokens: parseTokenCount(match[4]),
				cache_read_tokens: match[3] === undefined ? 0 : parseTokenCount(match[3]),
				cache_creation_tokens: match[2] === undefined ? 0 : parseTokenCount(match[2]),
				reasoning_tokens: 0,
			},
		};
	}
	if ((match = APPLIED.exec(text)) !== null) {
		return { kind: 'applied', file: match[1] };
	}
	if ((match = SKIPPED.exec(text)) !== null) {
		return { kind: 'skipped-edit', file: match[1] };
	}
	if ((match = COMMIT.exec(text)) !== null) {
		return { kind: 'commit', sha: match[1], message: match[2] };
	}
	if ((match = CONFIRM.exec(text)) !== null) {
		// An empty answer took the default shown in brackets.
		const answer = (match[3].trim() || match[2]).toLowerCase();
		return { kind: 'confirm', question: match[1], accepted: answer.startsWith('y') || answer.startsWith('a') };
	}
	return { kind: 'text' };
}
