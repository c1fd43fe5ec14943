/**
 * Reviewing stored findings: list them, decide on them, block or release whole sessions.
 * Output shows a finding's mask and the (already redacted) text around it, never the value.
 */
import type {
	FindingDecision, FindingDto, FindingSeverity, FindingState, ListFindings, SessionFindingsSummary,
} from '../../../shared/protocol';
import { RULES } from '../core/redact/rules';
import { UsageError, type Command, type CommandContext, type CommandResult } from './command';
import { sessionChange, sessionIds } from './commands';

const STATES: readonly FindingState[] = ['open', 'confirmed', 'false-positive'];
/** Most severe first: the order filters name them in and summaries count them in. */
export const SEVERITIES: readonly FindingSeverity[] = ['critical', 'high', 'medium', 'low'];

export const findingsCommands: Record<string, Command> = {
	findings: ({ core, args, options }) => {
		if (args.length > 1) {
			throw new UsageError('expected at most one SESSION_ID');
		}
		const params: ListFindings.Params = {
			// The core resolves a unique prefix (and names the ambiguity when there is one).
			sessionId: args[0],
			states: oneOf('--state', options.state, STATES),
			severities: oneOf('--severity', options.severity, SEVERITIES),
			ruleIds: oneOf('--rule', options.rule, RULES.map((r) => r.id)),
		};
		const result = core.listFindings(params);
		return { json: result, text: describeFindings(result) };
	},

	review: ({ core, args, options }) => {
		const decision = decisionOf(options);
		if (args.length === 0) {
			throw new UsageError('give at least one FINDING_ID (see: tracemint findings)');
		}
		const ids = args.map((arg) => {
			if (!/^\d+$/.test(arg)) {
				throw new UsageError(`FINDING_ID must be a whole number (got "${arg}")`);
			}
			return Number(arg);
		});
		const result = core.decideFindings(ids, decision, 'cli');
		const verb = { confirm: 'confirmed', 'false-positive': 'marked false positive (its value is allowlisted everywhere)', reopen: 'reopened' }[decision];
		const sessions = result.sessionIds.length ? ` in ${result.sessionIds.length} session(s): ${result.sessionIds.join(', ')}` : '';
		return { json: result, text: `${result.changed} of ${ids.length} finding(s) ${verb}${sessions}` };
	},

	block: (ctx) => sessionBlock(ctx, 'block', 'blocked from export'),
	release: (ctx) => sessionBlock(ctx, 'release', 'released for export (values stay redacted)'),
	unblock: (ctx) => sessionBlock(ctx, 'clear', 'back to what their findings say'),
};

function sessionBlock({ core, args }: CommandContext, decision: 'block' | 'release' | 'clear', verb: string): CommandResult {
	return sessionChange(core.setSessionBlock(sessionIds(args), decision, 'cli'), verb);
}

function decisionOf(options: CommandContext['options']): FindingDecision {
	const chosen = (['confirm', 'false-positive', 'reopen'] as const).filter((d) => options[d]);
	if (chosen.length !== 1) {
		throw new UsageError('give exactly one of --confirm, --false-positive, --reopen');
	}
	return chosen[0];
}

/** Repeatable and comma-separated (`--state open,confirmed`); undefined when not given. */
function oneOf<T extends string>(flag: string, given: string[] | undefined, allowed: readonly T[]): T[] | undefined {
	if (!given || given.length === 0) return undefined;
	const values = given.flatMap((g) => g.split(',')).map((v) => v.trim()).filter(Boolean);
	for (const v of values) {
		if (!(allowed as readonly string[]).includes(v)) {
			throw new UsageError(`unknown ${flag} "${v}"${allowed.length <= 8 ? ` (one of ${allowed.join(', ')})` : ''}`);
		}
	}
	return values as T[];
}

function describeFindings({ findings, sessions }: ListFindings.Result): string {
	if (findings.length === 0) {
		return 'No findings match.';
	}
	const bySession = new Map<string, FindingDto[]>();
	for (const f of findings) {
		const list = bySession.get(f.sessionId);
		if (list) list.push(f);
		else bySession.set(f.sessionId, [f]);
	}
	const lines: string[] = [];
	for (const [sessionId, list] of bySession) {
		const summary = sessions.find((s) => s.sessionId === sessionId);
		lines.push(summary ? describeSession(summary) : sessionId);
		lines.push(...list.map(describeFinding));
	}
	lines.push(`${findings.length} finding(s) in ${bySession.size} session(s)`);
	return lines.join('\n');
}

function describeSession(s: SessionFindingsSummary): string {
	const block = s.block === 'none' ? '' : `  [${s.block}]`;
	return `${s.sessionId}  ${s.title ?? ''}  (${s.open} open, ${s.confirmed} confirmed, ${s.falsePositive} false positive)${block}`;
}

function describeFinding(f: FindingDto): string {
	const where = `${f.messageIndex === null ? '' : `message ${f.messageIndex} `}${f.field}:${f.line}:${f.column}`;
	// One line per finding: the context is display text, so its line breaks become spaces.
	const context = `${f.context.before}${f.context.masked}${f.context.after}`.replace(/\s+/g, ' ').trim();
	return `  #${f.id}  ${f.severity}  ${f.ruleId}  ${f.state}  ${where}  ${context}`;
}
