/**
 * Training (issue 7) in the editor: the runs model, the "Training Runs" view and the training
 * commands, wired with one call from extension.ts.
 */
import * as vscode from 'vscode';
import type { TrainRunInfo } from '../../../shared/training';
import type { Ctx } from '../ctx';
import { RUN_VIEW_TYPE, RunPanel } from './runPanel';
import { RunsTree, TRAINING_RUNS_VIEW } from './runsTree';
import { trainingCommands } from './trainCommands';
import { TrainingRuns } from './trainingRuns';

/** What the extension's API hands to tests: the view's tree, and the run view's restorer. */
export interface TrainingApi {
	tree: RunsTree;
	serializer: vscode.WebviewPanelSerializer;
}

export function registerTraining(ctx: Ctx): TrainingApi {
	const runs = new TrainingRuns(ctx);
	const tree = new RunsTree(runs);
	const view = vscode.window.createTreeView<TrainRunInfo>(TRAINING_RUNS_VIEW, { treeDataProvider: tree });
	const serializer: vscode.WebviewPanelSerializer = { deserializeWebviewPanel: (panel, state) => RunPanel.restore(ctx, runs, panel, state).then(() => undefined) };
	ctx.push(runs, tree, view, vscode.window.registerWebviewPanelSerializer(RUN_VIEW_TYPE, serializer));
	ctx.registerCommands(trainingCommands(runs));
	return { tree, serializer };
}
