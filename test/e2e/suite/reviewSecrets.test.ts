/**
 * The Review Secrets panel, driven in the real browser. The suite opens the panel here, in the
 * extension host; the clicks and keys happen in Chromium through test/e2e/browserSteps.mjs (a
 * `# browser:` console line, answered with a result file), and every test then checks the
 * store through the backend, so a click that changes nothing fails.
 *
 * Data: the two sessions test/e2e/run.mjs writes with test/support/secretSession.mjs (a leaked
 * `.env` with generated credentials, and a pasted private key). The suite leaves every finding
 * and session block as it found them, for whatever runs after it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SessionSummary } from '../../../shared/model';
import type { FindingDecision, FindingState, ImportReport, ListFindings, SessionBlockState } from '../../../shared/protocol';
import { DecideFindingsRequest, ListFindingsRequest, ListSessionsRequest, SetSessionBlockRequest } from '../../../shared/lsp';
import type { ReviewRendered } from '../../../shared/webviewProtocol';
import { env, sleep, waitFor } from './helpers';
import type { TestCase } from './index';

const EXTENSION_ID = 'tracemint.tracemint';
/** The page's root element: how the browser steps find the webview's frame. */
const PAGE = '#review';

interface TracemintApi {
	ready(): Promise<boolean>;
	sendRequest<P, R>(type: { method: string }, params: P): Promise<R>;
}

/** What tracemint.reviewSecrets returns (client/src/webviews/reviewSecretsPanel.ts). */
interface ReviewSecretsHandle {
	readonly panel: vscode.WebviewPanel;
	readonly rendered: ReviewRendered | undefined;
	waitForRender(test: (rendered: ReviewRendered) => boolean, timeoutMs?: number): Promise<ReviewRendered>;
}

/** What test/e2e/run.mjs puts in TRACEMINT_E2E_SECRET_SESSIONS (the part used here). */
interface SecretSessions {
	credentials: Record<string, string>;
	envSession: { id: string };
	keySession: { id: string };
}

type BrowserAction = { click: string } | { press: string } | { waitFor: string } | { screenshot: string } | { html: string };

export function reviewSecretsTests(): TestCase[] {
	let api: TracemintApi | undefined;
	let review: ReviewSecretsHandle | undefined;
	/** The store before this suite touched it; the last test puts it back. */
	let before: ListFindings.Result | undefined;
	/** Chosen from the page's first render: one finding for the click, another for the keys. */
	let clicked: number | undefined;
	let keyed: number | undefined;

	const getApi = () => must(api, 'the extension did not activate');
	const getReview = () => must(review, 'the Review Secrets panel did not open');
	const findings = () => getApi().sendRequest<ListFindings.Params, ListFindings.Result>(ListFindingsRequest, {});
	const stateOf = async (id: number) => (await findings()).findings.find((f) => f.id === id)?.state;
	const blockOf = async (sessionId: string) => (await findings()).sessions.find((s) => s.sessionId === sessionId)?.block;

	return [
		{
			name: 'tracemint.reviewSecrets shows every finding in the real page, masked, under a CSP it keeps',
			async run() {
				const extension = must(vscode.extensions.getExtension<TracemintApi>(EXTENSION_ID), `${EXTENSION_ID} is not loaded`);
				api = extension.isActive ? extension.exports : await extension.activate();
				assert.equal(await api.ready(), true, 'the backend is not running');
				const secrets = JSON.parse(env('TRACEMINT_E2E_SECRET_SESSIONS')) as SecretSessions;
				await importSecretSessions(api, secrets.envSession.id);
				before = await waitForFindings(api, secrets.envSession.id);
				const ids = before.findings.map((f) => f.id);
				// Every value redacted again (an earlier suite may have marked some false positive, which
				// un-redacts them by design), so no credential may show up anywhere in the page.
				const decided = before.findings.filter((f) => f.state !== 'open').map((f) => f.id);
				if (decided.length > 0) await decide(api, decided, 'reopen');

				review = await vscode.commands.executeCommand<ReviewSecretsHandle>('tracemint.reviewSecrets');
				const rendered = await review.waitForRender((r) => r.visibleIds.length === ids.length, 30_000);
				const [html] = await inBrowser([{ waitFor: `${PAGE} [data-finding-id]` }, { html: PAGE }]);
				assert.deepEqual([...rendered.visibleIds].sort(byNumber), [...ids].sort(byNumber), 'one row per finding, none filtered out');
				assert.deepEqual(rendered.cspViolations, [], 'the page broke its Content-Security-Policy');

				assert.doesNotMatch(html, /data-state="(?:confirmed|false-positive)"/, 'the page shows every finding open');
				for (const id of ids) {
					assert.ok(html.includes(`data-finding-id="${id}"`), `finding ${id} has a row in the page`);
				}
				for (const finding of before.findings) {
					assert.ok(html.includes(escapeHtml(finding.context.masked)), `the masked value of finding ${finding.id} is shown`);
				}
				// A mask may show a value's first characters, never the rest: look for the rest, and for its tail
				// (what a cut-off context would show).
				for (const [name, value] of Object.entries(secrets.credentials)) {
					for (const part of value.split('\n')) {
						assert.ok(!html.includes(part.slice(4)) && !html.includes(part.slice(-8)), `the raw ${name} reached the webview`);
					}
				}

				// Keys act on the second row; the click on an .env finding that is not that row.
				assert.ok(rendered.visibleIds.length >= 3, `the secret sessions give at least 3 findings, got ${rendered.visibleIds.length}`);
				keyed = rendered.visibleIds[1];
				const envRows = rendered.visibleIds.filter((id) => before?.findings.find((f) => f.id === id)?.sessionId === secrets.envSession.id);
				clicked = must(envRows.filter((id) => id !== keyed).at(-1), 'an .env finding besides the keyed row');
			},
		},
		{
			name: 'clicking "False positive" on a row in the browser marks that finding false-positive in the store',
			async run() {
				const id = must(clicked, 'no finding chosen');
				assert.equal(await stateOf(id), 'open');
				const started = Date.now();
				await inBrowser([
					{ click: `${PAGE} [data-finding-id="${id}"] [data-action="false-positive"]` },
					{ waitFor: `${PAGE} [data-finding-id="${id}"][data-state="false-positive"]` },
					{ screenshot: 'review-secrets' },
				]);
				assert.equal(await stateOf(id), 'false-positive', 'the store did not change');
				const shot = path.join(extensionPath(), 'test', 'e2e', 'artifacts', 'review-secrets.png');
				assert.ok(fs.existsSync(shot) && fs.statSync(shot).mtimeMs >= started - 1000, `no fresh screenshot at ${shot}`);
			},
		},
		{
			name: 'keys in the browser: j/k move between rows, Space selects, c confirms only the selection',
			async run() {
				const id = must(keyed, 'no finding chosen');
				const first = getReview().rendered?.visibleIds[0];
				assert.equal(await stateOf(id), 'open');
				// A click on a row's text focuses the row (not a button); then only keys.
				await inBrowser([
					{ click: `${PAGE} [data-finding-id="${first}"] .rule` },
					{ press: 'j' }, { press: 'k' }, { press: 'ArrowDown' }, { press: 'Space' }, { press: 'c' },
					{ waitFor: `${PAGE} [data-finding-id="${id}"][data-state="confirmed"]` },
				]);
				assert.equal(await stateOf(id), 'confirmed', 'c did not confirm the focused, selected row');
				assert.equal(await stateOf(must(clicked, 'no finding chosen')), 'false-positive', 'c changed a finding that was not selected');
				const rendered = getReview().rendered;
				assert.equal(rendered?.focusedId, id, 'focus is on the second row');
				assert.deepEqual(rendered?.selectedIds, [id], 'Space selected the focused row');
			},
		},
		{
			name: '"Select all visible" then "Block session(s)" blocks every session shown; "Release" releases them',
			async run() {
				const sessionIds = [...new Set((await findings()).findings.map((f) => f.sessionId))];
				await inBrowser([{ click: `${PAGE} #select-all` }, { click: `${PAGE} [data-action="bulk-block"]` }]);
				await waitFor(async () => (await Promise.all(sessionIds.map(blockOf))).every((b) => b === 'blocked-by-user'), 'every session blocked by the user');
				// The selection survives the refresh, so Release applies to the same sessions.
				await getReview().waitForRender((r) => r.selectedIds.length === r.visibleIds.length);
				await inBrowser([{ click: `${PAGE} [data-action="bulk-release"]` }]);
				// `released` where a finding blocks the session (a private key), `none` where only the person did.
				await waitFor(async () => (await Promise.all(sessionIds.map(blockOf))).every((b) => b === 'released' || b === 'none'), 'every session released');
			},
		},
		{
			name: 'a filter chosen in the browser is back after the page is discarded (panel hidden) and rebuilt',
			async run() {
				const panel = getReview().panel;
				const all = (await findings()).findings;
				const severity = must(all.find((f) => f.severity !== all[0].severity) ?? all[0], 'a finding').severity;
				const expected = all.filter((f) => f.severity === severity).map((f) => f.id).sort(byNumber);
				await inBrowser([{ click: `${PAGE} #filter-severity` }, { click: `${PAGE} #filter-severity [value="${severity}"]` }]);
				const filtered = await getReview().waitForRender((r) => r.filters.severity === severity);
				assert.deepEqual([...filtered.visibleIds].sort(byNumber), expected, 'the filter shows only that severity');

				// Another editor over the panel: with retainContextWhenHidden off, its page is thrown away.
				const other = await vscode.workspace.openTextDocument({ content: 'covers the panel' });
				await vscode.window.showTextDocument(other, { viewColumn: panel.viewColumn, preview: false });
				await waitFor(() => !panel.visible, 'the panel to be hidden');
				await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
				panel.reveal();
				const reloaded = await getReview().waitForRender((r) => r.instance !== filtered.instance, 30_000);
				assert.equal(reloaded.filters.severity, severity, 'the severity filter was lost');
				assert.deepEqual([...reloaded.visibleIds].sort(byNumber), expected);
				const [dropdown] = await inBrowser([{ html: `${PAGE} #filter-severity [value="${severity}"]` }, { screenshot: 'review-secrets-filter-restored' }]);
				assert.match(dropdown, /aria-selected="true"/, 'the dropdown shows the restored filter');
			},
		},
		{
			name: 'the review leaves findings and session blocks as it found them',
			async run() {
				const original = must(before, 'nothing to restore');
				const now = await findings();
				for (const finding of now.findings) {
					const was = original.findings.find((f) => f.id === finding.id)?.state;
					if (was && was !== finding.state) await decide(getApi(), [finding.id], REDO[was]);
				}
				for (const session of now.sessions) {
					const was = original.sessions.find((s) => s.sessionId === session.sessionId)?.block;
					if (was && was !== session.block) {
						await getApi().sendRequest(SetSessionBlockRequest, { ids: [session.sessionId], decision: UNDO_BLOCK[was] });
					}
				}
				const after = await findings();
				assert.deepEqual(after.findings.map((f) => [f.id, f.state]), original.findings.map((f) => [f.id, f.state]));
				assert.deepEqual(after.sessions.map((s) => [s.sessionId, s.block]), original.sessions.map((s) => [s.sessionId, s.block]));
				getReview().panel.dispose();
			},
		},
	];
}

const REDO: Record<FindingState, FindingDecision> = { 'open': 'reopen', 'confirmed': 'confirm', 'false-positive': 'false-positive' };
const UNDO_BLOCK: Record<SessionBlockState, 'block' | 'release' | 'clear'> = {
	'none': 'clear', 'blocked-by-finding': 'clear', 'blocked-by-user': 'block', 'released': 'release',
};

/** Imports the secret sessions unless an earlier suite already did. */
async function importSecretSessions(api: TracemintApi, envSessionId: string): Promise<void> {
	const sessions = await api.sendRequest<object, SessionSummary[]>(ListSessionsRequest, {});
	if (sessions.some((s) => s.id === envSessionId)) return;
	const report = await vscode.commands.executeCommand<ImportReport | undefined>('tracemint.importNow', [env('TRACEMINT_E2E_SECRET_LOGS')]);
	assert.ok(report && report.sessions.added + report.sessions.updated >= 1, 'the secret sessions were not imported');
}

/** The scan runs after the import, in the background: wait until the .env session's findings are in and the count holds. */
async function waitForFindings(api: TracemintApi, sessionId: string): Promise<ListFindings.Result> {
	let last = -1;
	for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(300)) {
		const result = await api.sendRequest<ListFindings.Params, ListFindings.Result>(ListFindingsRequest, {});
		const count = result.findings.length;
		if (count === last && result.findings.some((f) => f.sessionId === sessionId)) return result;
		last = count;
	}
	throw new Error(`no findings for ${sessionId} after the import`);
}

async function decide(api: TracemintApi, ids: number[], decision: FindingDecision): Promise<void> {
	await api.sendRequest(DecideFindingsRequest, { ids, decision });
}

let step = 0;

/**
 * Runs actions in the webview in Chromium (see test/e2e/browserSteps.mjs) and returns the HTML
 * the `html` actions read. Throws with the harness's reason when a step fails.
 */
async function inBrowser(actions: BrowserAction[], timeoutMs = 30_000): Promise<string[]> {
	const id = `review-${++step}`;
	const file = path.join(env('TRACEMINT_E2E_BROWSER_STEPS'), `${id}.json`);
	console.log(`# browser: ${id} ${JSON.stringify({ frame: PAGE, actions })}`);
	for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(100)) {
		if (fs.existsSync(file)) {
			const result = JSON.parse(fs.readFileSync(file, 'utf8')) as { ok: boolean; error?: string; html?: string[] };
			if (!result.ok) throw new Error(`browser step ${id} failed: ${result.error}`);
			return result.html ?? [];
		}
	}
	throw new Error(`browser step ${id} got no answer in ${timeoutMs} ms; is the suite running under test/e2e/run.mjs?`);
}

function extensionPath(): string {
	return must(vscode.extensions.getExtension(EXTENSION_ID), `${EXTENSION_ID} is not loaded`).extensionPath;
}

function must<T>(value: T | undefined | null, message: string): T {
	assert.ok(value !== undefined && value !== null, message);
	return value;
}

/** The page sets text, so the HTML holds it escaped. */
function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\u00a0/g, '&nbsp;');
}

function byNumber(a: number, b: number): number {
	return a - b;
}

