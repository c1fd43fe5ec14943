/**
 * The dataset card (`README.md`) with the YAML header Hugging Face dataset repos read: one
 * config per format with its split files, the column types (`dataset_info.features`, so
 * `datasets` decodes free-form JSON columns instead of failing to cast them), split sizes, a
 * license placeholder, task categories and size category. No timestamps: two exports of the
 * same store with the same settings give the same card.
 */
import type { FormatReport } from '../../../../shared/dataset';
import type { GateReport } from '../../../../shared/quality';
import type { DatasetFormat, Feature } from './formats/format';

export interface CardInput {
	name: string;
	version: number;
	toolVersion: string;
	formats: { format: DatasetFormat; report: FormatReport }[];
	gates: GateReport;
	sessions: { exported: number; blocked: number };
	pairs: Record<string, number>;
	redactedValues: number;
	trainOn: string;
	maxTokensPerSample: number;
}

export function datasetCard(input: CardInput): string {
	const written = input.formats.filter((f) => f.report.files.some((file) => file.rows > 0));
	const largest = Math.max(0, ...input.formats.map((f) => f.report.files.reduce((n, file) => n + file.rows, 0)));
	const yaml: string[] = [
		'---',
		`pretty_name: ${q(input.name)}`,
		'# Placeholder: choose the license of this data before publishing it (https://huggingface.co/docs/hub/repositories-licenses).',
		'license: unknown',
		'task_categories:',
		...[...new Set(written.map((f) => f.format.taskCategory))].sort().map((c) => `- ${c}`),
		'tags:',
		...['tracemint', 'coding-agents', 'tool-use', ...written.map((f) => f.format.name.replace(/_/g, '-'))].map((t) => `- ${t}`),
		'size_categories:',
		`- ${sizeCategory(largest)}`,
		'configs:',
		...written.flatMap((f, i) => [
			`- config_name: ${f.format.name}`,
			...(i === 0 ? ['  default: true'] : []),
			'  data_files:',
			...f.report.files.filter((file) => file.rows > 0).flatMap((file) => [`  - split: ${file.split}`, `    path: ${file.path}`]),
		]),
		'dataset_info:',
		...written.flatMap((f) => [
			`- config_name: ${f.format.name}`,
			'  features:',
			...Object.entries(f.format.features).flatMap(([name, feature]) => featureYaml(name, feature, '  ')),
			'  splits:',
			...f.report.files.filter((file) => file.rows > 0).flatMap((file) => [
				`  - name: ${file.split}`, `    num_bytes: ${file.bytes}`, `    num_examples: ${file.rows}`,
			]),
		]),
		'---',
	];
	return `${[...yaml, '', ...body(input, written)].join('\n')}\n`;
}

/** One column in the `dataset_info.features` list form `datasets` writes itself. */
function featureYaml(name: string, feature: Feature, indent: string): string[] {
	return [`${indent}- name: ${name}`, ...typeYaml(feature, `${indent}  `)];
}

function typeYaml(feature: Feature, indent: string): string[] {
	if (typeof feature === 'string') {
		return [`${indent}dtype: ${feature}`];
	}
	if ('list' in feature) {
		const inner = feature.list;
		if (typeof inner === 'string') {
			return [`${indent}list: ${inner}`];
		}
		if ('struct' in inner) {
			return [`${indent}list:`, ...Object.entries(inner.struct).flatMap(([n, f]) => featureYaml(n, f, indent))];
		}
		return [`${indent}list:`, ...typeYaml(inner, `${indent}  `)];
	}
	return [`${indent}struct:`, ...Object.entries(feature.struct).flatMap(([n, f]) => featureYaml(n, f, indent))];
}

function sizeCategory(rows: number): string {
	if (rows < 1_000) return 'n<1K';
	if (rows < 10_000) return '1K<n<10K';
	if (rows < 100_000) return '10K<n<100K';
	if (rows < 1_000_000) return '100K<n<1M';
	return '1M<n<10M';
}

function body(input: CardInput, written: CardInput['formats']): string[] {
	const g = input.gates;
	const t = g.thresholds;
	const lines = [
		`# ${input.name} (v${input.version})`,
		'',
		`Training data made by Tracemint ${input.toolVersion} from coding-agent sessions their author opted in. `
		+ `${input.sessions.exported} sessions passed the \`${g.preset}\` gates (reward floor ${t.rewardFloor}, at most ${t.maxIterations} iterations, `
		+ `${t.maxTokens} tokens), split by ${g.split.groupBy} with seed ${g.split.seed} so no ${g.split.groupBy} straddles splits. `
		+ `Credentials and personal data were replaced by \`[REDACTED:rule#n]\` placeholders (${input.redactedValues} values); `
		+ `${input.sessions.blocked} opted-in sessions holding a private key were left out.`,
		'',
		`Assistant turns trained: ${input.trainOn === 'final' ? 'the final one of each session' : 'all'}. `
		+ (input.maxTokensPerSample > 0 ? `Sessions over ${input.maxTokensPerSample} tokens were split into several samples at turn boundaries.` : 'Sessions are not split.'),
		'',
		'## Configs',
		'',
		'| config | rows (train / validation / test) | what it is |',
		'|---|---|---|',
		...input.formats.map(({ format, report }) => {
			const r = report.rows;
			const split = `${r.train} / ${r.validation} / ${r.test}${r.holdout > 0 ? ` (+${r.holdout} holdout)` : ''}`;
			const dropped = Object.values(report.dropped).reduce((a, b) => a + b, 0);
			return `| \`${format.name}\` | ${split}${dropped > 0 ? `, ${dropped} dropped` : ''} | ${format.description} |`;
		}),
		'',
		`Preference pairs mined: ${Object.entries(input.pairs).map(([k, n]) => `${n} ${k}`).join(', ')}.`,
		'',
		'## Loading',
		'',
		'```python',
		'from datasets import load_dataset',
		`ds = load_dataset("path/to/this/folder", "${written[0]?.format.name ?? 'openai_chat'}")`,
		'```',
		'',
		'Load through this card (the folder) rather than a single JSONL file: free-form columns (tool-call arguments, tool schemas) are declared `json` here, which Arrow cannot infer by itself.',
		'',
		'## Reports',
		'',
		'- `manifest.json`: counts, sha256 of every file, seed, thresholds, versions and the source session of every row.',
		'- `reports/redaction.json`: values redacted per rule, sessions blocked.',
		'- `reports/rejection.json`: every session\'s gate decision with its reasons.',
		'- `reports/validation.json`: per format, what was dropped or changed to fit its rules.',
	];
	return lines;
}

/** A YAML double-quoted scalar (JSON string syntax is valid YAML). */
function q(text: string): string {
	return JSON.stringify(text);
}
