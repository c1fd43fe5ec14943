/** What a rule protects: credentials (`secret`) or personal data (`pii`). */
export type RuleKind = 'secret' | 'pii';
export type Severity = 'critical' | 'high' | 'medium' | 'low';
/** `block`: the text must not be exported even redacted (private keys); `redact`: replace the value. */
export type RuleAction = 'redact' | 'block';

/** Which false-positive filters run on a candidate value (see filters.ts). */
export type FilterProfile =
	/** Distinctive prefix + charset: only obvious fakes (templates, placeholder words and masks such as xxxx, documented examples, one repeated char). */
	| 'token'
	/** Keyword-anchored free-form values: every filter (UUIDs, hashes, identifiers, paths, versions...). */
	| 'generic'
	/** PII and private keys carry their own validators. */
	| 'none';

export interface Rule {
	readonly id: string;
	readonly kind: RuleKind;
	readonly severity: Severity;
	readonly action: RuleAction;
	/** Why a match is a credential or PII (shown to users next to a finding). */
	readonly description: string;
	/** Lower-case substrings; the regex only runs when the lower-cased text contains one of them. */
	readonly keywords?: readonly string[];
	/**
	 * A literal that every match of `pattern` holds, starting between `min` and `max` characters after the match
	 * start (the lookbehind not counted). The scanner then finds the literal with indexOf and tries the pattern only
	 * at the starts each occurrence allows, which gives the same matches as a scan from the text's start. Compared as
	 * written, or ignoring ASCII case when the pattern has the `i` flag (then give it in lower case). The pattern must
	 * hold no backreference and no `u` flag.
	 */
	readonly anchor?: { readonly literal: string; readonly min: number; readonly max: number };
	/**
	 * Like `anchor`, with the rule's keywords as the literal: every match holds one of `keywords` (ignoring ASCII
	 * case), starting between `min` and `max` characters after the match start (the lookbehind not counted). The
	 * keyword pass notes where the keywords start, and the scanner tries the pattern only at the starts each one allows,
	 * so the rule costs nothing on the text between them. Every alternative of the pattern must hold a keyword: a rule
	 * whose keywords miss one of its forms cannot have it. Keywords of two or more characters; the same limits on the
	 * pattern as `anchor`.
	 */
	readonly keywordAt?: { readonly min: number; readonly max: number };
	/**
	 * For a rule without keywords: a run of character classes that every match holds (or every match that passes the
	 * rule's checks), so the rule runs only on texts where it occurs (found in the same pass as keywords). Classes: `D`
	 * a digit, `U` A-Z, `L` a-z, `S` a space, `H` `-`, `P` `.`, `W` `_`, `C` `:`, `O` anything else; `[DS]` a set,
	 * `(...)` a group, `?` optional, `{n}` n times. The text is read as if an `O` came before it, so a shape may start
	 * with the class of the character before a match even when the match starts the text.
	 */
	readonly shape?: string;
	/**
	 * A quick test that holds for every text in which `pattern` can match (a necessary condition, never a
	 * sufficient one); when it fails the pattern is not run. It must not depend on anything but the text.
	 */
	readonly prefilter?: (text: string) => boolean;
	/** Global regex; the value is the first capture group that took part in the match (else the whole match). Quantifiers must be bounded. */
	readonly pattern: RegExp;
	/** Shannon entropy (bits/char) the value must exceed. */
	readonly entropy?: number;
	readonly filters?: FilterProfile;
	/** Extra check on the value; `text`, the value's `start` and the whole match's `matchStart` give context. */
	readonly validate?: (value: string, text: string, start: number, matchStart: number) => boolean;
	/** Wins overlaps against lower priorities (specific tokens over generic assignments over PII). */
	readonly priority?: number;
}
