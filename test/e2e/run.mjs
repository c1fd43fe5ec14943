#!/usr/bin/env node
// End-to-end tests in a real VS Code: code-server serves the workbench, headless Chromium
// (driven by playwright-core) opens it with a test payload, and the workbench runs
// test/e2e/suite in its Node extension host with this repo as the extension under
// development. The suite's exit code comes back through window.codeAutomationExit.
//
//   node test/e2e/run.mjs        (after `npm run build`)
//
// Env: TRACEMINT_E2E_TIMEOUT_MS (default 180000), TRACEMINT_E2E_CHROMIUM (default
// /usr/bin/chromium), TRACEMINT_E2E_VERBOSE=1 to also print the workbench's own console.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleSuite, ensureExtensionBuilt, root } from './bundleSuite.mjs';
import { createBrowserSteps } from './browserSteps.mjs';
import { writeSecretSessions } from '../support/secretSession.mjs';

const timeoutMs = Number(process.env.TRACEMINT_E2E_TIMEOUT_MS ?? 180_000);
const chromiumPath = process.env.TRACEMINT_E2E_CHROMIUM ?? '/usr/bin/chromium';
const verbose = process.env.TRACEMINT_E2E_VERBOSE === '1';
const artifacts = path.join(root, 'test', 'e2e', 'artifacts');
const codeServerBin = path.join(root, '.cache', 'code-server', 'node_modules', '.bin', 'code-server');

const log = (line) => console.error(`e2e: ${line}`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

const cleanups = [];
async function cleanUp() {
	for (const cleanup of cleanups.splice(0).reverse()) {
		try {
			await cleanup();
		} catch (error) {
			log(`cleanup: ${error.message}`);
		}
	}
}
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => void cleanUp().finally(() => process.exit(130)));
}

let exitCode = 1;
try {
	exitCode = await main();
} catch (error) {
	log(error.stack ?? String(error));
} finally {
	await cleanUp();
}
process.exit(exitCode);

async function main() {
	const t0 = Date.now();
	ensureExtensionBuilt();
	const suite = await bundleSuite();

	const setup = spawnSync('bash', [path.join(root, 'test', 'e2e', 'setup.sh')], { stdio: ['ignore', process.stderr, process.stderr] });
	if (setup.status !== 0) {
		throw new Error(`test/e2e/setup.sh failed (exit ${setup.status ?? setup.signal})`);
	}
	const t1 = Date.now();
	log(`setup took ${seconds(t1 - t0)}`);

	const sandbox = makeSandbox();
	cleanups.push(() => fs.rmSync(sandbox.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }));
	fs.mkdirSync(artifacts, { recursive: true });

	const port = await freePort();
	const authority = `127.0.0.1:${port}`;
	const server = startCodeServer(sandbox, port);
	await waitForHealth(`http://${authority}/healthz`, server);
	log(`code-server is up on ${authority}`);

	const { chromium } = await import('playwright-core');
	const browser = await chromium.launch({
		executablePath: chromiumPath,
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
			'--disable-component-update', '--disable-sync'],
	});
	cleanups.push(() => browser.close());
	const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	const screenshots = [];
	const browserSteps = createBrowserSteps({ page, dir: sandbox.browserSteps, artifacts, log });
	page.on('console', (message) => {
		browserSteps.handle(message.text());
		const shot = printConsole(message.text());
		if (shot) {
			screenshots.push(takeScreenshot(page, shot));
		}
	});
	page.on('pageerror', (error) => verbose && console.log(`[page error] ${error.message}`));

	const finished = new Promise((resolve) => {
		void page.exposeFunction('codeAutomationExit', (code, logs) => {
			saveWorkbenchLogs(logs);
			resolve(Number(code));
		});
	});
	const remote = (file) => `vscode-remote://${authority}${pathToFileURL(file).pathname}`;
	const payload = [
		['extensionDevelopmentPath', remote(root)],
		['extensionTestsPath', remote(suite)],
		['skipWelcome', 'true'],
		['skipReleaseNotes', 'true'],
	];
	const url = `http://${authority}/?folder=${encodeURIComponent(sandbox.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
	await page.goto(url);

	let timer;
	const timedOut = new Promise((resolve) => {
		timer = setTimeout(() => resolve('timeout'), timeoutMs);
	});
	const serverExited = new Promise((resolve) => server.once('exit', () => resolve('server-exit')));
	const outcome = await Promise.race([finished, timedOut, serverExited]);
	clearTimeout(timer);

	await Promise.all(screenshots);
	// After the suite the extension host is gone and views show their empty state; this one is for timeouts.
	await takeScreenshot(page, 'final');
	log(`run took ${seconds(Date.now() - t1)} (setup ${seconds(t1 - t0)})`);

	if (outcome === 'timeout') {
		log(`timed out after ${seconds(timeoutMs)} waiting for the suite; code-server log: ${path.relative(root, sandbox.serverLog)}`);
		return 1;
	}
	if (outcome === 'server-exit') {
		log(`code-server exited early; see ${path.relative(root, sandbox.serverLog)}`);
		return 1;
	}
	log(`suite exit code ${outcome}`);
	if (outcome !== 0) {
		log('workbench logs are in test/e2e/artifacts/logs; TRACEMINT_E2E_VERBOSE=1 prints the workbench console');
	}
	return outcome;
}

/** HOME, XDG dirs and TMPDIR all point into one temp dir, so nothing is written to the real home or /tmp. */
function makeSandbox() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracemint-e2e-'));
	const sub = (...parts) => {
		const full = path.join(dir, ...parts);
		fs.mkdirSync(full, { recursive: true });
		return full;
	};
	const home = sub('home');
	// Claude Code is "installed": its log folder exists, so the backend watches it from the start.
	sub('home', '.claude', 'projects');
	const sandbox = {
		dir,
		home,
		config: sub('home', '.config'),
		data: sub('home', '.local', 'share'),
		cache: sub('home', '.cache'),
		tmp: sub('tmp'),
		userData: sub('user-data'),
		extensions: sub('extensions'),
		workspace: sub('workspace'),
		store: path.join(dir, 'store.sqlite'),
		serverLog: path.join(artifacts, 'code-server.log'),
		browserSteps: path.join(dir, 'browser-steps'),
	};
	// Sessions that leaked the workspace's `.env` (fake credentials made now); the suite imports them last.
	sandbox.secrets = writeSecretSessions(sandbox.workspace, sub('secret-logs'));
	fs.mkdirSync(path.join(sandbox.userData, 'User'), { recursive: true });
	fs.writeFileSync(path.join(sandbox.userData, 'User', 'settings.json'), JSON.stringify({
		'workbench.startupEditor': 'none',
		'workbench.tips.enabled': false,
		'workbench.enableExperiments': false,
		'security.workspace.trust.enabled': false,
		'telemetry.telemetryLevel': 'off',
		'update.mode': 'none',
		'extensions.autoCheckUpdates': false,
		'extensions.autoUpdate': false,
		'extensions.ignoreRecommendations': true,
		'git.enabled': false,
		// The suite imports its fixtures itself; a startup or background import would race with it
		// (the consent tests turn the background import on when they want it).
		'tracemint.import.onStartup': false,
		'tracemint.import.intervalSeconds': 0,
	}, null, '\t'));
	return sandbox;
}

function startCodeServer(sandbox, port) {
	const env = { ...process.env };
	// Inside a VS Code terminal these would make code-server talk to that editor instead.
	for (const key of Object.keys(env)) {
		if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') {
			delete env[key];
		}
	}
	Object.assign(env, {
		HOME: sandbox.home,
		XDG_CONFIG_HOME: sandbox.config,
		XDG_DATA_HOME: sandbox.data,
		XDG_CACHE_HOME: sandbox.cache,
		TMPDIR: sandbox.tmp,
		// The remote extension host inherits these; the backend and the suite read them.
		TRACEMINT_STORE: sandbox.store,
		TRACEMINT_E2E_FIXTURES: path.join(root, 'test', 'fixtures', 'sessions'),
		TRACEMINT_E2E_SECRET_LOGS: sandbox.secrets.logsDir,
		// writeSecretSessions()'s result: { credentials, envPath, logsDir, envSession: { id, file }, keySession }.
		TRACEMINT_E2E_SECRET_SESSIONS: JSON.stringify(sandbox.secrets),
		TRACEMINT_E2E_BROWSER_STEPS: sandbox.browserSteps,
		// The sandbox HOME, where the consent tests write logs as an agent would (~/.claude/projects).
		TRACEMINT_E2E_AGENT_HOME: sandbox.home,
	});
	const configFile = path.join(sandbox.dir, 'code-server.yaml');
	fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
	const out = fs.openSync(sandbox.serverLog, 'w');
	const server = spawn(codeServerBin, [
		'--config', configFile,
		'--bind-addr', `127.0.0.1:${port}`,
		'--auth', 'none',
		'--disable-telemetry',
		'--disable-update-check',
		'--disable-workspace-trust',
		'--user-data-dir', sandbox.userData,
		'--extensions-dir', sandbox.extensions,
		sandbox.workspace,
	], {
		env,
		cwd: sandbox.workspace,
		stdio: ['ignore', out, out],
		// setsid(): code-server leads its own session and process group, so one signal to the
		// group also reaches its extension host, file watcher and our backend.
		detached: true,
	});
	fs.closeSync(out);
	cleanups.push(() => stopGroup(server));
	return server;
}

async function stopGroup(child) {
	if (child.exitCode !== null || child.signalCode !== null || !child.pid) {
		killGroup(child.pid, 'SIGKILL');
		return;
	}
	const exited = new Promise((resolve) => child.once('exit', resolve));
	killGroup(child.pid, 'SIGTERM');
	const graceful = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
	// Children (the file watcher, the backend) can outlive code-server briefly; finish the group.
	killGroup(child.pid, 'SIGKILL');
	if (!graceful) {
		await exited;
	}
}

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
	} catch (error) {
		if (error.code !== 'ESRCH') {
			throw error;
		}
	}
}

async function waitForHealth(url, server) {
	const deadline = Date.now() + 30_000;
	while (Date.now() < deadline) {
		if (server.exitCode !== null) {
			throw new Error(`code-server exited with ${server.exitCode}; see test/e2e/artifacts/code-server.log`);
		}
		try {
			const response = await globalThis.fetch(url);
			if (response.ok) {
				return;
			}
		} catch {
			// Not listening yet.
		}
		await delay(200);
	}
	throw new Error(`code-server did not answer ${url} within 30 s`);
}

function freePort() {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address();
			probe.close(() => resolve(port));
		});
	});
}

/**
 * The workbench prints the extension host's console as `%c INFO color: #33f <text>`, mixed
 * with its own log lines. Print the suite's TAP-like lines (`ok`/`not ok` with indented
 * details, and the `N passed, N failed` summary); everything else only when verbose.
 * A `# screenshot: NAME` line from the suite asks for a screenshot; its name is returned.
 */
function printConsole(text) {
	const body = text.replace(/^%c\s*[A-Z]+ color: #[0-9a-f]+ /i, '');
	const shot = /^# screenshot: ([\w-]+)$/.exec(body);
	if (shot) {
		return shot[1];
	}
	if (/^(?:ok|not ok) \d+ - |^\d+ passed, \d+ failed(?:, \d+ skipped)?$/.test(body)) {
		console.log(body);
	} else if (verbose) {
		console.log(`[workbench] ${text}`);
	}
	return undefined;
}

async function takeScreenshot(page, name) {
	const file = path.join(artifacts, `${name}.png`);
	try {
		await page.screenshot({ path: file });
		log(`screenshot: ${path.relative(root, file)}`);
	} catch (error) {
		log(`no screenshot ${name}: ${error.message}`);
	}
}

/** The workbench hands over its logs (window, ext host, …) at exit; keep them for failures. */
function saveWorkbenchLogs(logs) {
	if (!Array.isArray(logs)) {
		return;
	}
	const dir = path.join(artifacts, 'logs');
	fs.rmSync(dir, { recursive: true, force: true });
	for (const entry of logs) {
		if (typeof entry?.relativePath !== 'string' || typeof entry.contents !== 'string') {
			continue;
		}
		const file = path.join(dir, path.normalize(entry.relativePath).replace(/^(\.\.[/\\])+/, ''));
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, entry.contents);
	}
}

function delay(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
