import { createHash } from 'node:crypto';
import type { FilterProfile } from './rules/types';

/** Keys published in vendor docs as examples; they appear in tutorials and tests, never as live credentials. */
const DOCUMENTED_EXAMPLES = new Set([
	'AKIAIOSFODNN7EXAMPLE',
	'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
	'AKIAI44QH8DHBEXAMPLE',
	'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
	'ASIAIOSFODNN7EXAMPLE',
	// ClearTextPassword samples in Microsoft's nuget.config reference.
	'33f!!lloppa',
	'hal+9ooo_da!sY',
]);
/**
 * SHA-256 of published example keys that are shaped exactly like live ones, so they are listed by digest and no
 * credential-shaped string sits in this repository: the Google API keys in firebase/firebase-android-sdk tests and
 * samples (gitleaks allow-lists the same sixteen).
 */
const DOCUMENTED_EXAMPLE_DIGESTS = new Set([
	'f56e323494a6ffc2064e7a955908957d84f0755e5f975dabd64328d0359a8f7c',
	'2037abcaffb2b77785da716cf7ccff4ff4d00c4ea930db0167b7d71f50af7eb4',
	'3f370c9dd8225c63b5c77de1f785edc9712958f18bb612d5fa2e0ae33aeca682',
	'e4a5542bb7fd7b67e943c71ad29c34b5972c9840597e7eda53e666f44d5da0b9',
	'a19f89ab3555eac10c40741f6df79ecf0935998f15569f8db9d67bce0181fff6',
	'0b476bdf9acf2123d547b5ae76f1e59884d8ec9553ee0c47e9f31fd4768f3f3c',
	'eb540d2b6ee2a0a47c5779bc8a0141784c6b753840d4c6f4e2428a6e86e9e0b1',
	'37f8f09bdf12c2f2eae4ead7273a62ddb0c23459cbf902892f282b57f7ed6619',
	'8731261cb72d86267a32a532ebd3df429e2144e5e4ced7e13568bc9e6c8fb1b1',
	'49f777db995e8260da7ca9ffdf0c08d66f0453e97ec967018baf2cdfe3b582d0',
	'27a9a42931dff7eb2f8434e20a9bce976ea364e7bee49187f19d5cfeca9c7045',
	'dc0fcf046c61640cbd1e8b999ada3262d722c2ca4bf42dceac999020ffdbb614',
	'4c98242dcadc8b29005c6b4aad526552d5ea1842149154c0694adeec75847583',
	'ea9bb1082cf95663f5faca23b8b15ef2aa0fce0a5c6df9c32dcb85b2e0a4513d',
	'3a8b61d0f636b007840c0d40ba12bcf48465dc054cdc1a68704a33521d84b665',
	'a6c814bc555ae62c7bd8b58ec07bf559c7ed3a009976a1e0acc9cef0d4473b41',
]);

/** Words that mark a value as a stand-in rather than a credential. */
const PLACEHOLDER_WORDS = /example|dummy|placeholder|changeme|change_me|your[_-]?(?:api[_-]?)?(?:key|token|secret|password)|redacted|sample|fake|insert|replace|my[_-]?(?:api[_-]?)?(?:key|token|secret|password)|xxxx|\*{3,}|\.{2,}|<[^>]{0,40}>/i;
/** Whole-value placeholders and trivial passwords. */
const TRIVIAL_VALUES = new Set([
	'password', 'passwd', 'pass', 'secret', 'token', 'root', 'admin', 'test', 'testing', 'user', 'username', 'none',
	'null', 'nil', 'undefined', 'true', 'false', 'string', 'value', 'default', 'empty', 'foo', 'bar', 'foobar', 'abc123',
	'123456', '12345678', 'password123', 'qwerty', 'letmein', 'guest',
]);
/** Template and variable references: `${X}`, `{{ x }}`, `%X%`, `$X`, `$1`, `$(x)`, `<x>`, `[x]`, printf verbs. */
const TEMPLATE = /^(?:\$\{[^}]{1,80}\}|\$\(.{1,80}\)|\$[A-Za-z_]\w{0,80}|\$\d|\{\{.{0,80}\}\}|\{[\w.-]{1,80}\}|%[A-Za-z_]\w{0,80}%|<[^>]{1,80}>|\[[^\]]{1,80}\]|%[sdv])$/;
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

/** One repeated character (`xxxxxxxx`, `00000000`) or a short cycle (`abcabcabc`): at most min(3, length / 8) distinct. */
function lowVariety(value: string): boolean {
	const limit = Math.min(3, Math.ceil(value.length / 8));
	// Distinct characters (code points, as a Set of the string counts them), stopping at the first one too many.
	let a = '';
	let b = '';
	let c = '';
	let distinct = 0;
	for (const ch of value) {
		if (ch === a || ch === b || ch === c) continue;
		if (distinct === limit) return false;
		if (distinct === 0) a = ch;
		else if (distinct === 1) b = ch;
		else c = ch;
		distinct++;
	}
	return true;
}

/** A short block typed again and again (`abcd1234abcd1234…`, `passpasspass`) that makes up half the value or more. */
function repeatedBlock(value: string): boolean {
	const v = value.toLowerCase();
	for (let p = 2; p <= 8; p++) {
		// A run of `need - p` positions in a row where each character equals the one `p` before: any window of that
		// many positions that fails somewhere cannot hold it, so the search moves past the last failing position
		// (checked from the window's end), reading about length / (need - p) characters when there is no run.
		const run = Math.ceil(Math.max(3 * p, v.length / 2) - p);
		let start = p;
		while (start + run <= v.length) {
			let i = start + run - 1;
			while (i >= start && v.charCodeAt(i) === v.charCodeAt(i - p)) i--;
			if (i < start) return true;
			start = i + 1;
		}
	}
	return false;
}

/** Base64 of readable stand-in text: `ZHVtbXkgdGV4dC…` is "dummy text…". */
function encodedPlaceholder(value: string): boolean {
	if (value.length < 12 || value.length > 400 || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
	const decoded = Buffer.from(value, 'base64').toString('latin1');
	return /^[\x20-\x7e]+$/.test(decoded) && PLACEHOLDER_WORDS.test(decoded);
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

function isDocumentedExample(value: string): boolean {
	if (DOCUMENTED_EXAMPLES.has(value) || /EXAMPLE(?:KEY)?$/.test(value)) return true;
	// Every listed digest is of a 39-character `AIza` key, so nothing else needs hashing.
	return value.length === 39 && value.startsWith('AIza') && DOCUMENTED_EXAMPLE_DIGESTS.has(createHash('sha256').update(value).digest('hex'));
}

function isPlaceholder(value: string): boolean {
	const v = value.trim();
	if (TEMPLATE.test(v) || TEMPLATE_INSIDE.test(v)) return true;
	if (TRIVIAL_VALUES.has(v.toLowerCase())) return true;
	return PLACEHOLDER_WORDS.test(v) || lowVariety(v);
}

/** An address or a package pin (`ops@corp.example`, `deploy@db.internal:5432`, `left-pad@1.3.0`), not a secret. */
const ADDRESS_LIKE = /^@|^[^@\s]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}(?::\d{1,5})?$/;

/** True when the candidate value should be dropped as a likely false positive. */
export function isFalsePositive(value: string, profile: FilterProfile): boolean {
	if (profile === 'none') return false;
	if (isDocumentedExample(value) || isPlaceholder(value)) return true;
	// A vendor prefix or an exact format is strong evidence: only visibly fake values (placeholders, masks such as
	// xxxx or ***, documented examples, one repeated character) are dropped. Hand-typed test tokens
	// (`ghp_aBcDeF…`) are still redacted: a wrong guess costs a placeholder, a missed key costs a leak.
	if (profile === 'token') return false;
	if (handTyped(value) || repeatedBlock(value) || encodedPlaceholder(value)) return true;
	if (UUID.test(value) || HEX_HASH.test(value) || VERSION.test(value) || PATH_LIKE.test(value) || HOSTNAME.test(value)) return true;
	if (IDENTIFIER.test(value) || CODE_REFERENCE.test(value) || value.includes('://') || ADDRESS_LIKE.test(value)) return true;
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
	// The base64 run is taken whole (a lookahead captures it, the backreference consumes it), the same match since only
	// the whole run can be followed by the closing quote; without it, a data field in the other order is retried at
	// every shorter length, one step per character of the image.
	/\\?"data\\?"\s{0,3}:\s{0,3}\\?"(?=([A-Za-z0-9+/=]{16,}))\1\\?"\s{0,3},\s{0,3}\\?"media_type\\?"\s{0,3}:\s{0,3}\\?"image\//gd,
	/\b(sha(?:1|256|384|512)-[A-Za-z0-9+/]{27,88}={0,2})/gd,
];
/** Strings every mask needs (lower-case ASCII): a text holding none of them has nothing to mask. */
export const MASK_HINTS: readonly string[] = ['base64,', 'media_type', 'sha1-', 'sha256-', 'sha384-', 'sha512-'];
/** All of MASK_HINTS in one native scan. */
const MASK_HINT = new RegExp(MASK_HINTS.map((h) => h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));

/** Returns `text` with masked regions replaced by spaces; indices are preserved. */
export function maskBlobs(text: string): string {
	if (!MASK_HINT.test(text)) return text;
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
