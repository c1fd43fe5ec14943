/**
 * Review decisions from the editor: quick fixes on transcript diagnostics (the server names
 * these commands with a FindingTarget or a session id), the Sessions tree's context menu, and
 * other commands or tests passing finding ids.
 */
import * as vscode from 'vscode';
import { FINDING_COMMANDS, isFindingTarget } from '../../../shared/findingActions';
import type { DecideFindings, FindingDecision, SetSessionBlock } from '../../../shared/protocol';
import { DecideFindingsRequest, SetSessionBlockRequest } from '../../../shared/lsp';
import type { CommandFactory, Ctx } from '../ctx';
import { plural } from './consent';
import { pickSessions, sessionIdsFromArgs } from './pickSessions';

export const confirmFinding: CommandFactory = (ctx) => (target?: unknown) => decide(ctx, 'confirm', target);
export const markFalsePositive: CommandFactory = (ctx) => (target?: unknown) => decide(ctx, 'false-positive', target);
export const blockSession: CommandFactory = (ctx) => (target?: unknown, selected?: unknown) => setBlock(ctx, 'block', target, selected);
export const releaseSession: CommandFactory = (ctx) => (target?: unknown, selected?: unknown) => setBlock(ctx, 'release', target, selected);

/** A FindingTarget, a finding id or ids, or FindingDto-like objects (`{ id }`); undefined when none is named. */
export function findingIdsFromArgs(target: unknown): number[] | undefined {
	const idOf = (value: unknown): number | undefined => Number.isInteger(value) ? value as number
		: Number.isInteger((value as { id?: unknown } | null | undefined)?.id) ? (value as { id: number }).id : undefined;
	if (isFindingTarget(target)) return target.findingIds.length > 0 ? target.findingIds : undefined;
	const ids = (Array.isArray(target) ? target : [target]).map(idOf);
	return ids.length > 0 && ids.every((id) => id !== undefined) ? [...new Set(ids as number[])] : undefined;
}

async function decide(ctx: Ctx, decision: FindingDecision, target: unknown): Promise<DecideFindings.Result | undefined> {
	const ids = findingIdsFromArgs(target);
	if (!ids) {
		void vscode.window.showInformationMessage('Tracemint: use this from the quick fixes of a finding in a session transcript.');
		return undefined;
	}
	const result = await ctx.request(DecideFindingsRequest, { ids, decision });
	if (!result) {
		return undefined;
	}
	ctx.storeChanged(result.sessionIds);
	if (decision === 'false-positive' && result.changed > 0) {
		// The value is shown unredacted from now on, everywhere; make that easy to take back.
		void vscode.window.showInformationMessage(
			`Tracemint: marked as a false positive; the value is no longer redacted in ${plural(result.sessionIds.length, 'session')}.`, 'Undo',
		).then((choice) => choice && decide(ctx, 'reopen', ids));
	} else {
		const done = { confirm: 'confirmed; the value stays redacted', reopen: 'reopened; the value is redacted again', 'false-positive': '' }[decision];
		vscode.window.setStatusBarMessage(`Tracemint: ${result.changed > 0 ? done : 'nothing changed'}.`, 4000);
	}
	return result;
}

async function setBlock(ctx: Ctx, decision: 'block' | 'release', target: unknown, selected: unknown): Promise<SetSessionBlock.Result | undefined> {
	const ids = (isFindingTarget(target) ? [target.sessionId] : sessionIdsFromArgs(target, selected)) ?? await pickSessions(ctx, {
		title: decision === 'block' ? 'Block sessions from export' : 'Release blocked sessions for export',
		canPickMany: true,
		emptyMessage: 'Tracemint: the store has no sessions yet.',
	});
	if (!ids) {
		return undefined;
	}
	const result = await ctx.request(SetSessionBlockRequest, { ids, decision });
	if (!result) {
		return undefined;
	}
	ctx.storeChanged(result.changed);
	const verb = decision === 'block' ? 'Blocked' : 'Released';
	vscode.window.setStatusBarMessage(`Tracemint: ${verb} ${plural(result.changed.length, 'session')}${decision === 'block' ? ' from export' : ''}.`, 4000);
	if (result.unknown.length > 0) {
		ctx.output.warn(`set session block: unknown sessions ${result.unknown.join(', ')}`);
	}
	return result;
}

/** Registered by the command registry (commands/index.ts). */
export const findingCommands: Record<string, CommandFactory> = {
	[FINDING_COMMANDS.confirm]: confirmFinding,
	[FINDING_COMMANDS.falsePositive]: markFalsePositive,
	[FINDING_COMMANDS.blockSession]: blockSession,
	[FINDING_COMMANDS.releaseSession]: releaseSession,
};
