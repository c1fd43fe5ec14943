/**
 * Reward and gates over a store of a few thousand sessions: the first evaluation (scores, token
 * counts, dedup signatures, gates) and a repeat that only reads the caches, beside the floor any
 * per-session work has, loading every session from the same store, measured in the same run.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Tracemint } from '../../server/src/core/tracemint';
import { noHome } from '../support/fixtures';
import { fixtureSessions } from '../support/fixtureSessions';
import { printPairs, time } from './table';

const COPIES = Number(process.env.TRACEMINT_BENCH_GATE_COPIES ?? 100);

export function gatesBench(): void {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracemint-gates-bench-'));
	try {
		const core = Tracemint.open(path.join(dir, 'bench.sqlite'), noHome);
		const originals = fixtureSessions();
		// Every copy is a distinct session (own id, own workspace); every third one differs by a word, so exact and near duplicates both occur.
		core.store.db.transaction(() => {
			for (let i = 0; i < COPIES; i++) {
				for (const s of originals) {
					const messages = s.messages.map((m, idx) => (idx === 0 && i % 3 === 0 ? { ...m, content: `${m.content} (copy ${i})` } : m));
					core.store.sessions.upsert({ ...s, id: `${s.id}:copy-${i}`, cwd: `/work/copy-${i}`, parent_session_id: s.parent_session_id && `${s.parent_session_id}:copy-${i}`, messages }, `copy-${i}`);
				}
			}
		})();
		const ids = core.listSessions().map((s) => s.id);
		core.setConsent(ids, true, 'bench');
		core.rescan();
		const load = time(() => ids.reduce((n, id) => n + core.store.sessions.get(id)!.messages.length, 0));
		const params = { preset: 'experimental', thresholds: { rewardFloor: 0 } } as const; // open, so dedup and split see every session
		const cold = time(() => core.gate(params));
		const warm = time(() => core.gate(params));
		core.close();
		const perSession = (ms: number) => `${(ms / ids.length).toFixed(2)} ms/session`;
		printPairs('5. Reward and gates', [
			['store', `${ids.length} sessions (${COPIES} copies of the ${originals.length} real fixture sessions), ${load.value} messages`],
			['load every session (baseline)', `${load.ms.toFixed(0)} ms (${perSession(load.ms)})`],
			['first gate evaluation', `${cold.ms.toFixed(0)} ms (${perSession(cold.ms)}): scores, o200k token counts, MinHash signatures, dedup, split`],
			['ratio first evaluation / load', (cold.ms / load.ms).toFixed(1)],
			['repeat (cached scores and signals)', `${warm.ms.toFixed(0)} ms (${perSession(warm.ms)})`],
			['decisions', `${cold.value.counts.accepted} accepted, ${cold.value.counts.downgraded} downgraded, ${cold.value.counts.rejected} rejected; ` +
				`${cold.value.reasons['exact-duplicate'] ?? 0} exact duplicates, ${cold.value.nearDuplicateClusters} near-duplicate clusters`],
		]);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}
