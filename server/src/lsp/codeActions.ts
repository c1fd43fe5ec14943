/**
 * Quick fixes on a transcript's finding diagnostics. They run client commands, which own what
 * surrounds a decision (the request, the undo toast, refreshing views); the server only names
 * them, with the findings and session from the diagnostic's data.
 */
import { CodeActionKind, type CodeAction, type CodeActionOptions, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import { DIAGNOSTIC_SOURCE, FINDING_COMMANDS, isFindingTarget, type FindingDiagnosticData, type FindingTarget } from '../../../shared/findingActions';

export const CODE_ACTION_CAPABILITY: CodeActionOptions = { codeActionKinds: [CodeActionKind.QuickFix] };

export function registerFindingCodeActions(connection: Connection): void {
	connection.onCodeAction(({ context }) => {
		const wanted = !context.only || context.only.some((kind) => kind === '' || CodeActionKind.QuickFix.startsWith(kind));
		return wanted ? context.diagnostics.flatMap(findingActions) : [];
	});
}

export function findingActions(diagnostic: Diagnostic): CodeAction[] {
	const data: unknown = diagnostic.data;
	if (diagnostic.source !== DIAGNOSTIC_SOURCE || !isFindingDiagnosticData(data)) return [];
	const target: FindingTarget = { sessionId: data.sessionId, findingIds: data.findingIds };
	const action = (title: string, command: string, args: unknown[], isPreferred = false): CodeAction => ({
		title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred, command: { title, command, arguments: args },
	});
	return [
		...(data.state === 'confirmed' ? [] : [action('Redact: confirm this is a secret', FINDING_COMMANDS.confirm, [target], true)]),
		action('Mark as false positive (never redact this value)', FINDING_COMMANDS.falsePositive, [target]),
		...(data.block === 'blocked-by-user' ? [] : [action('Block this session from export', FINDING_COMMANDS.blockSession, [data.sessionId])]),
	];
}

function isFindingDiagnosticData(value: unknown): value is FindingDiagnosticData {
	const v = value as Partial<FindingDiagnosticData> | undefined;
	return isFindingTarget(value) && typeof v?.state === 'string' && typeof v.block === 'string';
}
