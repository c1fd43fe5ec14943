/**
 * The rows of one `state.vscdb` to one session per composer (`cursor:<composerId>`). A composer
 * lists its bubbles in order in `fullConversationHeadersOnly[{bubbleId, type}]` and each bubble
 * is its own row; older builds keep the bubbles inline in `conversation[]`. Composers without
 * any message (opened and closed) give no session.
 */
import { MODEL_SCHEMA_VERSION, type SessionInput } from '../../../../../shared/model';
import { isoFromMillis, modelsOf, pairToolResults, pathFromUri, timeBounds, titleFrom, totalUsage } from '../canonical';
import type { ImportWarning, RawFile, RawRecord } from '../importer';
import { asArray, asObject, asString, asText, isoTimestamp, type JsonObject } from '../json';
import { BubbleReader, type BubbleRef } from './bubbles';
import { BUBBLE_PREFIX, COMPOSER_PREFIX } from './database';

export const AGENT = 'cursor';

interface Row {
	value: JsonObject;
	line: number;
}

interface Rows {
	composers: Map<string, Row>;
	/** By composer id, then bubble id. */
	bubbles: Map<string, Map<string, Row>>;
}

export function readComposers(file: RawFile, parserVersion: number, warnings: ImportWarning[]): SessionInput[] {
	const warn = (line: number | undefined, message: string): void => {
		warnings.push(line === undefined ? { file: file.path, message } : { file: file.path, line, message });
	};
	const rows = sortRows(file.records, warn);
	const sessions: SessionInput[] = [];
	for (const [composerId, composer] of rows.composers) {
		const bubbles = rows.bubbles.get(composerId) ?? new Map<string, Row>();
		const session = buildSession(file.path, composerId, composer, bubbles, parserVersion, warnings, warn);
		if (session !== undefined) {
			sessions.push(session);
		}
	}
	for (const [composerId, bubbles] of rows.bubbles) {
		if (!rows.composers.has(composerId)) {
			const first = Math.min(...[...bubbles.values()].map((row) => row.line));
			warn(first, `${bubbles.size} bubble row(s) of composer ${composerId} have no ${COMPOSER_PREFIX}${composerId} row; not imported`);
		}
	}
	return sessions;
}

function sortRows(records: readonly RawRecord[], warn: (line: number | undefined, message: string) => void): Rows {
	const rows: Rows = { composers: new Map(), bubbles: new Map() };
	for (const record of records) {
		const row = asObject(record.value);
		const key = asString(row?.key);
		if (row === undefined || key === undefined) {
			warn(record.line, 'expected a cursorDiskKV row {key, value}; skipped');
			continue;
		}
		if (row.value === null) {
			continue; // Cursor leaves JSON null in rows it cleared
		}
		const value = asObject(row.value);
		if (value === undefined) {
			warn(record.line, `row ${key} does not hold a JSON object (expected a Cursor ${key.startsWith(COMPOSER_PREFIX) ? 'composer' : 'bubble'}); skipped`);
			continue;
		}
		if (key.startsWith(COMPOSER_PREFIX)) {
			rows.composers.set(key.slice(COMPOSER_PREFIX.length), { value, line: record.line });
			continue;
		}
		const rest = key.startsWith(BUBBLE_PREFIX) ? key.slice(BUBBLE_PREFIX.length) : '';
		const colon = rest.indexOf(':');
		if (colon <= 0 || colon === rest.length - 1) {
			warn(record.line, `row ${key} is not named bubbleId:<composerId>:<bubbleId>; skipped`);
			continue;
		}
		const composerId = rest.slice(0, colon);
		let bubbles = rows.bubbles.get(composerId);
		if (bubbles === undefined) {
			bubbles = new Map();
			rows.bubbles.set(composerId, bubbles);
		}
		bubbles.set(rest.slice(colon + 1), { value, line: record.line });
	}
	return rows;
}

function buildSession(
	file: string, composerId: string, composer: Row, bubbleRows: ReadonlyMap<string, Row>, parserVersion: number,
	warnings: ImportWarning[], warn: (line: number | undefined, message: string) => void,
): SessionInput | undefined {
	const id = `${AGENT}:${composerId}`;
	const modelName = asText(asObject(composer.value.modelConfig)?.modelName);
	// "default" is Cursor's automatic model choice, not a model name.
	const model = modelName === 'default' ? undefined : modelName;
	const reader = new BubbleReader(file, id, model, warnings);
	for (const bubble of orderedBubbles(composerId, composer, bubbleRows, warn)) {
		reader.read(bubble);
	}
	reader.finish();
	if (reader.messages.length === 0) {
		return undefined;
	}
	const messages = pairToolResults(reader.messages, warnings);
	const { model: mainModel, models } = modelsOf(messages);
	const bounds = timeBounds(messages.map((m) => m.timestamp));
	return {
		schema_version: MODEL_SCHEMA_VERSION,
		id,
		agent: AGENT,
		agent_version: null,
		parser_version: parserVersion,
		title: asText(composer.value.name) ?? titleFrom(messages),
		source_files: [file],
		cwd: reader.workspaceUri === undefined ? null : pathFromUri(reader.workspaceUri),
		git_branch: asText(composer.value.createdOnBranch) ?? null,
		git_commit: null,
		repository_url: null,
		model: mainModel,
		models,
		started_at: timeOf(composer.value.createdAt) ?? bounds.first ?? null,
		ended_at: timeOf(composer.value.lastUpdatedAt) ?? bounds.last ?? null,
		usage: totalUsage(messages),
		parent_session_id: null,
		parent_tool_call_id: null,
		subagent_type: null,
		messages,
	};
}

/** The composer's bubbles in conversation order; bubbles it does not list are reported. */
function orderedBubbles(composerId: string, composer: Row, rows: ReadonlyMap<string, Row>, warn: (line: number | undefined, message: string) => void): BubbleRef[] {
	const headers = asArray(composer.value.fullConversationHeadersOnly);
	if (headers.length === 0) {
		// Older builds: the bubbles inline, on the composer's own row.
		return asArray(composer.value.conversation).flatMap((item, index) => {
			const value = asObject(item);
			return value === undefined ? [] : [{ value, line: composer.line, bubbleId: asText(value.bubbleId) ?? `${index}` }];
		});
	}
	const inline = asObject(composer.value.conversationMap);
	const listed = new Set<string>();
	const bubbles: BubbleRef[] = [];
	for (const header of headers) {
		const bubbleId = asText(asObject(header)?.bubbleId);
		if (bubbleId === undefined) {
			warn(composer.line, `composer ${composerId} lists a bubble header without bubbleId; skipped`);
			continue;
		}
		listed.add(bubbleId);
		const row = rows.get(bubbleId);
		const value = row?.value ?? asObject(inline?.[bubbleId]);
		if (value === undefined) {
			warn(composer.line, `bubble ${bubbleId} listed by composer ${composerId} is missing (expected row ${BUBBLE_PREFIX}${composerId}:${bubbleId}); skipped`);
			continue;
		}
		bubbles.push({ value, line: row?.line ?? composer.line, bubbleId });
	}
	const unlisted = [...rows.entries()].filter(([bubbleId]) => !listed.has(bubbleId));
	if (unlisted.length > 0) {
		warn(Math.min(...unlisted.map(([, row]) => row.line)), `${unlisted.length} bubble row(s) of composer ${composerId} are not in its conversation (edited or discarded turns?); not imported`);
	}
	return bubbles;
}

/** Composer times are epoch milliseconds; ISO strings are accepted too. */
function timeOf(value: unknown): string | undefined {
	return typeof value === 'number' ? isoFromMillis(value) : isoTimestamp(value);
}
