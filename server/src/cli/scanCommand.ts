/**
 * `tracemint scan [FILE|-]`: where the credentials and personal data in a text are, never what they are.
 * Exit codes follow linters: 0 clean, 1 findings, 2 bad invocation or unreadable input.
 */
import { ruleDescription } from '../core/findings/ruleInfo';
import { scanText, type Finding } from '../core/redact/scan';
import type { CommandIo, DocumentResult } from './command';
import { SEVERITIES } from './findingsCommands';
import { decodeExact, inputSource, readAll } from './io';

export async function scan({ args, stdin, log }: CommandIo): Promise<DocumentResult> {
	const input = inputSource(args, stdin);
	const { text, encoding } = decodeExact(await readAll(input.stream));
	if (encoding !== 'utf8') {
		log(`warning: ${input.name} is not valid UTF-8; offsets and columns count bytes`);
	}
	const findings = scanText(text);
	// Spelled out field by field so the value (or anything derived from it) can never slip into the output.
	const json = {
		file: input.name,
		findings: findings.map((f) => ({
			ruleId: f.ruleId, kind: f.kind, severity: f.severity, action: f.action, description: ruleDescription(f.ruleId),
			start: f.start, end: f.end, line: f.line, column: f.column,
		})),
	};
	return { json, text: describeFindings(input.name, findings), exitCode: findings.length > 0 ? 1 : 0 };
}

function describeFindings(file: string, findings: readonly Finding[]): string {
	if (findings.length === 0) {
		return `${file}: no findings`;
	}
	const lines = findings.map((f) => `${file}:${f.line}:${f.column}  ${f.severity}  ${f.ruleId}  ${ruleDescription(f.ruleId)}`);
	const bySeverity = new Map<string, number>();
	for (const f of findings) bySeverity.set(f.severity, (bySeverity.get(f.severity) ?? 0) + 1);
	const counts = SEVERITIES.filter((s) => bySeverity.has(s)).map((s) => `${bySeverity.get(s)} ${s}`);
	lines.push(`${findings.length} finding${findings.length === 1 ? '' : 's'} (${counts.join(', ')}) in ${file}`);
	return lines.join('\n');
}
