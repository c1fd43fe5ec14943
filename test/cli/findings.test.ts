import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { DecideFindings, ListFindings, SetSessionBlock } from '../../shared/protocol';
import { FIXTURES, json, tempDir, tracemint } from '../support/fixtures';
import { fakeValues } from '../support/fakeValues';

const fake = fakeValues(918273);
const ROLLOUT = 'rollout-2026-02-23T12-41-04-019c8a4d-8f45-7010-8b5d-7fad920aa6f9.jsonl';
const PLACEHOLDER_TEXT = '[REDACTED_TEXT len=108 sha=fc56d2e9]';

/** A real Codex session with a fake token and an email written into one user message. */
function storeWithFindings(token: string, email: string): string {
	const dir = tempDir();
	const original = fs.readFileSync(path.join(FIXTURES, 'codex', 'madshn-localpush', ROLLOUT), 'utf8');
	assert.ok(original.includes(PLACEHOLDER_TEXT));
	fs.mkdirSync(path.join(dir, 'sessions'));
	fs.writeFileSync(path.join(dir, 'sessions', ROLLOUT), original.replace(PLACEHOLDER_TEXT, `token ${token} please\\nand mail ${email}`));
	const store = path.join(dir, 's.sqlite');
	json(tracemint(['import', path.join(dir, 'sessions'), '--store', store, '--json']));
	return store;
}

void describe('cli findings, review, block', () => {
	void it('lists masked findings, records decisions, and blocks and releases sessions', () => {
		const token = fake.githubPat();
		const email = fake.email();
		const store = storeWithFindings(token, email);

		const listed = json<ListFindings.Result>(tracemint(['findings', '019c8a4d', '--store', store, '--json']));
		assert.deepEqual(listed.findings.map((f) => [f.ruleId, f.state]), [['github-pat', 'open'], ['email-address', 'open']]);
		const text = tracemint(['findings', '--store', store]);
		assert.equal(text.code, 0, text.stderr);
		assert.match(text.stdout, new RegExp(`#${listed.findings[0].id}  critical  github-pat  open  message \\d+ content:1:7  `));
		assert.match(text.stdout, /2 finding\(s\) in 1 session\(s\)/);
		for (const run of [text, tracemint(['findings', '--store', store, '--json'])]) {
			assert.ok(!run.stdout.includes(token) && !run.stdout.includes(email), 'a finding listing printed the value itself');
		}

		const shown = tracemint(['show', '019c8a4d', '--store', store]);
		for (const run of [shown, tracemint(['show', '019c8a4d', '--markdown', '--store', store]), tracemint(['sessions', '--store', store, '--json'])]) {
			assert.equal(run.code, 0, run.stderr);
			assert.ok(!run.stdout.includes(token) && !run.stdout.includes(email), 'show/sessions printed a value');
		}
		assert.match(shown.stdout, /token \[REDACTED:github-pat#1\] please/);

		const pat = listed.findings[0];
		const decided = json<DecideFindings.Result>(tracemint(['review', String(pat.id), '--false-positive', '--store', store, '--json']));
		assert.deepEqual(decided, { changed: 1, sessionIds: [pat.sessionId] });
		const falsePositives = json<ListFindings.Result>(tracemint(['findings', '--state', 'false-positive', '--store', store, '--json']));
		assert.deepEqual(falsePositives.findings.map((f) => f.id), [pat.id]);
		json(tracemint(['review', String(pat.id), '--reopen', '--store', store, '--json']));
		const open = json<ListFindings.Result>(tracemint(['findings', '--state', 'open,confirmed', '--severity', 'critical', '--store', store, '--json']));
		assert.deepEqual(open.findings.map((f) => f.id), [pat.id]);

		const blocked = json<SetSessionBlock.Result>(tracemint(['block', '019c8a4d', '--store', store, '--json']));
		assert.deepEqual(blocked, { changed: [pat.sessionId], unknown: [] });
		assert.equal(json<ListFindings.Result>(tracemint(['findings', '--store', store, '--json'])).sessions[0].block, 'blocked-by-user');
		const released = tracemint(['release', '019c8a4d', 'no-such-session', '--store', store]);
		assert.equal(released.code, 1);
		assert.match(released.stdout, /unknown or ambiguous session id: no-such-session/);
		// No finding here blocks by itself, so a release lifts the block entirely.
		assert.equal(json<ListFindings.Result>(tracemint(['findings', '--store', store, '--json'])).sessions[0].block, 'none');
		json(tracemint(['block', '019c8a4d', '--store', store, '--json']));
		json(tracemint(['unblock', '019c8a4d', '--store', store, '--json']));
		assert.equal(json<ListFindings.Result>(tracemint(['findings', '--store', store, '--json'])).sessions[0].block, 'none');
	});

	void it('rejects bad review and filter arguments with exit code 2', () => {
		const store = path.join(tempDir(), 's.sqlite');
		const cases: [string[], RegExp][] = [
			[['review', '1'], /exactly one of --confirm, --false-positive, --reopen/],
			[['review', '1', '--confirm', '--reopen'], /exactly one of/],
			[['review', 'abc', '--confirm'], /FINDING_ID must be a whole number/],
			[['review', '--confirm'], /at least one FINDING_ID/],
			[['findings', '--state', 'closed'], /unknown --state "closed" \(one of open, confirmed, false-positive\)/],
			[['findings', '--rule', 'no-such-rule'], /unknown --rule "no-such-rule"/],
			[['block'], /at least one SESSION_ID/],
		];
		for (const [args, message] of cases) {
			const run = tracemint([...args, '--store', store]);
			assert.equal(run.code, 2, args.join(' '));
			assert.match(run.stderr, message);
		}
		const unknownSession = tracemint(['findings', 'zzz', '--store', store]);
		assert.equal(unknownSession.code, 1);
		assert.match(unknownSession.stderr, /No session matches "zzz"/);
	});
});
