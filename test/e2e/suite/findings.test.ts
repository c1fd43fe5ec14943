/**
 * Findings in the editor, after the tests of tracemint.test.ts (they count sessions exactly):
 * test/e2e/run.mjs wrote a real Claude Code log that Read the workspace's `.env` (fake
 * credentials made at run time); importing it must put diagnostics on its transcript and on
 * `.env`, offer quick fixes that change the store, and badge the session in the tree, while no
 * message, tree label or tooltip carries a credential.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DecideFindings, ImportReport, ListFindings, SetSessionBlock } from '../../../shared/protocol';
import { DecideFindingsRequest, ListFindingsRequest, SetSessionBlockRequest } from '../../../shared/lsp';
import type { SecretSessions } from '../../support/secretSession.mjs';
import { findSession, screenshot, waitFor, type TreeNode } from './helpers';
import type { TestCase } from './index';

const EXTENSION_ID = 'tracemint.tracemint';
const ENV_RULES = ['aws-access-key-id', 'database-url-password', 'github-pat'];
const ACTIONS = {
	confirm: 'Redact: confirm this is a secret',
	falsePositive: 'Mark as false positive (never redact this value)',
	block: 'Block this session from export',
};

/** The part of the extension's activate() result these tests use (see client/src/extension.ts). */
interface TracemintApi {
	sessionsTree: vscode.TreeDataProvider<TreeNode> & { badges: vscode.FileDecorationProvider };
	ready(): Promise<boolean>;
	sendRequest<P, R>(type: { method: string }, params: P): Promise<R>;
}

export function findingsTests(): TestCase[] {
	const secrets = (): SecretSessions => {
		const json = process.env.TRACEMINT_E2E_SECRET_SESSIONS;
		assert.ok(json, 'TRACEMINT_E2E_SECRET_SESSIONS is not set; run the suite through test/e2e/run.mjs');
		return JSON.parse(json) as SecretSessions;
	};
	const api = (): TracemintApi => {
		const extension = vscode.extensions.getExtension<TracemintApi>(EXTENSION_ID);
		assert.ok(extension?.isActive, 'the extension is active');
		return extension.exports;
	};
	const transcript = (): vscode.Uri => vscode.Uri.parse(`tracemint-session:/${encodeURIComponent(secrets().envSession.id)}.md`);
	const envUri = (): vscode.Uri => vscode.Uri.file(secrets().envPath);
	const credentialsIn = (text: string): string[] => Object.values(secrets().credentials).filter((value) => text.includes(value));
	const findings = (): Promise<ListFindings.Result> =>
		api().sendRequest<ListFindings.Params, ListFindings.Result>(ListFindingsRequest, { sessionId: secrets().envSession.id });

	return [
		{
			name: 'tracemint.importNow imports the sessions that read the workspace .env',
			async run() {
				assert.equal(await api().ready(), true);
				const logs = process.env.TRACEMINT_E2E_SECRET_LOGS;
				assert.ok(logs, 'TRACEMINT_E2E_SECRET_LOGS is not set');
				const report = await vscode.commands.executeCommand<ImportReport | undefined>('tracemint.importNow', [logs]);
				assert.ok(report, 'importNow returned no report');
				assert.equal(report.sessions.added + report.sessions.updated + report.sessions.unchanged, 2);
			},
		},
		{
			name: 'findings are diagnostics on the transcript, over their placeholders, with masks instead of values',
			async run() {
				const editor = await vscode.commands.executeCommand<vscode.TextEditor>('tracemint.openTranscript', secrets().envSession.id);
				const document = editor.document;
				assert.equal(document.uri.toString(), transcript().toString());
				const diagnostics = await waitForDiagnostics(transcript(), (list) => list.length >= ENV_RULES.length, 'transcript diagnostics');
				assert.deepEqual(diagnostics.map((d) => String(d.code)).sort(), ENV_RULES);
				for (const d of diagnostics) {
					assert.equal(d.source, 'tracemint');
					assert.equal(d.severity, vscode.DiagnosticSeverity.Warning, `${String(d.code)} is open, so a warning`);
					const covered = document.getText(d.range);
					assert.match(covered, new RegExp(`^\\[REDACTED:${String(d.code)}#\\d+\\]$`), 'the range covers the placeholder');
					assert.match(d.message, new RegExp(`\\(${String(d.code)}, (critical|high)\\)\\. Value: .+…\\(\\d+ chars\\)\\. Redacted in exports as \\[REDACTED:`));
					assert.ok(d.message.includes(covered), 'the message names the placeholder');
				}
				assert.deepEqual(credentialsIn(JSON.stringify(diagnostics) + document.getText()), [], 'no credential in the transcript or its diagnostics');
				// The Problems panel lists every diagnostic the extension host knows about.
				assert.ok(vscode.languages.getDiagnostics().some(([uri, list]) => uri.toString() === transcript().toString() && list.length === diagnostics.length));
			},
		},
		{
			name: 'the workspace .env gets "Sent to Claude Code in session …" on each credential, without being opened',
			async run() {
				const diagnostics = await waitForDiagnostics(envUri(), (list) => list.length === ENV_RULES.length, '.env diagnostics');
				assert.deepEqual(diagnostics.map((d) => String(d.code)).sort(), ENV_RULES);
				const document = await vscode.workspace.openTextDocument(envUri());
				const { credentials } = secrets();
				const expected: Record<string, string> = {
					'github-pat': credentials.githubPat, 'aws-access-key-id': credentials.awsAccessKeyId, 'database-url-password': credentials.dbPassword,
				};
				for (const d of diagnostics) {
					assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
					assert.equal(document.getText(d.range), expected[String(d.code)], `${String(d.code)} range is the value in .env`);
					assert.match(d.message, new RegExp(`^Sent to Claude Code in session ".+" on \\d{4}-\\d\\d-\\d\\d \\(${String(d.code)}\\)\\. Consider rotating it\\.$`));
				}
				assert.deepEqual(credentialsIn(diagnostics.map((d) => d.message).join('\n')), []);
				await vscode.window.showTextDocument(document, { preview: true });
				await vscode.commands.executeCommand('workbench.actions.view.problems');
				await screenshot('findings-env');
			},
		},
		{
			name: 'a new .env.local with a leaked token gets its diagnostic when written, and loses it when deleted',
			async run() {
				const local = vscode.Uri.joinPath(envUri(), '..', '.env.local');
				const line = `GITHUB_TOKEN=${secrets().credentials.githubPat}\n`;
				await vscode.workspace.fs.writeFile(local, new TextEncoder().encode(line));
				const [diagnostic] = await waitForDiagnostics(local, (list) => list.length === 1, '.env.local diagnostics');
				assert.equal(diagnostic.code, 'github-pat');
				assert.deepEqual([diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.character], [0, 13, line.length - 1]);
				await vscode.workspace.fs.delete(local);
				await waitForDiagnostics(local, (list) => list.length === 0, '.env.local diagnostics to go');
			},
		},
		{
			name: 'the Sessions tree badges the session with its number of findings',
			async run() {
				const { sessionsTree } = api();
				const item = await sessionsTree.getTreeItem(await findSession(sessionsTree, secrets().envSession.id));
				const badged = item.resourceUri;
				assert.ok(badged, 'the tree item has a resource for its badge');
				const token = new vscode.CancellationTokenSource().token;
				// The tree reloads its totals on the StoreChanged that follows the background scan.
				await waitFor(async () => {
					await findSession(sessionsTree, secrets().envSession.id);
					return (await sessionsTree.badges.provideFileDecoration(badged, token))?.badge !== undefined;
				}, 'a badge', 20_000);
				const decoration = await sessionsTree.badges.provideFileDecoration(badged, token);
				assert.equal(decoration?.badge, String(ENV_RULES.length));
				assert.match(String(decoration?.tooltip), /^3 findings redacted \(3 open, 0 confirmed\)$/);
				assert.match(String(item.description), /^\d{4}-\d\d-\d\d \d\d:\d\d · \d+ messages · reward \d\.\d\d · rejected$/);
				// The tooltip is drawn on hover (it carries the reward's breakdown).
				const resolved = await sessionsTree.resolveTreeItem?.(item, await findSession(sessionsTree, secrets().envSession.id), token) ?? item;
				const tooltip = resolved.tooltip instanceof vscode.MarkdownString ? resolved.tooltip.value : String(resolved.tooltip);
				assert.match(tooltip, /Findings: 3\b/);
				assert.deepEqual(credentialsIn(JSON.stringify([item.label, item.description, tooltip])), []);
			},
		},
		{
			name: 'a finding offers redact, false positive and block as quick fixes',
			async run() {
				const diagnostic = await diagnosticFor(transcript(), 'github-pat');
				const titles = (await codeActionsAt(transcript(), diagnostic.range)).map((action) => action.title);
				assert.deepEqual(titles, [ACTIONS.confirm, ACTIONS.falsePositive, ACTIONS.block]);
			},
		},
		{
			name: '"Mark as false positive" allowlists the value in the store and its diagnostics go away',
			async run() {
				const diagnostic = await diagnosticFor(transcript(), 'github-pat');
				await runAction(transcript(), diagnostic.range, ACTIONS.falsePositive);
				const pat = (await findings()).findings.filter((f) => f.ruleId === 'github-pat');
				assert.deepEqual(pat.map((f) => f.state), ['false-positive']);
				const left = await waitForDiagnostics(transcript(), (list) => !list.some((d) => d.code === 'github-pat'), 'the github-pat diagnostic to go');
				assert.deepEqual(left.map((d) => String(d.code)).sort(), ['aws-access-key-id', 'database-url-password']);
				await waitForDiagnostics(envUri(), (list) => list.length === 2 && !list.some((d) => d.code === 'github-pat'), 'the .env github-pat diagnostic to go');
			},
		},
		{
			name: '"Redact: confirm" confirms the value: the diagnostic turns informational and stops offering it',
			async run() {
				const diagnostic = await diagnosticFor(transcript(), 'aws-access-key-id');
				await runAction(transcript(), diagnostic.range, ACTIONS.confirm);
				const aws = (await findings()).findings.filter((f) => f.ruleId === 'aws-access-key-id');
				assert.deepEqual(aws.map((f) => f.state), ['confirmed']);
				const [confirmed] = (await settledDiagnostics(transcript(),
					(list) => list.some((d) => d.code === 'aws-access-key-id' && d.severity === vscode.DiagnosticSeverity.Information), 'an informational diagnostic'))
					.filter((d) => d.code === 'aws-access-key-id');
				assert.match(confirmed.message, /Confirmed as sensitive\.$/);
				const titles = (await codeActionsAt(transcript(), confirmed.range)).map((action) => action.title);
				assert.deepEqual(titles, [ACTIONS.falsePositive, ACTIONS.block]);
			},
		},
		{
			name: '"Block this session" bars it from export and locks it in the tree; tracemint.session.release on the tree item undoes it',
			async run() {
				const diagnostic = await diagnosticFor(transcript(), 'database-url-password');
				await runAction(transcript(), diagnostic.range, ACTIONS.block);
				const blocked = (await findings()).sessions.find((s) => s.sessionId === secrets().envSession.id);
				assert.equal(blocked?.block, 'blocked-by-user');
				const { sessionsTree } = api();
				await waitFor(async () => {
					const icon = (await sessionsTree.getTreeItem(await findSession(sessionsTree, secrets().envSession.id))).iconPath;
					return icon instanceof vscode.ThemeIcon && icon.id === 'lock';
				}, 'the lock icon', 20_000);

				await vscode.commands.executeCommand('tracemint.session.release', await findSession(sessionsTree, secrets().envSession.id));
				const released = (await findings()).sessions.find((s) => s.sessionId === secrets().envSession.id);
				assert.equal(released?.block, 'none');
			},
		},
		{
			name: 'reopening the decisions brings every diagnostic back (and leaves the store as the import left it)',
			async run() {
				const ids = (await findings()).findings.map((f) => f.id);
				await api().sendRequest<DecideFindings.Params, DecideFindings.Result>(DecideFindingsRequest, { ids, decision: 'reopen' });
				await api().sendRequest<SetSessionBlock.Params, SetSessionBlock.Result>(SetSessionBlockRequest, { ids: [secrets().envSession.id], decision: 'clear' });
				const after = await findings();
				assert.deepEqual(after.findings.map((f) => f.state), ['open', 'open', 'open']);
				assert.equal(after.sessions.find((s) => s.sessionId === secrets().envSession.id)?.block, 'none');
				const list = await settledDiagnostics(transcript(), (diagnostics) => diagnostics.length === ENV_RULES.length, 'three diagnostics again');
				assert.ok(list.every((d) => d.severity === vscode.DiagnosticSeverity.Warning));
				await waitForDiagnostics(envUri(), (diagnostics) => diagnostics.length === ENV_RULES.length, 'three .env diagnostics again');
			},
		},
	];
}

async function diagnosticFor(uri: vscode.Uri, ruleId: string): Promise<vscode.Diagnostic> {
	const list = await settledDiagnostics(uri, (diagnostics) => diagnostics.some((d) => d.code === ruleId), `a ${ruleId} diagnostic`);
	return list.find((d) => d.code === ruleId) as vscode.Diagnostic;
}

/**
 * A decision re-renders the open transcript and re-publishes its diagnostics, separately; wait
 * until both show the same state, every range on its placeholder.
 */
async function settledDiagnostics(uri: vscode.Uri, done: (list: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
	const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
	assert.ok(document, `${uri.toString()} is open`);
	return waitForDiagnostics(uri, (list) => done(list)
		&& list.every((d) => new RegExp(`^\\[REDACTED:${String(d.code)}#\\d+\\]$`).test(document.getText(d.range))), `${what}, on placeholders`);
}

/** The editor cancels a code action request when the document changes meanwhile; ask again then. */
async function codeActionsAt(uri: vscode.Uri, range: vscode.Range, attempts = 5): Promise<vscode.CodeAction[]> {
	let actions: (vscode.CodeAction | vscode.Command)[];
	try {
		actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range);
	} catch (error) {
		if (attempts > 1 && (error as Error).name === 'Canceled') {
			await new Promise((resolve) => setTimeout(resolve, 200));
			return codeActionsAt(uri, range, attempts - 1);
		}
		throw error;
	}
	// Markdown's own actions (insert bold text...) show up on the transcript too; keep Tracemint's.
	return actions.filter((action): action is vscode.CodeAction => typeof action.command === 'object' && action.command.command.startsWith('tracemint.'));
}

/** Runs a quick fix the way the light bulb does: its command with its arguments. */
async function runAction(uri: vscode.Uri, range: vscode.Range, title: string): Promise<void> {
	const action = (await codeActionsAt(uri, range)).find((a) => a.title === title);
	assert.ok(action?.command, `no "${title}" quick fix`);
	await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

async function waitForDiagnostics(uri: vscode.Uri, done: (list: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
	const ours = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'tracemint');
	await waitFor(() => done(ours()), what, 20_000);
	return ours();
}
