/**
 * Cline, Roo Code and Kilo Code: one task per folder,
 * `<VS Code-family user dir>/globalStorage/<extension id>/tasks/<taskId>/`, holding
 * `api_conversation_history.json`, `ui_messages.json` and `task_metadata.json`, each one JSON
 * document rewritten whole. Roo and Kilo are forks of Cline and keep its files, so one parser
 * (cline/task.ts) serves all three; the importers differ only in where they look.
 *
 * The extension id in a path says whose task it is. A task copied anywhere else (an exported
 * folder, a repository) has no such id: it is read as Cline's, the format's origin, and
 * `--agent roo|kilo` imports it as the right agent. So for any path exactly one of the three
 * sniffs positive.
 */
import type { AgentImporter, FileHead, ImportWarning, LocationEnv, RawFile } from './importer';
import type { SessionInput } from '../../../../shared/model';
import { extensionStorageDirs } from './vscodeUserDirs';
import { pathsFor } from './paths';
import { readTask, type TaskFiles } from './cline/task';
import { EXTENSION_IDS, extensionAgentOf, taskFileKind, taskFolder, type TaskAgent, type TaskFileKind } from './cline/task-files';

const PARSER_VERSION = 1;

/** Content checks on a file's head (a large single-line document is cut, so no full parse). */
const HEADS: Readonly<Record<TaskFileKind, (text: string) => boolean>> = {
	api: (text) => /^\[\s*\]\s*$/.test(text)
		|| (/^\[\s*\{/.test(text) && /"role"\s*:\s*"(user|assistant)"/.test(text))
		|| (/^\{/.test(text) && /"version"\s*:\s*2\b/.test(text) && /"messages"\s*:\s*\[/.test(text)),
	ui: (text) => /^\[\s*\]\s*$/.test(text)
		|| (/^\[\s*\{/.test(text) && /"ts"\s*:\s*\d/.test(text) && /"type"\s*:\s*"(say|ask)"/.test(text)),
	metadata: (text) => /^\{/.test(text) && /"(files_in_context|model_usage|environment_history)"\s*:/.test(text),
};

function taskImporter(agent: TaskAgent): AgentImporter {
	return {
		agent,
		parserVersion: PARSER_VERSION,
		defaultRoots(loc: LocationEnv): string[] {
			const p = pathsFor(loc);
			return extensionStorageDirs(loc, EXTENSION_IDS[agent]).map((dir) => p.join(dir, 'tasks'));
		},
		isSessionFile: (filePath: string) => taskFileKind(filePath) !== undefined,
		layoutOf: () => 'json',
		sniff(head: FileHead): boolean {
			const kind = taskFileKind(head.path);
			const owner = extensionAgentOf(head.path) ?? 'cline';
			return kind !== undefined && owner === agent && HEADS[kind](head.text.replace(/^\uFEFF/, '').trimStart());
		},
		groupKey: taskFolder,
		parse(files: RawFile[]) {
			const sessions: SessionInput[] = [];
			const warnings: ImportWarning[] = [];
			for (const task of tasksOf(files, warnings)) {
				const result = readTask(agent, task, PARSER_VERSION);
				warnings.push(...result.warnings);
				if (result.session !== undefined) {
					sessions.push(result.session);
				}
			}
			return { sessions, warnings };
		},
	};
}

function tasksOf(files: readonly RawFile[], warnings: ImportWarning[]): TaskFiles[] {
	const tasks = new Map<string, TaskFiles>();
	for (const file of files) {
		const kind = taskFileKind(file.path);
		if (kind === undefined) {
			warnings.push({ file: file.path, message: 'not a task file (expected api_conversation_history.json, ui_messages.json or task_metadata.json); skipped' });
			continue;
		}
		const folder = taskFolder(file.path);
		const task = tasks.get(folder) ?? { folder };
		task[kind] = file;
		tasks.set(folder, task);
	}
	return [...tasks.values()];
}

export const clineImporter = taskImporter('cline');
export const rooImporter = taskImporter('roo');
export const kiloImporter = taskImporter('kilo');
