import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { splitLines } from '../../server/src/cli/io';

async function collect(chunks: Buffer[]): Promise<string[]> {
	const lines: string[] = [];
	for await (const line of splitLines(Readable.from(chunks))) lines.push(line);
	return lines;
}

/** Every way of cutting the bytes into chunks must give the same lines. */
function chunked(bytes: Buffer, size: number): Buffer[] {
	const out: Buffer[] = [];
	for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
	return out;
}

void describe('splitLines', () => {
	void it('splits on \\n, drops a \\r before it, keeps empty lines, and decodes characters cut across chunks', async () => {
		const bytes = Buffer.from('déjà 😀\r\n\nsecond\rline\r\nlast without newline');
		const expected = ['déjà 😀', '', 'second\rline', 'last without newline'];
		for (const size of [1, 2, 3, 5, 7, bytes.length]) {
			assert.deepEqual(await collect(chunked(bytes, size)), expected, `chunks of ${size}`);
		}
	});

	void it('ends cleanly on a final newline and on empty input', async () => {
		assert.deepEqual(await collect([Buffer.from('a\nb\n')]), ['a', 'b']);
		assert.deepEqual(await collect([]), []);
	});
});
