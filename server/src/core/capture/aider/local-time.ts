/**
 * Aider stamps runs and prompts with Python's `datetime.now()`: the writing machine's local wall
 * clock, with no zone. The zone is not in the log, so it is read in the importing machine's zone,
 * which is the writing machine's whenever a person imports their own repositories (the live case).
 * Ids never use the converted value, only the raw text, so they stay stable whatever the zone.
 */
const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/** `2025-12-03 14:44:06.503685` as UTC ISO, or undefined when it is not such a timestamp. */
export function wallClockToIso(text: string): string | undefined {
	const match = WALL_CLOCK.exec(text.trim());
	if (match === null) {
		return undefined;
	}
	const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
	const millis = match[7] === undefined ? 0 : Math.trunc(Number(match[7].padEnd(6, '0')) / 1000);
	const date = new Date(year, month - 1, day, hour, minute, second, millis);
	// Date rolls invalid fields over (month 13, day 32); such a stamp is not one Aider wrote.
	if (Number.isNaN(date.getTime()) || date.getMonth() !== month - 1 || date.getDate() !== day) {
		return undefined;
	}
	return date.toISOString();
}
