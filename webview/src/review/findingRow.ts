/**
 * One finding as a grid row: checkbox, severity, rule + session + place, the masked context,
 * state, and the single-row actions. All text from the host goes in with textContent.
 */
import { isExportBlocked, type FindingDto, type SessionFindingsSummary } from '../../../shared/protocol';
import { button, checkbox, type CheckboxHandle } from '../components/ui';
import { blockLabel, sessionLabel, stateLabel } from './model';

export type Action = 'confirm' | 'false-positive' | 'block' | 'release' | 'open-transcript';

export interface RowParts {
	row: HTMLElement;
	box: CheckboxHandle;
}

export interface RowHandlers {
	/** Moves DOM focus to the row (a click on its text). */
	focusRow(id: number): void;
	/** Records the row as focused (a click on one of its buttons). */
	focus(id: number): void;
	select(ids: number[], selected: boolean): void;
	act(action: Action, targets: FindingDto[]): void;
}

export function findingRow(finding: FindingDto, session: SessionFindingsSummary | undefined, index: number, handlers: RowHandlers): RowParts {
	const row = document.createElement('div');
	row.className = 'finding';
	row.setAttribute('role', 'row');
	row.setAttribute('aria-rowindex', String(index + 2));
	row.dataset.findingId = String(finding.id);
	row.dataset.state = finding.state;
	row.addEventListener('click', () => handlers.focusRow(finding.id));
	row.addEventListener('dblclick', () => handlers.act('open-transcript', [finding]));

	const box = checkbox(`Select ${finding.ruleId} in ${sessionLabel(session, finding.sessionId)}`, (on) => handlers.select([finding.id], on));

	const severity = span(`severity severity-${finding.severity}`, finding.severity);
	const what = document.createElement('div');
	what.className = 'what';
	const heading = document.createElement('div');
	heading.className = 'heading';
	heading.append(span('rule', finding.ruleId), span('session', sessionLabel(session, finding.sessionId)), span('where', location(finding)));
	const blocked = blockLabel(session?.block);
	if (blocked) heading.append(span(isExportBlocked(session?.block) ? 'block blocked' : 'block', blocked));
	what.title = finding.description;
	what.append(heading, maskedContext(finding));

	const state = span(`state state-${finding.state}`, stateLabel(finding.state));
	const actions = document.createElement('div');
	actions.className = 'row-actions';
	const act = (action: Action) => () => {
		handlers.focus(finding.id);
		handlers.act(action, [finding]);
	};
	actions.append(
		button('Confirm', act('confirm'), { action: 'confirm', title: 'Keep this value redacted (c)' }),
		button('False positive', act('false-positive'), { action: 'false-positive', appearance: 'secondary', title: 'Not a secret: stop redacting this value everywhere (f)' }),
		isExportBlocked(session?.block)
			? button('Release', act('release'), { action: 'release', appearance: 'secondary', title: 'Allow export of this session; values stay redacted (r)' })
			: button('Block', act('block'), { action: 'block', appearance: 'secondary', title: 'Bar this session from export (b)' }),
	);
	row.append(...[box.element, severity, what, state, actions].map(cell));
	return { row, box };
}

/** The column headers, for screen readers and sighted users alike. */
export function headerRow(): HTMLElement {
	const row = document.createElement('div');
	row.className = 'header';
	row.setAttribute('role', 'row');
	row.setAttribute('aria-rowindex', '1');
	for (const title of ['Selected', 'Severity', 'Finding', 'State', 'Actions']) {
		const header = document.createElement('div');
		header.setAttribute('role', 'columnheader');
		header.textContent = title;
		row.append(header);
	}
	return row;
}

function cell(content: HTMLElement): HTMLElement {
	const el = document.createElement('div');
	el.setAttribute('role', 'gridcell');
	el.append(content);
	return el;
}

function span(className: string, text: string): HTMLElement {
	const el = document.createElement('span');
	el.className = className;
	el.textContent = text;
	return el;
}

/** `before [masked] after`: three text nodes; the mask is all the webview ever knows of the value. */
function maskedContext(finding: FindingDto): HTMLElement {
	const code = document.createElement('code');
	code.className = 'context';
	const mark = document.createElement('mark');
	mark.textContent = finding.context.masked;
	code.append(document.createTextNode(finding.context.before), mark, document.createTextNode(finding.context.after));
	return code;
}

function location(finding: FindingDto): string {
	const where = finding.messageIndex === null ? 'title' : `message ${finding.messageIndex + 1} · ${finding.field}`;
	return `${where} · ${finding.line}:${finding.column}`;
}
