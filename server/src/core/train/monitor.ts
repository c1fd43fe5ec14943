/**
 * Watching a run from outside: one poll script reads whether the process group (or slurm job)
 * is alive, the trainer's status.json and heartbeat.json, whether the adapter is complete, and
 * what train.log and metrics.jsonl gained since the last byte offsets. The run's state follows
 * from those facts alone, so any client (after an editor restart, from the CLI) reaches the same
 * answer. Cancel signals the whole process group; fetch downloads the adapter.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunMetricDto } from '../../../../shared/training';
import { asNumber, asObject, parseJson, type JsonObject } from '../capture/json';
import { sh } from './remoteShell';
import { remoteRunLayout, type RunState, type TrainingRun } from './runs';
import type { SshClient } from './ssh';
import { SLURM_ACTIVE_STATES, scancelCommand, squeueCommand } from './slurm';

/** Bytes of log or metrics one poll brings back at most; the rest comes with the next poll. */
export const POLL_CHUNK_BYTES = 256 * 1024;

/** One line of metrics.jsonl with the fields a chart needs pulled out; `raw` keeps the rest. */
export interface RunMetric extends RunMetricDto {
	raw: Record<string, unknown>;
}

export interface RunFacts {
	/** Whether the process group (or slurm job) is still there; undefined before it has an id. */
	alive?: boolean;
	slurmState?: string;
	/** status.json's `state`, lower-cased. */
	status?: string;
	statusJson?: Record<string, unknown>;
	heartbeat?: Record<string, unknown>;
	adapter: boolean;
	cancelled: boolean;
	exitCode?: number;
	/** The run folder is gone from the host. */
	missing: boolean;
}

export interface PollResult extends RunFacts {
	state: RunState;
	/** New log text from `logFrom`, and the offset after it. */
	log: string;
	logEnd: number;
	/** New complete metric lines from `metricsFrom`, and the offset after them. */
	metrics: RunMetric[];
	metricsEnd: number;
	/** The chunk limit was hit: poll again at once for the rest. */
	more: boolean;
	/** The log's last lines, to explain a failure. */
	tail: string;
}

const POLL_SCRIPT = `
dir=$1; log_from=$2; metrics_from=$3; max=$4; pgid=$5; job=$6; mark=$7
section() { printf '\\n%s %s\\n' "$mark" "$1"; }
cd "$dir" 2>/dev/null || { section missing; exit 0; }
if [ -n "$job" ]; then
	section slurm; SQUEUE 2>/dev/null
elif [ -n "$pgid" ]; then
	section alive; if kill -0 "-$pgid" 2>/dev/null; then printf 1; else printf 0; fi
fi
for f in out/status.json out/heartbeat.json exit_code cancelled; do
	if [ -f "$f" ]; then section "$f"; cat "$f"; fi
done
if [ -f out/adapter/adapter_config.json ] && [ -f out/adapter/adapter_model.safetensors ]; then section adapter; fi
section log
if [ -f train.log ]; then tail -c +$((log_from + 1)) train.log | head -c "$max"; fi
section metrics
if [ -f out/metrics.jsonl ]; then tail -c +$((metrics_from + 1)) out/metrics.jsonl | head -c "$max"; fi
section tail
if [ -f train.log ]; then tail -n 8 train.log; fi
section end
`;

/** Reads a run's files from the given offsets on, at most `maxBytes` of each (0: state only). */
export async function pollRun(ssh: SshClient, run: TrainingRun, from: { log: number; metrics: number }, maxBytes = POLL_CHUNK_BYTES): Promise<PollResult> {
	const mark = `@@tracemint-${randomBytes(6).toString('hex')}@@`;
	const args = sh`${run.remoteDir} ${from.log} ${from.metrics} ${maxBytes} ${run.pid ?? ''} ${run.jobId ?? ''} ${mark}`;
	const script = `set -- ${args}\n${POLL_SCRIPT.replace('SQUEUE', () => sh`${squeueCommand(run.jobId ?? '')}`)}`;
	const result = await ssh.script(script, { timeoutMs: 60_000 });
	if (result.code !== 0) {
		throw new Error(`polling run ${run.id} failed (exit ${result.code}): ${result.stderr.trim()}`);
	}
	const sections = parseSections(result.stdout, mark);
	const facts = factsOf(sections, run);
	const logBytes = sections.get('log') ?? Buffer.alloc(0);
	const logLength = completeUtf8Length(logBytes);
	const metricsBytes = sections.get('metrics') ?? Buffer.alloc(0);
	const metricsLength = metricsBytes.lastIndexOf(0x0a) + 1;
	return {
		...facts,
		state: deriveState(facts, run),
		log: logBytes.subarray(0, logLength).toString('utf8'),
		logEnd: from.log + logLength,
		metrics: parseMetrics(metricsBytes.subarray(0, metricsLength).toString('utf8')),
		metricsEnd: from.metrics + metricsLength,
		more: maxBytes > 0 && (logBytes.length >= maxBytes || metricsBytes.length >= maxBytes),
		tail: (sections.get('tail') ?? Buffer.alloc(0)).toString('utf8').trimEnd(),
	};
}

/**
 * The state matrix: alive and not final → running (saving while the trainer says so, starting
 * before its first heartbeat); dead with a complete adapter → done (unless cancelled before it
 * exited cleanly); dead after a cancel → cancelled; dead with status failed → failed; dead
 * otherwise → crashed.
 */
export function deriveState(facts: RunFacts, run: Pick<TrainingRun, 'dryRun' | 'pid' | 'jobId' | 'state'>): RunState {
	if (facts.missing) return 'crashed';
	if (facts.alive === undefined) return run.state;
	if (facts.alive) {
		if (facts.slurmState === 'PENDING') return 'starting';
		if (facts.status === 'saving') return 'saving';
		return facts.heartbeat || facts.status ? 'running' : 'starting';
	}
	// A cancel that landed as the run was exiting does not undo a finished adapter.
	if (facts.adapter && facts.exitCode === 0) return 'done';
	if (facts.cancelled || facts.status === 'cancelled') return 'cancelled';
	if (facts.status === 'failed' || facts.status === 'error') return 'failed';
	// A dry run proves the pipeline, not the weights: its own "done" is enough.
	if (facts.adapter || (run.dryRun && facts.status === 'done' && facts.exitCode === 0)) return 'done';
	return 'crashed';
}

/** Why a finished run did not succeed, in one line. */
export function failureDetail(result: PollResult): string | undefined {
	if (result.state !== 'failed' && result.state !== 'crashed') return undefined;
	if (result.missing) return 'the run folder is gone from the host';
	const reported = result.statusJson?.error ?? result.statusJson?.message;
	if (typeof reported === 'string' && reported.trim() !== '') return reported.trim();
	const exit = result.exitCode === undefined ? 'without an exit status (killed, or the host restarted)' : `with exit status ${result.exitCode}`;
	const last = result.tail.split('\n').filter((l) => l.trim() !== '').at(-1);
	return `ended ${exit} and no adapter${last ? `; last log line: ${last.trim()}` : ''}`;
}

function factsOf(sections: Map<string, Buffer>, run: TrainingRun): RunFacts {
	const text = (name: string) => sections.get(name)?.toString('utf8');
	const slurmState = text('slurm')?.trim().split('\n')[0]?.trim().toUpperCase();
	let alive: boolean | undefined;
	if (sections.has('slurm')) alive = slurmState !== undefined && SLURM_ACTIVE_STATES.includes(slurmState);
	else if (sections.has('alive')) alive = text('alive') === '1';
	const statusJson = objectOf(text('out/status.json'));
	const exit = text('exit_code')?.trim();
	return {
		alive: run.pid === null && run.jobId === null ? undefined : alive,
		slurmState: slurmState || undefined,
		status: normalizeStatus(statusJson?.state),
		statusJson,
		heartbeat: objectOf(text('out/heartbeat.json')),
		adapter: sections.has('adapter'),
		cancelled: sections.has('cancelled'),
		exitCode: exit === undefined || exit === '' ? undefined : Number(exit),
		missing: sections.has('missing'),
	};
}

/** The trainer's words for its states, mapped onto ours. */
function normalizeStatus(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const state = value.trim().toLowerCase();
	if (['done', 'completed', 'complete', 'finished', 'succeeded', 'success'].includes(state)) return 'done';
	if (['failed', 'failure', 'error', 'errored'].includes(state)) return 'failed';
	return state;
}

function parseSections(stdout: Buffer, mark: string): Map<string, Buffer> {
	// latin1 maps bytes 1:1, so slicing the text and converting back gives the exact bytes.
	const text = stdout.toString('latin1');
	const sections = new Map<string, Buffer>();
	for (const part of text.split(`\n${mark} `).slice(1)) {
		const newline = part.indexOf('\n');
		const name = newline < 0 ? part : part.slice(0, newline);
		sections.set(name, Buffer.from(newline < 0 ? '' : part.slice(newline + 1), 'latin1'));
	}
	if (!sections.has('end') && !sections.has('missing')) {
		throw new Error('the poll output was cut short');
	}
	return sections;
}

/** Holds back a UTF-8 sequence cut at the chunk's end, so it is decoded whole next time. */
function completeUtf8Length(bytes: Buffer): number {
	for (let back = 1; back <= Math.min(3, bytes.length); back++) {
		const byte = bytes[bytes.length - back];
		if ((byte & 0xc0) === 0x80) continue;
		const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
		return need > back ? bytes.length - back : bytes.length;
	}
	return bytes.length;
}

/** The trainer's fields (`loss`, `eval_loss`, `tokens_per_second`, `gpu_memory_gb`…) and common aliases; skips lines that are not JSON objects. */
export function parseMetrics(text: string): RunMetric[] {
	const out: RunMetric[] = [];
	for (const line of text.split('\n')) {
		const raw = objectOf(line);
		if (!raw) continue;
		const pick = (...keys: string[]) => {
			for (const key of keys) if (asNumber(raw[key]) !== undefined) return raw[key] as number;
			return undefined;
		};
		const gpuMiB = pick('gpu_memory_mib', 'gpu_mem_mib');
		out.push({
			step: pick('step', 'global_step'),
			epoch: pick('epoch'),
			loss: pick('loss', 'train_loss'),
			evalLoss: pick('eval_loss'),
			learningRate: pick('learning_rate', 'lr'),
			tokensPerSecond: pick('tokens_per_second', 'tokens_per_sec', 'tokens_per_s', 'train_tokens_per_second'),
			gpuMemoryGb: pick('gpu_memory_gb', 'gpu_mem_gb') ?? (gpuMiB === undefined ? undefined : gpuMiB * 1024 ** 2 / 1e9),
			raw,
		});
	}
	return out;
}

/**
 * Cancel: mark the run cancelled, then SIGTERM its whole process group, and SIGKILL it if it is
 * still there after `graceSeconds` (slurm: scancel). Returns what happened.
 */
export async function cancelRemote(ssh: SshClient, run: TrainingRun, graceSeconds: number): Promise<'terminated' | 'killed' | 'gone' | 'scancelled'> {
	const script = [
		sh`set -- ${run.remoteDir} ${run.pid ?? ''} ${Math.max(0, Math.floor(graceSeconds))}`,
		'cd "$1" || exit 3',
		// The marker is written only while the run is there: a run that already ended keeps its own state.
		...(run.jobId ? ['date -u +%Y-%m-%dT%H:%M:%SZ > cancelled', `${sh`${scancelCommand(run.jobId)}`} && echo scancelled`, 'exit $?'] : []),
		'[ -n "$2" ] && kill -0 "-$2" 2>/dev/null || { echo gone; exit 0; }',
		'date -u +%Y-%m-%dT%H:%M:%SZ > cancelled',
		'kill -TERM "-$2" 2>/dev/null || { echo gone; exit 0; }',
		'end=$(( $(date +%s) + $3 ))',
		'while kill -0 "-$2" 2>/dev/null; do',
		'\tif [ "$(date +%s)" -ge "$end" ]; then kill -KILL "-$2" 2>/dev/null; echo killed; exit 0; fi',
		'\tsleep 0.2 2>/dev/null || sleep 1',
		'done',
		'echo terminated',
	].join('\n');
	const out = (await ssh.scriptText(script, `cancelling run ${run.id}`, { timeoutMs: (graceSeconds + 60) * 1000 })).trim();
	return out.split('\n').at(-1) as 'terminated' | 'killed' | 'gone' | 'scancelled';
}

/** Files fetch brings home besides the adapter, when present: what produced it and how it went. */
const RUN_RECORD_FILES = ['config.json', 'train.log', 'out/metrics.jsonl', 'out/status.json'];

/** Downloads `out/adapter/` into `<to>/adapter/`, plus config, log and metrics beside it; returns the local files. */
export async function fetchAdapter(ssh: SshClient, run: TrainingRun, to: string): Promise<string[]> {
	const layout = remoteRunLayout(run.remoteDir);
	await ssh.download(layout.outputDir, ['adapter'], to);
	const present = (await ssh.scriptText([
		sh`cd ${layout.dir} || exit 3`,
		sh`for f in ${RUN_RECORD_FILES}; do [ -f "$f" ] && printf '%s\\n' "$f"; done; exit 0`,
	].join('\n'), 'listing run files')).split('\n').filter((f) => RUN_RECORD_FILES.includes(f));
	const fromRun = present.filter((f) => !f.startsWith('out/'));
	const fromOut = present.filter((f) => f.startsWith('out/')).map((f) => f.slice('out/'.length));
	if (fromRun.length > 0) await ssh.download(layout.dir, fromRun, to);
	if (fromOut.length > 0) await ssh.download(layout.outputDir, fromOut, to);
	return fs.readdirSync(to, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => path.join(entry.parentPath, entry.name))
		.sort();
}

/** A file's or line's JSON object; undefined for anything else (absent, torn, not an object). */
function objectOf(text: string | undefined): JsonObject | undefined {
	return text === undefined ? undefined : asObject(parseJson(text));
}
