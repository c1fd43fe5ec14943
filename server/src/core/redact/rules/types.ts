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
	/** Global regex; the value sits in capture group `group` (default 1). Quantifiers must be bounded. */
	readonly pattern: RegExp;
	readonly group?: number;
	/** Shannon entropy (bits/char) the value must exceed. */
	readonly entropy?: number;
	readonly filters?: FilterProfile;
	/** Extra check on the value; `text`, the value's `start` and the whole match's `matchStart` give context. */
	readonly validate?: (value: string, text: string, start: number, matchStart: number) => boolean;
	/** Wins overlaps against lower priorities (specific tokens over generic assignments over PII). */
	readonly priority?: number;
}
