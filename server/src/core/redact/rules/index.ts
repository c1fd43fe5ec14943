import { cloudRules } from './cloud';
import { genericRules } from './generic';
import { keyRules } from './keys';
import { piiRules } from './pii';
import { registryRules } from './registries';
import { serviceRules } from './services';
import type { Rule } from './types';
import { urlRules } from './urls';
import { vcsRules } from './vcs';

export type { FilterProfile, Rule, RuleAction, RuleKind, Severity } from './types';

/** Bump whenever a rule, filter or validator changes, so stored redactions can be re-run. */
export const RULES_VERSION = 1;

/** The scanner needs `g` (scan once, resume with lastIndex) and `d` (capture-group offsets). */
function compiled(rule: Rule): Rule {
	const flags = new Set([...rule.pattern.flags, 'g', 'd']);
	return { ...rule, pattern: new RegExp(rule.pattern.source, [...flags].join('')) };
}

export const RULES: readonly Rule[] = [
	...keyRules,
	...cloudRules,
	...vcsRules,
	...registryRules,
	...serviceRules,
	...urlRules,
	...genericRules,
	...piiRules,
].map(compiled);

const ids = new Set<string>();
for (const rule of RULES) {
	if (ids.has(rule.id)) throw new Error(`duplicate redaction rule id ${rule.id}`);
	ids.add(rule.id);
}
