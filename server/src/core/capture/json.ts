/** Narrowing helpers shared by the importers: agent logs are untyped JSON, read defensively, never trusted. */
export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | undefined {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function asString(value: unknown): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

/** A non-empty string, or undefined (agents write `""` for "none", e.g. Claude Code's gitBranch outside git). */
export function asId(value: unknown): string | undefined {
	return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** A string with visible content, or undefined. */
export function asText(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim().length > 0 ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A positive whole count (token numbers), 0 for anything else. */
export function asCount(value: unknown): number {
	return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.trunc(value) : 0;
}

export function asArray(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [];
}

export function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

/** Normalises a parseable timestamp to UTC ISO; anything else is dropped. */
export function isoTimestamp(value: unknown): string | undefined {
	if (typeof value !== 'string') {
		return undefined;
	}
	const ms = Date.parse(value);
	return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
