/**
 * The "Training Runs" view: the runs of the open workspace folders, unfinished ones first, each
 * with its state icon, host, start time and last loss. Clicking a run opens its run view.
 */
import * as vscode from 'vscode';
import type { TrainRunInfo } from '../../../shared/training';
import { escapeMarkdown } from '../text';
import type { TrainingRuns } from './trainingRuns';
import { runContextValue, runDescription, runLabel, runTooltipLines, STATE_ICONS } from './trainingText';

export const TRAINING_RUNS_VIEW = 'tracemint.trainingRuns';
export const SHOW_RUN_COMMAND = 'tracemint.train.showRun';

export class RunsTree implements vscode.TreeDataProvider<TrainRunInfo>, vscode.Disposable {
	private readonly changed = new vscode.EventEmitter<TrainRunInfo | undefined>();
	private readonly listener: vscode.Disposable;
	readonly onDidChangeTreeData = this.changed.event;

	constructor(private readonly runs: TrainingRuns) {
		this.listener = runs.onDidChange(() => this.changed.fire(undefined));
	}

	getChildren(element?: TrainRunInfo): TrainRunInfo[] {
		return element ? [] : this.runs.list();
	}

	getTreeItem(run: TrainRunInfo): vscode.TreeItem {
		const item = new vscode.TreeItem(runLabel(run), vscode.TreeItemCollapsibleState.None);
		item.id = run.id;
		item.description = runDescription(run);
		const { icon, color } = STATE_ICONS[run.state];
		item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
		item.tooltip = new vscode.MarkdownString(runTooltipLines(run).map(escapeMarkdown).join('  \n'));
		item.contextValue = runContextValue(run);
		item.command = { command: SHOW_RUN_COMMAND, title: 'Show Training Run', arguments: [run.id] };
		return item;
	}

	dispose(): void {
		this.listener.dispose();
		this.changed.dispose();
	}
}
