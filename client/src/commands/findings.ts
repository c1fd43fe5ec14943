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
import { plural } from '../text';
import { changeSessions, pickSessions, sessionIdsFromArgs } from './pickSessions';

/** Registered by the command registry (commands/index.ts). */
export const findingCommands: Record<string, CommandFactory> = {
	[FINDING_COMMANDS.confirm]: (ctx) => (target?: unknown) => decide(ctx, 'confirm', target),
	[FINDING_COMMANDS.falsePositive]: (ctx) => (target?: unknown) => decide(ctx, 'false-positive', target),
	[FINDING_COMMANDS.blockSession]: (ctx) => (target?: unknown, selected?: unknown) => setBlock(ctx, 'block', target, selected),
	[FINDING_COMMANDS.releaseSession]: (ctx) => (target?: unknown, selected?: unknown) => setBlock(ctx, 'release', target, selected),
};

/** A FindingTarget, a finding id or ids, or FindingDto-like objects (`{ id }`); undefined when none is named. */
function findingIdsFromArgs(target: unknown): number[] | undefined {
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
	const result = await changeSessions(ctx, ids, 'set session block', (ids) => ctx.request(SetSessionBlockRequest, { ids, decision }));
	if (result) {
		const verb = decision === 'block' ? 'Blocked' : 'Released';
		vscode.window.setStatusBarMessage(`Tracemint: ${verb} ${plural(result.changed.length, 'session')}${decision === 'block' ? ' from export' : ''}.`, 4000);
	}
	return result;
}
