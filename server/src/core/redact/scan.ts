import { maskBlobs } from './filters';
import { RULES, type Rule, type RuleAction, type RuleKind, type Severity } from './rules';
import { collectCandidates } from './scanning/candidates';
import { KeywordGate } from './scanning/keywordGate';
import { selectRules } from './scanning/selectRules';
import { LineCursor, toFinding } from './scanning/lineCursor';
import { resolveOverlaps } from './scanning/overlaps';

export { RULES_VERSION } from './rules';

export interface Finding {
	readonly ruleId: string;
	readonly kind: RuleKind;
	readonly severity: Severity;
	readonly action: RuleAction;
	/** JavaScript string indices of the value only (not the `password=` before it). */
	readonly start: number;
	readonly end: number;
	/** 1-based. */
	readonly line: number;
	/** 1-based, in UTF-16 code units. */
	readonly column: number;
	/** HMAC of the value under the caller's key, when one is given; never the value itself. */
	readonly fingerprint?: string;
}

export interface ScanOptions {
	/** Defaults to every built-in rule. */
	readonly rules?: readonly Rule[];
	readonly kinds?: readonly RuleKind[];
	readonly disabledRules?: readonly string[];
	/** When set, each finding carries `fingerprint(value, fingerprintKey)`. */
	readonly fingerprintKey?: string | Buffer;
}

/** A match that passed its rule's checks, before overlaps are resolved; offsets are into the whole text. */
export interface Candidate {
	readonly rule: Rule;
	readonly start: number;
	readonly end: number;
}

/**
 * Finds credentials and personal data in `text`; findings are sorted by position and never overlap.
 * Synchronous and linear in the text; for multi-megabyte texts in the editor's backend see `scanTextSliced`.
 */
export function scanText(text: string, options: ScanOptions = {}): Finding[] {
	// The keyword pass runs on the text as given and also looks for what a blob mask needs, stopping at the first such
	// hint; only then is the text masked and walked again from the start (unless masking changed nothing and the walk
	// went to the end), so the gate sees the masked text either way.
	const gate = gateFor(options);
	gate.stopAtHint = true;
	gate.feed(text, 0, text.length);
	gate.stopAtHint = false;
	let view = text;
	if (gate.maskHint) {
		view = maskBlobs(text);
		if (view !== text || gate.stoppedAtHint) {
			gate.reset();
			gate.feed(view, 0, view.length);
		}
	}
	const candidates: Candidate[] = [];
	collectCandidates(gate.selected(), view, candidates, 0, 0, view.length, gate);
	if (!candidates.length) return [];
	const cursor = new LineCursor(text);
	return resolveOverlaps(candidates).map((c) => toFinding(text, c, cursor, options));
}

/** The gate notes where anchored rules' keywords start, so those rules read only the text around them. */
const GATE_OPTIONS = { starts: true };
/** One gate per rule list for scans with every rule of it selected, reset before each (scanText is synchronous). */
const sharedGates = new WeakMap<readonly Rule[], KeywordGate>();
/** The last shared gate and its rule list: most calls scan with the built-in rules, one after another. */
let lastRules: readonly Rule[] | undefined;
let lastGate: KeywordGate | undefined;

function gateFor(options: ScanOptions): KeywordGate {
	const rules = options.rules ?? RULES;
	if (selectRules(options) !== rules) return new KeywordGate(options, GATE_OPTIONS);
	let gate = rules === lastRules ? lastGate : sharedGates.get(rules);
	if (gate) gate.reset();
	else sharedGates.set(rules, (gate = new KeywordGate(options, GATE_OPTIONS)));
	lastRules = rules;
	lastGate = gate;
	return gate;
}
