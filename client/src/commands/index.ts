/** The command registry: name → factory, as contributed in package.json. */
import type { CommandFactory } from '../ctx';
import type { QualityReports } from '../quality/qualityReports';
import { CURRENT_SESSION_COMMAND, type CurrentSessionStatus } from '../views/currentSessionStatus';
import type { SessionsTree } from '../views/sessionsTree';
import type { SourcesNode, SourcesTree } from '../views/sourcesTree';
import { optIn, optInAccepted, optOut } from './consent';
import { currentSessionActions } from './currentSession';
import { exportDataset } from './exportDataset';
import { findingCommands } from './findings';
import { forgetSession } from './forget';
import { importNow } from './importNow';
import { openTranscript } from './openTranscript';
import { rateDown, rateUp, showRewardBreakdown } from './quality';
import { clearSessionsFilter, filterSessions, sortSessions } from './sessionsView';
import { reviewSecrets } from '../webviews/reviewSecretsPanel';

/** What some commands act on besides the Ctx. */
export interface CommandDeps {
	sessionsTree: SessionsTree;
	sourcesTree: SourcesTree;
	quality: QualityReports;
	currentSession: CurrentSessionStatus;
}

const refreshSessions: CommandFactory = (ctx) => () => ctx.storeChanged(undefined);
const showOutput: CommandFactory = (ctx) => () => ctx.output.show();
const restartBackend: CommandFactory = (ctx) => () => ctx.restart();

export function allCommands({ sessionsTree, sourcesTree, quality, currentSession }: CommandDeps): Record<string, CommandFactory> {
	return {
		'tracemint.sources.enable': () => (node: SourcesNode) => sourcesTree.setEnabled(node, true),
		'tracemint.sources.disable': () => (node: SourcesNode) => sourcesTree.setEnabled(node, false),
		'tracemint.sources.refresh': () => () => sourcesTree.refresh(),
		'tracemint.importNow': importNow,
		'tracemint.optIn': optIn,
		'tracemint.optOut': optOut,
		'tracemint.optInAccepted': optInAccepted(quality),
		'tracemint.openTranscript': openTranscript,
		'tracemint.refreshSessions': refreshSessions,
		'tracemint.exportDataset': exportDataset,
		'tracemint.showOutput': showOutput,
		'tracemint.restartBackend': restartBackend,
		'tracemint.reviewSecrets': reviewSecrets,
		'tracemint.rateUp': rateUp,
		'tracemint.rateDown': rateDown,
		'tracemint.showRewardBreakdown': showRewardBreakdown,
		'tracemint.forgetSession': forgetSession,
		'tracemint.sortSessions': sortSessions(sessionsTree),
		'tracemint.filterSessions': filterSessions(sessionsTree),
		'tracemint.clearSessionsFilter': clearSessionsFilter(sessionsTree),
		[CURRENT_SESSION_COMMAND]: currentSessionActions(currentSession),
		...findingCommands,
	};
}
