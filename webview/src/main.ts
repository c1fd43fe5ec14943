/** The store overview page: sessions per agent, consent counts, and the main actions. */
import { ReadyCommand, RunCommand, StateNotification, type IpcMessage, type OverviewState } from '../../shared/webviewProtocol';
import { button, grid } from './components/ui';
import { createHostIpc } from './hostIpc';
import { startPage } from './page';

const host = createHostIpc();

function render(root: HTMLElement, state: OverviewState): void {
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

startPage((root) => {
	window.addEventListener('message', (event: MessageEvent<IpcMessage>) => {
		const message = event.data;
		if (message?.method === StateNotification.method) {
			const state = message.params as OverviewState;
			host.setState(state);
			render(root, state);
		}
	});

	// Render what we had before a reload at once, then ask the host for fresh state.
	const previous = host.getState<OverviewState>();
	if (previous) {
		render(root, previous);
	} else {
		root.textContent = 'Loading…';
	}
	host.post(ReadyCommand.message({}));
});
