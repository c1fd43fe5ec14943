/**
 * The HTML shell of every Tracemint webview, with its Content-Security-Policy. Everything a page
 * loads comes from the extension's own `webview/out` and `media` folders through asWebviewUri;
 * the one script carries a fresh nonce. No 'unsafe-inline' anywhere:
 * - the toolkit's components style themselves through constructable stylesheets
 *   (adoptedStyleSheets), which style-src does not govern;
 * - but FAST (under the toolkit) probes `:focus-visible` support by appending a `<style>`
 *   element, with the nonce it reads from `<meta property="csp-nonce">`. So style-src also
 *   allows the nonce and the page publishes it there; without that the probe is blocked, CSP
 *   reports a violation, and the toolkit falls back to `:focus` rings on every click.
 * The e2e suite fails on any CSP violation the page reports.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** E.g. the Review Secrets panel; the overview page would be `{ title: 'Tracemint', script: 'main.js', styles: ['overview.css'] }`. */
export interface WebviewPage {
	title: string;
	/** Bundle under webview/out, e.g. `review.js`. */
	script: string;
	/** Stylesheets under media, e.g. `review.css`. */
	styles: string[];
}

/** localResourceRoots are the only folders a page may load from: the bundles and the stylesheets. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
	return {
		enableScripts: true,
		enableCommandUris: false,
		localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'webview', 'out'), vscode.Uri.joinPath(extensionUri, 'media')],
	};
}

function contentSecurityPolicy(cspSource: string, nonce: string): string {
	return [
		"default-src 'none'",
		`script-src 'nonce-${nonce}'`,
		`style-src ${cspSource} 'nonce-${nonce}'`,
		`font-src ${cspSource}`,
		`img-src ${cspSource} data:`,
		// Not covered by default-src: nothing may rewrite relative URLs or submit a form anywhere.
		"base-uri 'none'",
		"form-action 'none'",
	].join('; ');
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
	// A nonce per render: 128 random bits, base64 (what CSP's nonce-source grammar allows).
	const nonce = randomBytes(16).toString('base64');
	const asset = (...parts: string[]) => attribute(webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...parts)).toString());
	const styles = page.styles.map((file) => `\t<link rel="stylesheet" href="${asset('media', file)}">`).join('\n');
	// The script runs from <head> so it can listen for CSP violations before the body is parsed.
	return `<!DOCTYPE html>
<html lang="en">
<head>
	<meta charset="UTF-8">
	<meta http-equiv="Content-Security-Policy" content="${attribute(contentSecurityPolicy(webview.cspSource, nonce))}">
	<meta property="csp-nonce" content="${nonce}">
	<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
	<script nonce="${nonce}" src="${asset('webview', 'out', page.script)}"></script>
	<title>${attribute(page.title)}</title>
</head>
<body>
	<div id="app"></div>
</body>
</html>`;
}

function attribute(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
