/** Session-level facts derived from all of a session's records: title, versions, models, usage. */
import { emptyUsage, type MessageInput, type TokenUsage } from '../../../../../shared/model';
import { asId, asString } from '../json';
import { SYNTHETIC_MODEL, usageOf } from './messages';
import { compareRecords, messageIdOf, messageOf, timeOf, type ClaudeRecord, type RecordFile } from './records';
import type { Conversation } from './tree';

const TITLE_MAX = 80;

/** `summary` lines title the conversation whose last record is `leafUuid`, often in another file. */
export function summaryTitles(files: RecordFile[]): Map<string, ClaudeRecord> {
	const titles = new Map<string, ClaudeRecord>();
	for (const file of files) {
		const fromFile = new Map<string, ClaudeRecord>();
		for (const record of file.records) {
			const leaf = asId(record.value.leafUuid);
			if (record.type === 'summary' && leaf !== undefined && asId(record.value.summary) !== undefined) {
				fromFile.set(leaf, record); // a later summary in a file replaces an earlier one
			}
		}
		for (const [leaf, record] of fromFile) {
			if (!titles.has(leaf)) {
				titles.set(leaf, record); // the preferred file's summary wins
			}
		}
	}
	return titles;
}

/** The latest non-empty value of a string field (the CLI can be upgraded, the branch switched). */
export function lastValue(timed: ClaudeRecord[], key: string): string | undefined {
	for (let i = timed.length - 1; i >= 0; i--) {
		const value = asId(timed[i]!.value[key]);
		if (value !== undefined) {
			return value;
		}
	}
	return undefined;
}

/** The summary of the latest record of this conversation that has one. */
export function summaryFor(conversation: Conversation, titles: Map<string, ClaudeRecord>): ClaudeRecord | undefined {
	for (const record of [...conversation.chain].reverse().concat(conversation.side)) {
		const summary = record.uuid === undefined ? undefined : titles.get(record.uuid);
		if (summary) {
			return summary;
		}
	}
	return undefined;
}

export function firstHumanTitle(messages: MessageInput[]): string | null {
	const first = messages.find((m) => m.role === 'user' && (m.context ?? null) === null && m.content.trim().length > 0);
	return first ? titleOf(first.content) : null;
}

/** First non-empty line, whitespace collapsed, at most TITLE_MAX characters. */
export function titleOf(text: string): string | null {
	const line = text.split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).find((l) => l.length > 0);
	if (line === undefined) {
		return null;
	}
	const chars = [...line];
	return chars.length <= TITLE_MAX ? line : `${chars.slice(0, TITLE_MAX - 1).join('')}…`;
}

/**
 * Session-level model and usage count every response of the session once (by message id),
 * including responses on abandoned branches: those calls were made and paid for.
 */
export function modelsAndUsage(records: ClaudeRecord[]): { model: string | null; models: string[]; usage: TokenUsage } {
	const responses = new Map<string, { model: string | undefined; usage: TokenUsage | undefined; first: ClaudeRecord }>();
	for (const record of records) {
		const id = messageIdOf(record);
		if (id === undefined) {
			continue;
		}
		const known = responses.get(id);
		const model = asString(messageOf(record)?.model);
		const usage = usageOf(record);
		responses.set(id, {
			model: model ?? known?.model,
			usage: usage ?? known?.usage,
			first: known && timeOf(known.first) <= timeOf(record) ? known.first : record,
		});
	}
	const ordered = [...responses.values()].sort((a, b) => timeOf(a.first) - timeOf(b.first) || compareRecords(a.first, b.first));
	const counts = new Map<string, number>();
	const usage = emptyUsage();
	for (const response of ordered) {
		if (response.model !== undefined && response.model !== SYNTHETIC_MODEL) {
			counts.set(response.model, (counts.get(response.model) ?? 0) + 1);
		}
		if (response.usage) {
			usage.input_tokens += response.usage.input_tokens;
			usage.output_tokens += response.usage.output_tokens;
			usage.cache_read_tokens += response.usage.cache_read_tokens;
			usage.cache_creation_tokens += response.usage.cache_creation_tokens;
		}
	}
	const models = [...counts.keys()];
	let model: string | null = null;
	for (const candidate of models) {
		if (model === null || counts.get(candidate)! > counts.get(model)!) {
			model = candidate; // first used wins a tie
		}
	}
	return { model, models, usage };
}
