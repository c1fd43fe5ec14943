/** Disjoint sets over 0..n-1 with path halving and union by size: near-constant time per operation. */
export class UnionFind {
	private readonly parent: Int32Array;
	private readonly size: Int32Array;

	constructor(n: number) {
		this.parent = Int32Array.from({ length: n }, (_, i) => i);
		this.size = new Int32Array(n).fill(1);
	}

	find(x: number): number {
		while (this.parent[x] !== x) {
			this.parent[x] = this.parent[this.parent[x]];
			x = this.parent[x];
		}
		return x;
	}

	/** Returns whether the two were in different sets. */
	union(a: number, b: number): boolean {
		let ra = this.find(a);
		let rb = this.find(b);
		if (ra === rb) {
			return false;
		}
		if (this.size[ra] < this.size[rb]) {
			[ra, rb] = [rb, ra];
		}
		this.parent[rb] = ra;
		this.size[ra] += this.size[rb];
		return true;
	}

	/** The members of each set of more than one, each list ascending. */
	groups(): number[][] {
		const byRoot = new Map<number, number[]>();
		for (let i = 0; i < this.parent.length; i++) {
			const root = this.find(i);
			const members = byRoot.get(root);
			if (members) {
				members.push(i);
			} else {
				byRoot.set(root, [i]);
			}
		}
		return [...byRoot.values()].filter((g) => g.length > 1);
	}
}
