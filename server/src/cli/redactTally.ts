/** Counts replaced values per rule for the stderr report; holds rule ids and numbers only, never values. */
export class RedactionTally {
	private readonly byRule = new Map<string, number>();
	total = 0;

	add(findings: readonly { ruleId: string }[]): void {
		for (const f of findings) this.byRule.set(f.ruleId, (this.byRule.get(f.ruleId) ?? 0) + 1);
		this.total += findings.length;
	}

	toJSON(): Record<string, number> {
		return Object.fromEntries(this.sorted());
	}

	/** `3 values (github-pat 2, email-address 1)` */
	describe(): string {
		const rules = this.sorted().map(([id, n]) => `${id} ${n}`).join(', ');
		return `${this.total} value${this.total === 1 ? '' : 's'}${rules ? ` (${rules})` : ''}`;
	}

	/** Most frequent first, then by id, so the report reads the same on every run. */
	private sorted(): [string, number][] {
		return [...this.byRule].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
	}
}
