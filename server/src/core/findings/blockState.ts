import type { SessionBlockState } from '../../../../shared/protocol';
import type { SessionBlockDecision } from '../store/repos/findings';

/**
 * A person's decision outranks the rules: `block` always bars the session; a `block` finding
 * (a private key) bars it until a person releases it; a false positive blocks nothing.
 */
export function blockStateOf(hasBlockingFinding: boolean, decision: SessionBlockDecision | undefined): SessionBlockState {
	if (decision === 'block') return 'blocked-by-user';
	if (!hasBlockingFinding) return 'none';
	return decision === 'release' ? 'released' : 'blocked-by-finding';
}
