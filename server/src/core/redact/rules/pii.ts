import { cardIssuerValid, ibanValid, luhnValid, publicIpv4, publicIpv6, ssnValid } from '../validators';
import type { Rule } from './types';

/** Domains reserved for documentation and tests (RFC 2606/6761) and the addresses tools use as authors. */
const RESERVED_EMAIL_DOMAIN = /(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|localhost|local|domain\.com|email\.com|company\.com|yourdomain\.com|test\.com|gserviceaccount\.com)$/i;
const SERVICE_LOCAL_PART = /^(?:no-?reply|do-?not-?reply|git|noreply\+[\w.-]+|notifications?|your[._-]?\w{0,20}|x{3,})$/i;
/** Stand-ins written where an address goes: `email@corp.com`, `example@corp.com`, `firstname.lastname@corp.com`. */
const PLACEHOLDER_LOCAL_PART = /^(?:e-?mail|example|sample|someone|somebody|username|user[._-]?name|first[._-]?(?:name)?[._-]?last(?:name)?|name[._-]?surname)$/i;
/** `icon@2x.png`, `pkg@1.2.3`: file names and versions that look like addresses. */
const FILE_TLD = /\.(?:png|jpe?g|gif|svg|webp|ico|js|mjs|cjs|ts|tsx|jsx|css|scss|json|md|py|rb|go|rs|java|kt|txt|lock|ya?ml|toml|html?|map|wasm|zip|gz)$/i;

/** `scheme://user:password@host` holds credentials, not an address; the URL rules own it. */
function insideUrl(text: string, start: number): boolean {
	const before = text.slice(Math.max(0, start - 300), start);
	return /:\/\/[^\s"'<>]*$/.test(before) || /:\/\/[^\s"'<>@]*:$/.test(before);
}

function emailValid(value: string, text: string, start: number): boolean {
	if (insideUrl(text, start)) return false;
	const at = value.lastIndexOf('@');
	const local = value.slice(0, at);
	const domain = value.slice(at + 1);
	return !RESERVED_EMAIL_DOMAIN.test(domain) && !SERVICE_LOCAL_PART.test(local) && !PLACEHOLDER_LOCAL_PART.test(local) && !FILE_TLD.test(domain);
}

/** E.164 allows at most 15 digits; fewer than 8 is an extension or a short code. */
function phoneDigitsValid(value: string): boolean {
	const digits = value.replace(/\D/g, '');
	return digits.length >= 8 && digits.length <= 15 && !/^(\d)\1+$/.test(digits);
}

/** NANP: area code and exchange cannot start with 0 or 1; 555-01xx numbers are reserved for fiction. */
function usPhoneValid(value: string): boolean {
	const digits = value.replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '');
	if (digits.length !== 10 || /[01]/.test(digits[0]) || /[01]/.test(digits[3])) return false;
	return !(digits.slice(3, 6) === '555' && digits.slice(6, 8) === '01');
}

/** Cards are written as one run or in 4-digit groups (Amex 4-6-5) with one kind of separator. */
function cardValid(value: string): boolean {
	// The separators (the characters that are not digits): none, or one kind only.
	let sep = -1;
	for (let i = 0; i < value.length; i++) {
		const c = value.charCodeAt(i);
		if (c >= 48 && c <= 57) continue;
		if (sep === -1) sep = c;
		else if (c !== sep) return false;
	}
	if (sep !== -1 && !/^\d{4}([ -])(?:\d{4}\1\d{4}\1\d{1,7}|\d{6}\1\d{4,5}|\d{4}\1\d{4}\1\d{4}\1\d{1,3})$/.test(value)) return false;
	const digits = sep === -1 ? value : value.replace(/\D/g, '');
	return cardIssuerValid(digits) && luhnValid(digits) && !/^(\d)\1+$/.test(digits);
}

/** Words that say a dotted quad is a version, not an address. */
function notAVersion(_value: string, text: string, start: number): boolean {
	return !/\b(?:version|ver\.?|release|build|v)\s{0,2}[:=]?\s{0,2}$/i.test(text.slice(Math.max(0, start - 16), start));
}

/** Personal data that should not leave the machine in a training set. */
export const piiRules: readonly Rule[] = [
	{
		id: 'email-address', kind: 'pii', severity: 'medium', action: 'redact', filters: 'none',
		description: 'Email address (documentation domains, no-reply and role addresses, stand-ins like email@ or example@, and file names skipped).',
		keywords: ['@'],
		anchor: { literal: '@', min: 1, max: 64 },
		pattern: /(?<![\w.%+-])([A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}(?:[A-Za-z]{2,24}|xn--[a-z0-9]{2,20}))(?![\w-]|\.[A-Za-z0-9])/g,
		validate: emailValid,
	},
	{
		id: 'phone-number-intl', kind: 'pii', severity: 'medium', action: 'redact', filters: 'none',
		description: 'International phone number: + country code and 8-15 digits in groups.',
		keywords: ['+'],
		// Separators are mandatory between groups so a digit run has exactly one way to match (no backtracking blow-up).
		pattern: /(?<![\w+])(\+[1-9]\d{6,14}|\+[1-9]\d{0,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]\d{1,10}){1,6})(?![\w-]|[.-]\d)/g,
		validate: phoneDigitsValid,
	},
	{
		id: 'phone-number-us', kind: 'pii', severity: 'medium', action: 'redact', filters: 'none',
		description: 'North American phone number written with separators: (555) 123-4567, 555-123-4567, 555.123.4567.',
		// The last two groups and the character before them: a separator, `)` or a space (never a letter or digit, so
		// the 4-4 hex groups of UUIDs do not count).
		shape: '[SHPO]DDD[SHP]DDDD',
		pattern: /(?<![\w.+-])((?:1[ .-])?(?:\(\d{3}\)\s?|\d{3}[ .-])\d{3}[ .-]\d{4})(?![\w-]|\.\d)/g,
		validate: usPhoneValid,
	},
	{
		id: 'ipv4-public', kind: 'pii', severity: 'low', action: 'redact', filters: 'none',
		description: 'Public IPv4 address (private, loopback, link-local, CGNAT, documentation and reserved ranges skipped).',
		// One to three digits, a dot, three times, then a digit: what every address holds (a dot alone is in every text).
		shape: 'DD?D?PDD?D?PDD?D?PD',
		pattern: /(?<![\w.])((?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})(?![\w]|\.\d)/g,
		validate: (v, text, start) => publicIpv4(v) && notAVersion(v, text, start),
	},
	{
		id: 'ipv6-public', kind: 'pii', severity: 'low', action: 'redact', filters: 'none',
		description: 'Global unicast IPv6 address (loopback, link-local, unique-local and 2001:db8::/32 skipped).',
		// What every address that passes `publicIpv6` holds: a first group of four hex digits (2000-3fff) and its colon,
		// after a character the lookbehind allows (not a digit, A-Z, `_`, `.` or `:`; a-z only as a JSON escape's letter).
		// A colon alone is in nearly every text.
		shape: '[SHLO]D[DUL][DUL][DUL]C',
		pattern: /(?<![\w:.])([23][0-9A-Fa-f]{0,3}(?::[0-9A-Fa-f]{0,4}){2,7})(?![\w:.])/g,
		validate: publicIpv6,
	},
	{
		id: 'credit-card-number', kind: 'pii', severity: 'high', action: 'redact', filters: 'none',
		description: 'Payment card number: 13-19 digits with a known issuer prefix that pass the Luhn checksum.',
		shape: 'D{4}([SH]?D){9}',
		// The lookbehind sits after the first digit (the same test: the character before the run is no digit, dot or
		// dash), so the engine tries it only where a digit is.
		pattern: /(\d(?<![\d.-]\d)\d{3}(?:[ -]?\d){9,15})(?![\d]|[.-]\d)/g,
		validate: cardValid,
	},
	{
		id: 'us-ssn', kind: 'pii', severity: 'high', action: 'redact', filters: 'none',
		description: 'US Social Security number AAA-GG-SSSS (invalid areas 000/666/9xx, group 00 and serial 0000 skipped).',
		shape: 'DDD[SH]DD[SH]DDDD',
		pattern: /(?<![\d-])(\d{3}([- ])\d{2}\2\d{4})(?![\d-])/g,
		validate: (v) => ssnValid(v.slice(0, 3), v.slice(4, 6), v.slice(7)),
	},
	{
		id: 'iban', kind: 'pii', severity: 'high', action: 'redact', filters: 'none',
		description: 'International bank account number that passes the ISO 13616 mod-97 check.',
		shape: 'UUDD(S?[UD][UD][UD][UD]){2}',
		pattern: /(?<![A-Za-z0-9])([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)(?![A-Za-z0-9])/g,
		validate: ibanValid,
	},
];
