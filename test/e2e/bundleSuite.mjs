// Bundles the in-editor test suite (test/e2e/suite/index.ts → test/e2e/out/index.js) for both
// runners (code-server and test-electron), and builds the extension first when it is missing.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const suiteBundle = path.join(root, 'test', 'e2e', 'out', 'index.js');

/** Runs `node esbuild.mjs` only when a bundle the extension needs is missing; `npm run build` is the normal way. */
export function ensureExtensionBuilt() {
	const bundles = ['client/out/extension.js', 'server/out/server.js', 'server/out/cli.js'];
	if (bundles.every((bundle) => fs.existsSync(path.join(root, bundle)))) {
		return;
	}
	console.error('e2e: extension bundles missing; running node esbuild.mjs');
	const result = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) {
		throw new Error(`node esbuild.mjs failed (exit ${result.status ?? result.signal})`);
	}
}

export async function bundleSuite() {
	await esbuild.build({
		entryPoints: [path.join(root, 'test', 'e2e', 'suite', 'index.ts')],
		outfile: suiteBundle,
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		external: ['vscode'],
		sourcemap: 'inline',
		logLevel: 'warning',
	});
	return suiteBundle;
}
