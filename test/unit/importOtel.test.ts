/**
 * OpenTelemetry GenAI importer. No real OTLP/JSON export of GenAI spans was found in a public
 * repository (test suites build them in code with placeholder ids and times), so the fixtures
 * under otel/schema/ are schema-faithful: OTLP/JSON encoding (hex ids, nanosecond strings,
 * AnyValue attributes) and the GenAI semantic conventions' attribute names and message JSON
 * schemas (open-telemetry/semantic-conventions docs/gen-ai/*), including the conventions'
 * own Paris weather example, the older prompt/completion events and OpenLLMetry's flattened
 * `gen_ai.prompt.<i>.*` attributes.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { otelImporter } from '../../server/src/core/capture/otel';
import type { ParseResult, RawFile } from '../../server/src/core/capture/importer';
import { readHead } from '../../server/src/core/importing/discover';
import { ImportRunner } from '../../server/src/core/importing/importRunner';
import { recordsOfLayout } from '../../server/src/core/importing/readers';
import { TraceStore } from '../../server/src/core/store/store';
import { Session, type Message } from '../../shared/model';
import { FIXTURES, filesUnder, noHome, tempDir, valueHead } from '../support/fixtures';

const DIR = path.join(FIXTURES, 'otel', 'schema');
const AGENT_RUN = path.join(DIR, 'agent-run.otlp.json');
const EXPORTS = path.join(DIR, 'exports.otlp.jsonl');
const CONVERSATION = 'otel:conv_5j66UpCpwteGg4YSxUnt7lPY';
const LEGACY = 'otel:5b8aa5a2d2c872e8321cf37308d69df2';
const NO_CONTENT = 'otel:0af7651916cd43dd8448eb211c80319c';

function rawFile(file: string, text = fs.readFileSync(file, 'utf8')): RawFile {
	const layout = otelImporter.layoutOf(file) === 'jsonl' ? 'jsonl' : 'json';
	return { path: file, records: recordsOfLayout(layout, Buffer.from(text)) };
}

function byId(result: ParseResult, id: string): Session {
	const found = result.sessions.find((s) => s.id === id);
	assert.ok(found, `session ${id}`);
	return Session.parse(found);
}

const shape = (messages: Message[]) => messages.map((m) => `${m.role}${m.context ? `/${m.context}` : ''}${m.tool_calls ? `+${m.tool_calls.length}` : ''}`);

void describe('otel importer: current GenAI conventions (agent-run.otlp.json)', () => {
	const result = otelImporter.parse([rawFile(AGENT_RUN)]);
	const session = byId(result, CONVERSATION);

	void it('makes one session of the conversation, ignoring the HTTP span', () => {
		assert.deepEqual(result.warnings, []);
		assert.deepEqual(result.sessions.map((s) => s.id), [CONVERSATION]);
		assert.equal(session.agent, 'otel');
		assert.equal(session.agent_version, 'weather-agent 0.3.1');
		assert.equal(session.title, 'Weather in Paris?');
		assert.equal(session.model, 'gpt-4o-2024-08-06');
		assert.deepEqual(session.models, ['gpt-4o-2024-08-06']);
		assert.equal(session.started_at, '2025-10-07T14:00:00.000Z');
		assert.equal(session.ended_at, '2025-10-07T14:00:09.000Z');
		assert.deepEqual(session.source_files, [AGENT_RUN]);
	});

	void it('takes only what is new in each call\'s history', () => {
		assert.deepEqual(shape(session.messages), ['system/instructions', 'user', 'assistant+1', 'tool', 'assistant']);
		assert.equal(session.messages[0].content, 'You are a helpful weather assistant. Answer in one sentence.');
		// the first chat span is at line 92, the second at line 263 of the pretty-printed file
		assert.deepEqual(session.messages.map((m) => [m.source_id, m.source?.line]), [
			['a1b2c3d4e5f60002', 92], ['a1b2c3d4e5f60002', 92], ['a1b2c3d4e5f60002', 92], ['a1b2c3d4e5f60005', 263], ['a1b2c3d4e5f60005', 263],
		]);
		assert.deepEqual(session.messages.map((m) => m.timestamp), [
			'2025-10-07T14:00:00.100Z', '2025-10-07T14:00:00.100Z', '2025-10-07T14:00:02.000Z', '2025-10-07T14:00:03.100Z', '2025-10-07T14:00:09.000Z',
		]);
	});

	void it('pairs the tool call with the tool message of the next call, not again with the execute_tool span', () => {
		const [, , call, result_, answer] = session.messages;
		assert.deepEqual(call.tool_calls, [{ id: 'call_VSPygqKTWdrhaFErNvMV18Yl', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris"}' } }]);
		assert.deepEqual([result_.tool_call_id, result_.name, result_.content, result_.is_error], ['call_VSPygqKTWdrhaFErNvMV18Yl', 'get_weather', 'rainy, 57°F', undefined]);
		assert.equal(answer.content, 'The weather in Paris is currently rainy with a temperature of 57°F.');
		assert.equal(answer.reasoning, 'The tool answered; report it.');
		assert.equal(answer.model, 'gpt-4o-2024-08-06');
	});

	void it('splits cached tokens out of the input count and ignores the agent span\'s totals', () => {
		assert.deepEqual(session.messages[2].usage, { input_tokens: 97, output_tokens: 52, cache_read_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0 });
		assert.deepEqual(session.messages[4].usage, { input_tokens: 50, output_tokens: 20, cache_read_tokens: 100, cache_creation_tokens: 0, reasoning_tokens: 5 });
		assert.deepEqual(session.usage, { input_tokens: 147, output_tokens: 72, cache_read_tokens: 100, cache_creation_tokens: 0, reasoning_tokens: 5 });
	});
});

void describe('otel importer: JSON Lines with older conventions (exports.otlp.jsonl)', () => {
	const result = otelImporter.parse([rawFile(EXPORTS)]);

	void it('groups spans without a conversation id by trace', () => {
		assert.deepEqual(result.warnings, []);
		assert.deepEqual(result.sessions.map((s) => s.id), [LEGACY, NO_CONTENT]);
	});

	void it('reads prompt/completion events and flattened attributes as one growing conversation', () => {
		const session = byId(result, LEGACY);
		assert.deepEqual(session.messages.map((m) => [m.role, m.context, m.content, m.source?.line]), [
			['system', 'instructions', 'You are terse.', 1],
			['user', null, 'Capital of France?', 1],
			['assistant', null, 'Paris.', 1],
			['user', null, 'And of Italy?', 2],
			['assistant', null, 'Rome.', 2],
		]);
		assert.equal(session.agent_version, 'quiz-bot');
		assert.equal(session.model, 'gpt-3.5-turbo-0125');
		assert.equal(session.started_at, '2025-10-07T14:01:00.000Z');
		assert.equal(session.ended_at, '2025-10-07T14:01:11.000Z');
		// prompt_tokens / completion_tokens: 20 + 31 and 8 + 2
		assert.deepEqual(session.usage, { input_tokens: 51, output_tokens: 10, cache_read_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0 });
	});

	void it('turns an execute_tool span into the call and its failed result when no content was recorded', () => {
		const session = byId(result, NO_CONTENT);
		assert.deepEqual(shape(session.messages), ['assistant+1', 'tool']);
		const id = `${NO_CONTENT}:call:1`;
		assert.deepEqual(session.messages[0].tool_calls, [{ id, type: 'function', function: { name: 'search_docs', arguments: '{"query": "refund policy"}' } }]);
		assert.deepEqual([session.messages[1].tool_call_id, session.messages[1].is_error, session.messages[1].content],
			[id, true, '(tool failed: TimeoutError: search timed out after 10s)']);
		assert.equal(session.title, null);
		assert.equal(session.agent_version, 'docs-helper 2.0.0');
		assert.equal(session.model, 'claude-sonnet-4-5');
		// 1200 input tokens of which 1000 were written to the cache
		assert.deepEqual(session.usage, { input_tokens: 200, output_tokens: 40, cache_read_tokens: 0, cache_creation_tokens: 1000, reasoning_tokens: 0 });
	});
});

void describe('otel importer: bad input', () => {
	void it('skips malformed documents, spans and message attributes with their line, and imports the rest', () => {
		const file = '/otel/bad.otlp.jsonl';
		const span = (spanId: string | undefined, attributes: unknown[]) => ({ traceId: 'feedfacefeedfacefeedfacefeedface', ...(spanId ? { spanId } : {}), name: 'chat', startTimeUnixNano: '1759845600000000000', attributes });
		const doc = (...spans: unknown[]) => JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
		const text = [
			JSON.stringify({ resourceLogs: [] }),
			doc(span(undefined, [{ key: 'gen_ai.operation.name', value: { stringValue: 'chat' } }])),
			doc(span('d000000000000001', [
				{ key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
				{ key: 'gen_ai.input.messages', value: { stringValue: '[{"role":"user","parts":[{"type":"text","content":"hi"}' } },
				{ key: 'gen_ai.output.messages', value: { stringValue: '[{"role":"critic","parts":[{"type":"text","content":"meh"}]},{"role":"assistant","parts":[{"type":"text","content":"Hello."}]}]' } },
			])),
			doc({ ...span('e000000000000001', [{ key: 'gen_ai.operation.name', value: { stringValue: 'embeddings' } }, { key: 'gen_ai.usage.input_tokens', value: { intValue: '12' } }]), traceId: 'cafecafecafecafecafecafecafecafe' }),
		].join('\n');
		const result = otelImporter.parse([rawFile(file, `${text}\n`)]);
		assert.deepEqual(result.warnings, [
			{ file, line: 1, message: 'expected an OTLP JSON traces document ({"resourceSpans": [...]}); skipped' },
			{ file, line: 2, message: 'span without traceId and spanId (expected an OTLP span object); skipped' },
			{ file, line: 3, message: 'gen_ai.input.messages of span d000000000000001 is not a JSON array of messages; ignored' },
			{ file, line: 3, message: 'message with role "critic" in span d000000000000001 (expected system, user, assistant or tool); skipped' },
			{ file, line: 4, message: '1 conversation(s) with GenAI spans but no recorded messages or tool calls (message content capture off?); not imported' },
		]);
		assert.deepEqual(result.sessions.map((s) => [s.id, s.messages.map((m) => m.content)]), [['otel:feedfacefeedfacefeedfacefeedface', ['Hello.']]]);
	});

	void it('waits for a JSON document that is still being written, through the runner', () => {
		const root = tempDir();
		fs.mkdirSync(path.join(root, 'otel'));
		const file = path.join(root, 'otel', 'run.json');
		const whole = fs.readFileSync(AGENT_RUN, 'utf8');
		fs.writeFileSync(file, whole.slice(0, 5000));
		const store = TraceStore.open(path.join(root, 'store.sqlite'));
		const runner = new ImportRunner(store, [otelImporter], noHome);
		const first = runner.run({ paths: [root] });
		assert.equal(first.torn, 1);
		assert.deepEqual(first.sessions, { added: 0, updated: 0, unchanged: 0 });
		fs.writeFileSync(file, whole);
		const second = runner.run({ paths: [root] });
		assert.equal(second.torn, 0);
		assert.deepEqual(second.sessions, { added: 1, updated: 0, unchanged: 0 });
		assert.equal(store.sessions.get(CONVERSATION)?.messages.length, 5);
		store.close();
	});

	void it('leaves a torn last line of a JSON Lines export for the next import', () => {
		const root = tempDir();
		fs.mkdirSync(path.join(root, 'otlp'));
		const file = path.join(root, 'otlp', 'spans.jsonl');
		const lines = fs.readFileSync(EXPORTS, 'utf8').split('\n');
		fs.writeFileSync(file, `${lines[0]}\n${lines[1].slice(0, 300)}`);
		const store = TraceStore.open(path.join(root, 'store.sqlite'));
		const runner = new ImportRunner(store, [otelImporter], noHome);
		const first = runner.run({ paths: [root] });
		assert.equal(first.torn, 1);
		assert.equal(store.sessions.get(LEGACY)?.messages.length, 3);
		fs.writeFileSync(file, lines.join('\n'));
		const second = runner.run({ paths: [root] });
		assert.equal(second.torn, 0);
		assert.deepEqual(second.sessions, { added: 1, updated: 1, unchanged: 0 });
		assert.equal(store.sessions.get(LEGACY)?.messages.length, 5);
		store.close();
	});
});

void describe('otel importer: through the import runner', () => {
	void it('imports the fixture folder and a second run changes nothing', () => {
		const root = tempDir();
		fs.cpSync(DIR, path.join(root, 'otel'), { recursive: true });
		const store = TraceStore.open(path.join(root, 'store.sqlite'));
		const runner = new ImportRunner(store, [otelImporter], noHome);
		const first = runner.run({ paths: [root] });
		assert.deepEqual(first.files, { scanned: 2, read: 2, unchanged: 0, rewritten: 0 });
		assert.equal(first.records, 1 + 3);
		assert.deepEqual(first.sessions, { added: 3, updated: 0, unchanged: 0 });
		assert.equal(first.messages, 5 + 5 + 2);
		assert.deepEqual(first.warnings, []);
		const second = runner.run({ paths: [root] });
		assert.deepEqual(second.files, { scanned: 2, read: 0, unchanged: 2, rewritten: 0 });
		assert.deepEqual(second.sessions, { added: 0, updated: 0, unchanged: 3 });
		store.close();
	});
});

void describe('otel importer: the Collector\'s file exporter', () => {
	// Its documented setup is `exporters: file: path: ./traces.json`, written as one line per batch.
	void it('reads JSON Lines under a .json name as they grow, keeping complete lines when the last is torn', () => {
		const root = tempDir();
		fs.mkdirSync(path.join(root, 'otel'));
		const file = path.join(root, 'otel', 'traces.json');
		const lines = fs.readFileSync(EXPORTS, 'utf8').trimEnd().split('\n');
		assert.equal(lines.length, 3);
		const store = TraceStore.open(path.join(root, 'store.sqlite'));
		const runner = new ImportRunner(store, [otelImporter], noHome);

		fs.writeFileSync(file, `${lines[0]}\n${lines[1].slice(0, 300)}`);
		const first = runner.run({ paths: [root] });
		assert.deepEqual([first.torn, first.records, first.malformed], [1, 1, 0]);
		assert.equal(store.sessions.get(LEGACY)?.messages.length, 3);

		fs.writeFileSync(file, `${lines.join('\n')}\nnot json at all\n`);
		const second = runner.run({ paths: [root] });
		assert.deepEqual([second.torn, second.records, second.malformed, second.files.rewritten], [0, 4, 1, 1]);
		assert.deepEqual(second.warnings, [{ file, line: 4, message: 'not valid JSON (expected one otel JSON record per line); line skipped and kept raw' }]);
		assert.deepEqual(second.sessions, { added: 1, updated: 1, unchanged: 0 });
		assert.equal(store.sessions.get(LEGACY)?.messages.length, 5);
		assert.equal(otelImporter.sniff(readHead(file)!), true, 'sniffed as OTLP by its first line');

		// The same sessions as the .jsonl export read line by line.
		const reference = TraceStore.open(path.join(tempDir(), 'store.sqlite'));
		new ImportRunner(reference, [otelImporter], noHome).run({ paths: [EXPORTS] });
		const placeless = (messages: Message[] | undefined) => messages?.map(({ source, ...m }) => ({ ...m, line: source?.line }));
		assert.deepEqual(placeless(store.sessions.get(LEGACY)?.messages), placeless(reference.sessions.get(LEGACY)?.messages));
		assert.equal(runner.run({ paths: [root] }).files.unchanged, 1, 'unchanged bytes are not read again');
		reference.close();
		store.close();
	});
});

void describe('otel importer: where and what', () => {
	void it('looks in <data dir>/otel on each platform', () => {
		assert.deepEqual(otelImporter.defaultRoots({ home: '/home/u', env: {}, platform: 'linux' }), ['/home/u/.local/share/tracemint/otel']);
		assert.deepEqual(otelImporter.defaultRoots({ home: '/Users/u', env: {}, platform: 'darwin' }), ['/Users/u/Library/Application Support/Tracemint/otel']);
		assert.deepEqual(otelImporter.defaultRoots({ home: 'C:\\Users\\u', env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, platform: 'win32' }), ['C:\\Users\\u\\AppData\\Roaming\\Tracemint\\otel']);
	});

	void it('takes *.otlp.json(l) anywhere and .json(l) under an otel or otlp folder, by layout', () => {
		assert.equal(otelImporter.isSessionFile('/w/run.otlp.json'), true);
		assert.equal(otelImporter.isSessionFile('/w/run.otlp.jsonl'), true);
		assert.equal(otelImporter.isSessionFile('/w/otel/spans.json'), true);
		assert.equal(otelImporter.isSessionFile('C:\\w\\OTLP\\spans.jsonl'), true);
		assert.equal(otelImporter.isSessionFile('/w/spans.json'), false);
		assert.equal(otelImporter.isSessionFile('/w/otel/spans.txt'), false);
		assert.equal(otelImporter.layoutOf(AGENT_RUN), 'json');
		assert.equal(otelImporter.layoutOf(EXPORTS), 'jsonl');
		assert.equal(otelImporter.groupKey(EXPORTS), DIR);
	});

	void it('sniffs OTLP trace exports and no other agent fixture', () => {
		assert.equal(otelImporter.sniff(readHead(AGENT_RUN)!), true);
		assert.equal(otelImporter.sniff(readHead(EXPORTS)!), true);
		assert.equal(otelImporter.sniff(valueHead({ resourceLogs: [] })), false);
		const others = filesUnder(FIXTURES, '').filter((f) => !f.startsWith(path.join(FIXTURES, 'otel')) && !f.endsWith('.md'));
		assert.ok(others.length >= 20);
		for (const file of others) {
			assert.equal(otelImporter.sniff(readHead(file)!), false, file);
		}
	});
});
