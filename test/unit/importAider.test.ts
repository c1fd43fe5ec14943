/**
 * Aider importer, on the two real repositories' history files in test/fixtures/sessions/aider
 * (see SOURCES.md) and on small logs written here in Aider's format for the cases they lack.
 * Every expected count was taken from the raw files with grep/awk, never from the parser;
 * the command is noted where it is not obvious ("$F" is the fixture's .aider.chat.history.md).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { aiderImporter } from '../../server/src/core/capture/aider';
import { wallClockToIso } from '../../server/src/core/capture/aider/local-time';
import type { ParseResult, RawFile } from '../../server/src/core/capture/importer';
import { readHead } from '../../server/src/core/importing/discover';
import { ImportRunner } from '../../server/src/core/importing/importRunner';
import { recordsOfLayout } from '../../server/src/core/importing/readers';
import { TraceStore } from '../../server/src/core/store/store';
import { Session, type Message } from '../../shared/model';
import { FIXTURES, filesUnder, noHome, tempDir } from '../support/fixtures';
import { assertOpenAiShape, nameCounts, toolCalls as calls } from '../support/sessionShape';

// Aider stamps local wall-clock time; these expectations read it in UTC.
process.env.TZ = 'UTC';

const AIDER = path.join(FIXTURES, 'aider');
const ABDUL = path.join(AIDER, 'abdulalkawasmeh-metadata-aider');
const ANDREW = path.join(AIDER, 'andrewjacop-simple-calulator');
const CHAT = '.aider.chat.history.md';
const INPUT = '.aider.input.history';

function rawFile(file: string, text?: string): RawFile {
	return { path: file, records: recordsOfLayout('text', text === undefined ? fs.readFileSync(file) : Buffer.from(text)) };
}

function parseFolder(dir: string, chat?: string, input?: string): ParseResult {
	const files = [rawFile(path.join(dir, CHAT), chat)];
	if (input !== undefined || fs.existsSync(path.join(dir, INPUT))) {
		files.push(rawFile(path.join(dir, INPUT), input));
	}
	return aiderImporter.parse(files);
}

function onlySession(result: ParseResult): Session {
	assert.equal(result.sessions.length, 1);
	return Session.parse(result.sessions[0]);
}

function expectedId(dir: string, start: string): string {
	return `aider:${createHash('sha256').update(dir).digest('hex').slice(0, 16)}:${start}`;
}

const humans = (s: Session) => s.messages.filter((m) => m.role === 'user' && m.context === null);
const withContext = (s: Session, context: Message['context']) => s.messages.filter((m) => m.context === context);
const replies = (s: Session) => s.messages.filter((m) => m.role === 'assistant' && m.context === null);
const args = (call: { function: { arguments: string } }) => JSON.parse(call.function.arguments) as Record<string, string>;
const resultOf = (s: Session, id: string) => s.messages.find((m) => m.role === 'tool' && m.tool_call_id === id);

void describe('aider importer: abdulalkawasmeh repository (Aider 0.86.1, SEARCH/REPLACE, declined shell commands)', () => {
	const result = parseFolder(ABDUL);
	const session = onlySession(result);

	void it('makes one session per run, identified by folder and start time, with the banner metadata', () => {
		assert.deepEqual(result.warnings, []);
		// grep -c '^# aider chat started at' "$F" → 1 (2025-12-03 14:43:45)
		assert.equal(session.id, expectedId(ABDUL, '2025-12-03T14:43:45'));
		assert.equal(session.agent, 'aider');
		assert.equal(session.agent_version, '0.86.1');
		assert.equal(session.model, 'openrouter/openai/gpt-4o-mini');
		assert.deepEqual(session.models, ['openrouter/openai/gpt-4o-mini']);
		assert.equal(session.cwd, ABDUL);
		assert.equal(session.started_at, '2025-12-03T14:43:45.000Z');
		// tail -2 .aider.input.history → the last input of the run, an answer at 21:29:00.153483
		assert.equal(session.ended_at, '2025-12-03T21:29:00.153Z');
		assert.equal(session.title, 'Please create an .aidar.json file in the root directory of the project to track…');
		assert.deepEqual(session.source_files, [path.join(ABDUL, CHAT), path.join(ABDUL, INPUT)]);
		assert.equal(session.parser_version, 1);
	});

	void it('counts 12 human turns, 12 replies and 35 tool results; the banner and other output are context', () => {
		// awk: 12 blocks of "#### …  " lines, none a slash command; grep -c '^> Tokens:' → 12 replies
		assert.equal(humans(session).length, 12);
		assert.equal(replies(session).length, 12);
		assert.equal(session.messages.filter((m) => m.role === 'tool').length, 35);
		assert.equal(withContext(session, 'environment').length, 1);
		assert.equal(withContext(session, 'command').length, 0);
		assert.equal(withContext(session, 'meta').length, 13);
		assert.equal(session.messages.length, 12 + 12 + 35 + 1 + 13);
		assert.match(withContext(session, 'environment')[0].content, /^No git repo found, create one to track aider's changes/);
		assertOpenAiShape(session.messages);
	});

	void it('times every human turn from the input history, passing over confirmation answers', () => {
		// grep -c '^# ' .aider.input.history → 20 entries: 12 prompts and 8 y/N answers
		assert.ok(humans(session).every((m) => m.timestamp !== undefined));
		assert.deepEqual(humans(session).slice(0, 3).map((m) => m.timestamp), ['2025-12-03T14:46:02.414Z', '2025-12-03T14:48:06.749Z', '2025-12-03T14:52:44.393Z']);
		assert.equal(humans(session)[1].content.split('\n')[3], '\t-dataset.py');
	});

	void it('infers 18 edits, 14 commits and 3 declined shell commands from Aider output', () => {
		// grep -c '^> Applied edit to' → 18; grep -c '^> Commit [0-9a-f]\{7\}' → 14; grep -c '^> Run shell command' → 3, all answered n
		assert.deepEqual(nameCounts(session), { edit: 18, git_commit: 14, shell: 3 });
		const shell = calls(session).filter((c) => c.function.name === 'shell');
		assert.deepEqual(shell.map((c) => args(c).command), ['mkdir data', 'mkdir results', 'mkdir frontend']);
		for (const call of shell) {
			assert.deepEqual([resultOf(session, call.id)?.content, resultOf(session, call.id)?.is_error], ['declined by the user', true]);
		}
		const commit = calls(session).find((c) => c.function.name === 'git_commit');
		assert.deepEqual(commit && args(commit), { sha: '1b2614a', message: 'feat: create .aidar.json file to track project directory and files' });
		assert.equal(calls(session)[0].id, `${session.id}:call:1`);
		assert.equal(calls(session)[34].id, `${session.id}:call:35`);
	});

	void it('ties each applied edit to the SEARCH/REPLACE block the reply gave for that file', () => {
		const first = calls(session)[0];
		assert.deepEqual(args(first), {
			file: '.aidar.json',
			edit: '<<<<<<< SEARCH\n=======\n{\n    "project": {\n        "directory": "path/to/your/project",\n        "tracked_files": []\n    }\n}\n>>>>>>> REPLACE',
		});
		assert.equal(resultOf(session, first.id)?.content, 'applied');
		// One reply proposed 4 files; each applied edit carries its own block only.
		const train = calls(session).find((c) => args(c).file === 'src/train.py');
		assert.equal(train && args(train).edit, '<<<<<<< SEARCH\n=======\n# This file will contain the training logic.\n>>>>>>> REPLACE');
		assert.ok(calls(session).filter((c) => c.function.name === 'edit').every((c) => args(c).edit?.startsWith('<<<<<<< SEARCH')));
	});

	void it('takes usage from the 12 token lines, rounded values read as written', () => {
		// grep '^> Tokens:' "$F" | awk: 2.4k+2.7k+…+10k sent = 73600, 104+195+…+412 received = 4303
		assert.deepEqual(session.usage, { input_tokens: 73600, output_tokens: 4303, cache_read_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0 });
		assert.deepEqual(replies(session).map((m) => m.usage?.input_tokens).slice(-2), [9400, 10000]);
		assert.equal(replies(session).reduce((n, m) => n + (m.usage?.output_tokens ?? 0), 0), 4303);
	});
});

void describe('aider importer: andrewjacop repository (Aider 0.82.2, diff-fenced and whole edits, /model switches, <think>)', () => {
	const result = parseFolder(ANDREW);
	const session = onlySession(result);
	const reply = (line: number) => replies(session).find((m) => m.source?.line === line);

	void it('reads version, every model switched to, and the main model', () => {
		assert.deepEqual(result.warnings, []);
		assert.equal(session.id, expectedId(ANDREW, '2025-05-04T17:02:36'));
		assert.equal(session.agent_version, '0.82.2');
		// grep '^> Main model:' "$F" → four models, in this order
		assert.deepEqual(session.models, ['gemini/gemini-2.5-pro-exp-03-25', 'openai/qwen3:32b', 'gemini/gemini-2.5-pro-preview-03-25', 'openai/deepseek.deepseek-chat']);
		const perModel: Record<string, number> = {};
		for (const m of replies(session)) {
			perModel[m.model ?? ''] = (perModel[m.model ?? ''] ?? 0) + 1;
		}
		assert.deepEqual(perModel, { 'gemini/gemini-2.5-pro-exp-03-25': 8, 'openai/qwen3:32b': 4, 'openai/deepseek.deepseek-chat': 8 });
		assert.equal(session.model, 'gemini/gemini-2.5-pro-exp-03-25', 'a tie goes to the model seen first');
		assert.equal(session.started_at, '2025-05-04T17:02:36.000Z');
		assert.equal(session.ended_at, '2025-05-04T18:20:37.195Z');
	});

	void it('separates 16 human turns from 19 slash commands; /code echoes are the human turns', () => {
		// awk: 35 blocks of "#### …  " lines, 19 starting "#### /"; 8 of them /code with an echo
		assert.equal(humans(session).length, 16);
		const raw = fs.readFileSync(path.join(ANDREW, CHAT), 'utf8').split('\n');
		const commands = session.messages.filter((m) => m.role === 'user' && m.context === 'command' && raw[m.source!.line - 1].startsWith('#### /'));
		assert.equal(commands.length, 19);
		// The rest of the command context is what 11 commands printed right after them: /commit ×3
		// ("You can use /undo…"), /help, /model ×3 (banner lines), /reset, /models ×2, /map-refresh.
		assert.equal(session.messages.filter((m) => m.role === 'user' && m.context === 'command').length, 19 + 11);
		const code = commands.find((m) => m.source?.line === 69);
		const echo = humans(session).find((m) => m.source?.line === 71);
		assert.equal(code?.content, '/code i want to add a dark/light mode switch on the top right of the screen, please notice that the current them is dark background with white keys so the current one is the dark mode');
		assert.equal(echo?.content, code?.content.slice('/code '.length));
		assert.equal(echo?.timestamp, '2025-05-04T17:08:48.583Z');
		assert.equal(code?.timestamp, echo?.timestamp);
		assert.ok(humans(session).every((m) => m.timestamp !== undefined));
	});

	void it('counts 20 replies, 3 command-only actions and 35 tool calls', () => {
		// grep -c '^> Tokens:' → 20; '^> Add file to the chat?' → 13 (1 answered n); '^> Applied edit to' → 18;
		// '^> Skipping edits to' → 1; '^> Commit ' → 3 (all after /commit)
		assert.equal(replies(session).length, 20);
		assert.deepEqual(nameCounts(session), { add_file: 13, edit: 19, git_commit: 3 });
		const failed = session.messages.filter((m) => m.role === 'tool' && m.is_error === true);
		assert.deepEqual(failed.map((m) => [m.name, m.content]), [['edit', 'declined by the user'], ['add_file', 'declined by the user']]);
		const commitOwners = session.messages.filter((m) => m.role === 'assistant' && m.context === 'command');
		assert.equal(commitOwners.length, 3);
		assert.deepEqual(commitOwners.map((m) => [m.content, m.tool_calls?.map((c) => args(c).sha)]), [['', ['c339495']], ['', ['26a3c45']], ['', ['a89b098']]]);
		assert.equal(resultOf(session, commitOwners[0].tool_calls![0].id)?.context, 'command');
		assertOpenAiShape(session.messages);
	});

	void it('keeps a reply whole when it holds "#### " headings and takes <think> out as reasoning', () => {
		const styled = reply(1586);
		assert.match(styled?.content ?? '', /^The error you're encountering indicates/);
		assert.ok(styled?.content.includes('#### If you\'re using **npm**:\n```bash\nnpm install styled-components\n```'));
		assert.match(styled?.reasoning ?? '', /^Okay, the user is getting an error that 'styled-components' can't be resolved\./);
		assert.ok(!(styled?.content ?? '').includes('<think>'));
		// grep -c '^<think>' "$F" → 4, all from the qwen3 replies
		assert.equal(replies(session).filter((m) => m.reasoning !== undefined).length, 4);
		assert.ok(replies(session).filter((m) => m.reasoning !== undefined).every((m) => m.model === 'openai/qwen3:32b'));
	});

	void it('ties whole-file and diff-fenced edits to their files', () => {
		const npm = calls(session).find((c) => args(c).file === 'If you\'re using **npm**');
		assert.deepEqual(npm && args(npm), { file: 'If you\'re using **npm**', edit: 'npm install styled-components' });
		const first = calls(session).find((c) => c.function.name === 'edit');
		assert.equal(first && args(first).file, 'src/App.js');
		assert.match(first ? args(first).edit : '', /^<<<<<<< SEARCH\nimport React, \{ useState \} from "react";\n/);
	});

	void it('keeps a multi-line Aider message (the reflected edit error, 62 lines with blanks) as one context message', () => {
		const error = session.messages.find((m) => m.source?.line === 1070);
		assert.equal(error?.context, 'meta');
		assert.match(error?.content ?? '', /^The LLM did not conform to the edit format\.\nhttps:\/\/aider\.chat\/docs\/troubleshooting\/edit-errors\.html\n# 1 SEARCH\/REPLACE block failed to match!\n/);
		assert.ok(error?.content.includes('\n# The other 5 SEARCH/REPLACE blocks were applied successfully.\n'));
		assert.ok(error?.content.includes('Retrying in 4.0 seconds...'), 'the output after it stays in the same block');
		assert.ok(!session.messages.some((m) => (m.source?.line ?? 0) > 1070 && (m.source?.line ?? 0) < 1165));
	});

	void it('takes usage from the 20 token lines', () => {
		// grep '^> Tokens:' "$F" | awk → 148200 sent, 18044 received
		assert.deepEqual(session.usage, { input_tokens: 148200, output_tokens: 18044, cache_read_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0 });
	});
});

/** A history in Aider's own format (io.py): `#### ` input and `> ` output lines end in two spaces. */
function chatLog(...runs: string[][]): string {
	return runs.map((lines) => `\n${lines.join('\n')}\n`).join('');
}

function parseLog(chat: string, input?: string): ParseResult {
	const dir = tempDir();
	fs.writeFileSync(path.join(dir, CHAT), chat);
	if (input !== undefined) {
		fs.writeFileSync(path.join(dir, INPUT), input);
	}
	return parseFolder(dir);
}

const BANNER = ['# aider chat started at 2026-03-01 10:00:00', '', '> Aider v0.86.1  ', '> Main model: anthropic/claude-sonnet-4-5 with diff edit format, prompt cache, infinite output  ', ''];

void describe('aider importer: reading the markdown as Aider writes it', () => {
	void it('keeps quotes, headings and fences inside a reply and reads only Aider-marked lines as output', () => {
		const { sessions, warnings } = parseLog(chatLog([
			...BANNER,
			'#### explain  ',
			'',
			'Here is a note:',
			'',
			'> a quoted line',
			'',
			'#### A heading',
			'```',
			'> not output either',
			'',
			'#### nor input',
			'```',
			'',
			'> Tokens: 1.5k sent, 3.1k cache write, 12k cache hit, 87 received. Cost: $0.01 message, $0.01 session.  ',
		]));
		assert.deepEqual(warnings, []);
		const session = Session.parse(sessions[0]);
		assert.deepEqual(session.messages.map((m) => [m.role, m.context]), [['user', null], ['assistant', null]]);
		assert.equal(session.messages[1].content, 'Here is a note:\n\n> a quoted line\n\n#### A heading\n```\n> not output either\n\n#### nor input\n```');
		assert.equal(session.model, 'anthropic/claude-sonnet-4-5');
		assert.deepEqual(session.usage, { input_tokens: 1500, output_tokens: 87, cache_read_tokens: 12000, cache_creation_tokens: 3100, reasoning_tokens: 0 });
		assert.deepEqual(session.messages[1].usage, session.usage);
	});

	void it('reads a padded multi-command shell prompt as one call and an accepted command as run', () => {
		const { sessions, warnings } = parseLog(chatLog([
			...BANNER,
			'#### set up  ',
			'',
			'Run these:',
			'',
			'> Tokens: 900 sent, 40 received.  ',
			'> npm install     ',
			'npm run build  ',
			'> Run shell commands? (Y)es/(N)o/(S)kip all/(D)on\'t ask again [Yes]: y  ',
			'> git status  ',
			'> Run shell command? (Y)es/(N)o/(S)kip all/(D)on\'t ask again [Yes]:   ',
		]));
		assert.deepEqual(warnings, []);
		const session = Session.parse(sessions[0]);
		assert.deepEqual(calls(session).map((c) => [c.function.name, args(c).command]), [['shell', 'npm install\nnpm run build'], ['shell', 'git status']]);
		assert.deepEqual(session.messages.filter((m) => m.role === 'tool').map((m) => [m.content, m.is_error]), [
			['run (its output is not in the chat history)', false],
			['run (its output is not in the chat history)', false],
		]);
	});

	void it('takes Aider\'s own reasoning markers out of a reply', () => {
		const { sessions } = parseLog(chatLog([
			...BANNER,
			'#### a  ',
			'',
			'<thinking-content-7bbeb8e1441453ad999a0bbba8a46d4b>',
			'weighing it',
			'</thinking-content-7bbeb8e1441453ad999a0bbba8a46d4b>',
			'',
			'Answer A.',
			'',
			'#### b  ',
			'',
			'► **THINKING**',
			'',
			'short thought',
			'',
			'------------',
			'► **ANSWER**',
			'',
			'Answer B.',
		]));
		const session = Session.parse(sessions[0]);
		assert.deepEqual(replies(session).map((m) => [m.content, m.reasoning]), [['Answer A.', 'weighing it'], ['Answer B.', 'short thought']]);
	});

	void it('splits runs, gives a run started in the same second a distinct id, and times prompts per run', () => {
		const dir = tempDir();
		fs.writeFileSync(path.join(dir, CHAT), chatLog(
			[...BANNER, '#### first  ', '', 'one'],
			[...BANNER, '#### second  ', '', 'two'],
			['# aider chat started at 2026-03-01 11:30:00', '', '#### third  ', '', 'three'],
		));
		fs.writeFileSync(path.join(dir, INPUT), '\n# 2026-03-01 10:00:05.250000\n+first\n\n# 2026-03-01 10:00:09.000000\n+second\n\n# 2026-03-01 11:30:04.000000\n+third\n');
		const { sessions, warnings } = parseFolder(dir);
		assert.deepEqual(warnings, []);
		const base = expectedId(dir, '2026-03-01T10:00:00');
		assert.deepEqual(sessions.map((s) => s.id), [base, `${base}:2`, expectedId(dir, '2026-03-01T11:30:00')]);
		assert.deepEqual(sessions.map((s) => humans(Session.parse(s)).map((m) => m.timestamp)), [
			['2026-03-01T10:00:05.250Z'], ['2026-03-01T10:00:09.000Z'], ['2026-03-01T11:30:04.000Z'],
		]);
		assert.equal(sessions[2].agent_version, null);
		assert.equal(sessions[2].model, null);
	});

	void it('makes no session of a run that only printed its banner', () => {
		const { sessions, warnings } = parseLog(chatLog(
			[...BANNER, '> Git repo: .git with 3 files  '],
			['# aider chat started at 2026-03-01 10:05:00', '', '> Aider v0.86.1  ', '', '#### hi  ', '', 'hello'],
		));
		assert.deepEqual(warnings, []);
		assert.deepEqual(sessions.map((s) => s.id.split(':').slice(2).join(':')), ['2026-03-01T10:05:00']);
	});

	void it('reads the wall clock in the importing machine\'s zone and rejects impossible stamps', () => {
		process.env.TZ = 'Asia/Kolkata';
		try {
			assert.equal(wallClockToIso('2025-12-03 14:43:45'), '2025-12-03T09:13:45.000Z');
			assert.equal(wallClockToIso('2025-12-03 14:44:06.503685'), '2025-12-03T09:14:06.503Z');
		} finally {
			process.env.TZ = 'UTC';
		}
		assert.equal(wallClockToIso('2025-12-03 14:43:45'), '2025-12-03T14:43:45.000Z');
		assert.equal(wallClockToIso('2025-02-30 10:00:00'), undefined);
		assert.equal(wallClockToIso('yesterday'), undefined);
	});
});

void describe('aider importer: bad input', () => {
	const chatText = fs.readFileSync(path.join(ABDUL, CHAT), 'utf8');
	const inputText = fs.readFileSync(path.join(ABDUL, INPUT), 'utf8');
	const clean = onlySession(parseFolder(ABDUL));

	void it('skips a run whose header has no readable time, and says where', () => {
		const lines = chatText.split('\n').length; // the file ends with a newline: its last record is line lines-1
		const { sessions, warnings } = parseLog(`${chatText}\n# aider chat started at yesterday\n\n#### lost  \n\nreply\n`, inputText);
		assert.equal(sessions.length, 1);
		assert.equal(Session.parse(sessions[0]).messages.length, clean.messages.length);
		assert.deepEqual(warnings.map((w) => [path.basename(w.file), w.line, w.message]), [
			[CHAT, lines + 1, 'run header without a readable start time (expected "# aider chat started at YYYY-MM-DD HH:MM:SS"); the lines up to the next run were skipped'],
		]);
	});

	void it('reports text before the first run and input-history lines of neither kind, and imports the rest', () => {
		const input = inputText.replace('\n# 2025-12-03 14:48:06.749262\n', '\nnot an input line\n# 2025-12-03 14:48:06.749262\n');
		const { sessions, warnings } = parseLog(`stray text\n${chatText}`, input);
		assert.deepEqual(warnings.map((w) => [path.basename(w.file), w.line, w.message]), [
			[CHAT, 1, 'skipped 1 line(s) before the first "# aider chat started at YYYY-MM-DD HH:MM:SS" line (first shown at this line)'],
			[INPUT, 14, 'skipped 1 input-history line(s) that are neither a "# <timestamp>" line nor a "+<input>" line after one (first shown at this line)'],
		]);
		const session = Session.parse(sessions[0]);
		assert.deepEqual(session.messages.map((m) => [m.role, m.content, m.timestamp, m.source?.line]), clean.messages.map((m) => [m.role, m.content, m.timestamp, (m.source?.line ?? 0) + 1]));
	});

	void it('keeps a token line it cannot read as text and says so', () => {
		const { sessions, warnings } = parseLog(chatLog([...BANNER, '#### hi  ', '', 'hello', '', '> Tokens: lots sent, some received.  ']));
		assert.deepEqual(warnings.map((w) => [w.line, w.message]), [[11, 'token line not understood (expected "Tokens: <n> sent, <n> received."); kept as text']]);
		const session = Session.parse(sessions[0]);
		assert.deepEqual(session.usage.input_tokens, 0);
		assert.equal(session.messages[2].content, 'Tokens: lots sent, some received.');
	});

	void it('imports nothing from an input history alone', () => {
		assert.deepEqual(aiderImporter.parse([rawFile(path.join(ABDUL, INPUT))]), { sessions: [], warnings: [] });
	});

	void it('parses deterministically', () => {
		assert.deepEqual(parseFolder(ANDREW), parseFolder(ANDREW));
	});
});

void describe('aider importer: through the import runner', () => {
	function copyRepos(): string {
		const root = tempDir();
		for (const dir of [ABDUL, ANDREW]) {
			fs.cpSync(dir, path.join(root, path.basename(dir)), { recursive: true });
		}
		return root;
	}

	void it('imports both repositories and a second run changes nothing', () => {
		const root = copyRepos();
		const store = TraceStore.open(path.join(root, 'store.sqlite'));
		try {
			const first = new ImportRunner(store, [aiderImporter], noHome).run({ paths: [root] });
			assert.deepEqual(first.files, { scanned: 4, read: 4, unchanged: 0, rewritten: 0 });
			assert.deepEqual(first.sessions, { added: 2, updated: 0, unchanged: 0 });
			assert.deepEqual([first.torn, first.malformed, first.warnings], [0, 0, []]);
			const second = new ImportRunner(store, [aiderImporter], noHome).run({ paths: [root] });
			assert.deepEqual(second.files, { scanned: 4, read: 0, unchanged: 4, rewritten: 0 });
			assert.deepEqual(second.sessions, { added: 0, updated: 0, unchanged: 2 });
			const stored = store.sessions.get(expectedId(path.join(root, path.basename(ABDUL)), '2025-12-03T14:43:45'));
			assert.equal(stored?.messages.length, clean().messages.length);
		} finally {
			store.close();
		}
	});

	void it('leaves a last line without newline for the next import, then ends where a clean import ends', () => {
		const root = tempDir();
		const full = fs.readFileSync(path.join(ABDUL, CHAT));
		const cut = full.length - 20; // inside the last line, "… discard each aider commit.  "
		fs.writeFileSync(path.join(root, CHAT), full.subarray(0, cut));
		fs.copyFileSync(path.join(ABDUL, INPUT), path.join(root, INPUT));
		const store = TraceStore.open(path.join(tempDir(), 'store.sqlite'));
		try {
			const first = new ImportRunner(store, [aiderImporter], noHome).run({ paths: [root] });
			assert.equal(first.torn, 1);
			assert.deepEqual(first.sessions, { added: 1, updated: 0, unchanged: 0 });
			const id = expectedId(root, '2025-12-03T14:43:45');
			const held = store.sessions.get(id)?.messages.at(-1);
			assert.equal(held?.content, 'README.md\nCreate new file? (Y)es/(N)o [Yes]: y', 'the held-back line is not imported yet');
			fs.writeFileSync(path.join(root, CHAT), full);
			const second = new ImportRunner(store, [aiderImporter], noHome).run({ paths: [root] });
			assert.deepEqual([second.torn, second.bytes], [0, full.length - full.lastIndexOf(0x0a, cut - 1) - 1]);
			assert.deepEqual(second.sessions, { added: 0, updated: 1, unchanged: 0 });
			assert.deepEqual(store.sessions.get(id)?.messages, Session.parse(parseFolder(root).sessions[0]).messages);
		} finally {
			store.close();
		}
	});

	function clean(): Session {
		return onlySession(parseFolder(ABDUL));
	}
});

void describe('aider importer: discovery', () => {
	void it('has no default roots on any OS (live capture adds workspace folders)', () => {
		assert.deepEqual(aiderImporter.defaultRoots({ home: '/home/u', env: {}, platform: 'linux' }), []);
		assert.deepEqual(aiderImporter.defaultRoots({ home: '/Users/u', env: {}, platform: 'darwin' }), []);
		assert.deepEqual(aiderImporter.defaultRoots({ home: 'C:\\Users\\u', env: {}, platform: 'win32' }), []);
	});

	void it('recognises the two history files by name and groups them by folder', () => {
		assert.ok(aiderImporter.isSessionFile('/repo/.aider.chat.history.md'));
		assert.ok(aiderImporter.isSessionFile('C:\\repo\\.aider.input.history'));
		assert.ok(!aiderImporter.isSessionFile('/repo/.aider.llm.history'));
		assert.ok(!aiderImporter.isSessionFile('/repo/aider.chat.history.md'));
		assert.ok(!aiderImporter.isSessionFile('/repo/.aider.chat.history.md.bak'));
		assert.equal(aiderImporter.groupKey('/repo/x/.aider.chat.history.md'), '/repo/x');
		assert.equal(aiderImporter.groupKey('/repo/x/.aider.input.history'), '/repo/x');
		assert.equal(aiderImporter.groupKey('C:\\repo\\x\\.aider.input.history'), 'C:\\repo\\x');
		assert.equal(aiderImporter.layoutOf('/repo/.aider.chat.history.md'), 'text');
		assert.equal(aiderImporter.agent, 'aider');
	});

	void it('sniffs the run header and the input-history stamp, and nothing of the other agents', () => {
		for (const dir of [ABDUL, ANDREW]) {
			for (const name of [CHAT, INPUT]) {
				assert.ok(aiderImporter.sniff(readHead(path.join(dir, name))!), `${dir} ${name}`);
			}
		}
		const others = filesUnder(FIXTURES, '').filter((file) => !file.startsWith(AIDER + path.sep));
		assert.ok(others.length > 20);
		for (const file of others) {
			assert.ok(!aiderImporter.sniff(readHead(file)!), file);
		}
	});
});
