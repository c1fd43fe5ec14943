/**
 * Token usage from `event_msg` token_count records.
 *
 * Mapping to the canonical usage (which follows the Anthropic split, so totals compare
 * across agents): Codex `input_tokens` INCLUDES `cached_input_tokens`, so
 *   cache_read_tokens = cached_input_tokens, input_tokens = input_tokens - cached_input_tokens
 * and input_tokens + cache_read_tokens + output_tokens equals Codex's `total_tokens`.
 * `reasoning_output_tokens` is a subset of `output_tokens` and stays inside it;
 * reasoning_tokens is informational and must never be added to a total. Codex reports no
 * cache writes (cache_creation_tokens = 0).
 */
import { emptyUsage, type TokenUsage } from '../../../../../shared/model';
import { addUsage } from '../canonical';
import { asCount, asObject } from '../json';

export function codexUsage(raw: unknown): TokenUsage | undefined {
	const usage = asObject(raw);
	if (usage === undefined) {
		return undefined;
	}
	const count = (key: string): number => asCount(usage[key]);
	const cached = count('cached_input_tokens');
	return {
		input_tokens: Math.max(0, count('input_tokens') - cached),
		output_tokens: count('output_tokens'),
		cache_read_tokens: cached,
		cache_creation_tokens: 0,
		reasoning_tokens: count('reasoning_output_tokens'),
	};
}


function subtractUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
	return {
		input_tokens: Math.max(0, a.input_tokens - b.input_tokens),
		output_tokens: Math.max(0, a.output_tokens - b.output_tokens),
		cache_read_tokens: Math.max(0, a.cache_read_tokens - b.cache_read_tokens),
		cache_creation_tokens: Math.max(0, a.cache_creation_tokens - b.cache_creation_tokens),
		reasoning_tokens: Math.max(0, a.reasoning_tokens - b.reasoning_tokens),
	};
}

function sameUsage(a: TokenUsage, b: TokenUsage): boolean {
	return a.input_tokens === b.input_tokens && a.output_tokens === b.output_tokens && a.cache_read_tokens === b.cache_read_tokens
		&& a.reasoning_tokens === b.reasoning_tokens;
}

/** A counter went down: a resumed process started its cumulative totals from zero again. */
function isReset(next: TokenUsage, previous: TokenUsage): boolean {
	return next.input_tokens + next.cache_read_tokens < previous.input_tokens + previous.cache_read_tokens
		|| next.output_tokens < previous.output_tokens;
}

/**
 * Follows the cumulative `total_token_usage`. The session total is the last total seen (plus
 * the totals of earlier segments if a resume restarted the count). Codex repeats an identical
 * token_count after each turn_context; a repeat reports no new call.
 */
export class TokenLedger {
	private base = emptyUsage();
	private last: TokenUsage | undefined;

	/** The usage of the model call this token_count reports, or undefined for `info:null` or a repeat. */
	observe(info: unknown): TokenUsage | undefined {
		const details = asObject(info);
		const total = codexUsage(details?.total_token_usage);
		if (details === undefined || total === undefined) {
			return undefined;
		}
		const previous = this.last;
		if (previous !== undefined && sameUsage(total, previous)) {
			return undefined;
		}
		const reset = previous !== undefined && isReset(total, previous);
		if (reset) {
			this.base = addUsage(this.base, previous);
		}
		this.last = total;
		const perCall = codexUsage(details.last_token_usage);
		if (perCall !== undefined) {
			return perCall;
		}
		return previous === undefined || reset ? total : subtractUsage(total, previous);
	}

	get total(): TokenUsage {
		return this.last === undefined ? { ...this.base } : addUsage(this.base, this.last);
	}
}
