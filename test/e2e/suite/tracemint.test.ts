/**
 * End-to-end tests inside a real extension host: activation, import, the Sessions tree,
 * consent, transcripts and export, each through the commands a user would run.
 *
 * Expected counts come from importing the two fixture folders with the CLI
 * (`tracemint import PATH... --store FILE`, then `tracemint sessions --json --store FILE`):
 * 5 sessions in 3 workspace folders. The two spotter-4te sessions are subagents whose parent
 * log is not in the fixture, so they stay top-level.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { Session, SessionSummary } from '../../../shared/model';
import type { ExportReport, ImportReport, SetConsent } from '../../../shared/protocol';
import { GetSessionRequest, GetStatusRequest, ListSessionsRequest } from '../../../shared/lsp';
import { children, env, findSession, screenshot, sleep, tracemintConfig, waitFor, type TreeNode } from './helpers';
import type { TestCase } from './index';

const EXTENSION_ID = 'tracemint.tracemint';

/** The part of the extension's activate() result these tests use (see client/src/extension.ts). */
interface TracemintApi {
	sessionsTree: vscode.TreeDataProvider<TreeNode>;
	ready(): Promise<boolean>;
	backendState(): string;
	sendRequest<P, R>(type: { method: string }, params: P): Promise<R>;
}

const FIXTURE_FOLDERS = ['claude-code/marot-spotter', 'codex/codemie-code'];

/** workspace folder basename → agent label → session ids, in tree order (newest session first). */
const EXPECTED_TREE = {
	'codemie-code': {
		Codex: ['codex:019b7f94-51b4-7593-922e-ba12b5b73b52'],
	},
	spotter: {
		'Claude Code': ['claude-code:d6e0bada-1959-4eec-a9d2-0bfade768d8f', 'claude-code:55604662-cf2a-4331-851a-ec234028f8ca'],
	},
	'spotter-4te': {
		'Claude Code': [
			'claude-code:ae4a77f8-aedd-4bc1-888f-c94edc91af04:acompact-946d2b',
			'claude-code:ae4a77f8-aedd-4bc1-888f-c94edc91af04:aac57f5',
		],
	},
};
const SESSION_COUNT = 5;
const PHOENIX = 'claude-code:d6e0bada-1959-4eec-a9d2-0bfade768d8f';
const MIX = 'claude-code:55604662-cf2a-4331-851a-ec234028f8ca';

export function tracemintTests(): TestCase[] {
	let api: TracemintApi | undefined;
	const getApi = (): TracemintApi => {
		assert.ok(api, 'the extension did not activate');
		return api;
	};

	return [
		{
			name: 'activates when the Sessions view is opened and uses the store from TRACEMINT_STORE',
			async run() {
				const extension = vscode.extensions.getExtension<TracemintApi>(EXTENSION_ID);
				assert.ok(extension, `${EXTENSION_ID} is not loaded`);
				assert.equal(extension.isActive, false, 'activated before its view or a command was used');
				await vscode.commands.executeCommand('workbench.view.extension.tracemint');
				await waitFor(() => extension.isActive, 'activation through onView:tracemint.sessions');
				api = extension.exports;
				assert.equal(await api.ready(), true, 'the backend did not start');
				const status = await api.sendRequest<object, { store: string; sessions: number }>(GetStatusRequest, {});
				assert.equal(path.resolve(status.store), path.resolve(env('TRACEMINT_STORE')));
				assert.equal(status.sessions, 0, 'the store should start empty');
			},
		},
		{
			name: 'tracemint.importNow imports the fixture sessions',
			async run() {
				const paths = FIXTURE_FOLDERS.map((folder) => path.join(env('TRACEMINT_E2E_FIXTURES'), folder));
				const report = await vscode.commands.executeCommand<ImportReport | undefined>('tracemint.importNow', paths);
				assert.ok(report, 'importNow returned no report');
				assert.deepEqual(report.sessions, { added: SESSION_COUNT, updated: 0, unchanged: 0 });
				assert.equal(report.files.read, 5);
				assert.equal(report.malformed, 0);
				assert.deepEqual(report.warnings, []);
			},
		},
		{
			name: 'the Sessions tree groups sessions by workspace folder, then agent',
			async run() {
				const { sessionsTree } = getApi();
				const workspaces = await children(sessionsTree);
				const shape: Record<string, Record<string, string[]>> = {};
				for (const workspace of workspaces) {
					const item = await sessionsTree.getTreeItem(workspace);
					assert.equal(item.contextValue, 'workspace');
					assert.ok(typeof item.tooltip === 'string' && path.basename(item.tooltip) === label(item), 'tooltip is the full path');
					const agents: Record<string, string[]> = {};
					for (const agent of await children(sessionsTree, workspace)) {
						const sessions = await children(sessionsTree, agent);
						agents[label(await sessionsTree.getTreeItem(agent))] = sessions.map((node) => node.session?.id ?? '?');
					}
					shape[label(item)] = agents;
				}
				assert.deepEqual(shape, EXPECTED_TREE);

				const phoenix = await findSession(sessionsTree, PHOENIX);
				const item = await sessionsTree.getTreeItem(phoenix);
				assert.equal(label(item), 'start phoenix in background');
				// Its reward (every fixture scores below the balanced preset's floor) and the gates' verdict.
				assert.match(String(item.description), /^\d{4}-\d\d-\d\d \d\d:\d\d · 19 messages · reward \d\.\d\d · rejected$/);
				assert.equal(item.contextValue, 'session.optedOut');
			},
		},
		{
			name: 'tracemint.optIn on a multi-selection opts sessions in, in the tree and in the store',
			async run() {
				const { sessionsTree } = getApi();
				const phoenix = await findSession(sessionsTree, PHOENIX);
				const mix = await findSession(sessionsTree, MIX);
				// A tree context menu passes (clicked item, selected items).
				const result = await vscode.commands.executeCommand<SetConsent.Result>('tracemint.optIn', phoenix, [phoenix, mix]);
				assert.deepEqual([...result.changed].sort(), [MIX, PHOENIX].sort());
				assert.deepEqual(result.unknown, []);

				for (const id of [PHOENIX, MIX]) {
					const item = await sessionsTree.getTreeItem(await findSession(sessionsTree, id));
					assert.equal(item.contextValue, 'session.optedIn', `${id} tree item`);
					assert.ok(item.iconPath instanceof vscode.ThemeIcon && item.iconPath.id === 'pass-filled', `${id} has a check icon`);
				}
				const listed = await getApi().sendRequest<object, SessionSummary[]>(ListSessionsRequest, {});
				assert.deepEqual(listed.filter((session) => session.opted_in).map((session) => session.id).sort(), [MIX, PHOENIX].sort());
			},
		},
		{
			name: 'tracemint.optOut with a session id opts that session out; the CLI sees the same store',
			async run() {
				const result = await vscode.commands.executeCommand<SetConsent.Result>('tracemint.optOut', MIX);
				assert.deepEqual(result.changed, [MIX]);
				const item = await getApi().sessionsTree.getTreeItem(await findSession(getApi().sessionsTree, MIX));
				assert.equal(item.contextValue, 'session.optedOut');

				const extension = vscode.extensions.getExtension(EXTENSION_ID);
				assert.ok(extension);
				const cli = path.join(extension.extensionPath, 'server', 'out', 'cli.js');
				const { stdout } = await promisify(execFile)('node', [cli, 'sessions', '--json', '--store', env('TRACEMINT_STORE')]);
				const rows = JSON.parse(stdout) as { id: string; optedIn: boolean }[];
				assert.equal(rows.length, SESSION_COUNT);
				assert.deepEqual(rows.filter((row) => row.optedIn).map((row) => row.id), [PHOENIX]);
			},
		},
		{
			name: 'tracemint.openTranscript opens a read-only Markdown transcript with the prompt and tool calls',
			async run() {
				const session = await getApi().sendRequest<{ id: string }, Session | null>(GetSessionRequest, { id: PHOENIX });
				assert.ok(session, 'GetSession returned null');
				const prompt = session.messages.find((message) => message.role === 'user' && message.context === null);
				const call = session.messages.flatMap((message) => message.tool_calls ?? [])[0];
				assert.ok(prompt && call, 'the fixture session has a prompt and a tool call');

				const editor = await vscode.commands.executeCommand<vscode.TextEditor>('tracemint.openTranscript', PHOENIX);
				const document = editor.document;
				assert.equal(document.uri.toString(), `tracemint-session:/${encodeURIComponent(PHOENIX)}.md`);
				assert.equal(document.languageId, 'markdown');
				const text = document.getText();
				assert.ok(text.includes(prompt.content.split('\n')[0]), 'the first user prompt is in the transcript');
				assert.ok(text.includes(call.function.name) && text.includes(call.id), 'the first tool call is in the transcript');
				assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), document.uri.toString());

				// Typing is what a user would try: it edits a normal document, and must not touch the transcript.
				const scratch = await vscode.workspace.openTextDocument({ content: '' });
				await vscode.window.showTextDocument(scratch);
				await vscode.commands.executeCommand('type', { text: 'typed' });
				assert.equal(scratch.getText(), 'typed', 'typing works in a writable editor');
				await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
				await vscode.window.showTextDocument(document);
				await vscode.commands.executeCommand('type', { text: 'tampered ' });
				assert.equal(document.getText(), text, 'typing changed the transcript');
				assert.equal(document.isDirty, false);
			},
		},
		{
			name: 'tracemint.exportDataset exports only the opted-in session, under the workspace\'s gate settings',
			async run() {
				const folder = vscode.workspace.workspaceFolders?.[0];
				assert.ok(folder, 'the e2e workspace folder is open');
				const out = path.join(folder.uri.fsPath, 'tracemint-out');
				// The fixtures score below every preset's reward floor; the workspace lowers it, and the export must follow.
				await tracemintConfig().update('gates.rewardFloor', 0, vscode.ConfigurationTarget.Workspace);
				try {
					const report = await vscode.commands.executeCommand<ExportReport | undefined>('tracemint.exportDataset', out);
					assert.ok(report, 'exportDataset returned no report');
					assert.equal(report.sessions.exported, 1);
					assert.equal(report.sessions.skippedNotOptedIn, SESSION_COUNT - 1);
					assert.ok(fs.existsSync(report.manifest), 'the manifest was written');
					const rows = report.formats.flatMap((format) => Object.values(format.rows)).reduce((sum, n) => sum + n, 0);
					assert.equal(rows, 1);
					assert.ok(report.gates, 'the report carries the gates it applied');
					assert.equal(report.gates.thresholds.rewardFloor, 0);
					assert.equal(report.gates.counts.rejected, SESSION_COUNT - 1);
					assert.equal(report.gates.counts.accepted + report.gates.counts.downgraded, 1);
					assert.ok(report.gates.sessions.find((gate) => gate.sessionId === PHOENIX)?.split, 'the opted-in session has a split');
				} finally {
					await tracemintConfig().update('gates.rewardFloor', undefined, vscode.ConfigurationTarget.Workspace);
				}
			},
		},
		{
			name: 'a store the backend cannot open stops it for good, and commands explain instead of failing',
			async run() {
				// A path below a regular file can never be created: the server reports BackendUnavailable.
				const badStore = path.join(env('TRACEMINT_E2E_FIXTURES'), 'SOURCES.md', 'store.sqlite');
				await tracemintConfig().update('store.path', badStore, vscode.ConfigurationTarget.Global);
				try {
					await vscode.commands.executeCommand('tracemint.restartBackend');
					await waitFor(() => getApi().backendState() === 'unavailable', 'the BackendUnavailable notification');
					assert.equal(await getApi().ready(), false);
					// No restart loop: it stays down.
					await sleep(1500);
					assert.equal(getApi().backendState(), 'unavailable');
					assert.equal(await vscode.commands.executeCommand('tracemint.importNow'), undefined);
					assert.equal(await vscode.commands.executeCommand('tracemint.optIn', PHOENIX), undefined);
					assert.deepEqual(await children(getApi().sessionsTree), []);
					await screenshot('backend-unavailable');
				} finally {
					await tracemintConfig().update('store.path', undefined, vscode.ConfigurationTarget.Global);
				}
			},
		},
		{
			name: 'a Node runtime that does not exist fails the start once, without a restart loop',
			async run() {
				const missing = path.join(env('TRACEMINT_E2E_FIXTURES'), 'no-such-node');
				await tracemintConfig().update('server.runtime', missing, vscode.ConfigurationTarget.Global);
				try {
					await vscode.commands.executeCommand('tracemint.restartBackend');
					assert.equal(await getApi().ready(), false);
					await sleep(1500);
					assert.equal(getApi().backendState(), 'failed');
					assert.equal(await vscode.commands.executeCommand('tracemint.refreshSessions'), undefined);
					assert.deepEqual(await children(getApi().sessionsTree), []);
				} finally {
					await tracemintConfig().update('server.runtime', undefined, vscode.ConfigurationTarget.Global);
				}
			},
		},
		{
			name: 'tracemint.restartBackend restarts the backend against the same store',
			async run() {
				await vscode.commands.executeCommand('tracemint.restartBackend');
				assert.equal(await getApi().ready(), true);
				const listed = await getApi().sendRequest<object, SessionSummary[]>(ListSessionsRequest, {});
				assert.equal(listed.length, SESSION_COUNT);
				assert.equal((await children(getApi().sessionsTree)).length, Object.keys(EXPECTED_TREE).length);
				// Leave the view and the transcript on screen for the runner's screenshot.
				await vscode.commands.executeCommand('workbench.view.extension.tracemint');
				await vscode.commands.executeCommand('tracemint.openTranscript', PHOENIX);
				await screenshot('workbench');
			},
		},
	];
}

function label(item: vscode.TreeItem): string {
	return typeof item.label === 'string' ? item.label : item.label?.label ?? '';
}
