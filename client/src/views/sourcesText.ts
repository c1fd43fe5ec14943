/**
 * Texts of the "Sources" view, pure so the unit tests cover them: one line per agent saying
 * whether it is found, watched and how many sessions came from it, and a tooltip with the rest.
 */
import type { AgentId } from '../../../shared/model';
import type { SourceStatus } from '../../../shared/protocol';
import { formatDate, plural } from '../text';

type LocationState = SourceStatus['locations'][number]['state'];

const STATE_WORDS: Record<LocationState, string> = {
	events: 'watching', polling: 'watching (polling)', absent: 'not found', error: 'watch failed', off: 'off',
};

/** Found sources first (most sessions first), then those with nothing on this machine, by name. */
export function sourceOrder(a: SourceStatus, b: SourceStatus): number {
	return Number(b.installed || b.sessions > 0) - Number(a.installed || a.sessions > 0) || b.sessions - a.sessions || a.name.localeCompare(b.name);
}

/** The most telling state among a source's locations. */
export function sourceState(source: SourceStatus): LocationState {
	if (!source.enabled) return 'off';
	const states = source.locations.map((l) => l.state);
	for (const state of ['error', 'events', 'polling', 'off'] as const) {
		if (states.includes(state)) return state;
	}
	return 'absent';
}

/** `12 sessions · watching`, `not found`, `off · 3 sessions`. */
export function sourceDescription(source: SourceStatus): string {
	const parts = [STATE_WORDS[sourceState(source)]];
	if (source.sessions > 0 || source.installed) parts.push(plural(source.sessions, 'session'));
	if (source.lastError) parts.push('error');
	return parts.join(' · ');
}

export function locationDescription(location: SourceStatus['locations'][number]): string {
	return location.error ? `${STATE_WORDS[location.state]}: ${location.error}` : STATE_WORDS[location.state];
}

/** Markdown tooltip: every location with its state, counts, last import and last error. */
export function sourceTooltip(source: SourceStatus): string {
	const lines = [`**${source.name}** — ${source.enabled ? 'on' : 'switched off'}`, ''];
	for (const location of source.locations) {
		lines.push(`- \`${location.dir}\`: ${locationDescription(location)}`);
	}
	lines.push('', `${plural(source.sessions, 'session')} from ${plural(source.files, 'file')}` + (source.malformed > 0 ? `, ${plural(source.malformed, 'malformed line')} skipped` : ''));
	lines.push(`Last import: ${source.lastImportAt ? formatDate(source.lastImportAt) : 'never'}`);
	if (source.lastError) lines.push('', `Last error: ${source.lastError}`);
	return lines.join('\n');
}

/** The `tracemint.capture.disabledSources` list after switching one source on or off. */
export function toggledSources(disabled: readonly AgentId[], agent: AgentId, enabled: boolean): AgentId[] {
	const rest = disabled.filter((a) => a !== agent);
	return enabled ? rest : [...rest, agent];
}
