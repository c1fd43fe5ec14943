/**
 * The "Sessions" view: sessions grouped by workspace folder, then by agent. Subagent sessions
 * sit under the session that spawned them when that session is in the store too. Sessions with
 * findings carry a badge (see sessionBadges.ts); blocked ones a lock.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { AgentId, SessionSummary } from '../../../shared/model';
import { isExportBlocked, type SessionFindingsSummary } from '../../../shared/protocol';
import { ListFindingsRequest, ListSessionsRequest } from '../../../shared/lsp';
import { messageOf, plural, type Ctx } from '../ctx';
import { badgeUri, blockText, findingsText, SessionBadges } from './sessionBadges';

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

const AGENT_NAMES: Record<AgentId, string> = { 'claude-code': 'Claude Code', codex: 'Codex' };

export class SessionsTree implements vscode.TreeDataProvider<SessionsNode>, vscode.Disposable {
	private readonly changed = new vscode.EventEmitter<SessionsNode | undefined>();
	private readonly listeners: vscode.Disposable[];
	private roots: Promise<WorkspaceNode[]> | undefined;
	private view: vscode.TreeView<SessionsNode> | undefined;

	readonly onDidChangeTreeData = this.changed.event;
	/** Findings per session, refreshed with the tree; also the badge provider. */
	readonly badges = new SessionBadges();

	constructor(private readonly ctx: Ctx) {
		this.listeners = [
			this.badges,
			vscode.window.registerFileDecorationProvider(this.badges),
			ctx.onStoreChanged(() => this.refresh()),
			// Entering or leaving `running` changes what the view can show.
			ctx.onDidChangeState(() => this.refresh()),
		];
	}

	/** The view shows load errors as its message. */
	attach(view: vscode.TreeView<SessionsNode>): void {
		this.view = view;
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
			case 'session': return sessionItem(node, this.badges.summaryOf(node.session.id));
		}
	}

	dispose(): void {
		this.changed.dispose();
		for (const listener of this.listeners) {
			listener.dispose();
		}
	}

	private async load(): Promise<WorkspaceNode[]> {
		const client = await this.ctx.runningClient();
		if (!client) {
			// The welcome view explains the backend state; see `viewsWelcome` in package.json.
			this.setMessage(undefined);
			return [];
		}
		try {
			const [sessions, findings] = await Promise.all([client.sendRequest(ListSessionsRequest, {}), this.loadFindings(client)]);
			this.badges.update(findings);
			this.setMessage(undefined);
			return buildTree(sessions);
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

/** Groups summaries into the view's hierarchy; sorted so the tree is stable across refreshes. */
export function buildTree(sessions: readonly SessionSummary[]): WorkspaceNode[] {
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
			const ofAgent = members.filter((session) => session.agent === agent).sort(newestFirst);
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

export function agentName(agent: AgentId): string {
	return AGENT_NAMES[agent] ?? agent;
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

function sessionItem(node: SessionNode, findings: SessionFindingsSummary | undefined): vscode.TreeItem {
	const { session } = node;
	const collapsible = node.subagents.length > 0
		? vscode.TreeItemCollapsibleState.Collapsed
		: vscode.TreeItemCollapsibleState.None;
	const item = new vscode.TreeItem(sessionLabel(session), collapsible);
	item.id = `session:${session.id}`;
	item.description = [formatDate(session.started_at), plural(session.message_count, 'message')].filter(Boolean).join(' · ');
	item.tooltip = sessionTooltip(session, findings);
	// The badge provider decorates this URI; the label and icon stay ours.
	item.resourceUri = badgeUri(session.id);
	item.iconPath = findings && isExportBlocked(findings.block)
		? new vscode.ThemeIcon('lock', new vscode.ThemeColor('list.errorForeground'))
		: session.opted_in
			? new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'))
			: new vscode.ThemeIcon('circle-large-outline');
	item.contextValue = session.opted_in ? 'session.optedIn' : 'session.optedOut';
	item.command = { title: 'Open Transcript', command: 'tracemint.openTranscript', arguments: [session.id] };
	return item;
}

export function sessionLabel(session: SessionSummary): string {
	return session.title?.trim() || session.subagent_type || session.id;
}

function sessionTooltip(session: SessionSummary, findings: SessionFindingsSummary | undefined): vscode.MarkdownString {
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
	return tooltip;
}

function folderLabel(folder: string | null): string {
	return folder ? path.basename(folder) || folder : '(no folder)';
}

function newestFirst(a: SessionSummary, b: SessionSummary): number {
	return (b.started_at ?? '').localeCompare(a.started_at ?? '') || a.id.localeCompare(b.id);
}

/** Local `YYYY-MM-DD HH:MM`: sortable, and the same on every machine's locale. */
function formatDate(iso: string | null): string {
	const date = iso ? new Date(iso) : undefined;
	if (!date || Number.isNaN(date.getTime())) {
		return '';
	}
	const pad = (n: number): string => String(n).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function escapeMarkdown(text: string): string {
	return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
