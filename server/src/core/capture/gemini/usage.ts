/**
 * Per-response token counts (`tokens` on a gemini message, Gemini API usageMetadata) in the
 * canonical split, where input, cache reads and output add up to the total:
 *   input  = promptTokenCount, which INCLUDES cachedContentTokenCount → input_tokens = input - cached
 *   tool   = toolUsePromptTokenCount, prompt tokens counted apart  → added to input_tokens
 *   thoughts = thoughtsTokenCount, NOT inside candidatesTokenCount   → added to output_tokens, and
 *            reported again as reasoning_tokens (informational, a subset of output as elsewhere)
 * so input_tokens + cache_read_tokens + output_tokens = Gemini's `total`. No cache writes are reported.
 */
import type { TokenUsage } from '../../../../../shared/model';
import { asCount, asObject } from '../json';

export function geminiUsage(raw: unknown): TokenUsage | undefined {
	const tokens = asObject(raw);
	if (tokens === undefined) {
		return undefined;
	}
	const cached = asCount(tokens.cached);
	const thoughts = asCount(tokens.thoughts);
	return {
		input_tokens: Math.max(0, asCount(tokens.input) - cached) + asCount(tokens.tool),
		output_tokens: asCount(tokens.output) + thoughts,
		cache_read_tokens: cached,
		cache_creation_tokens: 0,
		reasoning_tokens: thoughts,
	};
}
