/** Input and output plumbing for the text commands: FILE-or-stdin, exact decoding, lines, backpressure. */
import { isUtf8 } from 'node:buffer';
import { once } from 'node:events';
import * as fs from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { UsageError } from './command';

/** `-` or no argument: stdin. `name` is what messages and `--json` call the input. */
export interface InputSource {
	name: string;
	stream: Readable;
}

export function inputSource(args: string[], stdin: Readable): InputSource {
	if (args.length > 1) {
		throw new UsageError('expected at most one FILE (or - for stdin)');
	}
	const file = args[0];
	if (file === undefined || file === '-') {
		// No FILE on a terminal almost always means a forgotten argument, not text about to be typed.
		if (file === undefined && (stdin as Readable & { isTTY?: boolean }).isTTY) {
			throw new UsageError('give a FILE, or pipe text on stdin (- reads stdin explicitly)');
		}
		return { name: '-', stream: stdin };
	}
	let stat: fs.Stats;
	try {
		stat = fs.statSync(file);
	} catch (error) {
		throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
	}
	if (stat.isDirectory()) {
		throw new UsageError(`${file} is a directory`);
	}
	return { name: file, stream: fs.createReadStream(file) };
}

export async function readAll(stream: Readable): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) {
		chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk as Buffer);
	}
	return Buffer.concat(chunks);
}

/**
 * Text that round-trips to the same bytes: UTF-8 when the input is valid UTF-8, else latin1 (one char per byte),
 * so `redact` never rewrites bytes outside the values it replaces. Offsets are then byte offsets.
 */
export function decodeExact(buffer: Buffer): { text: string; encoding: 'utf8' | 'latin1' } {
	return isUtf8(buffer) ? { text: buffer.toString('utf8'), encoding: 'utf8' } : { text: buffer.toString('latin1'), encoding: 'latin1' };
}

/**
 * Lines split on `\n` only (a trailing `\r` dropped), so line numbers match editors and `wc -l`.
 * A line spread over many chunks is joined once, not re-concatenated per chunk.
 */
export async function* splitLines(stream: Readable): AsyncGenerator<string> {
	const decoder = new StringDecoder('utf8');
	let pending: string[] = [];
	const finish = (tail: string): string => {
		const line = pending.length ? pending.join('') + tail : tail;
		pending = [];
		return line.endsWith('\r') ? line.slice(0, -1) : line;
	};
	for await (const chunk of stream) {
		const text = typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
		let at = 0;
		for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', at)) {
			yield finish(text.slice(at, nl));
			at = nl + 1;
		}
		if (at < text.length) pending.push(text.slice(at));
	}
	const tail = decoder.end();
	if (tail || pending.length) yield finish(tail);
}

/** Batches small writes and waits for 'drain' when the reader is slower, so memory stays bounded. */
export class BufferedWriter {
	private parts: string[] = [];
	private size = 0;
	private failure: Error | undefined;

	constructor(private readonly out: Writable, private readonly batchChars = 64 * 1024) {
		// An 'error' with no listener would crash the process (e.g. EPIPE when piped into `head`).
		out.on('error', (error: Error) => { this.failure ??= error; });
	}

	async write(text: string): Promise<void> {
		this.parts.push(text);
		this.size += text.length;
		if (this.size >= this.batchChars) await this.flush();
	}

	async flush(): Promise<void> {
		if (this.failure) throw this.failure;
		if (this.parts.length === 0) return;
		const chunk = this.parts.join('');
		this.parts = [];
		this.size = 0;
		if (!this.out.write(chunk)) {
			await once(this.out, 'drain');
		}
	}
}
