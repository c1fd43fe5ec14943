import type { Rule } from './types';

/**
 * Names that contain a credential word but hold something else: ids, references, lengths, URLs, token counts
 * (`max_tokens`, `input_tokens`), CSRF tokens, public keys, database keys.
 */
const NON_SECRET_NAME = /(?:id|ids|_?ref|refs|name|names|type|types|url|uri|endpoint|path|file|dir|length|len|size|count|limit|max|min|mode|policy|field|label|prompt|placeholder|format|header|expir\w*|timeout|ttl|budget|usage|version|provider|manager|variable|env|store|secrets|hash|sha\d*|digest|checksum|integrity|etag|commit|rev|hint|prefix|suffix|regex|pattern|schema|spec|template|column|input|output)$|tokeni[sz]|tokens|csrf|xsrf|public|pub_?key|author|keyboard|keyword|keystore|keytab|keyframe|keypair|keypress|keychain|^(?:primary|foreign|sort|partition|cache|idempotency|dedup|lookup|group|row|object|bucket|kms|ssh)_?key$/i;

/** `[\w.-]`: A-Z, a-z, 0-9, `_`, `.`, `-`. */
function nameChar(c: number): boolean {
	return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;
}

/** The identifier (variable, JSON key, env name) that ends at or around `matchStart`. */
function assignedName(text: string, matchStart: number): string {
	let from = matchStart;
	while (from > 0 && matchStart - from < 40 && nameChar(text.charCodeAt(from - 1))) from--;
	const m = /^[\w.-]{1,80}/.exec(text.slice(from, from + 80));
	return m ? m[0].replace(/^[.-]+|[.-]+$/g, '') : '';
}

function nameLooksSecret(name: string): boolean {
	return !NON_SECRET_NAME.test(name);
}

/**
 * Names whose credential has one fixed shape, owned by a format rule: a value of another shape under that name is
 * something else (a ciphertext, a reference), so the generic rule leaves it alone.
 */
const NAME_FORMATS: readonly [RegExp, RegExp][] = [
	[/aws.{0,20}secret/i, /^[A-Za-z0-9/+]{40}$/],
];

function fitsNamedFormat(value: string, name: string): boolean {
	return NAME_FORMATS.every(([owner, shape]) => !owner.test(name) || shape.test(value));
}

/** Key = value with optional quotes, JSON escapes and the usual operators (=, :, :=, =>). */
const ASSIGN = String.raw`[\w.-]{0,25}?\\?["']?[ \t]{0,3}(?:=>|:{1,3}=|\?=|=|:|\|\|)[ \t]{0,3}(?:\\?["'\x60])?([^\s"'\x60\\;,<>{}()[\]]{6,200})`;

/** Keyword assignments: the last resort for credentials without a recognisable format. */
export const genericRules: readonly Rule[] = [
	{
		id: 'password-assignment', kind: 'secret', severity: 'high', action: 'redact', filters: 'generic', entropy: 2.5, priority: 1,
		description: 'A literal assigned to a password-like name (password, passwd, pwd, passphrase).',
		keywords: ['pass', 'pwd'],
		keywordAt: { min: 0, max: 0 },
		pattern: new RegExp(String.raw`(?:pass(?:word|wd|phrase)?|pwd)` + ASSIGN, 'gi'),
		validate: (value, text, _start, matchStart) => nameLooksSecret(assignedName(text, matchStart)) && /[^A-Za-z]/.test(value),
	},
	{
		id: 'generic-secret-assignment', kind: 'secret', severity: 'medium', action: 'redact', filters: 'generic', entropy: 3.5, priority: 1,
		description: 'A high-entropy literal assigned to a secret-like name (secret, token, api_key, access_key, private_key, credentials, *_KEY).',
		// `api_key`, `access_key` and `private_key` enable nothing `_key` does not; listed, every match starts with a keyword.
		keywords: ['secret', 'token', 'apikey', 'api-key', 'api_key', 'accesskey', 'access-key', 'access_key', 'privatekey', 'private-key', 'private_key', 'credential', 'auth', '_key'],
		keywordAt: { min: 0, max: 0 },
		pattern: new RegExp(String.raw`(?:secret|token|api[_-]?key|access[_-]?key|auth[_-]?key|private[_-]?key|credentials?|auth|_key(?![A-Za-z0-9]))` + ASSIGN, 'gi'),
		// Cheap tests first (the result is the same in any order); `entropy` is checked before `validate` runs.
		validate: (value, text, _start, matchStart) => {
			if (value.length < 10 || !/\d/.test(value)) return false;
			const name = assignedName(text, matchStart);
			return nameLooksSecret(name) && fitsNamedFormat(value, name);
		},
	},
	{
		id: 'xml-config-password', kind: 'secret', severity: 'high', action: 'redact', filters: 'generic', priority: 2,
		description: 'Password in key/value XML config such as NuGet.config <add key="ClearTextPassword" value="..."/>.',
		keywords: ['value='],
		keywordAt: { min: 12, max: 49 },
		pattern: /key=\\?"(?:[\w.-]{0,30}(?:password|passwd|secret|token|apikey|api_key))\\?"\s{1,3}value=\\?"([^"\\\s]{4,200})\\?"/gi,
	},
];
