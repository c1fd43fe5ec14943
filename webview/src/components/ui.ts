/**
 * The one module that knows which web-component toolkit renders our controls, so the archived
 * @vscode/webview-ui-toolkit can be swapped for @vscode-elements/elements by editing this file.
 */
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeDataGrid, vsCodeDataGridCell, vsCodeDataGridRow } from '@vscode/webview-ui-toolkit';

export function registerComponents(): void {
	provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDataGrid(), vsCodeDataGridRow(), vsCodeDataGridCell());
}

export function button(label: string, onClick: () => void): HTMLElement {
	const el = document.createElement('vscode-button');
	el.textContent = label;
	el.addEventListener('click', onClick);
	return el;
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
