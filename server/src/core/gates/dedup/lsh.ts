/**
 * Near-duplicate clusters by locality-sensitive hashing: each signature is cut into bands of rows;
 * sessions that agree on a whole band become candidates, a candidate pair counts only if the
 * signatures' Jaccard estimate reaches the threshold, and clusters are the connected components
 * (single linkage: A~B and B~C put A, B and C together, which is what keeping splits apart needs).
 * Work is about n · bands plus the verified candidates, not n².
 */
import { compareIds } from '../compareIds';
import { UnionFind } from '../unionFind';
import { estimateJaccard, hashInts, PERMUTATIONS } from './minhash';

export interface LshParameters { bands: number; rows: number }
export interface MinhashItem { id: string; minhash: readonly number[] }

/** Pairs at the threshold become candidates with at least this probability. */
const TARGET_RECALL = 0.99;
const BAND_SEED = 0x3c6e_f372;

/** Chance that a pair of true similarity s agrees on at least one band: 1 - (1 - s^rows)^bands. */
export function candidateProbability(similarity: number, { bands, rows }: LshParameters): number {
	return 1 - (1 - similarity ** rows) ** bands;
}

/**
 * The most rows per band (fewest chance candidates) for which pairs at the threshold are still
 * found with TARGET_RECALL; bands = ⌊permutations / rows⌋. E.g. at 128 permutations: 0.8 → 21×6,
 * 0.85 → 16×8, 0.9 → 12×10.
 */
export function lshParameters(threshold: number, permutations = PERMUTATIONS): LshParameters {
	let chosen: LshParameters = { bands: permutations, rows: 1 };
	for (let rows = 1; rows <= permutations; rows++) {
		const candidate = { bands: Math.floor(permutations / rows), rows };
		if (candidateProbability(threshold, candidate) >= TARGET_RECALL) {
			chosen = candidate;
		}
	}
	return chosen;
}

/** Clusters of two or more near duplicates, ids ascending within each, clusters ordered by their first id; input order does not matter. */
export function nearDuplicateClusters(items: readonly MinhashItem[], threshold: number): string[][] {
	if (items.length < 2) {
		return [];
	}
	const sorted = [...items].sort((a, b) => compareIds(a.id, b.id));
	const length = sorted[0].minhash.length;
	const bad = sorted.find((item) => item.minhash.length !== length);
	if (bad) {
		throw new Error(`MinHash signature of ${bad.id} has ${bad.minhash.length} values, others have ${length}.`);
	}
	const { bands, rows } = lshParameters(threshold, length);
	const sets = new UnionFind(sorted.length);
	const similar = (a: number, b: number) => estimateJaccard(sorted[a].minhash, sorted[b].minhash) >= threshold;
	for (let band = 0; band < bands; band++) {
		const buckets = new Map<number, number[]>();
		for (let i = 0; i < sorted.length; i++) {
			// A 32-bit key per band; a chance collision only adds a candidate that verification drops.
			const key = hashInts(sorted[i].minhash, band * rows, (band + 1) * rows, BAND_SEED + band);
			const bucket = buckets.get(key);
			if (bucket) {
				bucket.push(i);
			} else {
				buckets.set(key, [i]);
			}
		}
		for (const bucket of buckets.values()) {
			if (bucket.length > 1) {
				joinBucket(bucket, sets, similar);
			}
		}
	}
	return sets.groups()
		.map((members) => members.map((i) => sorted[i].id))
		.sort((a, b) => compareIds(a[0], b[0]));
}

/**
 * Joins every verified pair of one bucket. The bucket's members are kept in groups of one set
 * each, and a newcomer is compared with a group only until one member matches, so a bucket of
 * mutual near duplicates costs about one comparison per member rather than one per pair.
 */
function joinBucket(bucket: readonly number[], sets: UnionFind, similar: (a: number, b: number) => boolean): void {
	let groups: number[][] = [];
	for (const x of bucket) {
		let home: number[] | undefined;
		const apart: number[][] = [];
		for (const group of groups) {
			if (sets.find(group[0]) === sets.find(x) || group.some((y) => similar(x, y))) {
				sets.union(x, group[0]);
				if (home) {
					// Two groups of this bucket just became one set: fold the smaller into the larger.
					const [big, small] = home.length >= group.length ? [home, group] : [group, home];
					for (const y of small) {
						big.push(y);
					}
					home = big;
				} else {
					home = group;
				}
			} else {
				apart.push(group);
			}
		}
		if (home) {
			home.push(x);
			apart.push(home);
		} else {
			apart.push([x]);
		}
		groups = apart;
	}
}
