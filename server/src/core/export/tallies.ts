/** Counts by reason or rule, as the export's reports and manifest write them. */

export function bump(record: Record<string, number>, key: string, by = 1): void {
	record[key] = (record[key] ?? 0) + by;
}

/** Keys in order, so reports and schemas read the same on every run. */
export function sortedByKey<T>(record: Record<string, T>): Record<string, T> {
	return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
