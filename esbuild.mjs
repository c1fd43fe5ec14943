// Builds the bundles from one file: client, server (LSP), cli, and one per webview page.
// Flags: --watch, --production (minify, no sourcemaps). Type-checking is `tsc -b`.
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints start/end and file:line errors so a problem matcher can follow --watch. */
const problemMatcher = {
	name: 'problem-matcher',
	setup(build) {
		build.onStart(() => { if (watch) console.log('[watch] build started'); });
		build.onEnd((result) => {
			for (const { text, location } of result.errors) {
				console.error(`✘ [ERROR] ${text}`);
				if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
			}
			if (watch) console.log('[watch] build finished');
		});
	},
};

const node = {
	bundle: true,
	platform: 'node',
	format: 'cjs',
	target: 'node20',
	minify: production,
	sourcemap: !production,
	logLevel: 'warning',
	plugins: [problemMatcher],
	define: { __TRACEMINT_VERSION__: JSON.stringify(version) },
};

/** The native SQLite module is loaded from node_modules at run time, never bundled. */
const nativeExternals = ['better-sqlite3'];

const contexts = [
	{ ...node, entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] },
	{ ...node, entryPoints: ['server/src/lsp/server.ts'], outfile: 'server/out/server.js', external: nativeExternals },
	{ ...node, entryPoints: ['server/src/cli/main.ts'], outfile: 'server/out/cli.js', external: nativeExternals, banner: { js: '#!/usr/bin/env node' } },
	// One bundle per page (webview/out/<name>.js), so no page carries another's code.
	{
		...node, platform: 'browser', format: 'iife', target: 'es2022', outdir: 'webview/out',
		entryPoints: { main: 'webview/src/main.ts', review: 'webview/src/review/main.ts', training: 'webview/src/training/main.ts' },
	},
];

const built = await Promise.all(contexts.map((options) => esbuild.context(options)));
if (watch) {
	await Promise.all(built.map((ctx) => ctx.watch()));
} else {
	try {
		await Promise.all(built.map((ctx) => ctx.rebuild()));
	} finally {
		await Promise.all(built.map((ctx) => ctx.dispose()));
	}
}
