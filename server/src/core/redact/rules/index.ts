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
export const RULES_VERSION = 4;

/** Not after a word character, where the letter of a JSON escape (`\n`, `\r`, `\t`) does not count as one. */
const WORD_START = String.raw`(?<!\w(?<!\\[nrt]))`;

/**
 * Raw JSONL logs (`tracemint scan session.jsonl`, JSON carried inside a tool result) hold a line break as the two
 * characters `\n`, and `n` is a word character: a token at the start of a line would fail `(?<![\w-])` or `\b`.
 * Every character-class lookbehind and every `\b` that starts a word (outside character classes) also accepts a
 * preceding escape.
 */
function escapeAware(source: string): string {
	let out = '';
	let inClass = false;
	for (let i = 0; i < source.length; i++) {
		const c = source[i];
		if (c === '\\') {
			const next = source[i + 1] ?? '';
			// A `\b` that starts a word; one that ends a word (after a letter in the source, as in `\bcurl\b`) is kept.
			out += !inClass && next === 'b' && !/\w/.test(source[i - 1] ?? '') ? WORD_START : c + next;
			i++;
		} else if (inClass) {
			if (c === ']') inClass = false;
			out += c;
		} else if (c === '[') {
			inClass = true;
			out += c;
		} else if (source.startsWith('(?<![', i)) {
			// `(?<![\w-])` becomes `(?<![\w-](?<!\\[nrt]))`: the class still refuses a character, unless that character
			// ends a JSON escape.
			let j = i + 5;
			while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
			if (source[j + 1] !== ')') {
				out += c;
				continue;
			}
			out += `(?<!${source.slice(i + 4, j + 1)}(?<!\\\\[nrt]))`;
			i = j + 1;
		} else {
			out += c;
		}
	}
	return out;
}

/** The scanner needs `g` (scan once, resume with lastIndex) and `d` (capture-group offsets). */
function compiled(rule: Rule): Rule {
	const flags = new Set([...rule.pattern.flags, 'g', 'd']);
	return { ...rule, pattern: new RegExp(escapeAware(rule.pattern.source), [...flags].join('')) };
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
