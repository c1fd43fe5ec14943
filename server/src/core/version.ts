/** The tool version stamped on manifests; esbuild replaces it from package.json at build time. */
declare const __TRACEMINT_VERSION__: string | undefined;
export const TOOL_VERSION: string = typeof __TRACEMINT_VERSION__ === 'string' ? __TRACEMINT_VERSION__ : '0.0.0-dev';
