/**
 * A small hand-written export version folder in the exporter's output layout (every format, a
 * card with configs and dataset_info, a manifest with hashes, the three reports), for testing the
 * validators and the Python loaders without the exporter. Rows are written from four short
 * sessions and three preference pairs, by the formats' public rules.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FORMAT_NAMES, type FormatName } from '../../shared/dataset';

interface Call { id: string; name: string; args: Record<string, unknown> }
interface Turn { role: 'system' | 'user' | 'assistant' | 'tool'; content: string; calls?: Call[]; callId?: string; name?: string; weight?: 0 | 1 }
interface Pair { prompt: Turn[]; chosen: string; rejected: string; rewards: [number, number] }
type Row = Record<string, unknown>;

const TOOLS = [
	{ name: 'Read', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
	{ name: 'Edit', description: 'Replace text in a file', parameters: { type: 'object', properties: { path: { type: 'string' }, old: { type: 'string' }, new: { type: 'string' } }, required: ['path', 'old', 'new'] } },
	{ name: 'Bash', description: 'Run a shell command', parameters: { type: 'object', properties: { command: { type: 'string' }, timeout: { type: 'integer' } }, required: ['command'] } },
];

const SYSTEM: Turn = { role: 'system', content: 'You are a coding agent working in a git repository.' };

const SESSIONS: Turn[][] = [
	[
		SYSTEM,
		{ role: 'user', content: 'The test for add() fails. Fix calc.py.' },
		{ role: 'assistant', content: 'I will read the file first.', calls: [{ id: 'call_1', name: 'Read', args: { path: 'calc.py' } }], weight: 0 },
		{ role: 'tool', content: 'def add(a, b):\n    return a - b\n', callId: 'call_1', name: 'Read' },
		{ role: 'assistant', content: '', calls: [{ id: 'call_2', name: 'Edit', args: { path: 'calc.py', old: 'a - b', new: 'a + b' } }] },
		{ role: 'tool', content: 'Edited calc.py', callId: 'call_2', name: 'Edit' },
		{ role: 'assistant', content: 'add() subtracted; it now returns a + b.' },
	],
	[
		SYSTEM,
		{ role: 'user', content: 'What does git rebase --onto do?' },
		{ role: 'assistant', content: 'It replays the commits after one base onto another base, so a branch can move to a new parent.' },
	],
	[
		SYSTEM,
		{ role: 'user', content: 'Run the tests and show me the README.' },
		{ role: 'assistant', content: '', calls: [{ id: 'call_3', name: 'Bash', args: { command: 'npm test', timeout: 120 } }, { id: 'call_4', name: 'Read', args: { path: 'README.md' } }] },
		{ role: 'tool', content: '12 passing', callId: 'call_3', name: 'Bash' },
		{ role: 'tool', content: '# Demo\nA demo project.', callId: 'call_4', name: 'Read' },
		{ role: 'assistant', content: 'All 12 tests pass. The README describes a demo project.' },
	],
	[
		SYSTEM,
		{ role: 'user', content: 'Name a fast way to count lines in a file.' },
		{ role: 'assistant', content: 'wc -l FILE prints the line count.' },
		{ role: 'user', content: 'And for every file in a folder?' },
		{ role: 'assistant', content: 'wc -l * lists each file and a total.' },
	],
];

const PAIRS: Pair[] = [
	{ prompt: [SYSTEM, { role: 'user', content: 'Why does npm ci fail without a lockfile?' }], chosen: 'npm ci installs exactly what package-lock.json pins, so it refuses to run without one.', rejected: 'Because the network is down.', rewards: [0.9, 0.2] },
	{ prompt: [SYSTEM, { role: 'user', content: 'Undo the last commit but keep the changes.' }], chosen: 'git reset --soft HEAD~1 keeps the changes staged.', rejected: 'git reset --hard HEAD~1', rewards: [0.85, 0.1] },
	{ prompt: SESSIONS[0].slice(0, 4), chosen: 'The bug is the minus sign in add(); I will change it to a plus.', rejected: 'The file looks fine to me.', rewards: [0.8, 0.3] },
	{ prompt: [SYSTEM, { role: 'user', content: 'Show staged changes only.' }], chosen: 'git diff --cached shows what is staged.', rejected: 'git status', rewards: [0.75, 0.4] },
];

/** Which sessions and pairs land in which split (validation gets one of each; test stays empty and unlisted). */
const SPLIT_OF = { sessions: ['train', 'train', 'train', 'validation'], pairs: ['train', 'train', 'train', 'validation'] };

const openAiCall = (c: Call) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.args) } });
const trlCall = (c: Call) => ({ type: 'function', function: { name: c.name, arguments: c.args } });
const wrapped = TOOLS.map((t) => ({ type: 'function', function: t }));

function openAiMessage(t: Turn): Row {
	if (t.role === 'tool') {
		return { role: 'tool', content: t.content, tool_call_id: t.callId };
	}
	if (t.role !== 'assistant') {
		return { role: t.role, content: t.content };
	}
	return { role: 'assistant', content: t.content, ...(t.calls ? { tool_calls: t.calls.map(openAiCall) } : {}), weight: t.weight ?? 1 };
}

function trlMessage(t: Turn): Row {
	if (t.role === 'tool') {
		return { role: 'tool', name: t.name, content: t.content };
	}
	return { role: t.role, content: t.content, ...(t.calls ? { tool_calls: t.calls.map(trlCall) } : {}) };
}

/** Up to the last user turn, and what follows it. */
function splitAtLastUser(turns: Turn[]): [Turn[], Turn[]] {
	const last = turns.findLastIndex((t) => t.role === 'user');
	return [turns.slice(0, last + 1), turns.slice(last + 1)];
}

function sharegpt(turns: Turn[]): Row {
	const conversations: Row[] = [];
	for (const t of turns.slice(1)) {
		if (t.role === 'user') {
			conversations.push({ from: 'human', value: t.content });
		} else if (t.role === 'assistant' && t.calls) {
			const calls = t.calls.map((c) => ({ name: c.name, arguments: c.args }));
			conversations.push({ from: 'function_call', value: JSON.stringify(calls.length === 1 ? calls[0] : calls) });
		} else if (t.role === 'assistant') {
			conversations.push({ from: 'gpt', value: t.content });
		} else if (conversations.at(-1)?.from === 'observation') {
			// Parallel results share one observation turn, so the turns keep alternating.
			const previous = conversations.at(-1)!;
			previous.value = `${String(previous.value)}\n\n${t.content}`;
		} else {
			conversations.push({ from: 'observation', value: t.content });
		}
	}
	return { conversations, system: turns[0].content, tools: JSON.stringify(TOOLS) };
}

function alpaca(turns: Turn[]): Row | undefined {
	if (turns.some((t) => t.calls || t.role === 'tool')) {
		return undefined;
	}
	const exchanges: [string, string][] = [];
	for (let i = 1; i + 1 < turns.length; i += 2) {
		exchanges.push([turns[i].content, turns[i + 1].content]);
	}
	const [instruction, output] = exchanges.at(-1)!;
	return { instruction, input: '', output, system: turns[0].content, history: exchanges.slice(0, -1) };
}

const chatRows: Partial<Record<FormatName, (turns: Turn[]) => Row[]>> = {
	openai_chat: (turns) => [{ messages: turns.map(openAiMessage), tools: wrapped, parallel_tool_calls: true }],
	trl_messages: (turns) => [{ messages: turns.map(trlMessage), tools: wrapped }],
	trl_prompt_completion: (turns) => {
		const [prompt, completion] = splitAtLastUser(turns);
		return [{ prompt: prompt.map(trlMessage), completion: completion.map(trlMessage), tools: wrapped }];
	},
	sharegpt: (turns) => [sharegpt(turns)],
	alpaca: (turns) => [alpaca(turns)].filter((r): r is Row => r !== undefined),
};

const pairRows: Partial<Record<FormatName, (pair: Pair) => Row[]>> = {
	openai_dpo: (p) => [{
		input: { messages: p.prompt.map((t) => { const { weight: _weight, ...m } = openAiMessage(t); return m; }), tools: wrapped, parallel_tool_calls: true },
		preferred_output: [{ role: 'assistant', content: p.chosen }],
		non_preferred_output: [{ role: 'assistant', content: p.rejected }],
	}],
	trl_preference: (p) => [{ prompt: p.prompt.map(trlMessage), chosen: [{ role: 'assistant', content: p.chosen }], rejected: [{ role: 'assistant', content: p.rejected }], tools: wrapped }],
	trl_kto: (p) => [true, false].map((label) => ({ prompt: p.prompt.map(trlMessage), completion: [{ role: 'assistant', content: label ? p.chosen : p.rejected }], label, tools: wrapped })),
	reward: (p) => [0, 1].map((i) => ({ prompt: p.prompt.map(trlMessage), completion: [{ role: 'assistant', content: i === 0 ? p.chosen : p.rejected }], reward: p.rewards[i], tools: wrapped })),
};

/** Paths each format declares `json`: free-form arguments and tool schemas. */
const JSON_PATHS: Partial<Record<FormatName, string[]>> = {
	trl_messages: ['messages[].tool_calls[].function.arguments', 'tools[]'],
	trl_prompt_completion: ['prompt[].tool_calls[].function.arguments', 'completion[].tool_calls[].function.arguments', 'tools[]'],
	trl_preference: ['prompt[].tool_calls[].function.arguments', 'tools[]'],
	trl_kto: ['prompt[].tool_calls[].function.arguments', 'tools[]'],
	reward: ['prompt[].tool_calls[].function.arguments', 'tools[]'],
	openai_chat: ['tools[].function.parameters'],
	openai_dpo: ['input.tools[].function.parameters'],
};

export interface SampleOptions {
	/** Rewrite rows before they are written (to plant a broken row). */
	edit?: (format: FormatName, split: string, rows: Row[]) => Row[];
}

/** Writes `<dir>/v1` and returns its path. */
export function writeSampleVersion(dir: string, options: SampleOptions = {}): string {
	const out = path.join(dir, 'v1');
	fs.mkdirSync(path.join(out, 'reports'), { recursive: true });
	const configs: unknown[] = [];
	const infos: unknown[] = [];
	const files: Row[] = [];
	for (const format of FORMAT_NAMES) {
		const bySplit: Record<string, Row[]> = { train: [], validation: [], test: [] };
		SESSIONS.forEach((s, i) => bySplit[SPLIT_OF.sessions[i]].push(...(chatRows[format]?.(s) ?? [])));
		PAIRS.forEach((p, i) => bySplit[SPLIT_OF.pairs[i]].push(...(pairRows[format]?.(p) ?? [])));
		fs.mkdirSync(path.join(out, format));
		const dataFiles: Row[] = [];
		const splits: Row[] = [];
		const all: Row[] = [];
		for (const [split, original] of Object.entries(bySplit)) {
			const rows = options.edit?.(format, split, original) ?? original;
			const rel = `${format}/${split}.jsonl`;
			const bytes = Buffer.from(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
			fs.writeFileSync(path.join(out, rel), bytes);
			files.push({ path: rel, format, split, rows: rows.length, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
			if (rows.length > 0) {
				dataFiles.push({ split, path: rel });
				splits.push({ name: split, num_bytes: bytes.length, num_examples: rows.length });
				all.push(...rows);
			}
		}
		configs.push({ config_name: format, data_files: dataFiles });
		infos.push({ config_name: format, features: featuresYaml(all, new Set(JSON_PATHS[format] ?? [])), splits });
	}
	const front = { license: 'mit', pretty_name: 'Tracemint sample', task_categories: ['text-generation'], size_categories: ['n<1K'], tags: ['tracemint', 'agent-traces'], configs, dataset_info: infos };
	fs.writeFileSync(path.join(out, 'README.md'), `---\n${toYaml(front, '')}---\n\n# Tracemint sample\n\nHand-written rows in every export format.\n`);
	fs.writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify({ name: 'sample', version: 1, files }, null, 2)}\n`);
	for (const report of ['redaction', 'rejection', 'validation']) {
		fs.writeFileSync(path.join(out, 'reports', `${report}.json`), '{}\n');
	}
	return out;
}

type Shape = string | { list: Shape } | { struct: Record<string, Shape> };

/** Features of rows as `datasets` writes them in a card, `json` at the given paths. */
function featuresYaml(rows: Row[], json: Set<string>): unknown[] {
	const shape = infer(rows, '', json);
	return typeof shape === 'object' && 'struct' in shape ? fieldsYaml(shape.struct) : [];
}

function infer(values: unknown[], at: string, json: Set<string>): Shape {
	if (json.has(at)) {
		return 'json';
	}
	const present = values.filter((v) => v !== null && v !== undefined);
	if (present.every((v) => Array.isArray(v)) && present.length > 0) {
		return { list: infer(present.flat(), `${at}[]`, json) };
	}
	if (present.every((v) => typeof v === 'object' && !Array.isArray(v)) && present.length > 0) {
		const keys = [...new Set(present.flatMap((v) => Object.keys(v as object)))];
		return { struct: Object.fromEntries(keys.map((k) => [k, infer(present.map((v) => (v as Row)[k]), at ? `${at}.${k}` : k, json)])) };
	}
	if (present.every((v) => typeof v === 'boolean')) {
		return 'bool';
	}
	if (present.every((v) => typeof v === 'number')) {
		return present.every((v) => Number.isInteger(v)) ? 'int64' : 'float64';
	}
	return 'string';
}

function fieldsYaml(fields: Record<string, Shape>): unknown[] {
	return Object.entries(fields).map(([name, shape]) => ({ name, ...nodeYaml(shape) }));
}

function nodeYaml(shape: Shape): Row {
	if (typeof shape === 'string') {
		return { dtype: shape };
	}
	return 'list' in shape ? { list: typeYaml(shape.list) } : { struct: fieldsYaml(shape.struct) };
}

function typeYaml(shape: Shape): unknown {
	if (typeof shape === 'string') {
		return shape;
	}
	return 'struct' in shape ? fieldsYaml(shape.struct) : nodeYaml(shape);
}

/** Block-style YAML of plain JSON values (strings double-quoted when YAML could misread them). */
function toYaml(value: unknown, indent: string): string {
	if (Array.isArray(value)) {
		return value.map((item) => {
			const body = toYaml(item, `${indent}  `);
			return typeof item === 'object' && item !== null ? `${indent}- ${body.slice(indent.length + 2)}` : `${indent}- ${body.trim()}\n`;
		}).join('');
	}
	if (typeof value === 'object' && value !== null) {
		return Object.entries(value).map(([key, v]) => {
			if (typeof v === 'object' && v !== null && (!Array.isArray(v) || v.length > 0)) {
				return `${indent}${key}:\n${toYaml(v, Array.isArray(v) ? indent : `${indent}  `)}`;
			}
			return `${indent}${key}: ${Array.isArray(v) ? '[]' : scalarYaml(v)}\n`;
		}).join('');
	}
	return `${indent}${scalarYaml(value)}\n`;
}

function scalarYaml(value: unknown): string {
	if (typeof value === 'string') {
		return /^[A-Za-z_][\w./<>-]*$/.test(value) && !/^(true|false|null|yes|no|on|off)$/i.test(value) ? value : JSON.stringify(value);
	}
	return String(value);
}
