/**
 * Review Secrets page (bundle webview/out/review.js): holds the findings from the host and the
 * UI state, turns clicks and keys into typed commands for the host, and keeps filters,
 * selection and focus across reloads with the webview's getState/setState.
 */
import type { FindingDto } from '../../../shared/protocol';
import {
	ReviewBlockCommand, ReviewDecideCommand, ReviewOpenTranscriptCommand, ReviewReadyCommand, ReviewRenderedCommand, ReviewStateNotification,
	type IpcMessage, type ReviewFilters, type ReviewState,
} from '../../../shared/webviewProtocol';
import { createHostIpc } from '../hostIpc';
import { startPage } from '../page';
import type { KeyCommand } from './keyboard';
import {
	emptyUiState, focusAfterRefresh, keyTargets, pruneUiState, restoreUiState, sessionIdsOf, visibleFindings, type UiState,
} from './model';
import { ReviewView, type Action, type ViewModel } from './view';

// Registered before anything renders, so a violation from the very first paint is counted too.
const cspViolations: string[] = [];
document.addEventListener('securitypolicyviolation', (event) => {
	const where = event.sourceFile ? ` at ${event.sourceFile}:${event.lineNumber}` : '';
	cspViolations.push(`${event.effectiveDirective} ${event.blockedURI || 'inline'}${where} ${event.sample}`.trim());
});

/** Changes on every load of the page; the host (and the e2e suite) can tell a reloaded page by it. */
const instance = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

class ReviewPage {
	private readonly host = createHostIpc();
	private readonly view: ReviewView;
	private data: ReviewState | undefined;
	/** `data` as it came, to tell a refresh that changed nothing. */
	private dataJson: string | undefined;
	private ui: UiState;
	private pending = false;
	private focusIndex = 0;
	private readonly restoredFocus: boolean;

	constructor(root: HTMLElement) {
		this.ui = restoreUiState(this.host.getState());
		this.restoredFocus = this.ui.focusedId !== null;
		this.view = new ReviewView(root, {
			filter: (name, value) => this.setFilters({ ...this.ui.filters, [name]: value }),
			clearFilters: () => this.setFilters(emptyUiState().filters),
			focus: (id) => this.focus(id, false),
			select: (ids, selected) => this.select(ids, selected),
			act: (action, targets) => this.act(action, targets),
			key: (command) => this.key(command),
		});
		window.addEventListener('message', (event: MessageEvent<IpcMessage>) => {
			if (event.data?.method === ReviewStateNotification.method) {
				this.receive(event.data.params as ReviewState);
			}
		});
		this.host.post(ReviewReadyCommand.message({}));
	}

	private receive(data: ReviewState): void {
		const firstLoad = !this.data;
		this.pending = false;
		const json = JSON.stringify(data);
		if (json === this.dataJson) {
			// The same findings again (a refresh that found nothing new): keep the rows, and the focus in them.
			this.sync();
			return;
		}
		this.data = data;
		this.dataJson = json;
		this.ui = pruneUiState(this.ui, data);
		this.refocus();
		this.render();
		// A reloaded page (the panel was hidden) puts the keyboard back on the row it was on.
		if (firstLoad && this.restoredFocus && document.hasFocus()) this.view.focusRow(this.ui.focusedId);
	}

	private setFilters(filters: ReviewFilters): void {
		this.ui = { ...this.ui, filters };
		this.refocus();
		this.render();
	}

	/** After new data or filters, focus stays on the same finding, else on the row now where it was. */
	private refocus(): void {
		const visible = this.visible();
		const focusedId = focusAfterRefresh(visible, this.ui.focusedId, this.focusIndex);
		this.ui = { ...this.ui, focusedId };
		if (focusedId !== null) this.focusIndex = visible.findIndex((f) => f.id === focusedId);
	}

	private focus(id: number, moveDomFocus: boolean): void {
		const index = this.visible().findIndex((f) => f.id === id);
		if (index < 0) return;
		this.focusIndex = index;
		if (this.ui.focusedId !== id) {
			this.ui = { ...this.ui, focusedId: id };
			this.sync();
		}
		if (moveDomFocus) this.view.focusRow(id);
	}

	private select(ids: number[], selected: boolean): void {
		const next = new Set(this.ui.selected);
		for (const id of ids) {
			if (selected) next.add(id);
			else next.delete(id);
		}
		this.ui = { ...this.ui, selected: [...next] };
		this.sync();
	}

	private key(command: KeyCommand): void {
		const visible = this.visible();
		const at = visible.findIndex((f) => f.id === this.ui.focusedId);
		const move = (index: number) => {
			const target = visible[Math.min(Math.max(index, 0), visible.length - 1)];
			if (target) this.focus(target.id, true);
		};
		switch (command) {
			case 'next': return move(at + 1);
			case 'previous': return move(at < 0 ? 0 : at - 1);
			case 'first': return move(0);
			case 'last': return move(visible.length - 1);
			case 'toggle': {
				if (this.ui.focusedId !== null) this.select([this.ui.focusedId], !this.ui.selected.includes(this.ui.focusedId));
				return;
			}
			default:
				this.act(command, keyTargets(visible, this.ui.selected, this.ui.focusedId));
		}
	}

	private act(action: Action, targets: FindingDto[]): void {
		if (targets.length === 0) return;
		switch (action) {
			case 'confirm':
			case 'false-positive':
				this.host.post(ReviewDecideCommand.message({ ids: targets.map((f) => f.id), decision: action }));
				break;
			case 'block':
			case 'release':
				this.host.post(ReviewBlockCommand.message({ sessionIds: sessionIdsOf(targets), decision: action }));
				break;
			case 'open-transcript':
				this.host.post(ReviewOpenTranscriptCommand.message({ sessionId: targets[0].sessionId }));
				return;
		}
		// The host answers every action with fresh state, which clears this.
		this.pending = true;
		this.sync();
	}

	private visible(): FindingDto[] {
		return this.data ? visibleFindings(this.data.findings, this.ui.filters) : [];
	}

	private model(): ViewModel {
		return { data: this.data, ui: this.ui, visible: this.visible(), pending: this.pending };
	}

	private render(): void {
		this.view.render(this.model());
		this.saved();
	}

	private sync(): void {
		this.view.sync(this.model());
		this.saved();
	}

	/** Saves the UI state and tells the host what is on screen. */
	private saved(): void {
		this.host.setState(this.ui);
		if (!this.data) return;
		this.host.post(ReviewRenderedCommand.message({
			instance,
			visibleIds: this.visible().map((f) => f.id),
			selectedIds: [...this.ui.selected],
			focusedId: this.ui.focusedId,
			filters: { ...this.ui.filters },
			cspViolations: [...cspViolations],
		}));
	}
}

// The script runs from <head> (to catch CSP violations early); the page needs the body.
startPage((root) => new ReviewPage(root));
