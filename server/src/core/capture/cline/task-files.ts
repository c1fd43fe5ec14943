/**
 * The files of one Cline-family task folder, `<globalStorage>/<extension id>/tasks/<taskId>/`,
 * and which of the three agents (Cline, Roo Code, Kilo Code) a path belongs to.
 */
import type { AgentId } from '../../../../../shared/model';
import { baseName, pathSegments } from '../paths';

export type TaskAgent = Extract<AgentId, 'cline' | 'roo' | 'kilo'>;

/** `globalStorage` folder names, lowercase as VS Code writes them. */
export const EXTENSION_IDS: Readonly<Record<TaskAgent, readonly string[]>> = {
	cline: ['saoudrizwan.claude-dev'],
	roo: ['rooveterinaryinc.roo-cline', 'roo-code.roo-cline'],
	kilo: ['kilocode.kilo-code'],
};

export const API_HISTORY = 'api_conversation_history.json';
export const UI_MESSAGES = 'ui_messages.json';
export const TASK_METADATA = 'task_metadata.json';

export type TaskFileKind = 'api' | 'ui' | 'metadata';

const KINDS: Readonly<Record<string, TaskFileKind>> = {
	[API_HISTORY]: 'api',
	[UI_MESSAGES]: 'ui',
	[TASK_METADATA]: 'metadata',
};

export function taskFileKind(filePath: string): TaskFileKind | undefined {
	return KINDS[baseName(filePath)];
}

/** The task folder: every file of a task is parsed together. */
export function taskFolder(filePath: string): string {
	const cut = Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\'));
	if (cut === -1) {
		return '';
	}
	return cut === 0 ? filePath.slice(0, 1) : filePath.slice(0, cut);
}

/** Cline names task folders by epoch milliseconds, Roo and Kilo by UUID: either way the folder name. */
export function taskIdOf(folder: string): string {
	return baseName(folder);
}

/** The agent whose extension storage holds this path, or undefined outside any of them. */
export function extensionAgentOf(filePath: string): TaskAgent | undefined {
	const parts = new Set(pathSegments(filePath).map((part) => part.toLowerCase()));
	for (const agent of Object.keys(EXTENSION_IDS) as TaskAgent[]) {
		if (EXTENSION_IDS[agent].some((id) => parts.has(id))) {
			return agent;
		}
	}
	return undefined;
}
