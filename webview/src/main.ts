/** The store overview page: sessions per agent, consent counts, and the main actions. */
import { ReadyCommand, RunCommand, StateNotification, type IpcMessage, type OverviewState } from '../../shared/webviewProtocol';
import { button, grid, registerComponents } from './components/ui';
import { createHostIpc } from './hostIpc';

registerComponents();
const host = createHostIpc();
const root = document.getElementById('app')!;

function render(state: OverviewState): void {
	root.replaceChildren();
	const heading = document.createElement('h2');
	heading.textContent = `${state.status.sessions} sessions, ${state.status.optedIn} opted in`;
	const where = document.createElement('p');
	where.textContent = `Store: ${state.status.store}`;
	const actions = document.createElement('div');
	actions.className = 'actions';
	actions.append(
		button('Import now', () => host.post(RunCommand.message({ command: 'tracemint.importNow' }))),
		button('Export dataset', () => host.post(RunCommand.message({ command: 'tracemint.exportDataset' }))),
	);
	root.append(heading, where, actions, grid(['Agent', 'Sessions', 'Opted in', 'Messages'], state.agents.map((a) => [a.agent, a.sessions, a.optedIn, a.messages])));
}

window.addEventListener('message', (event: MessageEvent<IpcMessage>) => {
	const message = event.data;
	if (message?.method === StateNotification.method) {
		const state = message.params as OverviewState;
		host.setState(state);
		render(state);
	}
});

// Render what we had before a reload at once, then ask the host for fresh state.
const previous = host.getState<OverviewState>();
if (previous) {
	render(previous);
}
host.post(ReadyCommand.message({}));
