/**
 * Training (issue 7) in the editor: the runs model, the "Training Runs" view and the training
 * commands, wired with one call from extension.ts.
 */
import * as vscode from 'vscode';
import type { TrainRunInfo } from '../../../shared/training';
import type { Ctx } from '../ctx';
import { RunsTree, TRAINING_RUNS_VIEW } from './runsTree';
import { trainingCommands } from './trainCommands';
import { TrainingRuns } from './trainingRuns';

/** Returns the view's tree (the extension's API hands it to tests). */
export function registerTraining(ctx: Ctx): RunsTree {
	const runs = new TrainingRuns(ctx);
	const tree = new RunsTree(runs);
	const view = vscode.window.createTreeView<TrainRunInfo>(TRAINING_RUNS_VIEW, { treeDataProvider: tree });
	ctx.push(runs, tree, view);
	ctx.registerCommands(trainingCommands(runs));
	return tree;
}
