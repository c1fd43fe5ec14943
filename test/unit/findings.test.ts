/**
 * Stored findings end to end over a real SQLite store: scan after import, re-scan when content or
 * RULES_VERSION changes, verdicts by keyed fingerprint, session block/release, and that nothing a
 * session leaves the store through (export, redacted session, transcript, titles) holds a value.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FORMAT_NAMES } from '../../shared/dataset';
import { RULES_VERSION } from '../../server/src/core/redact/scan';
import { Tracemint } from '../../server/src/core/tracemint';
import { OPEN_GATES, filesUnder, noHome } from '../support/fixtures';
import { secretStore } from '../support/secretStore';

function setup() {
	const store = secretStore();
	return { ...store, values: Object.values(store.secrets.credentials) };
}

/** Every byte of the store file and its WAL, as latin1 text, for "is this value anywhere" checks. */
function storeBytes(storePath: string): string {
	return [storePath, `${storePath}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f).toString('latin1')).join('');
}

void describe('stored findings', () => {
	void it('scans sessions after import and stores rule, place, offsets and fingerprint but no value', () => {
		const { core, report, secrets } = setup();
		assert.deepEqual(report.scan, { sessions: 2, findings: report.scan!.findings });
		const { findings, sessions, rulesVersion } = core.listFindings();
		assert.equal(rulesVersion, RULES_VERSION);
		const env = findings.filter((f) => f.sessionId === secrets.envSession.id);
		assert.deepEqual(env.map((f) => f.ruleId).sort(), ['aws-access-key-id', 'database-url-password', 'github-pat']);
		const session = core.getSession(secrets.envSession.id);
		for (const f of env) {
			assert.equal(f.state, 'open');
			assert.match(f.fingerprint, /^[0-9a-f]{64}$/);
			assert.ok(f.messageIndex !== null && session.messages[f.messageIndex].role === 'tool', `${f.ruleId} is in the .env tool result`);
			assert.equal(f.field, 'content');
			const value = session.messages[f.messageIndex].content.slice(f.start, f.end);
			assert.ok(Object.values(secrets.credentials).includes(value), `${f.ruleId} offsets point at the credential`);
			assert.ok(!JSON.stringify(f).includes(value), 'the DTO carries no value');
			assert.match(f.placeholder, new RegExp(`^\\[REDACTED:${f.ruleId}#1\\]$`));
			assert.ok(f.context.masked.length < value.length, 'masked');
		}
		const summary = sessions.find((s) => s.sessionId === secrets.envSession.id);
		assert.deepEqual({ open: summary?.open, block: summary?.block }, { open: 3, block: 'none' });
		core.close();
	});

	void it('leaves nothing but fingerprints in the findings and review tables', () => {
		const { core, values } = setup();
		const db = core.store.db;
		const dump = JSON.stringify([
			db.prepare('SELECT * FROM findings').all(), db.prepare('SELECT * FROM value_reviews').all(),
			db.prepare('SELECT * FROM session_scans').all(), db.prepare('SELECT * FROM review_log').all(),
		]);
		for (const v of values) assert.ok(!dump.includes(v));
		core.close();
	});

	void it('re-scans only what changed, and everything when RULES_VERSION moves on', () => {
		const { core } = setup();
		assert.equal(core.rescan().scanned, 0, 'a second pass finds nothing stale');
		const before = core.listFindings().findings.map((f) => [f.sessionId, f.ruleId, f.start]);
		core.store.db.prepare('UPDATE session_scans SET rules_version = rules_version - 1').run();
		const again = core.rescan();
		assert.equal(again.scanned, 2);
		assert.deepEqual(core.listFindings().findings.map((f) => [f.sessionId, f.ruleId, f.start]), before);
		core.close();
	});

	void it('a false positive is allowlisted by fingerprint across sessions and re-scans, and can be reopened', () => {
		const { core, secrets } = setup();
		const aws = core.listFindings({ ruleIds: ['aws-access-key-id'] }).findings[0];
		assert.deepEqual(core.decideFindings([aws.id], 'false-positive', 'test'), { changed: 1, sessionIds: [secrets.envSession.id] });
		assert.equal(core.decideFindings([aws.id], 'false-positive', 'test').changed, 0, 'idempotent');
		core.store.db.prepare('UPDATE session_scans SET rules_version = 0').run();
		const after = core.listFindings({ ruleIds: ['aws-access-key-id'] }).findings[0];
		assert.equal(after.state, 'false-positive', 'the verdict survives a re-scan');
		assert.equal(core.listFindings({ states: ['false-positive'] }).findings.length, 1);
		assert.ok(core.redactedSession(secrets.envSession.id).messages.some((m) => m.content.includes(secrets.credentials.awsAccessKeyId)),
			'an allowlisted value is no longer redacted');
		core.decideFindings([after.id], 'reopen', 'test');
		assert.ok(!JSON.stringify(core.redactedSession(secrets.envSession.id)).includes(secrets.credentials.awsAccessKeyId));
		const confirmed = core.decideFindings([after.id], 'confirm', 'test');
		assert.equal(confirmed.changed, 1);
		assert.equal(core.listFindings({ states: ['confirmed'] }).findings[0].id, after.id);
		core.close();
	});

	void it('a private key blocks export until a person releases it; a person can block any session', async () => {
		const { core, secrets, dir } = setup();
		core.setConsent([secrets.envSession.id, secrets.keySession.id], true, 'test');
		const block = (id: string) => core.listFindings().sessions.find((s) => s.sessionId === id)?.block ?? 'none';
		assert.equal(block(secrets.keySession.id), 'blocked-by-finding');
		const first = await core.exportDataset({ out: path.join(dir, 'out1'), ...OPEN_GATES });
		assert.deepEqual({ exported: first.sessions.exported, blocked: first.sessions.blocked }, { exported: 1, blocked: 1 });

		assert.deepEqual(core.setSessionBlock([secrets.keySession.id], 'release', 'test'), { changed: [secrets.keySession.id], unknown: [] });
		assert.equal(block(secrets.keySession.id), 'released');
		assert.deepEqual(core.setSessionBlock([secrets.envSession.id, 'nope'], 'block', 'test'), { changed: [secrets.envSession.id], unknown: ['nope'] });
		assert.equal(block(secrets.envSession.id), 'blocked-by-user');
		const second = await core.exportDataset({ out: path.join(dir, 'out2'), ...OPEN_GATES });
		const manifest = JSON.parse(fs.readFileSync(second.manifest, 'utf8')) as { source_sample_ids: Record<string, string[]> };
		assert.deepEqual({ exported: second.sessions.exported, blocked: second.sessions.blocked }, { exported: 1, blocked: 1 });
		assert.deepEqual(Object.values(manifest.source_sample_ids).flat(), [secrets.keySession.id]);
		core.close();
	});

	void it('nothing that leaves the store holds a value: exports, redacted sessions, transcripts, titles', async () => {
		const { core, secrets, dir, values } = setup();
		core.setConsent([secrets.envSession.id, secrets.keySession.id], true, 'test');
		core.setSessionBlock([secrets.keySession.id], 'release', 'test');
		const report = await core.exportDataset({ out: path.join(dir, 'out'), formats: [...FORMAT_NAMES], ...OPEN_GATES });
		assert.equal(report.sessions.exported, 2);
		const exported = filesUnder(path.join(dir, 'out'), '').map((f) => fs.readFileSync(f, 'utf8')).join('\n');
		const outputs = [
			exported,
			JSON.stringify(core.redactedSession(secrets.envSession.id)), JSON.stringify(core.redactedSession(secrets.keySession.id)),
			core.renderTranscript(secrets.envSession.id).text, core.renderTranscript(secrets.keySession.id).text,
			JSON.stringify(core.listSessions()), JSON.stringify(core.listFindings()),
		];
		for (const v of [...values, ...secrets.credentials.privateKeyBody.split('\n')]) {
			for (const out of outputs) assert.ok(!out.includes(v), `a value leaked: ${v.slice(0, 4)}…`);
		}
		assert.match(exported, /\[REDACTED:github-pat#1\]/);
		core.close();
	});

	void it('marks every placeholder in the transcript with the findings behind it', () => {
		const { core, secrets } = setup();
		const { text, marks } = core.renderTranscript(secrets.envSession.id);
		assert.ok(marks.length >= 3);
		const ids = new Set(core.listFindings({ sessionId: secrets.envSession.id }).findings.map((f) => f.id));
		for (const m of marks) {
			assert.equal(text.slice(m.start, m.end), m.placeholder);
			assert.ok(m.findingIds.every((id) => ids.has(id)));
			assert.ok(m.description.length > 10);
		}
		assert.match(text, /\*\*Secrets:\*\* 3 found \(3 to review\)/);
		core.close();
	});

	void it('redacts a secret pasted into the prompt that titles the session in lists', () => {
		const { core, secrets } = secretStore({
			scan: false,
			beforeImport: ({ envSession, credentials }) => {
				const lines = fs.readFileSync(envSession.file, 'utf8').split('\n');
				// Whichever prompt the importer takes as the title, both carry the token.
				for (const prompt of ['which database does the dev server use?', 'mix phx.server doesnt seem to start']) {
					const at = lines.findIndex((l) => l.includes(`"content":"${prompt}"`));
					assert.ok(at >= 0, prompt);
					lines[at] = lines[at].replace(prompt, `with ${credentials.githubPat}: ${prompt}`);
				}
				fs.writeFileSync(envSession.file, lines.join('\n'));
			},
		});
		const token = secrets.credentials.githubPat;
		const unscanned = core.listSessions().find((s) => s.id === secrets.envSession.id);
		assert.ok(unscanned?.title && !unscanned.title.includes(token), 'redacted before the scan ran');
		core.rescan();
		const scanned = core.listSessions().find((s) => s.id === secrets.envSession.id);
		assert.equal(scanned?.title, core.redactedSession(secrets.envSession.id).title);
		assert.match(scanned?.title ?? '', /\[REDACTED:github-pat#1\]/);
		const summary = core.listFindings().sessions.find((x) => x.sessionId === secrets.envSession.id);
		assert.equal(summary?.title, scanned?.title, 'the review list shows the same redacted title');
		core.close();
	});

	void it('a kill between import and scan is repaired: the next open re-scans', () => {
		const { core: killed, storePath, secrets } = secretStore({ scan: false });
		killed.close();
		const core = Tracemint.open(storePath, noHome);
		assert.ok(core.listFindings().findings.some((f) => f.sessionId === secrets.envSession.id));
		core.close();
		assert.ok(!storeBytes(storePath).includes('REDACTED'), 'placeholders are computed on the way out, not stored');
	});
});
