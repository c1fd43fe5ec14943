/** The Sources view's texts and the disabled-sources setting, without an editor. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SourceStatus } from '../../shared/protocol';
import { defaultSettings, disabledSourcesFrom, settingsFrom } from '../../shared/settings';
import { locationDescription, sourceDescription, sourceOrder, sourceState, sourceTooltip, toggledSources } from '../../client/src/views/sourcesText';

function source(fields: Partial<SourceStatus>): SourceStatus {
	return {
		agent: 'codex', name: 'Codex', enabled: true, installed: true,
		locations: [{ dir: '/h/.codex/sessions', state: 'events' }, { dir: '/h/.codex/archived_sessions', state: 'absent' }],
		sessions: 12, files: 13, malformed: 0, lastImportAt: null, lastError: null, ...fields,
	};
}

void describe('sources view texts', () => {
	void it('says whether a source is watched, how, and how many sessions came from it', () => {
		assert.equal(sourceDescription(source({})), 'watching · 12 sessions');
		assert.equal(sourceDescription(source({ sessions: 1, locations: [{ dir: '/x', state: 'polling' }] })), 'watching (polling) · 1 session');
		assert.equal(sourceDescription(source({ installed: false, sessions: 0, locations: [{ dir: '/x', state: 'absent' }] })), 'not found');
		assert.equal(sourceDescription(source({ enabled: false })), 'off · 12 sessions');
		assert.equal(sourceDescription(source({ lastError: 'EACCES' })), 'watching · 12 sessions · error');
		assert.equal(sourceDescription(source({ locations: [{ dir: '/a', state: 'events' }, { dir: '/b', state: 'error', error: 'ENOSPC' }] })), 'watch failed · 12 sessions');
	});

	void it('picks the most telling location state', () => {
		assert.equal(sourceState(source({ locations: [] })), 'absent');
		assert.equal(sourceState(source({ locations: [{ dir: '/a', state: 'absent' }, { dir: '/b', state: 'polling' }] })), 'polling');
		assert.equal(sourceState(source({ enabled: false })), 'off');
		assert.equal(locationDescription({ dir: '/b', state: 'error', error: 'ENOSPC' }), 'watch failed: ENOSPC');
	});

	void it('lists found sources first, most sessions first, then the rest by name', () => {
		const list = [
			source({ agent: 'aider', name: 'Aider', installed: false, sessions: 0 }),
			source({ agent: 'cline', name: 'Cline', sessions: 3 }),
			source({ agent: 'cursor', name: 'Cursor', installed: false, sessions: 0 }),
			source({ agent: 'claude-code', name: 'Claude Code', sessions: 40 }),
			source({ agent: 'roo', name: 'Roo Code', installed: false, sessions: 2 }),
		].sort(sourceOrder);
		assert.deepEqual(list.map((s) => s.agent), ['claude-code', 'cline', 'roo', 'aider', 'cursor']);
	});

	void it('tooltip: every location, counts, last import and last error', () => {
		const text = sourceTooltip(source({ malformed: 2, lastError: 'cannot be read', lastImportAt: null }));
		assert.equal(text, [
			'**Codex** — on', '',
			'- `/h/.codex/sessions`: watching',
			'- `/h/.codex/archived_sessions`: not found', '',
			'12 sessions from 13 files, 2 malformed lines skipped',
			'Last import: never', '',
			'Last error: cannot be read',
		].join('\n'));
	});

	void it('toggling edits the disabled list, and the setting keeps known ids once', () => {
		assert.deepEqual(toggledSources(['aider'], 'codex', false), ['aider', 'codex']);
		assert.deepEqual(toggledSources(['aider', 'codex'], 'codex', true), ['aider']);
		assert.deepEqual(toggledSources([], 'codex', true), []);
		assert.deepEqual(disabledSourcesFrom(['codex', 'nope', 'codex', 3, 'aider']), ['codex', 'aider']);
		assert.deepEqual(disabledSourcesFrom('codex'), []);
		const raw = (values: Record<string, unknown>) => ({ get: <T>(key: string) => values[key] as T | undefined });
		assert.deepEqual(settingsFrom(raw({})).disabledSources, []);
		assert.equal(settingsFrom(raw({})).captureLive, true);
		assert.equal(defaultSettings.capturePolling, false);
		assert.deepEqual(settingsFrom(raw({ 'capture.disabledSources': ['cursor'], 'capture.live': false, 'capture.polling': true })),
			{ ...defaultSettings, disabledSources: ['cursor'], captureLive: false, capturePolling: true });
	});
});
