import { isIPv6 } from 'node:net';

/** Counts per UTF-16 code unit and the units in order of first appearance, reused by `shannonEntropy` (zeroed after each call). */
const unitCounts = new Int32Array(65536);
const unitOrder: number[] = [];

/** Shannon entropy in bits per character (code points, each weighed against the length in UTF-16 units). */
export function shannonEntropy(value: string): number {
	if (!value) return 0;
	const len = value.length;
	// Counted per code unit when there is no surrogate (then code units are code points), and summed in order of
	// first appearance, exactly as the general form below does, so the result is the same to the last bit.
	let surrogate = false;
	for (let i = 0; i < len; i++) {
		const c = value.charCodeAt(i);
		if (c >= 0xd800 && c <= 0xdfff) {
			surrogate = true;
			break;
		}
		if (unitCounts[c]++ === 0) unitOrder.push(c);
	}
	if (!surrogate) {
		let bits = 0;
		for (let k = 0; k < unitOrder.length; k++) {
			const c = unitOrder[k];
			const p = unitCounts[c] / len;
			bits -= p * Math.log2(p);
			unitCounts[c] = 0;
		}
		unitOrder.length = 0;
		return bits;
	}
	for (let k = 0; k < unitOrder.length; k++) unitCounts[unitOrder[k]] = 0;
	unitOrder.length = 0;
	const counts = new Map<string, number>();
	for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
	let bits = 0;
	for (const n of counts.values()) {
		const p = n / len;
		bits -= p * Math.log2(p);
	}
	return bits;
}

/** Luhn checksum over the digits of `value` (separators ignored). */
export function luhnValid(value: string): boolean {
	const digits = value.replace(/\D/g, '');
	let sum = 0;
	let double = false;
	for (let i = digits.length - 1; i >= 0; i--) {
		let d = digits.charCodeAt(i) - 48;
		if (double) {
			d *= 2;
			if (d > 9) d -= 9;
		}
		sum += d;
		double = !double;
	}
	return digits.length > 0 && sum % 10 === 0;
}

function base64UrlDecode(part: string): string | undefined {
	try {
		const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
		return Buffer.from(b64, 'base64').toString('utf8');
	} catch {
		return undefined;
	}
}

function decodesToObject(part: string): Record<string, unknown> | undefined {
	const json = base64UrlDecode(part);
	if (!json) return undefined;
	try {
		const parsed: unknown = JSON.parse(json);
		return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed as Record<string, unknown> : undefined;
	} catch {
		return undefined;
	}
}

/** A JWT's header must decode to a JSON object naming an `alg`; the payload must decode to a JSON object. */
export function jwtValid(value: string): boolean {
	const [header, payload] = value.split('.');
	const head = decodesToObject(header);
	if (!head || typeof head.alg !== 'string') return false;
	return payload !== undefined && decodesToObject(payload) !== undefined;
}

/** Card issuers by prefix and length; random 13-19 digit ids pass Luhn one time in ten, so the prefix must fit too. */
export function cardIssuerValid(digits: string): boolean {
	const len = digits.length;
	const p2 = Number(digits.slice(0, 2));
	const p3 = Number(digits.slice(0, 3));
	const p4 = Number(digits.slice(0, 4));
	if (digits[0] === '4') return len === 13 || len === 16 || len === 19;
	if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return len === 16;
	if (p2 === 34 || p2 === 37) return len === 15;
	if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649) || p2 === 62) return len >= 16 && len <= 19;
	if (p2 === 35) return len >= 16 && len <= 19;
	if (p2 === 36 || p2 === 38 || (p3 >= 300 && p3 <= 305)) return len >= 14 && len <= 16;
	if (digits[0] === '1') return len === 15;
	return false;
}

/** US SSN structure: no 000/666/9xx area, no 00 group, no 0000 serial, no known advertising numbers. */
export function ssnValid(area: string, group: string, serial: string): boolean {
	if (area === '000' || area === '666' || area[0] === '9') return false;
	if (group === '00' || serial === '0000') return false;
	const all = area + group + serial;
	if (/^(\d)\1{8}$/.test(all)) return false;
	return !['123456789', '078051120', '219099999', '987654320', '987654321'].includes(all);
}

/** Public IPv4 only: private, loopback, link-local, CGNAT, documentation, benchmark, multicast and reserved ranges are skipped. */
export function publicIpv4(value: string): boolean {
	const o = value.split('.').map(Number);
	if (o.length !== 4 || o.some((n) => !(n >= 0 && n <= 255))) return false;
	const [a, b, c] = o;
	if (a === 0 || a === 10 || a === 127 || a >= 224) return false;
	if (a === 169 && b === 254) return false;
	if (a === 172 && b >= 16 && b <= 31) return false;
	if (a === 192 && b === 168) return false;
	if (a === 100 && b >= 64 && b <= 127) return false;
	if (a === 192 && b === 0 && (c === 0 || c === 2)) return false;
	if (a === 198 && (b === 18 || b === 19)) return false;
	if (a === 198 && b === 51 && c === 100) return false;
	if (a === 203 && b === 0 && c === 113) return false;
	return true;
}

/** Global unicast IPv6 (2000::/3) only, minus the 2001:db8::/32 documentation range. */
export function publicIpv6(value: string): boolean {
	if (!isIPv6(value)) return false;
	const parts = value.split(':');
	if (parts.filter(Boolean).length < 3) return false;
	const first = parseInt(parts[0] || '0', 16);
	if (first < 0x2000 || first > 0x3fff) return false;
	const second = parseInt(parts[1] || '0', 16);
	return !(first === 0x2001 && second === 0x0db8);
}

/** ISO 13616 mod-97 check for IBANs. */
export function ibanValid(value: string): boolean {
	const compact = value.replace(/ /g, '').toUpperCase();
	if (compact.length < 15 || compact.length > 34) return false;
	const moved = compact.slice(4) + compact.slice(0, 4);
	let rem = 0;
	for (const ch of moved) {
		const code = ch.charCodeAt(0);
		const part = code >= 65 ? String(code - 55) : ch;
		for (const d of part) rem = (rem * 10 + (d.charCodeAt(0) - 48)) % 97;
	}
	return rem === 1;
}
