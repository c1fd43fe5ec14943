/**
 * Picks one conversation out of a session's `uuid`/`parentUuid` tree.
 *
 * The chain is walked from a leaf back to the root, never read in file order: rewinds and
 * edits leave sibling branches, and a resume can re-write history under a new root. Branches
 * that are not on the chosen chain are dropped on purpose (they are abandoned turns or copies),
 * except the side branches Claude Code creates within one turn, which are absorbed:
 * - a streamed response is written one content block per line, and the parallel tool calls of
 *   one response each get their result as a child of their own line, while the conversation
 *   continues from only one of those results, so sibling lines and results hang off the chain;
 * - hook and tool `progress` lines form side chains of their own.
 */
import type { ClaudeRecord } from './records';
import { asArray, asId, asObject, asString } from './json';
import { compareRecords, messageIdOf, messageOf, timeOf } from './records';

export interface Conversation {
	/** Root to leaf. */
	chain: ClaudeRecord[];
	/** Records of the same turns hanging off the chain (parallel lines, results, progress). */
	side: ClaudeRecord[];
}

export function selectConversation(records: ClaudeRecord[], summarizedLeaves: ReadonlySet<string>): Conversation {
	const byUuid = new Map<string, ClaudeRecord>();
	for (const record of records) {
		if (record.uuid !== undefined && !byUuid.has(record.uuid)) {
			byUuid.set(record.uuid, record);
		}
	}
	const children = childrenOf(byUuid);
	const leaf = pickLeaf(byUuid, children, summarizedLeaves);
	if (!leaf) {
		return { chain: [], side: [] };
	}
	const chain = walkToRoot(leaf, byUuid);
	return { chain, side: absorbSideBranches(chain, children) };
}

function childrenOf(byUuid: Map<string, ClaudeRecord>): Map<string, ClaudeRecord[]> {
	const children = new Map<string, ClaudeRecord[]>();
	for (const record of byUuid.values()) {
		const parent = parentOf(record, byUuid);
		if (parent) {
			const list = children.get(parent.uuid!) ?? [];
			list.push(record);
			children.set(parent.uuid!, list);
		}
	}
	for (const list of children.values()) {
		list.sort(compareRecords);
	}
	return children;
}

/**
 * The parent in the tree. A compact_boundary starts a new root (`parentUuid: null`) but names
 * the last record before the compaction in `logicalParentUuid`; the history continues through it.
 */
function parentOf(record: ClaudeRecord, byUuid: Map<string, ClaudeRecord>): ClaudeRecord | undefined {
	const lookup = (uuid: string | undefined): ClaudeRecord | undefined => (uuid === undefined ? undefined : byUuid.get(uuid));
	const parent = lookup(record.parentUuid) ?? lookup(asId(record.value.logicalParentUuid));
	return parent === record ? undefined : parent;
}

/**
 * The conversation's end: the leaf with the latest timestamp. A leaf that is a `progress`
 * line (a hook, a background agent still reporting) stands for its nearest real ancestor, so
 * that late progress of a background task cannot cut the conversation short. On a tie, a leaf a
 * summary names wins, then the later line. Preferring summarized leaves over later ones would
 * pick an old branch: a summary is written for a leaf that the session may have left since.
 */
function pickLeaf(byUuid: Map<string, ClaudeRecord>, children: Map<string, ClaudeRecord[]>, summarizedLeaves: ReadonlySet<string>): ClaudeRecord | undefined {
	let best: ClaudeRecord | undefined;
	for (const record of byUuid.values()) {
		if (children.has(record.uuid!)) {
			continue;
		}
		const candidate = nearestConversational(record, byUuid);
		if (candidate && (!best || compareLeaves(candidate, best, summarizedLeaves) > 0)) {
			best = candidate;
		}
	}
	return best;
}

function nearestConversational(record: ClaudeRecord, byUuid: Map<string, ClaudeRecord>): ClaudeRecord | undefined {
	const seen = new Set<ClaudeRecord>();
	let current: ClaudeRecord | undefined = record;
	while (current && current.type === 'progress' && !seen.has(current)) {
		seen.add(current);
		current = parentOf(current, byUuid);
	}
	return current?.type === 'progress' ? undefined : current;
}

function compareLeaves(a: ClaudeRecord, b: ClaudeRecord, summarizedLeaves: ReadonlySet<string>): number {
	const byTime = timeOf(a) - timeOf(b);
	if (byTime !== 0 && !Number.isNaN(byTime)) {
		return byTime;
	}
	const named = Number(summarizedLeaves.has(a.uuid!)) - Number(summarizedLeaves.has(b.uuid!));
	return named !== 0 ? named : compareRecords(a, b);
}

function walkToRoot(leaf: ClaudeRecord, byUuid: Map<string, ClaudeRecord>): ClaudeRecord[] {
	const chain: ClaudeRecord[] = [];
	const seen = new Set<ClaudeRecord>();
	let current: ClaudeRecord | undefined = leaf;
	while (current && !seen.has(current)) {
		seen.add(current);
		chain.push(current);
		current = parentOf(current, byUuid);
	}
	return chain.reverse();
}

/**
 * Side branches of the chain's own turns: lines of a response already on the chain, user lines
 * made only of tool results, and progress lines, reached from the chain through such records
 * only. A sibling that carries new human text or a new response is a rewind and stays out.
 */
function absorbSideBranches(chain: ClaudeRecord[], children: Map<string, ClaudeRecord[]>): ClaudeRecord[] {
	const onChain = new Set(chain);
	const responses = new Set(chain.map(messageIdOf).filter((id) => id !== undefined));
	const side: ClaudeRecord[] = [];
	const taken = new Set<ClaudeRecord>();
	const queue = [...chain];
	while (queue.length > 0) {
		const parent = queue.shift()!;
		for (const child of children.get(parent.uuid!) ?? []) {
			if (onChain.has(child) || taken.has(child) || !belongsToTurn(child, responses)) {
				continue;
			}
			taken.add(child);
			side.push(child);
			queue.push(child);
		}
	}
	return side.sort(compareRecords);
}

function belongsToTurn(record: ClaudeRecord, responses: ReadonlySet<string>): boolean {
	if (record.type === 'progress') {
		return true;
	}
	if (record.type === 'assistant') {
		const id = messageIdOf(record);
		return id !== undefined && responses.has(id);
	}
	return record.type === 'user' && isToolResultsOnly(record);
}

export function isToolResultsOnly(record: ClaudeRecord): boolean {
	const blocks = asArray(messageOf(record)?.content);
	return blocks.length > 0 && blocks.every((block) => asString(asObject(block)?.type) === 'tool_result');
}

