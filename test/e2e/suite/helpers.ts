/** What the in-editor suites share: environment, waiting, screenshots and walking the Sessions tree. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SessionSummary } from '../../../shared/model';

/** A Sessions tree node as the suites see it (client/src/views/sessionsTree.ts has the whole shape). */
export interface TreeNode {
	kind: 'workspace' | 'agent' | 'session';
	session?: SessionSummary;
}

/** A variable test/e2e/run.mjs sets for the suite. */
export function env(name: string): string {
	const value = process.env[name];
	assert.ok(value, `${name} is not set; run the suite through test/e2e/run.mjs`);
	return value;
}

export function tracemintConfig(scope?: vscode.Uri): vscode.WorkspaceConfiguration {
	return vscode.workspace.getConfiguration('tracemint', scope);
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}`);
		}
		await sleep(100);
	}
}

/**
 * Asks test/e2e/run.mjs for a screenshot of the workbench as it is now; the views redraw after
 * a debounce, so wait for them first, and give the browser time to capture.
 */
export async function screenshot(name: string): Promise<void> {
	await sleep(1000);
	console.log(`# screenshot: ${name}`);
	await sleep(1000);
}

/** A copy: the provider may hand out its own cached arrays. */
export async function children(tree: vscode.TreeDataProvider<TreeNode>, node?: TreeNode): Promise<TreeNode[]> {
	return [...(await tree.getChildren(node)) ?? []];
}

/** Every node below `node` (the roots when undefined), depth first. */
export async function descendants(tree: vscode.TreeDataProvider<TreeNode>, node?: TreeNode): Promise<TreeNode[]> {
	const found: TreeNode[] = [];
	for (const child of await children(tree, node)) {
		found.push(child, ...await descendants(tree, child));
	}
	return found;
}

export async function findSession(tree: vscode.TreeDataProvider<TreeNode>, id: string): Promise<TreeNode> {
	const node = (await descendants(tree)).find((candidate) => candidate.session?.id === id);
	assert.ok(node, `session ${id} is not in the Sessions tree`);
	return node;
}
