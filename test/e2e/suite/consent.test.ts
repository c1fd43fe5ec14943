/**
 * Consent, reward and gates in the editor, after the other suites (they count sessions exactly):
 * sessions an agent is "writing now" are real Claude Code logs re-homed into the e2e workspace
 * with fresh timestamps (test/support/liveSession.mjs), written where Claude Code keeps them in
 * the sandbox HOME. The tests go through what a user touches: the status bar item and its
 * command, the transcript's CodeLens, the Sessions tree's commands, the notifications of
 * `tracemint.optIn.default` (answered through the extension's prompt hook), and check the store
 * each time, consent origins included (read from the store's consent log).
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { SessionSummary } from '../../../shared/model';
import type { EvaluateGates, ForgetSessions, ImportReport, RateSession, ScoreSessions, SetConsent } from '../../../shared/protocol';
import type { GateReport, SessionGate } from '../../../shared/quality';
import { EvaluateGatesRequest, ListSessionsRequest, ScoreSessionsRequest } from '../../../shared/lsp';
import { writeLiveSession, type LiveSession } from '../../support/liveSession.mjs';
import { children, descendants, env, findSession, screenshot, sleep, tracemintConfig, waitFor, type TreeNode } from './helpers';
import type { TestCase } from './index';

const EXTENSION_ID = 'tracemint.tracemint';

/** What the status bar item shows (client/src/views/currentSessionText.ts). */
interface CurrentSessionFacts {
	session: SessionSummary;
	live: boolean;
	gate?: SessionGate;
	findings?: number;
}

interface Prompt {
	message: string;
	choices: string[];
	modal?: boolean;
	detail?: string;
}

/** The part of the extension's activate() result these tests use (see client/src/extension.ts). */
interface TracemintApi {
	sessionsTree: vscode.TreeDataProvider<TreeNode> & { state: { sort: string; filter: { decisions: string[]; consent: string[] } } };
	currentSession: { item: vscode.StatusBarItem; refresh(): Promise<CurrentSessionFacts | undefined> };
	prompts: { onDidShow: vscode.Event<Prompt>; respondWith(responder: ((prompt: Prompt) => string | undefined) | undefined): void };
	optInDefaultSettled(): Promise<void>;
	ready(): Promise<boolean>;
	sendRequest<P, R>(type: { method: string }, params: P): Promise<R>;
}

/** The decision apart from consent, as the tree and "Opt In All Accepted" use it (client/src/quality/qualityText.ts). */
const HARD = ['blocking-finding', 'missing-user-message', 'missing-assistant-message', 'reward-below-floor', 'exact-duplicate', 'agent-bookkeeping'];
function qualityDecision(gate: SessionGate): string {
	const reasons = gate.reasons.filter((reason) => reason !== 'not-opted-in');
	return reasons.some((reason) => HARD.includes(reason)) ? 'rejected' : reasons.length > 0 ? 'downgraded' : 'accepted';
}

export function consentTests(): TestCase[] {
	/** The session the agent writes first (opted in by optIn.default=always), then the ones `ask` asks about. */
	let live: LiveSession | undefined;
	let later: LiveSession | undefined;
	let accepted: LiveSession | undefined;
	const api = (): TracemintApi => {
		const extension = vscode.extensions.getExtension<TracemintApi>(EXTENSION_ID);
		assert.ok(extension?.isActive, 'the extension is active');
		return extension.exports;
	};
	const must = <T>(value: T | undefined, what: string): T => {
		assert.ok(value !== undefined, what);
		return value;
	};
	const sessions = () => api().sendRequest<object, SessionSummary[]>(ListSessionsRequest, {});
	const sessionOf = async (id: string) => (await sessions()).find((s) => s.id === id);
	const workspace = () => must(vscode.workspace.workspaceFolders?.[0], 'the e2e workspace folder is open').uri.fsPath;
	/** A new log in Claude Code's folder of the sandbox HOME, for the session the agent writes now. */
	const agentWrites = (prompt: string): LiveSession => writeLiveSession({
		source: path.join(env('TRACEMINT_E2E_FIXTURES'), 'claude-code', 'marot-spotter', 'short.jsonl'),
		workspace: workspace(),
		projectsDir: path.join(env('TRACEMINT_E2E_AGENT_HOME'), '.claude', 'projects'),
		prompt,
		answer: `Noted: ${prompt}`,
	});
	const workspaceConfig = () => tracemintConfig(vscode.workspace.workspaceFolders?.[0]?.uri);

	return [
		{
			name: 'the background import picks up a session the agent is writing, and optIn.default=always opts it in',
			async run() {
				assert.equal(await api().ready(), true);
				await workspaceConfig().update('optIn.default', 'always', vscode.ConfigurationTarget.Workspace);
				try {
					live = agentWrites('make the scroll-back work in the embedded terminal');
					// Only the timer imports here: nothing names the file.
					await tracemintConfig().update('import.intervalSeconds', 1, vscode.ConfigurationTarget.Global);
					const id = live.id;
					await waitFor(async () => (await sessionOf(id))?.opted_in === true, 'the background import and the opt-in', 30_000);
					const session = must(await sessionOf(id), 'the session is in the store');
					assert.ok(session.consent_at, 'the consent decision has a time');
					assert.deepEqual((await consentLog(id)).map((row) => [row.opted_in, row.origin]), [[1, 'optIn.default=always']]);
				} finally {
					await tracemintConfig().update('import.intervalSeconds', undefined, vscode.ConfigurationTarget.Global);
					await workspaceConfig().update('optIn.default', undefined, vscode.ConfigurationTarget.Workspace);
				}
			},
		},
		{
			name: 'the status bar shows the workspace\'s live session: agent, reward, findings and consent',
			async run() {
				const { id } = must(live, 'no live session');
				const facts = must(await api().currentSession.refresh(), 'the status bar item is hidden');
				assert.equal(facts.session.id, id, 'the most recently active session of the workspace');
				assert.equal(facts.live, true);
				const { item } = api().currentSession;
				assert.match(item.text, /^\$\(pass-filled\) Claude Code live · reward \d\.\d\d · \d+ findings? · opted in$/);
				const gates = await gateReport();
				const reward = must(gates.sessions.find((gate) => gate.sessionId === id), 'the session has a gate decision').reward;
				assert.ok(item.text.includes(`reward ${reward?.toFixed(2)}`), `the status bar shows the gates' reward ${reward}`);
				const tooltip = plainText(item.tooltip);
				assert.match(tooltip, /Gate: (accepted|downgraded|rejected)/);
				assert.match(tooltip, /Consent: opted in \d{4}-\d\d-\d\d/);
			},
		},
		{
			name: 'the status bar item\'s command opts the session out and back in, each change recorded as status-bar',
			async run() {
				const { id } = must(live, 'no live session');
				const { item } = api().currentSession;
				const command = must(item.command as vscode.Command | undefined, 'the item has a command');
				assert.deepEqual(command.arguments, [id], 'the command names the session it shows');
				const before = must(await sessionOf(id), 'the session').consent_at;

				// The real quick pick: "Opt Out" is its first item while the session is opted in.
				const picked = vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
				await waitFor(async () => {
					await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
					return (await sessionOf(id))?.opted_in === false;
				}, 'the quick pick to opt the session out');
				await picked;
				const out = must(await sessionOf(id), 'the session');
				assert.ok(out.consent_at && before && out.consent_at >= before, 'the opt-out has its own time');

				// With the action named, as automation calls it.
				const result = await vscode.commands.executeCommand<SetConsent.Result>(command.command, ...(command.arguments ?? []), 'opt-in');
				assert.deepEqual(result.changed, [id]);
				assert.equal((await sessionOf(id))?.opted_in, true);
				assert.deepEqual((await consentLog(id)).map((row) => [row.opted_in, row.origin]),
					[[1, 'optIn.default=always'], [0, 'status-bar'], [1, 'status-bar']]);
				const facts = await api().currentSession.refresh();
				assert.equal(facts?.session.opted_in, true);
			},
		},
		{
			name: 'a transcript has consent, reward, gate, findings and rating lenses; the consent lens toggles it as codelens',
			async run() {
				const { id } = must(live, 'no live session');
				const editor = await vscode.commands.executeCommand<vscode.TextEditor>('tracemint.openTranscript', id);
				const lenses = await codeLenses(editor.document.uri, 6);
				const titles = lenses.map((lens) => lens.command?.title ?? '');
				assert.equal(titles[0], '$(pass-filled) Opted in');
				assert.match(titles[1], /^Reward \d\.\d\d \(outcome \d\.\d\d · criteria \d\.\d\d · review \d\.\d\d · iterations \d\.\d\d\)$/);
				assert.match(titles[2], /^Gate: (accepted|downgraded|rejected)/);
				assert.match(titles[3], /^\$\(shield\) \d+ findings?$/);
				assert.deepEqual(titles.slice(4), ['$(thumbsup) Rate up', '$(thumbsdown) Rate down']);
				assert.deepEqual(lenses.map((lens) => lens.range.start.line), [0, 0, 0, 0, 0, 0], 'every lens sits at the top');
				assert.equal(lenses[3].command?.command, 'tracemint.reviewSecrets');
				assert.equal(lenses[1].command?.command, 'tracemint.showRewardBreakdown');
				await vscode.commands.executeCommand('notifications.clearAll');
				await screenshot('transcript-lenses');

				const toggle = must(lenses[0].command, 'the consent lens has a command');
				await vscode.commands.executeCommand(toggle.command, ...(toggle.arguments ?? []));
				assert.equal((await sessionOf(id))?.opted_in, false);
				const [again] = await codeLenses(editor.document.uri, 6);
				assert.equal(again.command?.title, '$(circle-large-outline) Not opted in', 'the lens follows the store');
				await vscode.commands.executeCommand(must(again.command, 'a command').command, ...(again.command?.arguments ?? []));
				assert.equal((await sessionOf(id))?.opted_in, true);
				assert.deepEqual((await consentLog(id)).slice(-2).map((row) => [row.opted_in, row.origin]), [[0, 'codelens'], [1, 'codelens']]);
			},
		},
		{
			name: 'rating a session 👍 makes the reward\'s review part come from the rating, in the lenses and the breakdown',
			async run() {
				const { id } = must(live, 'no live session');
				const score = async () => must((await api().sendRequest<ScoreSessions.Params, ScoreSessions.Result>(ScoreSessionsRequest, { ids: [id] })).scores[0], 'a score');
				const before = await score();
				assert.notEqual(before.components.find((c) => c.id === 'review')?.source, 'rating');
				const result = await vscode.commands.executeCommand<RateSession.Result>('tracemint.rateUp', id);
				assert.deepEqual(result.changed, [id]);
				const after = await score();
				const review = must(after.components.find((c) => c.id === 'review'), 'a review component');
				assert.equal(review.source, 'rating');
				assert.ok(review.evidence.some((evidence) => evidence.kind === 'rating'), 'the rating is the evidence');
				assert.ok(after.reward > before.reward, `a 👍 raises the reward (${before.reward} → ${after.reward})`);

				const uri = vscode.Uri.parse(`tracemint-session:/${encodeURIComponent(id)}.md`);
				await waitFor(async () => (await codeLenses(uri, 6))[4].command?.title === '$(thumbsup-filled) Rated up', 'the rating lens');
				const breakdown = await vscode.commands.executeCommand<vscode.TextDocument>('tracemint.showRewardBreakdown', id);
				const text = breakdown.getText();
				assert.match(text, new RegExp(`^# Reward ${after.reward.toFixed(2).replace('.', '\\.')}: `, 'm'));
				assert.match(text, /^\| review \| 1\.00 \| 0\.20 \| 0\.20 \| your rating \|$/m);
				assert.match(text, /^- outside the transcript · rating · `developer rating: up` · passed$/m);
				assert.match(text, /^## Gate: /m);
				// The preview renders in a webview of its own, after the document.
				await vscode.commands.executeCommand('notifications.clearAll');
				await sleep(2000);
				await screenshot('reward-breakdown');
			},
		},
		{
			name: 'optIn.default=ask asks about a new session of the workspace: Not Now leaves it undecided, Opt In records optIn.default=ask',
			async run() {
				const asked: Prompt[] = [];
				const listener = api().prompts.onDidShow((prompt) => asked.push(prompt));
				let answer = 'Not Now';
				api().prompts.respondWith(() => answer);
				await workspaceConfig().update('optIn.default', 'ask', vscode.ConfigurationTarget.Workspace);
				try {
					later = agentWrites('now the copy button does nothing');
					await importFile(later.file);
					await api().optInDefaultSettled();
					await waitFor(() => asked.length === 1, 'the notification');
					assert.match(asked[0].message, /^Tracemint: a new Claude Code session in workspace: ".+"\. Opt it in for export\?$/);
					assert.deepEqual(asked[0].choices, ['Opt In', 'Not Now', 'Open Transcript']);
					const undecided = must(await sessionOf(later.id), 'the new session is in the store');
					assert.equal(undecided.opted_in, false);
					assert.equal(undecided.consent_at, null, 'Not Now records no decision');

					// Re-importing the same session (the agent writes on) does not ask again.
					await importFile(later.file);
					await api().optInDefaultSettled();

					answer = 'Opt In';
					accepted = agentWrites('add a test for the copy button');
					await importFile(accepted.file);
					await api().optInDefaultSettled();
					const id = accepted.id;
					await waitFor(async () => (await sessionOf(id))?.opted_in === true, 'the opt-in from the notification');
					assert.equal(asked.length, 2, 'one notification per new session');
					assert.deepEqual((await consentLog(id)).map((row) => [row.opted_in, row.origin]), [[1, 'optIn.default=ask']]);
				} finally {
					listener.dispose();
					api().prompts.respondWith(undefined);
					await workspaceConfig().update('optIn.default', undefined, vscode.ConfigurationTarget.Workspace);
				}
			},
		},
		{
			name: 'the Sessions tree shows reward and gate, sorts by reward and gate and filters by gate decision and consent',
			async run() {
				const tree = api().sessionsTree;
				const gates = new Map((await gateReport()).sessions.map((gate) => [gate.sessionId, gate]));
				const node = await findSession(tree, must(live, 'no live session').id);
				const item = await tree.getTreeItem(node);
				const gate = must(gates.get(must(live, 'no live session').id), 'a gate');
				assert.ok(String(item.description).includes(`reward ${gate.reward?.toFixed(2)}`), `the description shows the reward: ${String(item.description)}`);
				const resolved = await tree.resolveTreeItem?.(item, node, new vscode.CancellationTokenSource().token) ?? item;
				const tooltip = plainText(resolved.tooltip);
				assert.match(tooltip, /Reward: \d\.\d\d \(outcome \d\.\d\d · criteria \d\.\d\d · review 1\.00 · iterations \d\.\d\d\)/);
				assert.match(tooltip, /Gate: (accepted|downgraded|rejected)/);

				const sessionsOfWorkspace = async () => {
					const folder = await workspaceNode(tree, workspace());
					const agent = must((await children(tree, folder))[0], 'an agent node');
					return (await children(tree, agent)).map((n) => must(n.session, 'a session node').id);
				};
				const byTime = await sessionsOfWorkspace();
				assert.ok(byTime.length >= 5, `the workspace has the secret and live sessions: ${byTime.join(', ')}`);
				await vscode.commands.executeCommand('tracemint.sortSessions', 'reward');
				const byReward = await sessionsOfWorkspace();
				const rewards = byReward.map((id) => gates.get(id)?.reward ?? -1);
				assert.deepEqual(rewards, [...rewards].sort((a, b) => b - a), 'highest reward first');
				assert.equal(byReward[0], must(live, 'no live session').id, 'the 👍 session has the best reward');
				assert.notDeepEqual(byReward, byTime, 'sorting by reward changed the order');
				await vscode.commands.executeCommand('tracemint.sortSessions', 'gate');
				const rank = (id: string) => ['accepted', 'downgraded', 'rejected'].indexOf(qualityDecision(must(gates.get(id), 'a gate')));
				const ranks = (await sessionsOfWorkspace()).map(rank);
				assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), 'accepted, then downgraded, then rejected');

				await vscode.commands.executeCommand('tracemint.filterSessions', { decisions: ['rejected'], consent: [] });
				const rejected = (await allSessions(tree)).map((s) => s.id);
				assert.ok(rejected.length > 0 && rejected.every((id) => qualityDecision(must(gates.get(id), 'a gate')) === 'rejected'), 'only rejected sessions');
				assert.ok(!rejected.includes(must(live, 'no live session').id), 'the 👍 session is not rejected');
				await vscode.commands.executeCommand('tracemint.filterSessions', { decisions: [], consent: ['optedIn'] });
				const optedIn = await allSessions(tree);
				assert.ok(optedIn.length > 0 && optedIn.every((s) => s.opted_in), 'only opted-in sessions');
				assert.deepEqual(tree.state, { sort: 'gate', filter: { decisions: [], consent: ['optedIn'] } }, 'the view remembers its state');
				await vscode.commands.executeCommand('tracemint.clearSessionsFilter');
				await vscode.commands.executeCommand('tracemint.sortSessions', 'reward');
				// The side bar wide enough for the descriptions (reward, gate) to show.
				for (const command of ['workbench.action.closePanel', 'notifications.clearAll', 'tracemint.sessions.focus']) {
					await vscode.commands.executeCommand(command);
				}
				for (let i = 0; i < 15; i++) await vscode.commands.executeCommand('workbench.action.increaseViewSize');
				await screenshot('sessions-reward-gate');
				await vscode.commands.executeCommand('tracemint.sortSessions', 'time');
			},
		},
		{
			name: '"Opt In All Accepted" on the workspace node opts in the sessions the gates accept, after a confirmation',
			async run() {
				const { id } = must(later, 'no session left undecided');
				// The experimental preset asks for no code change or provenance; a 👍 lifts the reward over its floor.
				await workspaceConfig().update('gates.preset', 'experimental', vscode.ConfigurationTarget.Workspace);
				const asked: Prompt[] = [];
				api().prompts.respondWith((prompt) => {
					asked.push(prompt);
					return 'Opt In';
				});
				try {
					await vscode.commands.executeCommand('tracemint.rateUp', id);
					const report = await api().sendRequest<EvaluateGates.Params, GateReport>(EvaluateGatesRequest, { preset: 'experimental' });
					const node = await workspaceNode(api().sessionsTree, workspace());
					const under = sessionsUnder(node);
					const expected = under.filter((s) => !s.opted_in && qualityDecision(must(report.sessions.find((g) => g.sessionId === s.id), 'a gate')) === 'accepted').map((s) => s.id);
					assert.ok(expected.includes(id), `the rated session is accepted and waiting: ${JSON.stringify(report.sessions.find((g) => g.sessionId === id))}`);
					const result = await vscode.commands.executeCommand<SetConsent.Result>('tracemint.optInAccepted', node);
					assert.deepEqual([...result.changed].sort(), [...expected].sort());
					assert.equal(asked.length, 1);
					assert.equal(asked[0].modal, true);
					assert.match(asked[0].message, /^Opt in \d+ sessions? that the gates accept\?$/);
					assert.equal((await sessionOf(id))?.opted_in, true);
				} finally {
					api().prompts.respondWith(undefined);
					await workspaceConfig().update('gates.preset', undefined, vscode.ConfigurationTarget.Workspace);
				}
			},
		},
		{
			name: 'tracemint.forgetSession asks first, deletes the session, and a re-import does not bring it back',
			async run() {
				const { id, file } = must(later, 'no session to forget');
				const asked: Prompt[] = [];
				let answer: string | undefined;
				api().prompts.respondWith((prompt) => {
					asked.push(prompt);
					return answer;
				});
				try {
					const node = await findSession(api().sessionsTree, id);
					// Dismissed: nothing happens.
					assert.equal(await vscode.commands.executeCommand('tracemint.forgetSession', node, [node]), undefined);
					assert.ok(await sessionOf(id), 'a dismissed confirmation forgets nothing');
					assert.equal(asked[0].modal, true);
					assert.deepEqual(asked[0].choices, ['Forget']);
					assert.match(must(asked[0].detail, 'the dialog explains'), /deletes the session and everything derived from it.*keeps it out of future imports/s);

					answer = 'Forget';
					const result = await vscode.commands.executeCommand<ForgetSessions.Result>('tracemint.forgetSession', node, [node]);
					assert.deepEqual(result.forgotten, [id]);
					assert.equal(await sessionOf(id), undefined, 'the session is gone from the store');
					await waitFor(async () => !(await allSessions(api().sessionsTree)).some((s) => s.id === id), 'the tree to drop it');

					const report = await importFile(file);
					assert.equal(report.sessions.added, 0, 'the forgotten log is not imported again');
					assert.equal(await sessionOf(id), undefined, 'still forgotten after a re-import');
				} finally {
					api().prompts.respondWith(undefined);
				}
			},
		},
	];
}

async function gateReport(): Promise<GateReport> {
	const extension = vscode.extensions.getExtension<TracemintApi>(EXTENSION_ID);
	assert.ok(extension);
	return extension.exports.sendRequest<EvaluateGates.Params, GateReport>(EvaluateGatesRequest, {});
}

async function importFile(file: string): Promise<ImportReport> {
	const report = await vscode.commands.executeCommand<ImportReport | undefined>('tracemint.importNow', [file]);
	assert.ok(report, 'importNow returned no report');
	return report;
}

/** The store's consent log of a session (see test/support/consentLog.mjs). */
async function consentLog(sessionId: string): Promise<{ opted_in: number; changed_at: string; origin: string }[]> {
	const extension = vscode.extensions.getExtension(EXTENSION_ID);
	assert.ok(extension);
	const script = path.join(extension.extensionPath, 'test', 'support', 'consentLog.mjs');
	const { stdout } = await promisify(execFile)('node', [script, env('TRACEMINT_STORE'), sessionId]);
	return JSON.parse(stdout) as { opted_in: number; changed_at: string; origin: string }[];
}

/** Tracemint's lenses on a document, once there are `count` of them (the provider answers after the backend). */
async function codeLenses(uri: vscode.Uri, count: number): Promise<vscode.CodeLens[]> {
	let lenses: vscode.CodeLens[] = [];
	await waitFor(async () => {
		lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri))
			.filter((lens) => lens.command?.command.startsWith('tracemint.'));
		return lenses.length === count;
	}, `${count} lenses on ${uri.toString()}`);
	return lenses;
}

async function allSessions(tree: vscode.TreeDataProvider<TreeNode>): Promise<SessionSummary[]> {
	return (await descendants(tree)).flatMap((node) => node.session ? [node.session] : []);
}

/** The workspace node whose sessions ran in `folder`. */
async function workspaceNode(tree: vscode.TreeDataProvider<TreeNode>, folder: string): Promise<TreeNode> {
	for (const node of await children(tree)) {
		if (sessionsUnder(node).some((session) => (session.workspace ?? session.cwd) === folder)) {
			return node;
		}
	}
	throw new Error(`no workspace node for ${folder}`);
}

/** A tooltip's text as it reads: Markdown escapes and the non-breaking spaces of appendText undone. */
function plainText(tooltip: string | vscode.MarkdownString | undefined): string {
	const markdown = tooltip instanceof vscode.MarkdownString ? tooltip.value : String(tooltip);
	return markdown.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
}

/** Sessions of a node as the client's tree holds them (workspace → agents → sessions → subagents). */
function sessionsUnder(node: TreeNode): SessionSummary[] {
	const n = node as TreeNode & { agents?: TreeNode[]; sessions?: TreeNode[]; subagents?: TreeNode[] };
	return [
		...(n.session ? [n.session] : []),
		...[...(n.agents ?? []), ...(n.sessions ?? []), ...(n.subagents ?? [])].flatMap(sessionsUnder),
	];
}
