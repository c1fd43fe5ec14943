/** Plain-text tables for the bench output: one title line, a header, aligned columns. */
export type Cell = string | number;

export function printTable(title: string, header: readonly string[], rows: readonly (readonly Cell[])[], notes: readonly string[] = []): void {
	const cells = [header, ...rows].map((row) => row.map(String));
	const widths = header.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? '').length)));
	const line = (row: readonly string[]): string => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
	console.log(`\n${title}`);
	console.log(line(cells[0]));
	console.log(widths.map((w) => '-'.repeat(w)).join('  '));
	for (const row of cells.slice(1)) console.log(line(row));
	for (const note of notes) console.log(`  ${note}`);
}

/** Two-column rows, as the import bench has always printed them. */
export function printPairs(title: string, rows: readonly (readonly [string, string])[]): void {
	console.log(`\n${title}`);
	for (const [name, value] of rows) console.log(`${name.padEnd(32)} ${value}`);
}

export const mb = (bytes: number): number => bytes / (1024 * 1024);
export const fmt = (n: number, digits = 1): string => n.toFixed(digits);
export const pct = (part: number, whole: number): string => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}%`);

export function time<T>(fn: () => T): { ms: number; value: T } {
	const start = process.hrtime.bigint();
	const value = fn();
	return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

export async function timeAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
	const start = process.hrtime.bigint();
	const value = await fn();
	return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

export function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
