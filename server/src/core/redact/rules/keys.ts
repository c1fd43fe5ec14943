import { jwtValid } from '../validators';
import type { Rule } from './types';

/**
 * Line numbers that file viewers put before each line: Claude Code's Read (`     2→`, also JSON-escaped as `\u2192`),
 * `cat -n` and `nl` (`     2<tab>`). A key read through one of them is still a key.
 */
const LINE_NUMBER = String.raw`(?:[ \t]{0,8}\d{1,7}(?:→|\\u2192|\t|\\t))?`;
const LEADING_LINE_NUMBER = new RegExp(`^${LINE_NUMBER}`);

/** Base64 body of a PEM block once headers, line numbers, escaped newlines and whitespace are gone. */
function pemBody(block: string): string {
	return block
		.replace(/-----(?:BEGIN|END)[^-]{0,60}-----/g, '')
		.replace(/\\r|\\n/g, '\n')
		.split('\n')
		.map((line) => line.replace(LEADING_LINE_NUMBER, ''))
		.filter((line) => !/^\s*[\w-]{1,30}:/.test(line))
		.join('')
		.replace(/[\s\\]/g, '');
}

/** A real key body is long base64; `...`, `xxx`, `***` or a short sample is documentation. */
function pemBodyLooksReal(block: string): boolean {
	const body = pemBody(block);
	if (body.length < 64 || !/^[A-Za-z0-9+/=]+$/.test(body)) return false;
	return distinctAtLeast(body, 20);
}

/** Whether an ASCII string holds at least `n` distinct characters (`new Set(text).size >= n`, stopping once known). */
function distinctAtLeast(text: string, n: number): boolean {
	const seen = new Uint8Array(128);
	let distinct = 0;
	for (let i = 0; i < text.length && distinct < n; i++) {
		const c = text.charCodeAt(i);
		if (!seen[c]) {
			seen[c] = 1;
			distinct++;
		}
	}
	return distinct >= n;
}

/** Private keys and signed tokens. */
export const keyRules: readonly Rule[] = [
	{
		id: 'openssh-private-key', kind: 'secret', severity: 'critical', action: 'block', filters: 'none', priority: 5,
		description: 'OpenSSH private key block (also inside JSON strings with escaped newlines, and with line numbers from Read or cat -n).',
		keywords: ['begin openssh private key'],
		keywordAt: { min: 5, max: 5 },
		pattern: /(-----BEGIN OPENSSH PRIVATE KEY-----[A-Za-z0-9+/=\\\s→]{64,20000}?-----END OPENSSH PRIVATE KEY-----)/g,
		validate: pemBodyLooksReal,
	},
	{
		id: 'pgp-private-key', kind: 'secret', severity: 'critical', action: 'block', filters: 'none', priority: 5,
		description: 'PGP private key block.',
		keywords: ['begin pgp private key block'],
		keywordAt: { min: 5, max: 5 },
		pattern: /(-----BEGIN PGP PRIVATE KEY BLOCK-----[\s\S]{64,20000}?-----END PGP PRIVATE KEY BLOCK-----)/g,
		validate: (v) => pemBody(v.replace(/\n=[A-Za-z0-9+/]{4}\s*(?=\n|\\n|$)/g, '')).length >= 40,
	},
	{
		id: 'private-key', kind: 'secret', severity: 'critical', action: 'block', filters: 'none', priority: 4,
		description: 'PEM private key block (RSA, EC, DSA, PKCS#8, encrypted), including JSON-escaped \\n bodies and line-numbered views.',
		keywords: ['private key-----'],
		keywordAt: { min: 10, max: 40 },
		pattern: /(-----BEGIN[ A-Z0-9]{0,30}PRIVATE KEY-----[A-Za-z0-9+/=\\\s:,→-]{64,20000}?-----END[ A-Z0-9]{0,30}PRIVATE KEY-----)/g,
		validate: pemBodyLooksReal,
	},
	{
		id: 'private-key-fragment', kind: 'secret', severity: 'critical', action: 'block', filters: 'none', priority: 3,
		description: 'Start of a PEM private key whose END marker is missing (a truncated paste or log); the body is still secret.',
		keywords: ['private key-----'],
		keywordAt: { min: 10, max: 40 },
		pattern: new RegExp(String.raw`(-----BEGIN[ A-Z0-9]{0,30}PRIVATE KEY-----(?:\\[rn]|\s){0,4}${LINE_NUMBER}[A-Za-z0-9+/=]{64,20000}(?:(?:\\[rn]|\s){1,4}${LINE_NUMBER}[A-Za-z0-9+/=]{4,200}){0,400})`, 'g'),
		validate: pemBodyLooksReal,
	},
	{
		id: 'putty-private-key', kind: 'secret', severity: 'critical', action: 'block', filters: 'none', priority: 5,
		description: 'PuTTY .ppk private key: the Private-Lines section.',
		keywords: ['putty-user-key-file-'],
		keywordAt: { min: 0, max: 0 },
		pattern: /PuTTY-User-Key-File-\d:[\s\S]{0,4000}?(Private-Lines:\s{0,2}\d{1,3}(?:(?:\\[rn]|\s){1,2}[A-Za-z0-9+/=]{1,80}(?=\\[rn]|\s|$)){1,200})/g,
	},
	{
		id: 'jwt', kind: 'secret', severity: 'high', action: 'redact', filters: 'none',
		description: 'JSON Web Token: base64url header and payload (header decodes to JSON with an alg) and an optional signature.',
		keywords: ['eyj'],
		keywordAt: { min: 0, max: 0 },
		pattern: /(?<![\w-])(eyJ[A-Za-z0-9_-]{10,4000}\.eyJ[A-Za-z0-9_-]{10,16000}(?:\.[A-Za-z0-9_-]{10,2000}|\.)?)(?![\w-])/g,
		validate: jwtValid,
	},
];
