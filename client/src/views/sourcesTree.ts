/**
 * The "Sources" view: every agent Tracemint can read, whether its logs are on this machine,
 * whether they are watched (native events or polling), how many sessions came from each, the
 * last import and the last error. Each source has an on/off toggle, which edits
 * `tracemint.capture.disabledSources`; the backend follows the setting at once.
 */
import * as vscode from 'vscode';
import type { SourceStatus } from '../../../shared/protocol';
import { ListSourcesRequest, SetDisabledSourcesRequest } from '../../../shared/lsp';
import { disabledSourcesFrom } from '../../../shared/settings';
import { SECTION } from '../config';
import { messageOf, type Ctx } from '../ctx';
import { locationDescription, sourceDescription, sourceOrder, sourceState, sourceTooltip, toggledSources } from './sourcesText';

export const SOURCES_VIEW = 'tracemint.sources';
const DISABLED_KEY = 'capture.disabledSources';

export type SourcesNode =
	| { kind: 'source'; source: SourceStatus }
	| { kind: 'location'; source: SourceStatus; location: SourceStatus['locations'][number] };

const STATE_ICONS: Record<ReturnType<typeof sourceState>, vscode.ThemeIcon> = {
	events: new vscode.ThemeIcon('eye', new vscode.ThemeColor('charts.green')),
	polling: new vscode.ThemeIcon('sync', new vscode.ThemeColor('charts.green')),
	absent: new vscode.ThemeIcon('circle-outline'),
	error: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
	off: new vscode.ThemeIcon('circle-slash'),
};

export class SourcesTree implements vscode.TreeDataProvider<SourcesNode>, vscode.Disposable {
	private readonly changed = new vscode.EventEmitter<SourcesNode | undefined>();
	private readonly listeners: vscode.Disposable[];
	private sources: Promise<SourceStatus[]> | undefined;
	private view: vscode.TreeView<SourcesNode> | undefined;
	readonly onDidChangeTreeData = this.changed.event;

	constructor(private readonly ctx: Ctx) {
		this.listeners = [
			ctx.onStoreChanged(() => this.refresh()),
			ctx.onDidChangeState(() => this.refresh()),
			vscode.workspace.onDidChangeConfiguration((event) => {
				if (event.affectsConfiguration(`${SECTION}.${DISABLED_KEY}`)) void this.sendDisabled();
			}),
		];
	}

	attach(view: vscode.TreeView<SourcesNode>): void {
		this.view = view;
	}

	refresh(): void {
		this.sources = undefined;
		this.changed.fire(undefined);
	}

	/** What the view shows now (tests and commands). */
	list(): Promise<SourceStatus[]> {
		this.sources ??= this.load();
		return this.sources;
	}

	async setEnabled(node: SourcesNode, enabled: boolean): Promise<void> {
		const config = vscode.workspace.getConfiguration(SECTION);
		const disabled = disabledSourcesFrom(config.get(DISABLED_KEY));
		// The user's list of sources, so it lives in the user settings, not one workspace's.
		await config.update(DISABLED_KEY, toggledSources(disabled, node.source.agent, enabled), vscode.ConfigurationTarget.Global);
	}

	getTreeItem(node: SourcesNode): vscode.TreeItem {
		if (node.kind === 'location') {
			const item = new vscode.TreeItem(node.location.dir, vscode.TreeItemCollapsibleState.None);
			item.description = locationDescription(node.location);
			item.iconPath = STATE_ICONS[node.location.state];
			item.resourceUri = vscode.Uri.file(node.location.dir);
			item.contextValue = node.location.state === 'absent' ? 'sourceLocation' : 'sourceLocation.found';
			return item;
		}
		const { source } = node;
		const item = new vscode.TreeItem(source.name, vscode.TreeItemCollapsibleState.Collapsed);
		item.id = `source:${source.agent}`;
		item.description = sourceDescription(source);
		item.tooltip = new vscode.MarkdownString(sourceTooltip(source));
		item.iconPath = STATE_ICONS[sourceState(source)];
		item.contextValue = source.enabled ? 'source.enabled' : 'source.disabled';
		return item;
	}

	async getChildren(node?: SourcesNode): Promise<SourcesNode[]> {
		if (node?.kind === 'source') {
			return node.source.locations.map((location) => ({ kind: 'location', source: node.source, location }));
		}
		if (node) return [];
		return (await this.list()).map((source) => ({ kind: 'source', source }));
	}

	dispose(): void {
		this.changed.dispose();
		for (const listener of this.listeners) listener.dispose();
	}

	private async load(): Promise<SourceStatus[]> {
		try {
			const sources = await this.ctx.request(ListSourcesRequest, {});
			if (this.view) this.view.message = sources ? undefined : 'The backend is not running.';
			return (sources ?? []).sort(sourceOrder);
		} catch (error) {
			if (this.view) this.view.message = `Sources could not be listed: ${messageOf(error)}`;
			return [];
		}
	}

	/** The backend answers with the sources as they are now, so the view shows that without asking again. */
	private async sendDisabled(): Promise<void> {
		const agents = disabledSourcesFrom(vscode.workspace.getConfiguration(SECTION).get(DISABLED_KEY));
		try {
			const sources = await this.ctx.request(SetDisabledSourcesRequest, { agents });
			this.sources = sources ? Promise.resolve(sources.sort(sourceOrder)) : undefined;
		} catch (error) {
			this.ctx.output.warn(`sources: ${messageOf(error)}`);
			this.sources = undefined;
		}
		this.changed.fire(undefined);
	}
}
