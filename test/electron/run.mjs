#!/usr/bin/env node
// The end-to-end suite (test/e2e/suite) in desktop VS Code through @vscode/test-electron, for
// machines that can download VS Code. Where the download fails (no network), this prints one
// "skipped" line and exits 0; test/e2e/run.mjs (code-server) is the runner that works offline.
//
//   node test/electron/run.mjs   (after `npm run build`; TRACEMINT_VSCODE_VERSION defaults to the engines minimum)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { bundleSuite, ensureExtensionBuilt, root } from '../e2e/bundleSuite.mjs';
import { writeSecretSessions } from '../support/secretSession.mjs';

const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const version = process.env.TRACEMINT_VSCODE_VERSION ?? manifest.engines.vscode.replace(/^[\^~>=]+/, '');

let vscodeExecutablePath;
try {
	vscodeExecutablePath = await downloadAndUnzipVSCode({ version, timeout: 15_000 });
} catch (error) {
	console.log(`skipped: VS Code could not be downloaded (${error instanceof Error ? error.message : String(error)})`);
	process.exit(0);
}

ensureExtensionBuilt();
const suite = await bundleSuite();
const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'tracemint-electron-'));
const workspace = path.join(sandbox, 'workspace');
const userData = path.join(sandbox, 'user-data');
const agentHome = path.join(sandbox, 'home');
fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
fs.mkdirSync(workspace, { recursive: true });
const secrets = writeSecretSessions(workspace, path.join(sandbox, 'secret-logs'));
fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({
	'workbench.startupEditor': 'none',
	'security.workspace.trust.enabled': false,
	'telemetry.telemetryLevel': 'off',
	'update.mode': 'none',
	'tracemint.import.onStartup': false,
	'tracemint.import.intervalSeconds': 0,
}, null, '\t'));

let exitCode = 1;
try {
	exitCode = await runTests({
		vscodeExecutablePath,
		extensionDevelopmentPath: root,
		extensionTestsPath: suite,
		launchArgs: [workspace, '--disable-extensions', '--user-data-dir', userData, '--extensions-dir', path.join(sandbox, 'extensions')],
		extensionTestsEnv: {
			TRACEMINT_STORE: path.join(sandbox, 'store.sqlite'),
			TRACEMINT_E2E_FIXTURES: path.join(root, 'test', 'fixtures', 'sessions'),
			TRACEMINT_E2E_SECRET_LOGS: secrets.logsDir,
			TRACEMINT_E2E_SECRET_SESSIONS: JSON.stringify(secrets),
			// The consent tests write agent logs here; the backend finds them through CLAUDE_CONFIG_DIR.
			TRACEMINT_E2E_AGENT_HOME: agentHome,
			CLAUDE_CONFIG_DIR: path.join(agentHome, '.claude'),
			// No browser here to drive the webview: the Review Secrets browser steps need the code-server runner.
		},
	});
} catch (error) {
	console.error(`electron e2e failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
	fs.rmSync(sandbox, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}
process.exit(exitCode);
