/**
 * Token usage of Cline-family tasks. The agents count the Anthropic way (input excludes cache
 * reads and writes), so their numbers map one to one onto the canonical usage:
 * tokensIn → input, tokensOut → output, cacheReads → cache_read, cacheWrites → cache_creation.
 *
 * Cline 3.5x also stores `metrics.tokens {prompt, completion, cached}` on each assistant message,
 * where `cached` is reads and writes together. When the matching `api_req_started` row agrees on
 * prompt and completion, its split is used; alone, `cached` is counted as cache reads.
 */
import type { TokenUsage } from '../../../../../shared/model';
import type { CallTokens } from './api-history';



/** The usage of one model call from what the message and its UI request row say. */
export function callUsage(tokens: CallTokens | undefined, request: TokenUsage | undefined): TokenUsage | undefined {
	if (tokens === undefined) {
		return request;
	}
	if (request !== undefined && request.input_tokens === tokens.prompt && request.output_tokens === tokens.completion) {
		return request;
	}
	return { input_tokens: tokens.prompt, output_tokens: tokens.completion, cache_read_tokens: tokens.cached, cache_creation_tokens: 0, reasoning_tokens: 0 };
}
