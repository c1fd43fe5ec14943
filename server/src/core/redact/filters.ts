import type { FilterProfile } from './rules/types';

/** Keys published in vendor docs as examples; they appear in tutorials and tests, never as live credentials. */
const DOCUMENTED_EXAMPLES = new Set([
	'AKIAIOSFODNN7EXAMPLE',
	'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
	'AKIAI44QH8DHBEXAMPLE',
	'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
	'ASIAIOSFODNN7EXAMPLE',
]);

/** Words that mark a value as a stand-in rather than a credential. */
const PLACEHOLDER_WORDS = /example|dummy|placeholder|changeme|change_me|your[_-]?(?:api[_-]?)?(?:key|token|secret|password)|redacted|sample|fake|insert|replace|my[_-]?(?:api[_-]?)?(?:key|token|secret|password)|xxxx|\*{3,}|\.{2,}|<[^>]{0,40}>/i;
/** Whole-value placeholders and trivial passwords. */
const TRIVIAL_VALUES = new Set([
	'password', 'passwd', 'pass', 'secret', 'token', 'root', 'admin', 'test', 'testing', 'user', 'username', 'none',
	'null', 'nil', 'undefined', 'true', 'false', 'string', 'value', 'default', 'empty', 'foo', 'bar', 'foobar', 'abc123',
	'123456', '12345678', 'password123', 'qwerty', 'letmein', 'guest',
]);
/** Template and variable references: `${X}`, `{{ x }}`, `%X%`, `$X`, `$(x)`, `<x>`, `[x]`, printf verbs. */
const TEMPLATE = /^(?:\$\{[^}]{1,80}\}|\$\(.{1,80}\)|\$[A-Za-z_]\w{0,80}|\{\{.{0,80}\}\}|\{[\w.-]{1,80}\}|%[A-Za-z_]\w{0,80}%|<[^>]{1,80}>|\[[^\]]{1,80}\]|%[sdv])$/;
const TEMPLATE_INSIDE = /\$\{[^}]{1,80}\}|\{\{[^}]{0,80}\}\}|\$\{\{/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Git SHAs (abbreviated or full), md5, sha1, sha256, sha512 digests. */
// 32/64-hex values are kept: next to a credential name they are usually API secrets, not digests.
const HEX_HASH = /^(?:[0-9a-f]{7,12}|[0-9a-f]{40})$/;
/** Host names and dotted package coordinates (`db.int.contoso.com`, `jjwt-jackson-0.11.2`). */
const HOSTNAME = /^(?:[\w-]{1,63}\.){2,8}[A-Za-z]{2,24}$|[-_]\d{1,4}\.\d{1,4}(?:\.\d{1,4})?$/;
const VERSION = /^v?\d{1,4}(?:\.\d{1,6}){1,4}(?:[-+][\w.-]{1,40})?$/;
const PATH_LIKE = /^(?:~|\.{1,2})?\/[\w.\-/]{1,200}$|^[A-Za-z]:\\/;
/** Only identifier characters and separators: names, not secrets (gitleaks drops these too). */
const IDENTIFIER = /^[A-Za-z_.-]+$/;
const CODE_REFERENCE = /^(?:process\.env|os\.environ|os\.getenv|env\.|getenv|secrets\.|vars\.|config\.|settings\.|self\.|this\.|props\.|import\b|require\b|new\b|await\b|function\b|null|none|true|false)/i;

/** One repeated character (`xxxxxxxx`, `00000000`) or a short cycle (`abcabcabc`). */
function lowVariety(value: string): boolean {
	return new Set(value).size <= Math.min(3, Math.ceil(value.length / 8));
}

/** Hand-typed fakes: 8+ ascending characters (`abcdefgh`, `12345678`), a 12+ run of one character, or a keyboard row. */
function handTyped(value: string): boolean {
	const lower = value.toLowerCase();
	let ascending = 1;
	let same = 1;
	for (let i = 1; i < lower.length; i++) {
		const step = lower.charCodeAt(i) - lower.charCodeAt(i - 1);
		ascending = step === 1 ? ascending + 1 : 1;
		same = step === 0 ? same + 1 : 1;
		if (ascending >= 8 || same >= 12) return true;
	}
	return lower.includes('qwertyuiop');
}

export function isDocumentedExample(value: string): boolean {
	return DOCUMENTED_EXAMPLES.has(value) || /EXAMPLE(?:KEY)?$/.test(value);
}

export function isPlaceholder(value: string): boolean {
	const v = value.trim();
	if (TEMPLATE.test(v) || TEMPLATE_INSIDE.test(v)) return true;
	if (TRIVIAL_VALUES.has(v.toLowerCase())) return true;
	return PLACEHOLDER_WORDS.test(v) || lowVariety(v);
}

/** True when the candidate value should be dropped as a likely false positive. */
export function isFalsePositive(value: string, profile: FilterProfile): boolean {
	if (profile === 'none') return false;
	if (isDocumentedExample(value) || isPlaceholder(value)) return true;
	if (handTyped(value)) return true;
	if (profile === 'token') return false;
	if (UUID.test(value) || HEX_HASH.test(value) || VERSION.test(value) || PATH_LIKE.test(value) || HOSTNAME.test(value)) return true;
	if (IDENTIFIER.test(value) || CODE_REFERENCE.test(value) || value.includes('://') || value.includes('@')) return true;
	// Plain numbers (ports, counts, ids) and `word(...)` calls are not credentials.
	return /^\d+$/.test(value) || /^[\w.]{1,60}\(/.test(value);
}

/**
 * Regions that hold encoded blobs, not credentials: base64 images (data URIs and Anthropic image blocks), fonts,
 * and Subresource Integrity hashes in lock files. They are blanked before scanning so no rule can fire inside them,
 * which also keeps multi-megabyte screenshots from costing regex time.
 */
const MASKS: readonly RegExp[] = [
	/data:(?:image|font)\/[\w.+-]{1,40};base64,([A-Za-z0-9+/=]{16,})/gd,
	/\\?"media_type\\?"\s{0,3}:\s{0,3}\\?"image\/[\w.+-]{1,40}\\?"\s{0,3},\s{0,3}\\?"data\\?"\s{0,3}:\s{0,3}\\?"([A-Za-z0-9+/=]{16,})/gd,
	/\\?"data\\?"\s{0,3}:\s{0,3}\\?"([A-Za-z0-9+/=]{16,})\\?"\s{0,3},\s{0,3}\\?"media_type\\?"\s{0,3}:\s{0,3}\\?"image\//gd,
	/\b(sha(?:1|256|384|512)-[A-Za-z0-9+/]{27,88}={0,2})/gd,
];
const MASK_HINTS = ['base64,', 'media_type', 'sha1-', 'sha256-', 'sha384-', 'sha512-'];

/** Returns `text` with masked regions replaced by spaces; indices are preserved. */
export function maskBlobs(text: string): string {
	if (!MASK_HINTS.some((h) => text.includes(h))) return text;
	const ranges: [number, number][] = [];
	for (const re of MASKS) {
		re.lastIndex = 0;
		for (let m = re.exec(text); m; m = re.exec(text)) {
			const span = m.indices?.[1];
			if (span) ranges.push([span[0], span[1]]);
		}
	}
	if (!ranges.length) return text;
	ranges.sort((a, b) => a[0] - b[0]);
	const parts: string[] = [];
	let at = 0;
	for (const [s, e] of ranges) {
		if (e <= at) continue;
		const from = Math.max(s, at);
		parts.push(text.slice(at, from), ' '.repeat(e - from));
		at = e;
	}
	parts.push(text.slice(at));
	return parts.join('');
}
