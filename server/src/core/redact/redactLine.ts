import { PlaceholderMap, redactText } from './redact';
import { scanText } from './scan';

/** Redacts one standalone text (a log line, an error message) with placeholders numbered within it alone. */
export function redactLine(text: string): string {
	const findings = scanText(text);
	return findings.length === 0 ? text : redactText(text, findings, new PlaceholderMap());
}
