/** A session's deduplication signature, computed once and stored as JSON next to its score. */
import { createHash } from 'node:crypto';
import type { Session } from '../../../../../shared/model';
import { minhashSignature, wordsOf } from './minhash';
import { dedupText } from './normalise';

export interface DedupSignature {
	/** sha256 (hex) of the normalised text: equal means exact duplicates. */
	exactHash: string;
	/** MinHash of the normalised text's word shingles, for near duplicates. */
	minhash: number[];
}

export function dedupSignature(session: Pick<Session, 'messages'>): DedupSignature {
	const text = dedupText(session);
	return {
		exactHash: createHash('sha256').update(text).digest('hex'),
		minhash: minhashSignature(wordsOf(text)),
	};
}
