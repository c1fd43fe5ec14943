/**
 * A whole export version folder checked the way a loader meets it: the card's YAML (configs,
 * dataset_info, license and categories), every line of every file the card lists against its
 * format's rules, the card's features and one shape per config, and the manifest's hashes.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FORMAT_NAMES, isFormatName } from '../../../shared/dataset';
import { readFrontMatter } from '../cardYaml';
import { isObject } from './common';
import { validateRow } from './rows';
import { type Feature, type SourcedRow, featureProblems, jsonPaths, readFeatures, uniformityProblems } from './uniformity';

export interface FolderProblem {
	/** Relative to the version folder. */
	file: string;
	line?: number;
	problem: string;
}

export interface FolderReport {
	problems: FolderProblem[];
	/** Rows per split of each config the card lists. */
	configs: Record<string, Record<string, number>>;
}

const SPLITS = ['train', 'validation', 'test', 'holdout'];
const REPORTS = ['reports/redaction.json', 'reports/rejection.json', 'reports/validation.json'];
const SIZES: [string, number][] = [['n<1K', 1e3], ['1K<n<10K', 1e4], ['10K<n<100K', 1e5], ['100K<n<1M', 1e6], ['1M<n<10M', 1e7], ['10M<n<100M', 1e8], ['100M<n<1B', 1e9], ['1B<n<10B', 1e10], ['10B<n<100B', 1e11], ['100B<n<1T', 1e12], ['n>1T', Infinity]];

/** `file:line: problem` lines, for assertion messages. */
export function problemLines(report: FolderReport): string[] {
	return report.problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.problem}`);
}

export function validateDatasetFolder(versionDir: string): FolderReport {
	const problems: FolderProblem[] = [];
	const add = (file: string, problem: string, line?: number) => problems.push({ file, problem, ...(line ? { line } : {}) });
	const configs: Record<string, Record<string, number>> = {};
	const card = readCard(versionDir, add);
	const listed = new Set<string>();

	const entries = isObject(card) && Array.isArray(card.configs) ? card.configs : [];
	if (isObject(card) && !Array.isArray(card.configs)) {
		add('README.md', 'configs: missing (one per format)');
	}
	const infos = datasetInfos(card, add);
	entries.forEach((entry, i) => {
		const where = `configs[${i}]`;
		if (!isObject(entry) || typeof entry.config_name !== 'string') {
			add('README.md', `${where}: config_name missing`);
			return;
		}
		const name = entry.config_name;
		if (!isFormatName(name)) {
			add('README.md', `${where}: unknown format "${name}"`);
			return;
		}
		if (configs[name]) {
			add('README.md', `${where}: config "${name}" listed twice`);
			return;
		}
		const splits: Record<string, number> = {};
		configs[name] = splits;
		const info = infos.get(name);
		if (!info) {
			add('README.md', `dataset_info: no entry for config "${name}"`);
		}
		let features: Record<string, Feature> | undefined;
		try {
			features = info ? readFeatures(info.features) : undefined;
		} catch (error) {
			add('README.md', `dataset_info[${name}].features: ${(error as Error).message}`);
		}
		const rows: SourcedRow[] = [];
		const reported = new Set<string>();
		const files = Array.isArray(entry.data_files) ? entry.data_files : [];
		if (files.length === 0) {
			add('README.md', `${where}.data_files: must list {split, path} for each split with rows`);
		}
		files.forEach((file, j) => {
			const at = `${where}.data_files[${j}]`;
			if (!isObject(file) || typeof file.split !== 'string' || typeof file.path !== 'string') {
				add('README.md', `${at}: needs split and path`);
				return;
			}
			const { split, path: rel } = file;
			if (!SPLITS.includes(split) || rel !== `${name}/${split}.jsonl`) {
				add('README.md', `${at}: expected ${name}/<split>.jsonl with split train, validation, test or holdout, got ${split} ${rel}`);
			}
			listed.add(rel);
			const full = path.join(versionDir, rel);
			if (!fs.existsSync(full)) {
				add(rel, 'listed in the card but missing');
				return;
			}
			const lines = readLines(full);
			if (lines.length === 0) {
				add(rel, 'listed in the card but empty');
			}
			splits[split] = lines.length;
			lines.forEach((text, k) => {
				const line = k + 1;
				let value: unknown;
				try {
					value = JSON.parse(text);
				} catch (error) {
					add(rel, `not JSON: ${(error as Error).message}`, line);
					return;
				}
				validateRow(name, value).forEach((p) => add(rel, p, line));
				if (features) {
					featureProblems(value, features, reported).forEach((p) => add(rel, p, line));
				}
				rows.push({ value, file: rel, line });
			});
			const declared = info?.splits.get(split);
			if (info && declared === undefined) {
				add('README.md', `dataset_info[${name}].splits: no ${split} entry`);
			} else if (declared !== undefined && declared !== lines.length) {
				add('README.md', `dataset_info[${name}].splits.${split}.num_examples is ${declared}, ${rel} has ${lines.length} rows`);
			}
		});
		for (const split of info?.splits.keys() ?? []) {
			if (!(split in splits)) {
				add('README.md', `dataset_info[${name}].splits: ${split} has no data_files entry`);
			}
		}
		uniformityProblems(rows, features ? jsonPaths(features) : new Set()).forEach((p) => add(p.file, p.problem, p.line));
	});

	for (const format of FORMAT_NAMES) {
		for (const split of SPLITS) {
			const rel = `${format}/${split}.jsonl`;
			const full = path.join(versionDir, rel);
			if (fs.existsSync(full) && !listed.has(rel) && fs.statSync(full).size > 0) {
				add(rel, 'has rows but no config in the card lists it');
			}
		}
	}
	if (isObject(card)) {
		checkCardFields(card, configs, add);
	}
	checkManifest(versionDir, add);
	for (const report of REPORTS) {
		const full = path.join(versionDir, report);
		if (!fs.existsSync(full)) {
			add(report, 'missing');
		} else if (!isObject(readJson(full))) {
			add(report, 'not a JSON object');
		}
	}
	return { problems, configs };
}

type Add = (file: string, problem: string, line?: number) => void;

function readCard(versionDir: string, add: Add): unknown {
	const file = path.join(versionDir, 'README.md');
	if (!fs.existsSync(file)) {
		add('README.md', 'missing');
		return undefined;
	}
	try {
		const card = readFrontMatter(fs.readFileSync(file, 'utf8'));
		if (!isObject(card)) {
			add('README.md', 'no YAML front matter');
		}
		return card;
	} catch (error) {
		add('README.md', `front matter: ${(error as Error).message}`);
		return undefined;
	}
}

/** `dataset_info` as config name → {features, rows per split}; a single map is the one config's. */
function datasetInfos(card: unknown, add: Add): Map<string, { features: unknown; splits: Map<string, number> }> {
	const out = new Map<string, { features: unknown; splits: Map<string, number> }>();
	if (!isObject(card)) {
		return out;
	}
	const raw = card.dataset_info;
	const list = Array.isArray(raw) ? raw : isObject(raw) ? [raw] : [];
	if (list.length === 0) {
		add('README.md', 'dataset_info: missing (features and splits per config)');
	}
	list.forEach((info, i) => {
		if (!isObject(info) || typeof info.config_name !== 'string') {
			add('README.md', `dataset_info[${i}]: config_name missing`);
			return;
		}
		const splits = new Map<string, number>();
		(Array.isArray(info.splits) ? info.splits : []).forEach((s) => {
			if (isObject(s) && typeof s.name === 'string' && typeof s.num_examples === 'number') {
				splits.set(s.name, s.num_examples);
			} else {
				add('README.md', `dataset_info[${info.config_name}].splits: each needs name and num_examples`);
			}
		});
		out.set(info.config_name, { features: info.features, splits });
	});
	return out;
}

function checkCardFields(card: Record<string, unknown>, configs: Record<string, Record<string, number>>, add: Add): void {
	if (typeof card.license !== 'string' || card.license === '') {
		add('README.md', 'license: missing');
	} else if (card.license === 'other' && typeof card.license_name !== 'string') {
		add('README.md', 'license is "other" but license_name is missing');
	}
	for (const key of ['task_categories', 'size_categories']) {
		const value = card[key];
		if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string')) {
			add('README.md', `${key}: missing (a list of strings)`);
		}
	}
	const sizes = Array.isArray(card.size_categories) ? card.size_categories : [];
	const totals = Object.values(configs).map((splits) => Object.values(splits).reduce((a, b) => a + b, 0));
	const candidates = new Set([Math.max(0, ...totals), totals.reduce((a, b) => a + b, 0)].map(sizeCategory));
	for (const size of sizes) {
		if (typeof size === 'string' && !SIZES.some(([name]) => name === size)) {
			add('README.md', `size_categories: unknown category "${size}"`);
		} else if (typeof size === 'string' && !candidates.has(size)) {
			add('README.md', `size_categories: "${size}" does not fit the row counts (${[...candidates].join(' or ')})`);
		}
	}
	for (const format of Object.keys(configs)) {
		if (Object.keys(configs[format]).length === 0) {
			add('README.md', `config "${format}" lists no split`);
		}
	}
}

function sizeCategory(rows: number): string {
	return SIZES.find(([, limit]) => rows < limit)![0];
}

/** Every `{path, sha256}` in the manifest (at any depth) names an existing file with that hash (and rows/lines/bytes when given); every data file is listed. */
function checkManifest(versionDir: string, add: Add): void {
	const file = path.join(versionDir, 'manifest.json');
	if (!fs.existsSync(file)) {
		add('manifest.json', 'missing');
		return;
	}
	const manifest = readJson(file);
	if (!isObject(manifest)) {
		add('manifest.json', 'not a JSON object');
		return;
	}
	const entries: Record<string, unknown>[] = [];
	const collect = (value: unknown) => {
		if (Array.isArray(value)) {
			value.forEach(collect);
		} else if (isObject(value)) {
			if (typeof value.path === 'string' && typeof value.sha256 === 'string') {
				entries.push(value);
			}
			Object.values(value).forEach(collect);
		}
	};
	collect(manifest);
	const hashed = new Set<string>();
	for (const entry of entries) {
		const rel = path.isAbsolute(entry.path as string) ? path.relative(versionDir, entry.path as string) : entry.path as string;
		hashed.add(rel);
		const full = path.join(versionDir, rel);
		if (!fs.existsSync(full)) {
			add('manifest.json', `${rel}: listed but missing`);
			continue;
		}
		const bytes = fs.readFileSync(full);
		if (createHash('sha256').update(bytes).digest('hex') !== entry.sha256) {
			add('manifest.json', `${rel}: sha256 does not match the file`);
		}
		if (typeof entry.bytes === 'number' && entry.bytes !== bytes.length) {
			add('manifest.json', `${rel}: bytes is ${entry.bytes}, the file has ${bytes.length}`);
		}
		const rows = typeof entry.rows === 'number' ? entry.rows : typeof entry.lines === 'number' ? entry.lines : undefined;
		if (rows !== undefined && rel.endsWith('.jsonl') && rows !== readLines(full).length) {
			add('manifest.json', `${rel}: rows is ${rows}, the file has ${readLines(full).length}`);
		}
	}
	for (const format of FORMAT_NAMES) {
		const dir = path.join(versionDir, format);
		if (!fs.existsSync(dir)) {
			continue;
		}
		for (const name of fs.readdirSync(dir)) {
			const rel = `${format}/${name}`;
			if (/\.(jsonl|parquet)$/.test(name) && !hashed.has(rel)) {
				add(rel, 'not in manifest.json (no sha256)');
			}
			if (name.endsWith('.parquet') && !isParquet(path.join(dir, name))) {
				add(rel, 'not a Parquet file (no PAR1 magic)');
			}
		}
	}
}

function isParquet(file: string): boolean {
	const bytes = fs.readFileSync(file);
	return bytes.length >= 8 && bytes.subarray(0, 4).toString('latin1') === 'PAR1' && bytes.subarray(-4).toString('latin1') === 'PAR1';
}

/** Lines of a JSONL file; a final newline ends the last line rather than starting an empty one. */
function readLines(file: string): string[] {
	const text = fs.readFileSync(file, 'utf8');
	if (text === '') {
		return [];
	}
	return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}

function readJson(file: string): unknown {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
	} catch {
		return undefined;
	}
}
