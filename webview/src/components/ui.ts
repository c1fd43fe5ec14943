/**
 * The one module that knows which web-component toolkit renders our controls, so the archived
 * @vscode/webview-ui-toolkit can be swapped for @vscode-elements/elements by editing this file.
 * Pages get plain HTMLElements plus small handles (set a value without firing the user's
 * handler); they never name a `vscode-*` tag or a toolkit property themselves.
 */
import {
	provideVSCodeDesignSystem, vsCodeButton, vsCodeCheckbox, vsCodeDataGrid, vsCodeDataGridCell, vsCodeDataGridRow, vsCodeDropdown,
	vsCodeOption,
} from '@vscode/webview-ui-toolkit';

export function registerComponents(): void {
	provideVSCodeDesignSystem().register(
		vsCodeButton(), vsCodeCheckbox(), vsCodeDataGrid(), vsCodeDataGridRow(), vsCodeDataGridCell(), vsCodeDropdown(), vsCodeOption(),
	);
}

export interface ButtonOptions {
	/** `secondary` for the less important actions of a group. */
	appearance?: 'primary' | 'secondary';
	/** Tooltip, e.g. the keyboard shortcut. */
	title?: string;
	/** Marks the element for tests and delegated handlers (`data-action`). */
	action?: string;
}

export function button(label: string, onClick: () => void, options: ButtonOptions = {}): HTMLElement {
	const el = document.createElement('vscode-button');
	el.textContent = label;
	if (options.appearance) el.setAttribute('appearance', options.appearance);
	if (options.title) el.title = options.title;
	if (options.action) el.dataset.action = options.action;
	el.addEventListener('click', (event) => {
		// The toolkit still dispatches clicks on a disabled host element.
		if (el.hasAttribute('disabled')) return;
		event.stopPropagation();
		onClick();
	});
	return el;
}

export function setDisabled(el: HTMLElement, disabled: boolean): void {
	el.toggleAttribute('disabled', disabled);
}

export interface CheckboxHandle {
	element: HTMLElement;
	/** Sets the box without calling onChange; `mixed` shows the indeterminate dash. */
	set(checked: boolean | 'mixed'): void;
}

interface ToolkitCheckbox extends HTMLElement {
	checked: boolean;
	indeterminate: boolean;
}

export function checkbox(ariaLabel: string, onChange: (checked: boolean) => void, label?: string): CheckboxHandle {
	const el = document.createElement('vscode-checkbox') as ToolkitCheckbox;
	el.setAttribute('aria-label', ariaLabel);
	if (label) el.textContent = label;
	// The toolkit fires `change` for programmatic changes too; only the user's clicks count.
	let syncing = false;
	el.addEventListener('change', () => {
		if (!syncing) onChange(el.checked);
	});
	// Keep a click on the box from also counting as a click on what contains it (a row).
	el.addEventListener('click', (event) => event.stopPropagation());
	return {
		element: el,
		set(checked) {
			syncing = true;
			try {
				el.checked = checked === true;
				el.indeterminate = checked === 'mixed';
			} finally {
				syncing = false;
			}
		},
	};
}

export interface Choice {
	value: string;
	label: string;
}

export interface DropdownHandle {
	element: HTMLElement;
	/** Replaces the options (only when they differ) and selects `value`, without calling onChange. */
	set(choices: Choice[], value: string): void;
}

interface ToolkitDropdown extends HTMLElement {
	value: string;
}

/** A labelled single-choice dropdown; `id` names it for its label and for tests. */
export function dropdown(id: string, label: string, onChange: (value: string) => void): DropdownHandle {
	const wrapper = document.createElement('div');
	wrapper.className = 'dropdown';
	const caption = document.createElement('label');
	caption.id = `${id}-label`;
	caption.htmlFor = id;
	caption.textContent = label;
	const el = document.createElement('vscode-dropdown') as ToolkitDropdown;
	el.id = id;
	el.setAttribute('aria-labelledby', caption.id);
	let shown = '';
	let syncing = false;
	el.addEventListener('change', () => {
		if (!syncing) onChange(el.value);
	});
	wrapper.append(caption, el);
	return {
		element: wrapper,
		set(choices, value) {
			syncing = true;
			try {
				const key = JSON.stringify(choices);
				if (key !== shown) {
					shown = key;
					el.replaceChildren(...choices.map((choice) => {
						const option = document.createElement('vscode-option');
						option.setAttribute('value', choice.value);
						// New options are read after a slotchange; `selected` is what the dropdown picks then.
						option.toggleAttribute('selected', choice.value === value);
						option.textContent = choice.label;
						return option;
					}));
				}
				el.value = value;
			} finally {
				syncing = false;
			}
		},
	};
}

/** A read-only grid; cells are set as text, never as HTML. */
export function grid(headers: string[], rows: (string | number)[][]): HTMLElement {
	const table = document.createElement('vscode-data-grid');
	const addRow = (cells: (string | number)[], header: boolean) => {
		const row = document.createElement('vscode-data-grid-row');
		if (header) row.setAttribute('row-type', 'header');
		cells.forEach((value, i) => {
			const cell = document.createElement('vscode-data-grid-cell');
			cell.setAttribute('grid-column', String(i + 1));
			if (header) cell.setAttribute('cell-type', 'columnheader');
			cell.textContent = String(value);
			row.appendChild(cell);
		});
		table.appendChild(row);
	};
	addRow(headers, true);
	rows.forEach((r) => addRow(r, false));
	return table;
}
