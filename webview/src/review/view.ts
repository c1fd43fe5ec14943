/**
 * The Review Secrets page's DOM: filter toolbar, bulk actions, count line and the findings grid.
 * Every value from the host is set with textContent, never as HTML. `render` rebuilds the rows
 * (new data or filters); `sync` updates selection and focus in place, so a click on a checkbox
 * or a key press does not destroy the element that has focus.
 */
import type { FindingDto, FindingSeverity } from '../../../shared/protocol';
import type { ReviewFilters, ReviewState } from '../../../shared/webviewProtocol';
import { button, checkbox, dropdown, setDisabled, type CheckboxHandle, type Choice, type DropdownHandle } from '../components/ui';
import { findingRow, headerRow, type Action, type RowParts } from './findingRow';
import { KEY_HELP, keyCommand, yieldsToControl, type KeyCommand } from './keyboard';
import { ALL, SEVERITIES, selectedVisible, sessionLabel, STATES, stateLabel, type UiState } from './model';

export type { Action } from './findingRow';

export interface ViewModel {
	data: ReviewState | undefined;
	ui: UiState;
	visible: FindingDto[];
	/** An action was sent and its fresh state has not come back yet. */
	pending: boolean;
}

export interface ViewHandlers {
	filter(name: keyof ReviewFilters, value: string): void;
	clearFilters(): void;
	/** A row got focus (click, Tab, or a control inside it). */
	focus(id: number): void;
	select(ids: number[], selected: boolean): void;
	act(action: Action, targets: FindingDto[]): void;
	key(command: KeyCommand): void;
}

export class ReviewView {
	private readonly filters: Record<keyof ReviewFilters, DropdownHandle>;
	private readonly selectAll: CheckboxHandle;
	private readonly bulk: HTMLElement[];
	private readonly count = document.createElement('p');
	private readonly grid = document.createElement('div');
	private readonly empty = document.createElement('div');
	private readonly footer = document.createElement('p');
	private rows = new Map<number, RowParts>();
	private model: ViewModel | undefined;

	constructor(root: HTMLElement, private readonly handlers: ViewHandlers) {
		root.id = 'review';
		root.className = 'review';
		this.filters = {
			severity: dropdown('filter-severity', 'Severity', (v) => handlers.filter('severity', v)),
			ruleId: dropdown('filter-rule', 'Rule', (v) => handlers.filter('ruleId', v)),
			sessionId: dropdown('filter-session', 'Session', (v) => handlers.filter('sessionId', v)),
			state: dropdown('filter-state', 'State', (v) => handlers.filter('state', v)),
		};
		const filterBar = toolbar('Filters', 'filters', Object.values(this.filters).map((f) => f.element));

		this.selectAll = checkbox('Select all visible findings', (on) => {
			if (this.model) handlers.select(this.model.visible.map((f) => f.id), on);
		}, 'Select all visible');
		this.selectAll.element.id = 'select-all';
		const onSelection = (action: Action) => () => {
			if (this.model) handlers.act(action, selectedVisible(this.model.visible, this.model.ui.selected));
		};
		this.bulk = [
			button('Confirm', onSelection('confirm'), { action: 'bulk-confirm', title: 'Keep the selected values redacted (c)' }),
			button('False positive', onSelection('false-positive'), { action: 'bulk-false-positive', appearance: 'secondary', title: 'Not a secret: stop redacting these values everywhere (f)' }),
			button('Block session(s)', onSelection('block'), { action: 'bulk-block', appearance: 'secondary', title: 'Bar the sessions of the selected findings from export (b)' }),
			button('Release', onSelection('release'), { action: 'bulk-release', appearance: 'secondary', title: 'Allow export of those sessions; values stay redacted (r)' }),
		];
		const bulkBar = toolbar('Actions on the selected findings', 'bulk', [this.selectAll.element, ...this.bulk]);

		this.count.className = 'count';
		this.count.setAttribute('role', 'status');
		this.grid.className = 'findings';
		this.grid.setAttribute('role', 'grid');
		this.grid.setAttribute('aria-multiselectable', 'true');
		this.grid.setAttribute('aria-label', 'Findings');
		this.grid.addEventListener('keydown', (event) => this.onKey(event));
		this.grid.addEventListener('focusin', (event) => {
			const row = (event.target as HTMLElement).closest<HTMLElement>('[data-finding-id]');
			if (row) handlers.focus(Number(row.dataset.findingId));
		});
		this.empty.className = 'empty';
		this.footer.className = 'footer';
		root.replaceChildren(filterBar, bulkBar, this.count, this.grid, this.empty, this.footer);
		this.count.textContent = 'Loading findings…';
	}

	render(model: ViewModel): void {
		this.model = model;
		const hadFocus = this.grid.contains(document.activeElement);
		this.renderFilters(model);
		const sessions = new Map((model.data?.sessions ?? []).map((s) => [s.sessionId, s]));
		this.rows = new Map();
		const rowHandlers = { ...this.handlers, focusRow: (id: number) => this.focusRow(id) };
		const rows = model.visible.map((finding, index) => {
			const parts = findingRow(finding, sessions.get(finding.sessionId), index, rowHandlers);
			this.rows.set(finding.id, parts);
			return parts.row;
		});
		this.grid.replaceChildren(headerRow(), ...rows);
		this.grid.setAttribute('aria-rowcount', String(rows.length + 1));
		this.grid.hidden = rows.length === 0;
		this.renderEmpty(model);
		this.footer.textContent = model.data ? `Keys: ${KEY_HELP} · rules version ${model.data.rulesVersion}` : '';
		this.sync(model);
		if (hadFocus) this.focusRow(model.ui.focusedId);
	}

	/** Selection, focus, count line and bulk buttons, without rebuilding rows. */
	sync(model: ViewModel): void {
		this.model = model;
		const selected = new Set(model.ui.selected);
		const firstId = model.visible[0]?.id ?? null;
		const tabStop = model.visible.some((f) => f.id === model.ui.focusedId) ? model.ui.focusedId : firstId;
		for (const [id, { row, box }] of this.rows) {
			row.setAttribute('aria-selected', String(selected.has(id)));
			row.classList.toggle('focused', id === model.ui.focusedId);
			// Roving tabindex: the grid is one Tab stop, the arrows move inside it.
			row.tabIndex = id === tabStop ? 0 : -1;
			box.set(selected.has(id));
		}
		const chosen = selectedVisible(model.visible, model.ui.selected).length;
		this.selectAll.set(chosen === 0 ? false : chosen === model.visible.length ? true : 'mixed');
		setDisabled(this.selectAll.element, model.visible.length === 0);
		for (const el of this.bulk) setDisabled(el, chosen === 0 || model.pending);
		this.count.textContent = countLine(model, chosen);
	}

	/** Moves DOM focus to a row (keyboard navigation, or restoring focus after a rebuild). */
	focusRow(id: number | null): void {
		const row = id === null ? undefined : this.rows.get(id)?.row;
		row?.focus();
		row?.scrollIntoView({ block: 'nearest' });
	}

	private onKey(event: KeyboardEvent): void {
		const command = keyCommand(event);
		if (!command) return;
		const onRow = (event.target as HTMLElement).getAttribute('role') === 'row';
		if (!onRow && yieldsToControl(command)) return;
		event.preventDefault();
		this.handlers.key(command);
	}

	private renderFilters(model: ViewModel): void {
		const findings = model.data?.findings ?? [];
		const { filters } = model.ui;
		const count = (pick: (f: FindingDto) => string) => {
			const counts = new Map<string, number>();
			for (const f of findings) counts.set(pick(f), (counts.get(pick(f)) ?? 0) + 1);
			return counts;
		};
		const bySeverity = count((f) => f.severity);
		const byRule = count((f) => f.ruleId);
		const bySession = count((f) => f.sessionId);
		const byState = count((f) => f.state);
		const sessions = new Map((model.data?.sessions ?? []).map((s) => [s.sessionId, s]));
		const all: Choice = { value: ALL, label: 'All' };
		const severities = SEVERITIES.map((s: FindingSeverity) => ({ value: s, label: `${s} (${bySeverity.get(s) ?? 0})` }));
		const rules = [...byRule].sort(([a], [b]) => a.localeCompare(b)).map(([id, n]) => ({ value: id, label: `${id} (${n})` }));
		const sessionChoices = [...bySession].map(([id, n]) => ({ value: id, label: `${truncate(sessionLabel(sessions.get(id), id), 48)} (${n})` }))
			.sort((a, b) => a.label.localeCompare(b.label));
		const states = STATES.map((s) => ({ value: s, label: `${stateLabel(s)} (${byState.get(s) ?? 0})` }));
		this.filters.severity.set([all, ...severities], filters.severity);
		this.filters.ruleId.set([all, ...rules], filters.ruleId);
		this.filters.sessionId.set([all, ...sessionChoices], filters.sessionId);
		this.filters.state.set([all, ...states], filters.state);
	}

	private renderEmpty(model: ViewModel): void {
		this.empty.replaceChildren();
		if (!model.data || model.visible.length > 0) return;
		const text = document.createElement('p');
		if (model.data.problem) {
			text.textContent = model.data.problem;
			this.empty.append(text);
		} else if (model.data.findings.length === 0) {
			text.textContent = 'No secrets or personal data found in the stored sessions.';
			this.empty.append(text);
		} else {
			text.textContent = 'No findings match these filters.';
			this.empty.append(text, button('Clear filters', () => this.handlers.clearFilters(), { action: 'clear-filters', appearance: 'secondary' }));
		}
	}
}

function toolbar(label: string, className: string, children: HTMLElement[]): HTMLElement {
	const bar = document.createElement('div');
	bar.className = `toolbar ${className}`;
	bar.setAttribute('role', 'toolbar');
	bar.setAttribute('aria-label', label);
	bar.append(...children);
	return bar;
}

function countLine(model: ViewModel, selected: number): string {
	if (!model.data) return 'Loading findings…';
	const { findings, sessions } = model.data;
	const parts = [`${findings.length} ${plural(findings.length, 'finding')} in ${sessions.length} ${plural(sessions.length, 'session')}`];
	if (model.visible.length !== findings.length) parts.push(`${model.visible.length} shown`);
	if (selected > 0) parts.push(`${selected} selected`);
	if (model.pending) parts.push('saving…');
	return parts.join(' · ');
}

function plural(n: number, word: string): string {
	return n === 1 ? word : `${word}s`;
}

function truncate(text: string, max: number): string {
	return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
