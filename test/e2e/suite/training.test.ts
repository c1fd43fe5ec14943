/**
 * Training from the editor against a real OpenSSH server on loopback (test/support/sshd.ts):
 * the palette's Dry Run command with the real trainer, on the dataset the export tests wrote.
 * The config is the train.yaml the extension offers to write, pointed at the test server; its
 * known_hosts starts empty, so the host key is unknown and is trusted by the fingerprint that
 * ssh-keygen reads from the server's key (what the user compares in the modal). The run must be
 * in the Training Runs view to its end, the run view must render it under its CSP, and after a
 * backend restart the run is listed again from the store (followed to its end if it was not),
 * and its run view is restored the way VS Code restores one after a window reload.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { datasetName } from '../../../client/src/commands/exportDatasetText';
import type { RunPanelHandle } from '../../../client/src/training/runPanel';
import { trainYamlTemplate } from '../../../client/src/training/trainSettings';
import type { TrainRunInfo } from '../../../shared/training';
import { startSshd, type TestSshd } from '../../support/sshd';
import { screenshot, waitFor } from './helpers';
import { SkipTest, type TestCase } from './index';

interface TracemintApi {
	trainingRunsTree: vscode.TreeDataProvider<TrainRunInfo>;
	runViewSerializer: vscode.WebviewPanelSerializer;
	ready(): Promise<boolean>;
}

export function trainingTests(): TestCase[] {
	const api = (): TracemintApi => {
		const extension = vscode.extensions.getExtension<TracemintApi>('tracemint.tracemint');
		assert.ok(extension?.isActive, 'the extension is active');
		return extension.exports;
	};
	const listed = async (id: string): Promise<TrainRunInfo | undefined> =>
		((await api().trainingRunsTree.getChildren()) ?? []).find((run) => run.id === id);
	let sshd: TestSshd | undefined;
	let launched: TrainRunInfo | undefined;
	let shown: RunPanelHandle | undefined;
	return [
		{
			name: 'Train LoRA Adapter (Dry Run): an unknown host key is trusted by its fingerprint, the real trainer checks the exported dataset on the host, and the run is shown to its end',
			async run() {
				const started = await startSshd();
				if (typeof started === 'string') throw new SkipTest(`no test sshd: ${started}`);
				sshd = started;
				const folder = vscode.workspace.workspaceFolders?.[0];
				assert.ok(folder, 'the e2e workspace is open');
				const knownHosts = path.join(sshd.dir, 'editor_known_hosts');
				fs.writeFileSync(knownHosts, '');
				const config = path.join(folder.uri.fsPath, '.tracemint', 'train.yaml');
				fs.mkdirSync(path.dirname(config), { recursive: true });
				fs.writeFileSync(config, trainYamlTemplate(folder.name)
					.replace(/^host: .*$/m, 'host: tracemint-test')
					.replace(/^baseModel: .*$/m, 'baseModel: e2e/never-downloaded')
					.replace(/^python: .*$/m, 'python: python3')
					.replace(/^remoteDir: .*$/m, `remoteDir: ${path.join(sshd.dir, 'remote dir')}`)
					+ ['minFreeDiskGb: 0', 'ssh:', `  configFile: ${sshd.target.configFile}`, `  knownHostsFile: ${knownHosts}`, ''].join('\n'));
				assert.match(sshd.fingerprint, /^SHA256:/);

				const run = await vscode.commands.executeCommand<TrainRunInfo | undefined>('tracemint.train.dryRun', { yes: true, trustFingerprint: sshd.fingerprint });
				assert.ok(run, 'the dry run started');
				launched = run;
				assert.equal(run.dryRun, true);
				assert.equal(run.host, 'tracemint-test');
				// v2, or v3 when the export test's cancel came after the server had finished.
				const datasets = path.join(folder.uri.fsPath, '.tracemint', 'datasets', datasetName(folder.name));
				const latest = Math.max(...fs.readdirSync(datasets).map((v) => Number(/^v(\d+)$/.exec(v)?.[1] ?? 0)));
				assert.ok(latest >= 2, 'the export tests wrote their versions');
				assert.equal(run.datasetDir, path.join(datasets, `v${latest}`), 'the latest version');
				const key = fs.readFileSync(path.join(sshd.dir, 'host_key.pub'), 'utf8').split(' ')[1];
				assert.ok(fs.readFileSync(knownHosts, 'utf8').includes(key), 'the trusted key is recorded in the config\'s known_hosts');

				await waitFor(async () => (await listed(run.id))?.state === 'done', `run ${run.id} done in the Training Runs view`, 30_000);
				const item = await api().trainingRunsTree.getTreeItem((await listed(run.id))!);
				assert.match(String(item.description), /^done · tracemint-test · /);
				assert.equal((item.iconPath as vscode.ThemeIcon).id, 'pass');

				const panel = await vscode.commands.executeCommand<RunPanelHandle | undefined>('tracemint.train.showRun', run.id);
				assert.ok(panel, 'the run view opened');
				shown = panel;
				await waitFor(() => panel.rendered?.state === 'done', 'the run view rendered the finished run');
				// A dry run trains nothing: its metrics count rows and words, with no loss to chart.
				assert.deepEqual(panel.rendered, { runId: run.id, state: 'done', lossPoints: 0, evalLossPoints: 0, cspViolations: [] });
				await screenshot('training-run');
			},
		},
		{
			name: 'after a backend restart the finished run is listed again from the store, nothing follows it, and its run view comes back after a reload',
			async run() {
				try {
					if (!launched) throw new SkipTest('the dry run did not start');
					await vscode.commands.executeCommand('tracemint.restartBackend');
					assert.equal(await api().ready(), true);
					const id = launched.id;
					// Still running at the restart (a slow machine), it is followed again to its end.
					await waitFor(async () => (await listed(id))?.state === 'done', `run ${id} done in the view after the restart`, 30_000);
					const again = (await listed(id))!;
					assert.deepEqual([again.state, again.following, again.dryRun], ['done', false, true]);

					// A window reload: VS Code hands the kept panel and the state its page saved to the serializer.
					shown?.panel.dispose();
					const kept = vscode.window.createWebviewPanel('tracemint.trainingRun', 'Run', vscode.ViewColumn.Active, { enableScripts: true });
					await api().runViewSerializer.deserializeWebviewPanel(kept, { runId: id });
					const restored = await vscode.commands.executeCommand<RunPanelHandle | undefined>('tracemint.train.showRun', id);
					assert.equal(restored?.panel, kept, 'the kept panel is the run\'s view again');
					await waitFor(() => restored.rendered?.state === 'done', 'the restored run view rendered the run');
					assert.deepEqual(restored.rendered?.cspViolations, []);
					restored.panel.dispose();
				} finally {
					sshd?.stop();
				}
			},
		},
	];
}
