/**
 * The Claude Code importer against the real logs in test/fixtures/sessions/claude-code.
 *
 * Every expected number below was counted from the raw files, not read back from the parser:
 * the comment next to it says how (jq over the file, or reading the uuid/parentUuid links).
 * jq examples, with F a fixture file (`grep -v '^//'` first for images-in-user-messages.jsonl):
 *   assistant lines:       jq -r 'select(.type=="assistant") | .uuid' F | wc -l
 *   distinct responses:    jq -r 'select(.type=="assistant") | .message.id' F | sort -u | wc -l
 *   tool calls:            jq -r 'select(.type=="assistant") | .message.content[] | select(.type=="tool_use") | .id' F | sort -u
 *   tool results:          jq -r 'select(.type=="user") | .message.content | arrays | .[] | select(.type=="tool_result") | .tool_use_id' F
 *   user text by prefix:   jq -c 'select(.type=="user") | .message.content | if type=="string" then . else (.[] | select(.type!="tool_result") | .text // .type) end | .[0:40]' F
 *   usage (last line per message id, summed):
 *     jq -sc 'reduce (.[] | select(.type=="assistant")) as $r ({}; .[$r.message.id] = $r.message.usage) | [.[]]
 *       | {i: (map(.input_tokens)|add), o: (map(.output_tokens)|add), cr: (map(.cache_read_input_tokens)|add), cc: (map(.cache_creation_input_tokens)|add)}' F
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Session, type MessageInput, type SessionInput } from '../../shared/model';
import { claudeCodeImporter as importer } from '../../server/src/core/capture/claudeCode';
import type { ParseResult, RawFile } from '../../server/src/core/capture/importer';
import { recordsOf } from '../../server/src/core/importing/lines';
import { valueHead } from '../support/fixtures';
import { FIXTURES, filesUnder } from '../support/fixtures';
import { seededRandom } from '../support/seededChars';

const ROOT = path.join(FIXTURES, 'claude-code');

function fixture(...parts: string[]): string {
	return path.join(ROOT, ...parts);
}

function rawFile(file: string): RawFile {
	return { path: file, records: recordsOf(fs.readFileSync(file)) };
}

/** Fixture files grouped by groupKey, exactly as the import runner groups them. */
function fixtureGroups(): Map<string, string[]> {
	const groups = new Map<string, string[]>();
	for (const file of filesUnder(ROOT, '').filter((f) => importer.isSessionFile(f))) {
		const key = importer.groupKey(file);
		groups.set(key, [...(groups.get(key) ?? []), file]);
	}
	return groups;
}

function sessionOf(result: ParseResult, id: string): SessionInput {
	const found = result.sessions.find((s) => s.id === id);
	assert.ok(found, `no session ${id}; got ${result.sessions.map((s) => s.id).join(', ')}`);
	return found;
}

/** Messages per role, context kinds split out as `user:<kind>`. */
function roles(session: SessionInput): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const m of session.messages) {
		const key = m.context ? `${m.role}:${m.context}` : m.role;
		counts[key] = (counts[key] ?? 0) + 1;
	}
	return counts;
}

function callIds(session: SessionInput): string[] {
	return session.messages.flatMap((m) => (m.tool_calls ?? []).map((c) => c.id));
}

function toolMessages(session: SessionInput): MessageInput[] {
	return session.messages.filter((m) => m.role === 'tool');
}

/** Every call answered by exactly one tool message, no tool message without its call. */
function assertPaired(session: SessionInput): void {
	const calls = callIds(session);
	const answers = toolMessages(session).map((m) => m.tool_call_id);
	assert.equal(new Set(calls).size, calls.length, `${session.id}: repeated call id`);
	assert.equal(new Set(answers).size, answers.length, `${session.id}: call answered twice`);
	assert.deepEqual([...answers].sort(), [...calls].sort(), `${session.id}: calls and results differ`);
}

/** Tool messages come right after the assistant message that made the calls, in call order. */
function assertToolsFollowCalls(session: SessionInput): void {
	session.messages.forEach((m, i) => {
		const calls = m.tool_calls ?? [];
		const next = session.messages.slice(i + 1, i + 1 + calls.length);
		assert.deepEqual(next.map((t) => t.tool_call_id), calls.map((c) => c.id), `${session.id}: results of message ${i} are not right after it`);
		calls.forEach((c, k) => assert.equal(next[k]!.name, c.function.name));
	});
}

interface Expected {
	roles: Record<string, number>;
	calls: number;
	title: string;
	agentVersion: string;
	gitBranch: string | null;
	startedAt: string;
	endedAt: string;
	usage: [input: number, output: number, cacheRead: number, cacheCreation: number];
}

const MOREDIP_SESSION = '0ccf1a04-1b4c-43b6-8aa5-79e41db43a68';
const MOREDIP_PARENT = `claude-code:${MOREDIP_SESSION}`;
const MAROT_SUBAGENT_SESSION = 'ae4a77f8-aedd-4bc1-888f-c94edc91af04';
const CODEMIE_WARMUP_SESSION = '4c2ddfdc-b619-4525-8d03-1950fb1b0257';

/**
 * Per session. Unless said otherwise: `assistant` = distinct message ids, `tool` = `calls` =
 * distinct tool_use ids (each has exactly one tool_result in the file), `user` = user lines
 * without tool_result blocks, sorted by what their text starts with; version/branch/times from
 * jq over the file's `version`, `gitBranch`, `timestamp` (sorted, first and last); usage from the
 * reduce above.
 */
const EXPECTED: Record<string, Expected> = {
	// 25 lines: 10 assistant lines / 7 ids; 6 Write/Read/Edit/Bash calls, 6 results; 9 user lines,
	// 6 only tool_result → 3 typed prompts. No summary in the folder.
	[`claude-code:${CODEMIE_WARMUP_SESSION}`]: {
		roles: { user: 3, assistant: 7, tool: 6 }, calls: 6, title: 'create hello.py, md and js',
		agentVersion: '2.0.64', gitBranch: 'analytics-v2', startedAt: '2025-12-10T19:37:45.343Z', endedAt: '2025-12-10T19:38:31.216Z',
		usage: [33, 806, 214627, 37172],
	},
	// 2 lines each: the prompt "Warmup" and one answer.
	[`claude-code:${CODEMIE_WARMUP_SESSION}:36541525`]: {
		roles: { user: 1, assistant: 1 }, calls: 0, title: 'Warmup',
		agentVersion: '2.0.64', gitBranch: 'analytics-v2', startedAt: '2025-12-10T19:37:37.159Z', endedAt: '2025-12-10T19:38:56.408Z',
		usage: [3, 3, 0, 16976],
	},
	[`claude-code:${CODEMIE_WARMUP_SESSION}:50243ee8`]: {
		roles: { user: 1, assistant: 1 }, calls: 0, title: 'Warmup',
		agentVersion: '2.0.64', gitBranch: 'analytics-v2', startedAt: '2025-12-10T19:37:37.157Z', endedAt: '2025-12-10T19:37:42.118Z',
		usage: [16878, 237, 0, 0], // this response's usage has no cache fields at all
	},
	// turn-2.jsonl (turn-1 is its byte prefix): 14 assistant lines / 6 ids; 2 Task calls + 2 results;
	// 6 user lines, 2 only tool_result → "show tools", "hi", "expore current repo…", "tell me more…".
	// Its 15 summaries name leaves that are in no file of the folder → title = first prompt.
	'claude-code:3fb74381-1bf4-475e-8c6f-442d872b1bcf': {
		roles: { user: 4, assistant: 6, tool: 2 }, calls: 2, title: 'show tools',
		agentVersion: '2.1.7', gitBranch: 'hooks', startedAt: '2026-01-15T17:24:23.966Z', endedAt: '2026-01-15T17:48:53.950Z',
		usage: [64, 8058, 65943, 139205],
	},
	// 12 assistant lines / 5 ids; calls Write (rejected, is_error) + 2 Task, 3 results; 7 user lines,
	// 3 only tool_result → 3 prompts + "[Request interrupted by user for tool use]".
	// 16 summaries, none of whose leafUuid is a uuid of the folder.
	'claude-code:9eda1058-9706-484a-b992-d03f9cfa2546': {
		roles: { user: 3, 'user:interrupt': 1, assistant: 5, tool: 3 }, calls: 3, title: 'show tools and store response in file',
		agentVersion: '2.1.4', gitBranch: 'conversations', startedAt: '2026-01-11T09:53:23.575Z', endedAt: '2026-01-11T10:03:26.957Z',
		usage: [47, 4509, 22912, 147267],
	},
	// 5 assistant lines / 1 id (text, thinking, text, Bash, Glob); 2 results, both is_error;
	// user lines: the prompt, "[Request interrupted by user for tool use]"; 2 system/local_command
	// lines (/model and its output) → command context.
	'claude-code:55604662-cf2a-4331-851a-ec234028f8ca': {
		roles: { user: 1, assistant: 1, tool: 2, 'user:interrupt': 1, 'user:command': 2 }, calls: 2, title: 'mix phx.server doesnt seem to start',
		agentVersion: '2.1.38', gitBranch: 'master', startedAt: '2026-02-10T21:11:52.438Z', endedAt: '2026-02-10T21:16:12.381Z',
		usage: [3, 13, 11515, 13835],
	},
	// 9 assistant lines / 4 ids; 6 calls (Bash, Bash, WebSearch, Glob, Read, WebFetch), 6 results;
	// 13 user lines, 6 only tool_result → "start phoenix…", "scrolling back…", 2× "[Request interrupted
	// by user]", 1 isMeta caveat, "<command-name>/mcp" + "<local-command-stdout>"; plus 2
	// system/local_command lines → 4 command.
	'claude-code:d6e0bada-1959-4eec-a9d2-0bfade768d8f': {
		roles: { user: 2, assistant: 4, tool: 6, 'user:interrupt': 2, 'user:meta': 1, 'user:command': 4 }, calls: 6, title: 'start phoenix in background',
		agentVersion: '2.1.38', gitBranch: 'master', startedAt: '2026-02-10T22:57:51.291Z', endedAt: '2026-02-10T22:59:46.748Z',
		usage: [54, 212, 88231, 17696],
	},
	// 15 assistant lines / 3 ids; 6 WebSearch + 6 WebFetch calls, 12 results; 13 user lines, 12 only
	// tool_result → the Task prompt. Title: its first line cut to 80 characters.
	[`claude-code:${MAROT_SUBAGENT_SESSION}:aac57f5`]: {
		roles: { user: 1, assistant: 3, tool: 12 }, calls: 12, title: 'Search hex.pm for the latest versions of these Elixir packages and return the r…',
		agentVersion: '2.1.39', gitBranch: 'spotter-4te', startedAt: '2026-02-12T14:12:32.522Z', endedAt: '2026-02-12T14:13:05.048Z',
		usage: [2408, 7, 29274, 18814],
	},
	// 2 lines: the summarisation prompt and the summary.
	[`claude-code:${MAROT_SUBAGENT_SESSION}:acompact-946d2b`]: {
		roles: { user: 1, assistant: 1 }, calls: 0, title: 'Your task is to create a detailed summary of the conversation so far, paying cl…',
		agentVersion: '2.1.39', gitBranch: 'spotter-4te', startedAt: '2026-02-12T14:47:09.231Z', endedAt: '2026-02-12T14:48:36.518Z',
		usage: [3, 8, 17842, 121689],
	},
	// 25 assistant lines / 11 ids; 7 calls (5 Task, TaskOutput with is_error, Bash), 7 results.
	// 24 user lines, 7 only tool_result → 17, of which lines 82-83 ("are they still being written?",
	// "[Request interrupted by user]") hang off line 33 (uuid ca0c6553), whose other child (line 36)
	// carries the conversation on to the latest record (line 85, 21:21:28.260): an abandoned branch.
	// Remaining 15: 2 prompts ("Spaw sub-agents…", "why won't you run it?"), 3 <task-notification>,
	// 4 isMeta (2 caveats, 2 /publish-session expansions), 6 command wrappers (2× /plugin name +
	// stdout, 2× <command-message>publish-session). The summary names line 85 (uuid 17356307).
	// Versions: 2.1.15 and 2.1.16 interleave; the record with the latest timestamp (line 85) says 2.1.16.
	// gitBranch is "" on every line → null.
	[MOREDIP_PARENT]: {
		roles: { user: 2, assistant: 11, tool: 7, 'user:notification': 3, 'user:meta': 4, 'user:command': 6 }, calls: 7, title: 'Spawn curry poem agents, write sushi',
		agentVersion: '2.1.16', gitBranch: null, startedAt: '2026-01-22T19:38:12.032Z', endedAt: '2026-01-22T21:21:28.260Z',
		usage: [70, 32, 194395, 46482],
	},
	// Subagents: 2 user lines (prompt + one tool_result), 2 ids, 1 WebSearch call each.
	[`${MOREDIP_PARENT}:a5bdbc1`]: {
		roles: { user: 1, assistant: 2, tool: 1 }, calls: 1, title: 'Write a poem about Thai yellow curry. First, do a web search to understand the …',
		agentVersion: '2.1.16', gitBranch: null, startedAt: '2026-01-22T21:19:36.190Z', endedAt: '2026-01-22T21:19:50.558Z',
		usage: [6, 4, 8915, 9929],
	},
	[`${MOREDIP_PARENT}:a9cad17`]: {
		roles: { user: 1, assistant: 2, tool: 1 }, calls: 1, title: 'Write a poem about Thai green curry. First, do a web search to understand the m…',
		agentVersion: '2.1.15', gitBranch: null, startedAt: '2026-01-22T19:38:20.384Z', endedAt: '2026-01-22T19:38:57.000Z',
		usage: [2, 2, 22229, 1623],
	},
	[`${MOREDIP_PARENT}:aa5ef13`]: {
		roles: { user: 1, assistant: 2, tool: 1 }, calls: 1, title: 'Write a poem about Thai yellow curry. First, do a web search to understand the …',
		agentVersion: '2.1.15', gitBranch: null, startedAt: '2026-01-22T19:38:20.390Z', endedAt: '2026-01-22T19:38:56.180Z',
		usage: [2, 3, 22229, 1588],
	},
	[`${MOREDIP_PARENT}:ac27727`]: {
		roles: { user: 1, assistant: 2, tool: 1 }, calls: 1, title: 'Write a poem about Thai red curry. First, do a web search to understand the mos…',
		agentVersion: '2.1.15', gitBranch: null, startedAt: '2026-01-22T19:38:20.390Z', endedAt: '2026-01-22T19:38:56.186Z',
		usage: [2, 2, 22229, 1652],
	},
	[`${MOREDIP_PARENT}:afbbf75`]: {
		roles: { user: 1, assistant: 2, tool: 1 }, calls: 1, title: 'Write a poem about Thai green curry. First, do a web search to understand the m…',
		agentVersion: '2.1.16', gitBranch: null, startedAt: '2026-01-22T21:19:36.185Z', endedAt: '2026-01-22T21:19:54.360Z',
		usage: [6, 8, 8915, 9983],
	},
	// images-in-user-messages.jsonl (2 leading `//` lines are not JSON). Two roots (parentUuid null):
	// line 5 (2.1.22: one user line with IDE note + image + question, answer, summary on its leaf
	// 750359fc, line 7) and line 11 (2.1.29: the same turn re-written as 3 user lines, then more).
	// Line 15 (uuid 488dd89d) has two children: line 16 (answered by 17-18) and line 19 (then 20,
	// answered by 21-22), both asking "what's the session iD?" and answered with the same message id;
	// only the second branch continues to the latest record (line 28, 06:19:51.841). Chain: 11 (<ide_opened_file>), 12 (image only), 13 (question),
	// 14-15 (1 id), 19 (<ide_opened_file>), 20 (question), 21-22 (1 id), 24 (/publish-session),
	// 25 (isMeta), 26-28 (1 id, 2 Bash calls with no result anywhere in the file → left out).
	// 3 ids on the chain (jq: 3 ids in the file). The summary's leaf is not on the chain → the title
	// is the first typed text.
	'claude-code:47bf5f5c-9e11-4f51-8a29-7ad38ecdf17c': {
		roles: { 'user:environment': 2, user: 3, assistant: 3, 'user:command': 1, 'user:meta': 1 }, calls: 0, title: "what's this an image of?",
		agentVersion: '2.1.29', gitBranch: 'feature/handle-images', startedAt: '2026-02-03T06:17:55.580Z', endedAt: '2026-02-03T06:19:51.841Z',
		usage: [22, 16, 20166, 56250],
	},
};

/**
 * Sessions per group: one per sessionId of the main files (jq -r .sessionId | sort -u) plus one
 * per agent-*.jsonl file.
 */
const GROUPS: Record<string, string[]> = {
	'codemie-code/-tmp-private': [`claude-code:${CODEMIE_WARMUP_SESSION}`, `claude-code:${CODEMIE_WARMUP_SESSION}:36541525`, `claude-code:${CODEMIE_WARMUP_SESSION}:50243ee8`],
	'codemie-code/incremental-simple': ['claude-code:3fb74381-1bf4-475e-8c6f-442d872b1bcf'],
	'codemie-code': ['claude-code:9eda1058-9706-484a-b992-d03f9cfa2546'],
	'marot-spotter': [
		'claude-code:55604662-cf2a-4331-851a-ec234028f8ca', `claude-code:${MAROT_SUBAGENT_SESSION}:aac57f5`,
		`claude-code:${MAROT_SUBAGENT_SESSION}:acompact-946d2b`, 'claude-code:d6e0bada-1959-4eec-a9d2-0bfade768d8f',
	],
	'moredip-session-share': [
		MOREDIP_PARENT, `${MOREDIP_PARENT}:a5bdbc1`, `${MOREDIP_PARENT}:a9cad17`, `${MOREDIP_PARENT}:aa5ef13`,
		`${MOREDIP_PARENT}:ac27727`, `${MOREDIP_PARENT}:afbbf75`, 'claude-code:47bf5f5c-9e11-4f51-8a29-7ad38ecdf17c',
	],
};

/** The GROUPS key of the group that yields session `id`. */
function groupOf(id: string): string {
	return Object.entries(GROUPS).find(([, ids]) => ids.includes(id))![0];
}

function parseAll(): Map<string, ParseResult> {
	const results = new Map<string, ParseResult>();
	for (const [key, files] of fixtureGroups()) {
		results.set(path.relative(ROOT, key).split(path.sep).join('/'), importer.parse(files.map(rawFile)));
	}
	return results;
}

void describe('claude code importer: fixture groups', () => {
	const results = parseAll();

	void it('groups every fixture file and yields the expected sessions per group', () => {
		const files = filesUnder(ROOT, '.jsonl');
		assert.equal(files.length, 17); // SOURCES.md: claude-code/ (17 files)
		assert.ok(files.every((f) => importer.isSessionFile(f)));
		assert.deepEqual([...results.keys()].sort(), Object.keys(GROUPS).sort());
		for (const [group, ids] of Object.entries(GROUPS)) {
			assert.deepEqual(results.get(group)!.sessions.map((s) => s.id).sort(), [...ids].sort(), group);
		}
	});

	void it('produces sessions that pass the canonical model', () => {
		for (const result of results.values()) {
			for (const session of result.sessions) {
				assert.doesNotThrow(() => Session.parse(session), session.id);
			}
		}
	});

	for (const [id, expected] of Object.entries(EXPECTED)) {
		void it(`derives ${id}`, () => {
			const session = sessionOf(results.get(groupOf(id))!, id);
			assert.deepEqual(roles(session), expected.roles);
			assert.equal(callIds(session).length, expected.calls);
			assertPaired(session);
			assertToolsFollowCalls(session);
			assert.equal(session.title, expected.title);
			assert.equal(session.agent_version, expected.agentVersion);
			assert.equal(session.git_branch, expected.gitBranch);
			assert.equal(session.started_at, expected.startedAt);
			assert.equal(session.ended_at, expected.endedAt);
			const [input, output, cacheRead, cacheCreation] = expected.usage;
			assert.deepEqual(session.usage, { input_tokens: input, output_tokens: output, cache_read_tokens: cacheRead, cache_creation_tokens: cacheCreation, reasoning_tokens: 0 });
			assert.equal(session.agent, 'claude-code');
			assert.equal(session.parser_version, 1);
			assert.equal(session.git_commit, null);
			assert.equal(session.repository_url, null);
			assert.ok(session.messages.every((m) => m.source && session.source_files.includes(m.source.file)));
		});
	}

	void it('merges the lines of one streamed response into one assistant message', () => {
		// [file, assistant lines, distinct message ids] from the jq counts in the header.
		const streams: [string, string, number, number][] = [
			['marot-spotter/short.jsonl', 'claude-code:55604662-cf2a-4331-851a-ec234028f8ca', 5, 1],
			['marot-spotter/tool_heavy.jsonl', 'claude-code:d6e0bada-1959-4eec-a9d2-0bfade768d8f', 9, 4],
			['marot-spotter/…/agent-aac57f5.jsonl', `claude-code:${MAROT_SUBAGENT_SESSION}:aac57f5`, 15, 3],
			['moredip-session-share/0ccf1a04….jsonl', MOREDIP_PARENT, 25, 11],
			['codemie-code/session-9eda1058.jsonl', 'claude-code:9eda1058-9706-484a-b992-d03f9cfa2546', 12, 5],
			['codemie-code/-tmp-private/4c2ddfdc….jsonl', `claude-code:${CODEMIE_WARMUP_SESSION}`, 10, 7],
		];
		for (const [label, id, lines, responses] of streams) {
			const assistant = sessionOf(results.get(groupOf(id))!, id).messages.filter((m) => m.role === 'assistant');
			assert.ok(lines > responses, label);
			assert.equal(assistant.length, responses, label);
			assert.equal(new Set(assistant.map((m) => m.source_id)).size, responses, label);
			assert.ok(assistant.every((m) => m.source_id?.startsWith('msg_')), label);
		}
		// short.jsonl lines 5, 6, 7, 8 and 10 share msg_01MKH1ccEGrZGNPvu8pYiiQa: "\n\n", thinking, text, Bash, Glob.
		const short = sessionOf(results.get('marot-spotter')!, 'claude-code:55604662-cf2a-4331-851a-ec234028f8ca');
		const merged = short.messages.find((m) => m.role === 'assistant')!;
		assert.equal(merged.source_id, 'msg_01MKH1ccEGrZGNPvu8pYiiQa');
		assert.equal(merged.content, 'Let me check the project structure and try running the server to see the error.');
		assert.match(merged.reasoning ?? '', /^The user is having trouble starting their Phoenix server/);
		assert.deepEqual(merged.tool_calls!.map((c) => c.function.name), ['Bash', 'Glob']);
		assert.deepEqual(JSON.parse(merged.tool_calls![0]!.function.arguments), { command: 'mix phx.server 2>&1 | head -80', timeout: 30000 });
		assert.equal(merged.model, 'claude-opus-4-6');
		assert.deepEqual(merged.source, { file: fixture('marot-spotter', 'short.jsonl'), line: 5 });
		// Usage of the response = its last line's (line 10): the jq reduce above gives 3/13/11515/13835.
		assert.deepEqual(merged.usage, { input_tokens: 3, output_tokens: 13, cache_read_tokens: 11515, cache_creation_tokens: 13835, reasoning_tokens: 0 });
	});

	void it('keeps results of parallel calls that hang off the chain', () => {
		// tool_heavy.jsonl: line 30 (Glob, same message id as line 29) is a child of line 29, its
		// result (line 32) a child of line 30; the conversation continues from line 33, the WebSearch
		// result, a child of line 29. Walking parents from the leaf alone would miss the Glob call.
		const session = sessionOf(results.get('marot-spotter')!, 'claude-code:d6e0bada-1959-4eec-a9d2-0bfade768d8f');
		const glob = toolMessages(session).find((m) => m.tool_call_id === 'toolu_01JJds55jYrYwd9TktNGndRY');
		assert.equal(glob?.name, 'Glob');
		assert.deepEqual(glob?.source, { file: fixture('marot-spotter', 'tool_heavy.jsonl'), line: 32 });
		// Lines 34 (Read) and 37 (WebFetch) share a message id with the Read result (36) between them.
		const readThenFetch = session.messages.find((m) => m.tool_calls?.some((c) => c.function.name === 'Read'));
		assert.deepEqual(readThenFetch?.tool_calls?.map((c) => c.function.name), ['Read', 'WebFetch']);
	});

	void it('links the five moredip subagents to the Task calls that spawned them', () => {
		// jq: select(.toolUseResult.agentId?) | [.toolUseResult.agentId, .message.content[0].tool_use_id]
		// on the parent file; every call's input.subagent_type is "general-purpose".
		const spawnedBy: Record<string, string> = {
			a9cad17: 'toolu_014qfHW38puz7Wk8PgqC45nY',
			aa5ef13: 'toolu_01EeTxsNZzn4MFsxuRo7BYcK',
			ac27727: 'toolu_018pmVb1JqzfoGPF4pfSuB4J',
			afbbf75: 'toolu_01GWWdppestRqCj3fkznnGwf',
			a5bdbc1: 'toolu_011472X3mPpLSX8BmtHebyH4',
		};
		const result = results.get('moredip-session-share')!;
		const parent = sessionOf(result, MOREDIP_PARENT);
		for (const [agentId, callId] of Object.entries(spawnedBy)) {
			const child = sessionOf(result, `${MOREDIP_PARENT}:${agentId}`);
			assert.equal(child.parent_session_id, MOREDIP_PARENT);
			assert.equal(child.parent_tool_call_id, callId);
			assert.equal(child.subagent_type, 'general-purpose');
			const call = parent.messages.flatMap((m) => m.tool_calls ?? []).find((c) => c.id === callId);
			assert.equal(call?.function.name, 'Task');
			const tool = toolMessages(parent).find((m) => m.tool_call_id === callId);
			assert.equal(tool?.subagent_session_id, child.id);
		}
		assert.equal(parent.parent_session_id, null);
		assert.equal(parent.subagent_type, null);
		// 7 tool messages: 5 Task results carry a subagent, TaskOutput and Bash do not.
		assert.equal(toolMessages(parent).filter((m) => m.subagent_session_id !== undefined).length, 5);
	});

	void it('reads the 2.0.x agent files beside the parent as warmup sidechains', () => {
		const result = results.get('codemie-code/-tmp-private')!;
		for (const agentId of ['36541525', '50243ee8']) {
			const warmup = sessionOf(result, `claude-code:${CODEMIE_WARMUP_SESSION}:${agentId}`);
			assert.equal(warmup.subagent_type, 'warmup');
			assert.equal(warmup.parent_session_id, `claude-code:${CODEMIE_WARMUP_SESSION}`);
			assert.equal(warmup.parent_tool_call_id, null); // no Task call starts a warmup
			assert.equal(warmup.messages[0]!.content, 'Warmup');
		}
		// agent-50243ee8.jsonl line 2: model converse/jp.anthropic.claude-haiku-4-5-20251001-v1:0 (a Bedrock id).
		assert.equal(sessionOf(result, `claude-code:${CODEMIE_WARMUP_SESSION}:50243ee8`).model, 'converse/jp.anthropic.claude-haiku-4-5-20251001-v1:0');
	});

	void it('keeps the marot subagent and /compact transcripts without their parent file', () => {
		const result = results.get('marot-spotter')!;
		const task = sessionOf(result, `claude-code:${MAROT_SUBAGENT_SESSION}:aac57f5`);
		assert.equal(task.parent_session_id, `claude-code:${MAROT_SUBAGENT_SESSION}`);
		assert.equal(task.parent_tool_call_id, null);
		assert.equal(task.subagent_type, null); // the Task call is in the parent file, which was not copied
		const compact = sessionOf(result, `claude-code:${MAROT_SUBAGENT_SESSION}:acompact-946d2b`);
		assert.equal(compact.parent_session_id, `claude-code:${MAROT_SUBAGENT_SESSION}`);
		assert.equal(compact.parent_tool_call_id, null);
		assert.equal(compact.subagent_type, 'compact');
		// Its first line's parentUuid (23b73f9a…) is in the parent file: the line is still the root.
		assert.equal(compact.messages[0]!.role, 'user');
		assert.match(compact.messages[1]!.content, /<analysis>/);
		assert.equal(result.warnings.length, 0);
	});

	void it('marks the rejected tool calls of marot short.jsonl as errors', () => {
		// Lines 11 and 12: tool_result is_error:true for the Bash and Glob calls of line 5's response.
		const session = sessionOf(results.get('marot-spotter')!, 'claude-code:55604662-cf2a-4331-851a-ec234028f8ca');
		const tools = toolMessages(session);
		assert.deepEqual(tools.map((m) => [m.name, m.is_error, m.source?.line]), [['Bash', true, 11], ['Glob', true, 12]]);
		assert.match(tools[0]!.content, /^The user doesn't want to proceed with this tool use/);
		// The Bash result (line 11) is a side branch of line 8; the chain runs through line 12.
		const error = toolMessages(sessionOf(results.get('moredip-session-share')!, MOREDIP_PARENT)).filter((m) => m.is_error);
		assert.deepEqual(error.map((m) => [m.name, m.content]), [['TaskOutput', '<tool_use_error>No task found with ID: ac27727</tool_use_error>']]);
		const rejected = toolMessages(sessionOf(results.get('codemie-code')!, 'claude-code:9eda1058-9706-484a-b992-d03f9cfa2546')).filter((m) => m.is_error);
		assert.deepEqual(rejected.map((m) => m.name), ['Write']);
	});

	void it('counts pasted images and never carries base64', () => {
		// grep -c '"type":"image"': 2 image blocks, line 5 (abandoned 2.1.22 leg) and line 12 (chain).
		const session = sessionOf(results.get('moredip-session-share')!, 'claude-code:47bf5f5c-9e11-4f51-8a29-7ad38ecdf17c');
		const withImages = session.messages.filter((m) => (m.images ?? 0) > 0);
		assert.deepEqual(withImages.map((m) => [m.role, m.context, m.images, m.content, m.source?.line]), [['user', null, 1, '', 12]]);
		const text = JSON.stringify(session.messages);
		assert.ok(!text.includes('iVBORw0KGgo') && !text.includes('"base64"'));
	});

	void it('marks injected context and keeps typed text as human turns', () => {
		const byContent = (session: SessionInput, prefix: string): MessageInput => {
			const found = session.messages.find((m) => m.content.startsWith(prefix));
			assert.ok(found, prefix);
			return found;
		};
		const heavy = sessionOf(results.get('marot-spotter')!, 'claude-code:d6e0bada-1959-4eec-a9d2-0bfade768d8f');
		assert.equal(byContent(heavy, '<local-command-caveat>').context, 'meta'); // line 20, isMeta
		assert.equal(byContent(heavy, '<command-name>/mcp').context, 'command');
		assert.equal(byContent(heavy, '<local-command-stdout>Reconnected').context, 'command');
		assert.equal(byContent(heavy, '[Request interrupted by user]').context, 'interrupt');
		assert.equal(byContent(heavy, 'start phoenix in background').context, null);
		const moredip = sessionOf(results.get('moredip-session-share')!, MOREDIP_PARENT);
		assert.equal(byContent(moredip, '<task-notification>').context, 'notification');
		assert.equal(byContent(moredip, 'Publish the current session transcript').context, 'meta');
		assert.ok(!moredip.messages.some((m) => m.content === 'are they still being written?')); // abandoned branch
		const images = sessionOf(results.get('moredip-session-share')!, 'claude-code:47bf5f5c-9e11-4f51-8a29-7ad38ecdf17c');
		assert.equal(byContent(images, '<ide_opened_file>').context, 'environment');
		// Line 11's IDE note and line 13's question are separate lines; line 20 holds only the question.
		assert.deepEqual(images.messages.filter((m) => m.role === 'user' && m.context === null).map((m) => m.content), ['', "what's this an image of?", "what's the session iD?"]);
		// No system line other than local_command becomes a message: api_error (9), turn_duration (2).
		assert.ok(!moredip.messages.some((m) => m.source && [23, 24, 25, 26, 27, 28, 29, 30, 33, 46, 56].includes(m.source.line)));
	});

	void it('reports the calls it leaves out for want of a result', () => {
		// images-in-user-messages.jsonl lines 27 and 28: two Bash tool_use blocks, and no tool_result
		// anywhere in the file (jq tool results: 0).
		const result = results.get('moredip-session-share')!;
		assert.deepEqual(result.warnings.map((w) => [path.basename(w.file), w.line, /has no result/.test(w.message)]), [
			['images-in-user-messages.jsonl', 27, true],
			['images-in-user-messages.jsonl', 28, true],
		]);
		const last = sessionOf(result, 'claude-code:47bf5f5c-9e11-4f51-8a29-7ad38ecdf17c').messages.at(-1)!;
		assert.equal(last.content, "I'll publish the current session transcript.");
		assert.equal(last.tool_calls, undefined);
	});

	void it('has no warnings for the other groups', () => {
		for (const [group, result] of results) {
			if (group !== 'moredip-session-share') {
				assert.deepEqual(result.warnings, [], group);
			}
		}
	});
});

void describe('claude code importer: incremental growth', () => {
	const turn1 = fixture('codemie-code', 'incremental-simple', 'turn-1.jsonl');
	const turn2 = fixture('codemie-code', 'incremental-simple', 'turn-2.jsonl');

	void it('treats a byte prefix beside the whole file as the same session', () => {
		const both = importer.parse([rawFile(turn1), rawFile(turn2)]);
		const alone = importer.parse([rawFile(turn2)]);
		assert.equal(both.sessions.length, 1);
		assert.deepEqual(both, alone);
		assert.deepEqual(both.sessions[0]!.source_files, [turn2]);
		assert.deepEqual(importer.parse([rawFile(turn2), rawFile(turn1)]), alone);
	});

	void it('reads the first capture alone', () => {
		// turn-1.jsonl: 1 user line ("show tools"), 2 assistant lines sharing one id (thinking, text).
		const [session] = importer.parse([rawFile(turn1)]).sessions;
		assert.deepEqual(roles(session!), { user: 1, assistant: 1 });
		assert.equal(session!.id, 'claude-code:3fb74381-1bf4-475e-8c6f-442d872b1bcf');
		assert.equal(session!.ended_at, '2026-01-15T17:24:37.768Z'); // jq: latest timestamp in turn-1
	});
});

void describe('claude code importer: stability', () => {
	void it('gives deep-equal output when parsing twice', () => {
		for (const files of fixtureGroups().values()) {
			const raw = files.map(rawFile);
			assert.deepEqual(importer.parse(raw), importer.parse(raw));
		}
	});

	void it('does not depend on the order of the files of a group', () => {
		for (const files of fixtureGroups().values()) {
			const raw = files.map(rawFile);
			const expected = importer.parse(raw);
			const orders = [[...raw].reverse(), [...raw.slice(1), ...raw.slice(0, 1)], shuffled(raw, 7), shuffled(raw, 42)];
			for (const order of orders) {
				assert.deepEqual(importer.parse(order), expected);
			}
		}
	});

	void it('survives a truncated record in the middle of a file and a torn last line', () => {
		// short.jsonl with line 6 (the thinking line, parent of line 7) cut in half, and the
		// last line cut too.
		const file = fixture('marot-spotter', 'short.jsonl');
		const lines = fs.readFileSync(file, 'utf8').split('\n');
		lines[5] = lines[5]!.slice(0, 200);
		const text = lines.join('\n').replace(/\n$/, '');
		const torn = text.slice(0, text.length - 40);
		const records = recordsOf(Buffer.from(torn));
		assert.equal(records.filter((r) => r.value === undefined).length, 1);
		let result: ParseResult | undefined;
		assert.doesNotThrow(() => {
			result = importer.parse([{ path: file, records }]);
		});
		const [session] = result!.sessions;
		assert.doesNotThrow(() => Session.parse(session));
		// Line 7 names the lost line as parent: the history stays attached through line 5.
		assert.equal(session!.messages[0]!.content, 'mix phx.server doesnt seem to start');
		assert.ok(result!.warnings.some((w) => w.line === 7 && /missing/.test(w.message)));
		assertPaired(session!);
	});

	void it('ignores JSON that is not a record, unknown types and odd shapes', () => {
		const records = lines([
			42, null, [], 'text',
			{ type: 'mystery', sessionId: 's', uuid: 'x1', timestamp: '2026-01-01T00:00:00.000Z' },
			{ type: 'user', sessionId: 's', uuid: 'u1', parentUuid: 'x1', timestamp: '2026-01-01T00:00:01.000Z', message: 'not an object' },
			{ type: 'user', sessionId: 's', uuid: 'u2', parentUuid: 'u1', timestamp: '2026-01-01T00:00:02.000Z', message: { role: 'user', content: 5 } },
			{ type: 'assistant', sessionId: 's', uuid: 'a1', parentUuid: 'u2', timestamp: '2026-01-01T00:00:03.000Z', message: { id: 'm1', content: [{ type: 'tool_use' }, null, { type: 'text', text: 'ok' }], usage: { input_tokens: -4, output_tokens: 'x' } } },
			{ type: 'progress', sessionId: 's', uuid: 'p1', parentUuid: 'a1', timestamp: '2026-01-01T00:00:04.000Z', data: { type: 'agent_progress' } },
			{ type: 'queue-operation', sessionId: 's', operation: 'enqueue', timestamp: '2026-01-01T00:00:05.000Z' },
			{ type: 'file-history-snapshot', messageId: 'u1', snapshot: {} },
		]);
		const result = importer.parse([{ path: 'p/s.jsonl', records }]);
		assert.equal(result.sessions.length, 1);
		const session = Session.parse(result.sessions[0]);
		assert.deepEqual(session.messages.map((m) => [m.role, m.content]), [['assistant', 'ok']]);
		assert.equal(session.ended_at, '2026-01-01T00:00:05.000Z');
		assert.deepEqual(session.usage, { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0 });
	});
});

/** Synthetic transcripts for shapes the fixtures do not contain. */
void describe('claude code importer: tree and content rules', () => {
	const base = { sessionId: 'S', cwd: '/w', version: '2.1.50', gitBranch: 'main', isSidechain: false };
	let clock = 0;
	const at = (): string => new Date(Date.UTC(2026, 0, 1, 0, 0, clock++)).toISOString();
	const user = (uuid: string, parentUuid: string | null, content: unknown, extra: object = {}): object =>
		({ ...base, type: 'user', uuid, parentUuid, timestamp: at(), message: { role: 'user', content }, ...extra });
	const assistant = (uuid: string, parentUuid: string | null, id: string, content: unknown[], extra: object = {}): object =>
		({ ...base, type: 'assistant', uuid, parentUuid, timestamp: at(), message: { id, model: 'claude-test', role: 'assistant', content, usage: { input_tokens: 1, output_tokens: 2 } }, ...extra });
	const call = (id: string, name = 'Bash', input: object = { command: 'ls' }): object => ({ type: 'tool_use', id, name, input });
	const result = (id: string, content: unknown = 'done', extra: object = {}): object => ({ type: 'tool_result', tool_use_id: id, content, ...extra });
	const parseOne = (objects: unknown[], file = 'proj/S.jsonl'): { session: SessionInput; result: ParseResult } => {
		const parsed = importer.parse([{ path: file, records: lines(objects) }]);
		assert.equal(parsed.sessions.length, 1);
		Session.parse(parsed.sessions[0]);
		return { session: parsed.sessions[0]!, result: parsed };
	};

	void it('continues through a compact_boundary and marks the summary as compaction', () => {
		const { session } = parseOne([
			user('u0', null, 'first task'),
			assistant('a0', 'u0', 'm0', [{ type: 'text', text: 'did it' }]),
			{ ...base, type: 'system', subtype: 'compact_boundary', uuid: 'c1', parentUuid: null, logicalParentUuid: 'a0', timestamp: at(), content: 'Conversation compacted', compactMetadata: { trigger: 'auto', preTokens: 2048 } },
			user('cs1', 'c1', 'This session is being continued from a previous conversation. Summary: …', { isCompactSummary: true, isVisibleInTranscriptOnly: true }),
			user('u1', 'cs1', 'next task'),
			assistant('a1', 'u1', 'm1', [{ type: 'text', text: 'done too' }]),
		]);
		assert.deepEqual(session.messages.map((m) => [m.role, m.context, m.content.slice(0, 10)]), [
			['user', null, 'first task'], ['assistant', null, 'did it'], ['user', 'compaction', 'This sessi'], ['user', null, 'next task'], ['assistant', null, 'done too'],
		]);
	});

	void it('follows the latest branch after a rewind and drops the abandoned sibling', () => {
		const { session } = parseOne([
			user('u0', null, 'question'),
			assistant('a0', 'u0', 'm0', [{ type: 'text', text: 'answer' }]),
			user('u1', 'a0', 'first follow-up'),
			assistant('a1', 'u1', 'm1', [{ type: 'text', text: 'first reply' }]),
			user('u2', 'a0', 'edited follow-up'),
			assistant('a2', 'u2', 'm2', [{ type: 'text', text: 'second reply' }]),
		]);
		assert.deepEqual(session.messages.map((m) => m.content), ['question', 'answer', 'edited follow-up', 'second reply']);
		assert.deepEqual(session.models, ['claude-test']);
		// Session usage counts all three responses (m1 was made too), messages only the chain's.
		assert.equal(session.usage.output_tokens, 6);
	});

	void it('prefers the leaf a summary names when leaves tie', () => {
		const ts = '2026-01-01T00:10:00.000Z';
		const records = [
			user('u0', null, 'root'),
			{ ...user('u1', 'u0', 'left'), timestamp: ts },
			{ ...user('u2', 'u0', 'right'), timestamp: ts },
			{ type: 'summary', summary: 'Left it is', leafUuid: 'u1' },
		];
		const { session } = parseOne(records);
		assert.deepEqual(session.messages.map((m) => m.content), ['root', 'left']);
		assert.equal(session.title, 'Left it is');
	});

	void it('splits human text from system reminders and IDE notes in one user line', () => {
		const { session } = parseOne([
			user('u0', null, [
				{ type: 'text', text: '<system-reminder>\nThe date is today.\n</system-reminder>\nplease fix the bug\n<system-reminder>keep it short</system-reminder>' },
				{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
			]),
			user('u1', 'u0', '<system-reminder>only a reminder</system-reminder>'),
			user('u2', 'u1', [{ type: 'text', text: '<ide_selection>x = 1</ide_selection>' }, { type: 'text', text: 'what is x?' }]),
			user('u3', 'u2', '<bash-input>ls</bash-input>'),
			user('u4', 'u3', 'Caveat text', { isMeta: true }),
		]);
		assert.deepEqual(session.messages.map((m) => [m.context, m.content, m.images ?? 0]), [
			['system-reminder', '<system-reminder>\nThe date is today.\n</system-reminder>', 0],
			[null, 'please fix the bug', 1],
			['system-reminder', '<system-reminder>keep it short</system-reminder>', 0],
			['system-reminder', '<system-reminder>only a reminder</system-reminder>', 0],
			['environment', '<ide_selection>x = 1</ide_selection>', 0],
			[null, 'what is x?', 0],
			['command', '<bash-input>ls</bash-input>', 0],
			['meta', 'Caveat text', 0],
		]);
		assert.equal(session.title, 'please fix the bug');
	});

	void it('puts tool results right after the call, before the user text of the same line', () => {
		const { session } = parseOne([
			user('u0', null, 'go'),
			assistant('a0', 'u0', 'm0', [call('t1'), call('t2', 'Read', { file_path: 'a' })]),
			user('r1', 'a0', [result('t2', [{ type: 'text', text: 'line 1' }, { type: 'text', text: 'line 2' }, { type: 'image', source: { type: 'base64', data: 'AAAA' } }]), result('t1', 'oops', { is_error: true }), { type: 'text', text: 'also, hurry' }]),
		]);
		assert.deepEqual(session.messages.map((m) => [m.role, m.tool_call_id ?? null, m.content]), [
			['user', null, 'go'],
			['assistant', null, ''],
			['tool', 't1', 'oops'],
			['tool', 't2', 'line 1\n\nline 2'],
			['user', null, 'also, hurry'],
		]);
		assert.equal(session.messages[2]!.is_error, true);
		assert.equal(session.messages[3]!.images, 1);
		assert.equal(session.messages[3]!.name, 'Read');
	});

	void it('warns about attachments it cannot carry', () => {
		const { session, result: parsed } = parseOne([
			user('u0', null, [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } }, { type: 'text', text: 'summarise this' }]),
		]);
		assert.deepEqual(session.messages.map((m) => m.content), ['summarise this']);
		assert.deepEqual(parsed.warnings.map((w) => [w.line, /document/.test(w.message)]), [[1, true]]);
	});

	void it('drops a result whose call is not in the conversation, with a warning', () => {
		const { session, result: parsed } = parseOne([
			user('u0', null, 'go'),
			assistant('a0', 'u0', 'm0', [{ type: 'text', text: 'ok' }]),
			user('r0', 'a0', [result('nowhere')]),
		]);
		assert.deepEqual(roles(session), { user: 1, assistant: 1 });
		assert.deepEqual(parsed.warnings.map((w) => [w.line, /dropped/.test(w.message)]), [[3, true]]);
	});

	void it('marks assistant text that Claude Code wrote itself', () => {
		const apiError = assistant('a0', 'u0', 'm0', [{ type: 'text', text: 'API Error: 529 overloaded' }], { isApiErrorMessage: true }) as { message: Record<string, unknown> };
		apiError.message.model = '<synthetic>';
		const { session } = parseOne([
			user('u0', null, 'go'),
			apiError,
			user('u1', 'a0', 'retry'),
			assistant('a1', 'u1', 'm1', [{ type: 'text', text: 'fine' }]),
		]);
		assert.deepEqual(session.messages.map((m) => [m.role, m.context, m.model ?? null]), [
			['user', null, null], ['assistant', 'meta', null], ['user', null, null], ['assistant', null, 'claude-test'],
		]);
		assert.equal(session.model, 'claude-test');
		assert.deepEqual(session.models, ['claude-test']);
	});

	void it('links a subagent through agent_progress and takes its type from the Agent call', () => {
		const parent = lines([
			user('u0', null, 'research this'),
			assistant('a0', 'u0', 'm0', [call('toolu_A', 'Agent', { description: 'd', prompt: 'look it up', subagent_type: 'Explore' })]),
			{ ...base, type: 'progress', uuid: 'p0', parentUuid: 'a0', timestamp: at(), toolUseID: 'agent_msg_1', parentToolUseID: 'toolu_A', data: { type: 'agent_progress', agentId: 'abc1234', prompt: 'look it up' } },
			user('r0', 'a0', [result('toolu_A', [{ type: 'text', text: 'found it' }])]),
			assistant('a1', 'r0', 'm1', [{ type: 'text', text: 'here it is' }]),
		]);
		const child = lines([
			{ ...user('c0', null, 'look it up'), isSidechain: true, agentId: 'abc1234' },
			{ ...assistant('c1', 'c0', 'mc', [{ type: 'text', text: 'found it' }]), isSidechain: true, agentId: 'abc1234' },
		]);
		const parsed = importer.parse([
			{ path: path.join('proj', 'S', 'subagents', 'agent-abc1234.jsonl'), records: child },
			{ path: path.join('proj', 'S.jsonl'), records: parent },
		]);
		assert.deepEqual(parsed.sessions.map((s) => s.id), ['claude-code:S', 'claude-code:S:abc1234']);
		const [main, sub] = parsed.sessions;
		assert.equal(sub!.parent_session_id, 'claude-code:S');
		assert.equal(sub!.parent_tool_call_id, 'toolu_A');
		assert.equal(sub!.subagent_type, 'Explore');
		assert.equal(main!.messages.find((m) => m.role === 'tool')?.subagent_session_id, 'claude-code:S:abc1234');
		assert.equal(importer.groupKey(path.join('proj', 'S', 'subagents', 'agent-abc1234.jsonl')), importer.groupKey(path.join('proj', 'S.jsonl')));
	});
});

void describe('claude code importer: locations and sniffing', () => {
	void it('lists CLAUDE_CONFIG_DIR roots, ~/.claude and the XDG config dir, deduplicated', () => {
		const home = '/home/u';
		assert.deepEqual(importer.defaultRoots({ home, env: {}, platform: 'linux' }), ['/home/u/.claude/projects', '/home/u/.config/claude/projects']);
		assert.deepEqual(importer.defaultRoots({ home, env: { CLAUDE_CONFIG_DIR: '/a/cfg, /home/u/.claude ,', XDG_CONFIG_HOME: '/x' }, platform: 'linux' }), [
			'/a/cfg/projects', '/home/u/.claude/projects', '/x/claude/projects',
		]);
		assert.deepEqual(importer.defaultRoots({ home: 'C:\\Users\\u', env: {}, platform: 'win32' }), ['C:\\Users\\u\\.claude\\projects', 'C:\\Users\\u\\.config\\claude\\projects']);
	});

	void it('takes .jsonl files and groups subagent files with their project', () => {
		assert.ok(importer.isSessionFile(path.join('p', 'a.jsonl')));
		assert.ok(!importer.isSessionFile(path.join('p', 'agent-a.meta.json')));
		const project = path.join('projects', '-home-u-repo');
		assert.equal(importer.groupKey(path.join(project, 'S.jsonl')), project);
		assert.equal(importer.groupKey(path.join(project, 'agent-1234.jsonl')), project);
		assert.equal(importer.groupKey(path.join(project, 'S', 'subagents', 'agent-a1.jsonl')), project);
	});

	void it('recognises the first record of every Claude Code fixture and rejects Codex', () => {
		const first = (file: string): unknown => recordsOf(fs.readFileSync(file)).find((r) => r.value !== undefined)!.value;
		for (const file of filesUnder(ROOT, '')) {
			assert.ok(importer.sniff(valueHead(first(file))), file);
		}
		const codex = filesUnder(path.join(FIXTURES, 'codex'), '.jsonl');
		assert.ok(codex.length > 0);
		for (const file of codex) {
			for (const record of recordsOf(fs.readFileSync(file)).slice(0, 20)) {
				assert.ok(!importer.sniff(valueHead(record.value)), `${file}:${record.line}`);
			}
		}
		assert.ok(!importer.sniff(valueHead({ type: 'user' })));
		assert.ok(!importer.sniff(valueHead(null)));
	});
});

function lines(objects: unknown[]): ReturnType<typeof recordsOf> {
	return recordsOf(Buffer.from(objects.map((o) => JSON.stringify(o)).join('\n') + '\n'));
}

/** Deterministic shuffle (the tests' seeded generator), so a failure can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
	const out = [...items];
	const random = seededRandom(seed);
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[out[i], out[j]] = [out[j]!, out[i]!];
	}
	return out;
}
