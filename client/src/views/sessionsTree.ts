/**
 * The "Sessions" view: sessions grouped by workspace folder, then by agent. Subagent sessions
 * sit under the session that spawned them when that session is in the store too. Sessions with
 * findings carry a badge (see sessionBadges.ts); blocked ones a lock. Each session shows its
 * reward and gate decision; the view sorts and filters by them (sessionOrder.ts), remembered
 * per workspace.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { AgentId, SessionSummary } from '../../../shared/model';
import { isExportBlocked, type SessionFindingsSummary } from '../../../shared/protocol';
import type { GateReport, SessionGate, SessionScore } from '../../../shared/quality';
import { ListFindingsRequest, ListSessionsRequest } from '../../../shared/lsp';
import { messageOf, type Ctx } from '../ctx';
import { componentsText, formatReward, gateText, qualityDecision } from '../quality/qualityText';
import type { QualityReports } from '../quality/qualityReports';
import { agentName, escapeMarkdown, formatDate, plural, sessionLabel } from '../text';
import { badgeUri, blockText, findingsText, SessionBadges } from './sessionBadges';
import {
	filterMessage, filterSessions, isFiltered, sessionComparator, viewDescription, viewStateFrom,
	type QualityOf, type SessionFilter, type SessionSort, type SessionsViewState,
} from './sessionOrder';

export const SESSIONS_VIEW = 'tracemint.sessions';

export interface WorkspaceNode {
	kind: 'workspace';
	/** `workspace ?? cwd` of the sessions; null when neither is known. */
	path: string | null;
	agents: AgentNode[];
}

export interface AgentNode {
	kind: 'agent';
	agent: AgentId;
	parent: WorkspaceNode;
	sessions: SessionNode[];
}

export interface SessionNode {
	kind: 'session';
	session: SessionSummary;
	parent: AgentNode | SessionNode;
	subagents: SessionNode[];
}

export type SessionsNode = WorkspaceNode | AgentNode | SessionNode;

/** workspaceState key of the view's sort and filter. */
const VIEW_STATE_KEY = 'tracemint.sessions.view';
/** Context key for the view title's `when`: "Clear Sessions Filter" shows while a filter is on. */
const FILTERED_CONTEXT_KEY = 'tracemint.sessions.filtered';

export class SessionsTree implements vscode.TreeDataProvider<SessionsNode>, vscode.Disposable {
	private readonly changed = new vscode.EventEmitter<SessionsNode | undefined>();
	private readonly listeners: vscode.Disposable[];
	private roots: Promise<WorkspaceNode[]> | undefined;
	private view: vscode.TreeView<SessionsNode> | undefined;
	/** Gate decisions of the sessions shown, from the last load. */
	private gates = new Map<string, SessionGate>();
	private viewState: SessionsViewState;

	readonly onDidChangeTreeData = this.changed.event;
	/** Findings per session, refreshed with the tree; also the badge provider. */
	readonly badges = new SessionBadges();

	constructor(private readonly ctx: Ctx, private readonly quality: QualityReports) {
		this.viewState = viewStateFrom(ctx.extension.workspaceState.get(VIEW_STATE_KEY));
		this.listeners = [
			this.badges,
			vscode.window.registerFileDecorationProvider(this.badges),
			ctx.onStoreChanged(() => this.refresh()),
			// Entering or leaving `running` changes what the view can show.
			ctx.onDidChangeState(() => this.refresh()),
			quality.onDidChangeSettings(() => this.refresh()),
		];
	}

	/** The view shows load errors as its message, and the sort and filter as its description. */
	attach(view: vscode.TreeView<SessionsNode>): void {
		this.view = view;
		void this.showViewState();
	}

	get state(): SessionsViewState {
		return this.viewState;
	}

	sortBy(sort: SessionSort): Promise<void> {
		return this.setViewState({ ...this.viewState, sort });
	}

	filterBy(filter: SessionFilter): Promise<void> {
		return this.setViewState({ ...this.viewState, filter });
	}

	refresh(): void {
		this.roots = undefined;
		this.changed.fire(undefined);
	}

	getChildren(node?: SessionsNode): Promise<SessionsNode[]> | SessionsNode[] {
		switch (node?.kind) {
			case undefined:
				this.roots ??= this.load();
				return this.roots;
			case 'workspace': return node.agents;
			case 'agent': return node.sessions;
			case 'session': return node.subagents;
		}
	}

	getParent(node: SessionsNode): SessionsNode | undefined {
		return node.kind === 'workspace' ? undefined : node.parent;
	}

	getTreeItem(node: SessionsNode): vscode.TreeItem {
		switch (node.kind) {
			case 'workspace': return workspaceItem(node);
			case 'agent': return agentItem(node);
			case 'session': return sessionItem(node, this.badges.summaryOf(node.session.id), this.gates.get(node.session.id));
		}
	}

	/** The tooltip is drawn on hover: it carries the reward's breakdown, which is asked for then. */
	async resolveTreeItem(item: vscode.TreeItem, node: SessionsNode): Promise<vscode.TreeItem> {
		if (node.kind === 'session') {
			const score = await this.quality.score(node.session.id);
			item.tooltip = sessionTooltip(node.session, this.badges.summaryOf(node.session.id), this.gates.get(node.session.id), score);
		}
		return item;
	}

	dispose(): void {
		this.changed.dispose();
		for (const listener of this.listeners) {
			listener.dispose();
		}
	}

	private async setViewState(state: SessionsViewState): Promise<void> {
		this.viewState = state;
		await this.ctx.extension.workspaceState.update(VIEW_STATE_KEY, state);
		await this.showViewState();
		this.refresh();
	}

	private async showViewState(): Promise<void> {
		if (this.view) {
			this.view.description = viewDescription(this.viewState);
		}
		await vscode.commands.executeCommand('setContext', FILTERED_CONTEXT_KEY, isFiltered(this.viewState.filter));
	}

	private async load(): Promise<WorkspaceNode[]> {
		const client = await this.ctx.runningClient();
		if (!client) {
			// The welcome view explains the backend state; see `viewsWelcome` in package.json.
			this.setMessage(undefined);
			return [];
		}
		try {
			const [sessions, findings, report] = await Promise.all([
				client.sendRequest(ListSessionsRequest, {}), this.loadFindings(client), this.quality.gates(),
			]);
			this.badges.update(findings);
			this.gates = gatesById(report);
			const qualityOf: QualityOf = (id) => {
				const gate = this.gates.get(id);
				return gate && { reward: gate.reward, decision: qualityDecision(gate) };
			};
			const shown = filterSessions(sessions, this.viewState.filter, qualityOf);
			this.setMessage(filterMessage(this.viewState.filter, shown.length, sessions.length));
			return buildTree(shown, sessionComparator(this.viewState.sort, qualityOf));
		} catch (error) {
			if (this.ctx.state !== 'running') {
				// The backend went down meanwhile (e.g. it just reported it cannot run); the welcome view says so.
				return [];
			}
			this.ctx.output.error(`listing sessions: ${messageOf(error)}`);
			this.setMessage(`Could not list sessions: ${messageOf(error)}`);
			return [];
		}
	}

	/** Per-session totals only: `states: []` selects no individual finding. Without them the tree still shows sessions. */
	private async loadFindings(client: LanguageClient): Promise<SessionFindingsSummary[]> {
		try {
			return (await client.sendRequest(ListFindingsRequest, { states: [] })).sessions;
		} catch (error) {
			this.ctx.output.warn(`listing findings: ${messageOf(error)}`);
			return [];
		}
	}

	private setMessage(message: string | undefined): void {
		if (this.view) {
			this.view.message = message;
		}
	}
}

function gatesById(report: GateReport | undefined): Map<string, SessionGate> {
	return new Map((report?.sessions ?? []).map((gate) => [gate.sessionId, gate]));
}

/**
 * Groups summaries into the view's hierarchy. Folders and agents in name order; sessions (and
 * subagents under their parent) in `compare` order, newest first by default.
 */
export function buildTree(
	sessions: readonly SessionSummary[], compare: (a: SessionSummary, b: SessionSummary) => number = sessionComparator('time', () => undefined),
): WorkspaceNode[] {
	const byWorkspace = new Map<string | null, SessionSummary[]>();
	for (const session of sessions) {
		const key = session.workspace ?? session.cwd;
		byWorkspace.set(key, [...(byWorkspace.get(key) ?? []), session]);
	}
	const workspaces: WorkspaceNode[] = [];
	for (const [folder, members] of byWorkspace) {
		const workspace: WorkspaceNode = { kind: 'workspace', path: folder, agents: [] };
		const agents = [...new Set(members.map((session) => session.agent))].sort();
		for (const agent of agents) {
			const node: AgentNode = { kind: 'agent', agent, parent: workspace, sessions: [] };
			const ofAgent = members.filter((session) => session.agent === agent).sort(compare);
			const ids = new Set(ofAgent.map((session) => session.id));
			const placed = new Set<string>();
			const place = (session: SessionSummary, parent: AgentNode | SessionNode): SessionNode => {
				placed.add(session.id);
				const child: SessionNode = { kind: 'session', session, parent, subagents: [] };
				child.subagents = ofAgent
					.filter((other) => other.parent_session_id === session.id && !placed.has(other.id))
					.map((other) => place(other, child));
				return child;
			};
			const isRoot = (session: SessionSummary): boolean =>
				session.parent_session_id === null || !ids.has(session.parent_session_id);
			node.sessions = ofAgent.filter(isRoot).map((session) => place(session, node));
			// A parent link cycle leaves sessions unplaced; show them at the top rather than lose them.
			node.sessions.push(...ofAgent.filter((session) => !placed.has(session.id)).map((session) => place(session, node)));
			workspace.agents.push(node);
		}
		workspaces.push(workspace);
	}
	return workspaces.sort((a, b) => folderLabel(a.path).localeCompare(folderLabel(b.path)) || (a.path ?? '').localeCompare(b.path ?? ''));
}

/** Every session under a node, the node's own included, depth first. */
export function sessionsIn(node: SessionsNode): SessionSummary[] {
	switch (node.kind) {
		case 'workspace': return node.agents.flatMap(sessionsIn);
		case 'agent': return node.sessions.flatMap(sessionsIn);
		case 'session': return [node.session, ...node.subagents.flatMap(sessionsIn)];
	}
}

export function isSessionsNode(value: unknown): value is SessionsNode {
	const kind = (value as Partial<SessionsNode> | null | undefined)?.kind;
	return kind === 'workspace' || kind === 'agent' || kind === 'session';
}

function workspaceItem(node: WorkspaceNode): vscode.TreeItem {
	const item = new vscode.TreeItem(folderLabel(node.path), vscode.TreeItemCollapsibleState.Expanded);
	item.id = `workspace:${node.path ?? ''}`;
	item.tooltip = node.path ?? 'Sessions without a known folder';
	item.description = plural(sessionsIn(node).length, 'session');
	item.iconPath = vscode.ThemeIcon.Folder;
	item.contextValue = 'workspace';
	return item;
}

function agentItem(node: AgentNode): vscode.TreeItem {
	const item = new vscode.TreeItem(agentName(node.agent), vscode.TreeItemCollapsibleState.Expanded);
	item.id = `agent:${node.parent.path ?? ''}:${node.agent}`;
	item.description = plural(sessionsIn(node).length, 'session');
	item.iconPath = new vscode.ThemeIcon('hubot');
	item.contextValue = 'agent';
	return item;
}

function sessionItem(node: SessionNode, findings: SessionFindingsSummary | undefined, gate: SessionGate | undefined): vscode.TreeItem {
	const { session } = node;
	const collapsible = node.subagents.length > 0
		? vscode.TreeItemCollapsibleState.Collapsed
		: vscode.TreeItemCollapsibleState.None;
	const item = new vscode.TreeItem(sessionLabel(session), collapsible);
	item.id = `session:${session.id}`;
	item.description = sessionDescription(session, gate);
	// The badge provider decorates this URI; the label and icon stay ours.
	item.resourceUri = badgeUri(session.id);
	item.iconPath = sessionIcon(session, findings, gate);
	item.contextValue = session.opted_in ? 'session.optedIn' : 'session.optedOut';
	item.command = { title: 'Open Transcript', command: 'tracemint.openTranscript', arguments: [session.id] };
	return item;
}

/** `2026-02-10 21:20 · 19 messages · reward 0.72 · downgraded`: the decision only when it is not `accepted`. */
function sessionDescription(session: SessionSummary, gate: SessionGate | undefined): string {
	const parts = [formatDate(session.started_at), plural(session.message_count, 'message')];
	if (gate) {
		parts.push(`reward ${formatReward(gate.reward)}`);
		const decision = qualityDecision(gate);
		if (decision !== 'accepted') parts.push(decision);
	}
	return parts.filter(Boolean).join(' · ');
}

/** The shape says consent (a check, an empty circle) or a block (a lock); the colour says the gate. */
function sessionIcon(session: SessionSummary, findings: SessionFindingsSummary | undefined, gate: SessionGate | undefined): vscode.ThemeIcon {
	if (findings && isExportBlocked(findings.block)) {
		return new vscode.ThemeIcon('lock', new vscode.ThemeColor('list.errorForeground'));
	}
	const decision = gate && qualityDecision(gate);
	const color = decision === 'rejected' ? 'list.errorForeground'
		: decision === 'downgraded' ? 'list.warningForeground'
			: session.opted_in ? 'testing.iconPassed' : undefined;
	return new vscode.ThemeIcon(session.opted_in ? 'pass-filled' : 'circle-large-outline', color ? new vscode.ThemeColor(color) : undefined);
}

function sessionTooltip(
	session: SessionSummary, findings: SessionFindingsSummary | undefined, gate: SessionGate | undefined, score: SessionScore | undefined,
): vscode.MarkdownString {
	const rows: [string, string | null][] = [
		['Session', session.id],
		['Agent', agentName(session.agent)],
		['Folder', session.workspace ?? session.cwd],
		['Branch', session.git_branch],
		['Model', session.model],
		['Started', session.started_at],
		['Messages', String(session.message_count)],
		['Tokens', String(session.total_tokens)],
		['Consent', session.opted_in ? `opted in ${session.consent_at ?? ''}`.trim() : 'not opted in'],
		['Reward', gate || score ? `${formatReward(score?.reward ?? gate?.reward)}${score ? ` (${componentsText(score)})` : ''}` : null],
		['Gate', gate ? gateText(gate) : null],
		['Findings', findings ? findingsText(findings) : null],
		['Export', findings ? blockText(findings.block) : null],
	];
	const tooltip = new vscode.MarkdownString();
	tooltip.appendMarkdown(`**${escapeMarkdown(sessionLabel(session))}**\n\n`);
	for (const [key, value] of rows) {
		if (value) {
			tooltip.appendMarkdown(`${key}: `).appendText(value).appendMarkdown('  \n');
		}
	}
	for (const detail of gate?.details ?? []) {
		tooltip.appendMarkdown('- ').appendText(detail).appendMarkdown('\n');
	}
	return tooltip;
}

function folderLabel(folder: string | null): string {
	return folder ? path.basename(folder) || folder : '(no folder)';
}
