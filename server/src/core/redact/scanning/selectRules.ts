import { RULES, type Rule } from '../rules';
import type { ScanOptions } from '../scan';

/** The rules `options` selects, in rule order. */
export function selectRules(options: ScanOptions): readonly Rule[] {
	const base = options.rules ?? RULES;
	if (!options.disabledRules?.length && !options.kinds) return base;
	const disabled = new Set(options.disabledRules ?? []);
	const kinds = options.kinds ? new Set(options.kinds) : undefined;
	return base.filter((r) => !disabled.has(r.id) && (!kinds || kinds.has(r.kind)));
}
