import { RULES } from '../redact/rules';

const descriptions = new Map(RULES.map((r) => [r.id, r.description]));

/** Why a rule matches, for people: hovers, the review webview, CLI output. */
export function ruleDescription(ruleId: string): string {
	return descriptions.get(ruleId) ?? `rule ${ruleId} (no longer in this version of the rules)`;
}
