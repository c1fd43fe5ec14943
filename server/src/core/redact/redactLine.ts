import { PlaceholderMap, redactText } from './redact';
import { scanText, type Finding } from './scan';

/** Redacts one standalone text (a whole file, a JSONL record, a log line) with placeholders numbered within it alone. */
export function redactStandalone(text: string): { text: string; findings: Finding[] } {
	const findings = scanText(text);
	return { text: findings.length === 0 ? text : redactText(text, findings, new PlaceholderMap()), findings };
}

export function redactLine(text: string): string {
	return redactStandalone(text).text;
}
