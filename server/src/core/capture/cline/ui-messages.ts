/**
 * Reads `ui_messages.json`, the chat the extension shows: `{ts, type: "say"|"ask", say|ask, text,
 * conversationHistoryIndex, modelInfo, ...}` rows. It is not the transcript (the API history is);
 * it supplies times (`ts`, epoch ms) and token usage: each `api_req_started` row's `text` is a
 * JSON string `{request, tokensIn, tokensOut, cacheWrites, cacheReads, cost}`.
 */
import { emptyUsage, type TokenUsage } from '../../../../../shared/model';
import type { ImportWarning } from '../importer';
import { asCount, asNumber, asObject, asString, asText, parseJson } from '../json';
import { arrayElementLines } from '../elementLines';
import { addUsage } from '../canonical';

export interface UiRow {
	ts: number;
	/** The `say` or `ask` kind. */
	kind: string;
	/** Cline: the index of the last API message when the row was written. */
	historyIndex?: number;
	model?: string;
}

export interface ApiRequest {
	ts: number;
	historyIndex?: number;
	usage: TokenUsage;
}

export interface UiRead {
	rows: UiRow[];
	requests: ApiRequest[];
	/** Usage of requests whose rows were folded away when history was deleted or truncated. */
	deletedUsage: TokenUsage;
	warnings: ImportWarning[];
}

/** Rows written when a task is reopened, not when anything happens in it (Roo leaves them out of a task's time too). */
const REOPEN_ASKS = new Set(['resume_task', 'resume_completed_task']);
/** Rows that hold the usage of API requests removed from the chat. */
const DELETED_REQUESTS = new Set(['deleted_api_reqs', 'api_req_deleted']);

export function readUiMessages(value: unknown, text: string, file: string): UiRead {
	const read: UiRead = { rows: [], requests: [], deletedUsage: emptyUsage(), warnings: [] };
	if (!Array.isArray(value)) {
		read.warnings.push({ file, line: 1, message: 'not a list of UI messages (expected a JSON array of {ts, type, say|ask} rows); file skipped' });
		return read;
	}
	const lines = arrayElementLines(text, 'messages');
	let malformed: { count: number; line: number } | undefined;
	value.forEach((element, index) => {
		const line = lines[index] ?? 1;
		const row = asObject(element);
		const ts = asNumber(row?.ts);
		const type = asString(row?.type);
		const kind = asString(type === 'ask' ? row?.ask : row?.say);
		if (row === undefined || ts === undefined || (type !== 'say' && type !== 'ask') || kind === undefined) {
			malformed = { count: (malformed?.count ?? 0) + 1, line: malformed?.line ?? line };
			return;
		}
		const historyIndex = asNumber(row.conversationHistoryIndex);
		const model = asText(asObject(row.modelInfo)?.modelId);
		read.rows.push({ ts, kind, ...(historyIndex === undefined ? {} : { historyIndex }), ...(model === undefined ? {} : { model }) });
		if (type === 'say' && (kind === 'api_req_started' || DELETED_REQUESTS.has(kind))) {
			const usage = requestUsage(row.text);
			if (usage === undefined) {
				read.warnings.push({ file, line, message: `${kind} row (ts ${ts}) has text that is not a JSON object (expected {tokensIn, tokensOut, cacheReads, cacheWrites}); its usage is not counted` });
			} else if (kind === 'api_req_started') {
				read.requests.push({ ts, ...(historyIndex === undefined ? {} : { historyIndex }), usage });
			} else {
				read.deletedUsage = addUsage(read.deletedUsage, usage);
			}
		}
	});
	if (malformed !== undefined) {
		read.warnings.push({ file, line: malformed.line, message: `skipped ${malformed.count} UI row(s) without {ts: number, type: "say"|"ask", say|ask} (first at this line)` });
	}
	return read;
}

function requestUsage(text: unknown): TokenUsage | undefined {
	const info = asObject(parseJson(asString(text) ?? ''));
	if (info === undefined) {
		return undefined;
	}
	return {
		input_tokens: asCount(info.tokensIn),
		output_tokens: asCount(info.tokensOut),
		cache_read_tokens: asCount(info.cacheReads),
		cache_creation_tokens: asCount(info.cacheWrites),
		reasoning_tokens: 0,
	};
}

/** First and last activity; a reopened task's resume prompt is not activity. */
export function activitySpan(rows: readonly UiRow[]): { first?: number; last?: number } {
	let first: number | undefined;
	let last: number | undefined;
	for (const row of rows) {
		if (REOPEN_ASKS.has(row.kind)) {
			continue;
		}
		first = first === undefined || row.ts < first ? row.ts : first;
		last = last === undefined || row.ts > last ? row.ts : last;
	}
	return { first, last };
}
