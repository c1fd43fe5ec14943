// Lets the in-editor suite drive the real browser. The suite runs in the extension host and
// cannot reach Chromium; this harness owns the playwright page. So the suite prints one line,
//
//   # browser: ID {"frame": SELECTOR, "actions": [...]}
//
// which the workbench forwards to the page console; this finds the webview frame that has
// SELECTOR (code-server nests each webview in `iframe.webview` → `iframe#active-frame`), runs
// the actions in order, and writes {ok, html?, error?} to DIR/ID.json, which the suite waits for
// (a failed step also leaves artifacts/ID-failed.png).
// The suite then checks the store itself, so a click that changes nothing fails its test.
//
// Actions: {click: SEL} · {press: KEY} (to whatever has focus) · {waitFor: SEL} (until visible)
//          · {screenshot: NAME} (whole window → artifacts/NAME.png) · {html: SEL} (outerHTML into the result)
import * as fs from 'node:fs';
import * as path from 'node:path';

const REQUEST = /# browser: ([\w-]+) (\{.*\})\s*$/s;
const STEP_TIMEOUT_MS = 10_000;

export function createBrowserSteps({ page, dir, artifacts, log }) {
	const seen = new Set();
	return {
		/** Takes any console text; acts on `# browser:` requests, once per ID. */
		handle(text) {
			const match = REQUEST.exec(text);
			if (!match || seen.has(match[1])) {
				return;
			}
			const [, id, json] = match;
			seen.add(id);
			void run(page, JSON.parse(json), artifacts, log)
				.then((result) => ({ ok: true, ...result }), async (error) => {
					// What the page looked like when the step gave up, for the failing test's reader.
					await page.screenshot({ path: path.join(artifacts, `${id}-failed.png`) }).catch(() => undefined);
					return { ok: false, error: error.message ?? String(error) };
				})
				.then((result) => {
					log(`browser step ${id}: ${result.ok ? 'done' : `failed: ${result.error}`}`);
					fs.mkdirSync(dir, { recursive: true });
					// Written whole, then renamed: the suite polls for the file and must never read half of it.
					const file = path.join(dir, `${id}.json`);
					fs.writeFileSync(`${file}.tmp`, JSON.stringify(result));
					fs.renameSync(`${file}.tmp`, file);
				});
		},
	};
}

async function run(page, { frame: frameSelector, actions }, artifacts, log) {
	const frame = await frameWith(page, frameSelector);
	const html = [];
	for (const action of actions) {
		if (action.click) {
			await frame.locator(action.click).click({ timeout: STEP_TIMEOUT_MS });
		} else if (action.press) {
			await page.keyboard.press(action.press);
		} else if (action.waitFor) {
			await frame.locator(action.waitFor).first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
		} else if (action.screenshot) {
			const file = path.join(artifacts, `${action.screenshot}.png`);
			await page.screenshot({ path: file });
			log(`screenshot: ${path.relative(process.cwd(), file)}`);
		} else if (action.html) {
			html.push(await frame.locator(action.html).first().evaluate((el) => el.outerHTML));
		} else {
			throw new Error(`unknown browser action ${JSON.stringify(action)}`);
		}
	}
	return { html };
}

/** The frame (of any depth) whose document has `selector`; webview frames come and go, so keep looking for a while. */
async function frameWith(page, selector) {
	const deadline = Date.now() + STEP_TIMEOUT_MS;
	while (Date.now() < deadline) {
		for (const frame of page.frames()) {
			try {
				if (await frame.locator(selector).count() > 0) {
					return frame;
				}
			} catch {
				// Detached while we looked: the webview reloaded.
			}
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`no frame has ${selector} after ${STEP_TIMEOUT_MS} ms`);
}
