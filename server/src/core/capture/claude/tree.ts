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
import type { ImportWarning } from '../importer';
import { asArray, asId, asObject, asString } from '../json';
import { compareRecords, messageIdOf, messageOf, timeOf, type ClaudeRecord } from './records';

export interface Conversation {
	/** Root to leaf. */
	chain: ClaudeRecord[];
	/** Records of the same turns hanging off the chain (parallel lines, results, progress). */
	side: ClaudeRecord[];
}

interface Tree {
	parents: Map<ClaudeRecord, ClaudeRecord>;
	children: Map<ClaudeRecord, ClaudeRecord[]>;
}

export function selectConversation(records: ClaudeRecord[], summarizedLeaves: ReadonlySet<string>, warnings: ImportWarning[]): Conversation {
	const tree = treeOf(records, warnings);
	const leaf = pickLeaf(records, tree, summarizedLeaves);
	if (!leaf) {
		return { chain: [], side: [] };
	}
	const chain = walkToRoot(leaf, tree);
	return { chain, side: absorbSideBranches(chain, tree) };
}

/**
 * Parent links. A compact_boundary starts a new root (`parentUuid: null`) but names the last
 * record before the compaction in `logicalParentUuid`; the history continues through it.
 * A parent that is named but absent (a malformed line, a torn write before a crash) is bridged
 * to the previous record of the same file, so one bad line does not cut the history off. A
 * file's first record may name a parent elsewhere (a /compact transcript starts in its parent
 * session): that record stays a root.
 */
function treeOf(records: ClaudeRecord[], warnings: ImportWarning[]): Tree {
	const byUuid = new Map<string, ClaudeRecord>();
	const linked = [...records].filter((r) => r.uuid !== undefined).sort(compareRecords);
	for (const record of linked) {
		byUuid.set(record.uuid!, record);
	}
	const lookup = (uuid: string | undefined): ClaudeRecord | undefined => (uuid === undefined ? undefined : byUuid.get(uuid));
	const parents = new Map<ClaudeRecord, ClaudeRecord>();
	const children = new Map<ClaudeRecord, ClaudeRecord[]>();
	let previous: ClaudeRecord | undefined;
	for (const record of linked) {
		const inFile = previous?.file === record.file ? previous : undefined;
		let parent = lookup(record.parentUuid) ?? lookup(asId(record.value.logicalParentUuid));
		if (!parent && record.parentUuid !== undefined && inFile) {
			parent = inFile;
			warnings.push({ file: record.file, line: record.line, message: `parent record ${record.parentUuid} is missing (malformed or removed line?); continued from the previous record` });
		}
		previous = record;
		if (!parent || parent === record) {
			continue;
		}
		parents.set(record, parent);
		const siblings = children.get(parent);
		if (siblings) {
			siblings.push(record);
		} else {
			children.set(parent, [record]);
		}
	}
	return { parents, children };
}

/**
 * The conversation's end: the leaf with the latest timestamp. A leaf that is a `progress`
 * line (a hook, a background agent still reporting) stands for its nearest real ancestor, so
 * that late progress of a background task cannot cut the conversation short. On a tie, a leaf a
 * summary names wins, then the later line. Preferring summarized leaves over later ones would
 * pick an old branch: a summary is written for a leaf that the session may have left since.
 */
function pickLeaf(records: ClaudeRecord[], tree: Tree, summarizedLeaves: ReadonlySet<string>): ClaudeRecord | undefined {
	let best: ClaudeRecord | undefined;
	for (const record of records) {
		if (record.uuid === undefined || tree.children.has(record)) {
			continue;
		}
		const candidate = nearestConversational(record, tree);
		if (candidate && (!best || compareLeaves(candidate, best, summarizedLeaves) > 0)) {
			best = candidate;
		}
	}
	return best;
}

function nearestConversational(record: ClaudeRecord, tree: Tree): ClaudeRecord | undefined {
	const seen = new Set<ClaudeRecord>();
	let current: ClaudeRecord | undefined = record;
	while (current && current.type === 'progress' && !seen.has(current)) {
		seen.add(current);
		current = tree.parents.get(current);
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

/** Corrupt links could loop; the walk stops at the first record it meets twice. */
function walkToRoot(leaf: ClaudeRecord, tree: Tree): ClaudeRecord[] {
	const chain: ClaudeRecord[] = [];
	const seen = new Set<ClaudeRecord>();
	let current: ClaudeRecord | undefined = leaf;
	while (current && !seen.has(current)) {
		seen.add(current);
		chain.push(current);
		current = tree.parents.get(current);
	}
	return chain.reverse();
}

/**
 * Side branches of the chain's own turns: lines of a response already on the chain, user lines
 * made only of tool results, and progress lines, reached from the chain through such records
 * only. A sibling that carries new human text or a new response is a rewind and stays out.
 */
function absorbSideBranches(chain: ClaudeRecord[], tree: Tree): ClaudeRecord[] {
	const onChain = new Set(chain);
	const responses = new Set(chain.map(messageIdOf).filter((id) => id !== undefined));
	const side: ClaudeRecord[] = [];
	const taken = new Set<ClaudeRecord>();
	const queue = [...chain];
	for (let next = 0; next < queue.length; next++) {
		const parent = queue[next]!;
		for (const child of tree.children.get(parent) ?? []) {
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

function isToolResultsOnly(record: ClaudeRecord): boolean {
	const blocks = asArray(messageOf(record)?.content);
	return blocks.length > 0 && blocks.every((block) => asString(asObject(block)?.type) === 'tool_result');
}

