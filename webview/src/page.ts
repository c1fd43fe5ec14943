/** How every page starts: the shell (client/src/webviews/webviewHtml.ts) loads its script from <head>. */
import { registerComponents } from './components/ui';

/** Runs `start` with the page's `#app` once the body is parsed, the toolkit's components registered. */
export function startPage(start: (root: HTMLElement) => void): void {
	const run = () => {
		registerComponents();
		start(document.getElementById('app') as HTMLElement);
	};
	if (document.readyState === 'loading') {
		document.addEventListener('DOMContentLoaded', run, { once: true });
	} else {
		run();
	}
}
