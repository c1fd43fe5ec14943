// Flat config. The import bans keep the backend core headless: `vscode` never under the
// server or shared code, the LSP library never under the core, bare method strings never
// outside the protocol module.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['**/out/**', '.tsbuild/**', '.cache/**', 'node_modules/**', 'test/e2e/artifacts/**', 'tracemint-out/**', '**/*.d.ts', '*.tmp.ts'] },
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		files: ['**/*.ts'],
		languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
			'@typescript-eslint/no-namespace': 'off',
			curly: ['error', 'multi-line'],
			eqeqeq: ['error', 'always'],
		},
	},
	{
		files: ['**/*.mjs', '**/*.js'],
		languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', fetch: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', Buffer: 'readonly', __dirname: 'readonly', require: 'readonly' } },
	},
	{
		files: ['server/**/*.ts', 'shared/**/*.ts'],
		rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'The backend and the shared protocol never import the editor API.' }] }] },
	},
	{
		files: ['server/src/core/**/*.ts'],
		rules: {
			'no-restricted-imports': ['error', {
				paths: [{ name: 'vscode', message: 'The core is headless.' }],
				patterns: [{ group: ['vscode-languageserver*', 'vscode-languageclient*', '**/shared/lsp'], message: 'The core is headless: only server/src/lsp talks LSP.' }],
			}],
		},
	},
	{
		files: ['client/**/*.ts', 'server/src/lsp/**/*.ts'],
		rules: {
			'no-restricted-syntax': ['error', {
				selector: "CallExpression[callee.property.name=/^(sendRequest|onRequest|sendNotification|onNotification)$/] > Literal:first-child",
				message: 'Use the typed message objects from shared/lsp.ts, never a bare method string.',
			}],
		},
	},
);
