import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { scanSession } from '../../server/src/core/redact/redactSession';
import { scanSessionAsync } from '../../server/src/core/redact/scanSessionAsync';
import { FIXTURES, filesUnder } from '../support/fixtures';
import { secretStore } from '../support/secretStore';

void describe('scanSessionAsync', () => {
	void it('finds what scanSession finds in a session with a multi-megabyte tool output, and lets timers run', async () => {
		const { core, secrets } = secretStore({ scan: false });
		const session = core.getSession(secrets.envSession.id);
		core.close();
		// Real log text around the .env output, so its credentials sit deep inside one large text.
		const filler = filesUnder(FIXTURES, '.jsonl').map((f) => fs.readFileSync(f, 'utf8')).join('\n');
		const tool = session.messages.findIndex((m) => m.role === 'tool' && m.content.includes('GITHUB_TOKEN'));
		const big = { ...session, messages: session.messages.map((m, i) => i === tool ? { ...m, content: `${filler}\n${m.content}\n${filler}` } : m) };
		assert.ok(big.messages[tool].content.length > 500_000);

		let ticks = 0;
		const timer = setInterval(() => ticks++, 1);
		const found = await scanSessionAsync(big, 'k');
		clearInterval(timer);
		assert.deepEqual(found, scanSession(big, 'k'));
		assert.ok(found.filter((f) => f.messageIndex === tool).length >= 3, 'the .env credentials are found in the large text');
		assert.ok(ticks > 0, 'the event loop ran during the scan');
	});
});
