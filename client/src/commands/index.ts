/** The command registry: name → factory, as contributed in package.json. */
import type { CommandFactory } from '../ctx';
import { optIn, optOut } from './consent';
import { exportDataset } from './exportDataset';
import { findingCommands } from './findings';
import { importNow } from './importNow';
import { openTranscript } from './openTranscript';
import { reviewSecrets } from '../webviews/reviewSecretsPanel';

const refreshSessions: CommandFactory = (ctx) => () => ctx.storeChanged(undefined);
const showOutput: CommandFactory = (ctx) => () => ctx.output.show();
const restartBackend: CommandFactory = (ctx) => () => ctx.restart();

export function allCommands(): Record<string, CommandFactory> {
	return {
		'tracemint.importNow': importNow,
		'tracemint.optIn': optIn,
		'tracemint.optOut': optOut,
		'tracemint.openTranscript': openTranscript,
		'tracemint.refreshSessions': refreshSessions,
		'tracemint.exportDataset': exportDataset,
		'tracemint.showOutput': showOutput,
		'tracemint.restartBackend': restartBackend,
		'tracemint.reviewSecrets': reviewSecrets,
		...findingCommands,
	};
}
