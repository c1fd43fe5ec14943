/**
 * Live capture in the editor, last in the run: a real Claude Code log re-homed into the e2e
 * workspace is written where Claude Code keeps it in the sandbox HOME (which the backend
 * watches), then grown by one exchange at a time. Nothing asks for an import: the Sessions tree
 * must show the session, and then each new exchange, within 3 seconds of the write. The Sources
 * view must list every agent, with Claude Code's folder watched through native events.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SourceStatus } from '../../../shared/protocol';
import { appendExchange, writeLiveSession } from '../../support/liveSession.mjs';
import { descendants, env, screenshot, waitFor, type TreeNode } from './helpers';
import type { TestCase } from './index';

const LIMIT_MS = 3000;

interface TracemintApi {
	sessionsTree: vscode.TreeDataProvider<TreeNode>;
	sourcesTree: { list(): Promise<SourceStatus[]> };
}

export function liveCaptureTests(): TestCase[] {
	const api = (): TracemintApi => {
		const extension = vscode.extensions.getExtension<TracemintApi>('tracemint.tracemint');
		assert.ok(extension?.isActive, 'the extension is active');
		return extension.exports;
	};
	const inTree = async (id: string): Promise<TreeNode | undefined> => (await descendants(api().sessionsTree)).find((n) => n.session?.id === id);
	return [
		{
			name: 'live capture: a session the agent is writing appears in the Sessions tree, then each appended exchange, within 3 s',
			async run() {
				const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
				assert.ok(workspace, 'the e2e workspace is open');
				const started = Date.now();
				const live = writeLiveSession({
					source: path.join(env('TRACEMINT_E2E_FIXTURES'), 'claude-code', 'marot-spotter', 'short.jsonl'),
					workspace,
					projectsDir: path.join(env('TRACEMINT_E2E_AGENT_HOME'), '.claude', 'projects'),
					prompt: 'watch the log folder and show new turns as they come',
					answer: 'Done: the view follows the log.',
				});
				await waitFor(async () => (await inTree(live.id)) !== undefined, 'the new session in the Sessions tree', LIMIT_MS);
				console.log(`# new session in the tree after ${Date.now() - started} ms`);
				for (const n of [1, 2]) {
					const before = (await inTree(live.id))!.session!.message_count;
					const appended = Date.now();
					appendExchange({ file: live.file, prompt: `follow-up ${n}: and the status bar?`, answer: `follow-up ${n}: it updates too.` });
					await waitFor(async () => (await inTree(live.id))?.session?.message_count === before + 2, `exchange ${n} in the tree`, LIMIT_MS);
					console.log(`# exchange ${n} in the tree after ${Date.now() - appended} ms`);
					const item = await api().sessionsTree.getTreeItem((await inTree(live.id))!);
					assert.match(String(item.description), new RegExp(`\\b${before + 2} messages\\b`));
				}
			},
		},
		{
			name: 'the Sources view lists every agent; Claude Code is watched with native events and its sessions are counted',
			async run() {
				const sources = await api().sourcesTree.list();
				assert.equal(sources.length, 13);
				const claude = sources.find((s) => s.agent === 'claude-code');
				assert.ok(claude, 'Claude Code is a source');
				assert.equal(claude.enabled, true);
				assert.equal(claude.installed, true);
				const projects = path.join(env('TRACEMINT_E2E_AGENT_HOME'), '.claude', 'projects');
				assert.deepEqual(claude.locations.find((l) => l.dir === projects)?.state, 'events');
				assert.ok(claude.sessions > 0);
				assert.ok(claude.lastImportAt !== null);
				assert.equal(sources[0].agent, 'claude-code', 'the source with the most sessions comes first');
				await vscode.commands.executeCommand('tracemint.sources.focus');
				await screenshot('sources-view');
			},
		},
	];
}
