/**
 * Reads `task_metadata.json`: Cline records `environment_history[]` (OS, host editor and
 * `cline_version`, one entry per session of work on the task) and `model_usage[]` (each model
 * switch, with its time). Roo and Kilo write only `files_in_context`, which is not needed here.
 */
import type { ImportWarning } from '../importer';
import { asArray, asNumber, asObject, asText } from '../json';

export interface ModelSwitch {
	ts?: number;
	model: string;
}

export interface TaskMetadata {
	agentVersion?: string;
	models: ModelSwitch[];
	warnings: ImportWarning[];
}

export function readTaskMetadata(value: unknown, file: string): TaskMetadata {
	const metadata = asObject(value);
	if (metadata === undefined) {
		return { models: [], warnings: [{ file, line: 1, message: 'not a task metadata object (expected {files_in_context, model_usage, environment_history}); file skipped' }] };
	}
	// The version the task was started with: later entries record reopening it after an update.
	const agentVersion = asArray(metadata.environment_history).map((entry) => asText(asObject(entry)?.cline_version)).find((v) => v !== undefined);
	const models: ModelSwitch[] = [];
	for (const entry of asArray(metadata.model_usage)) {
		const usage = asObject(entry);
		const model = asText(usage?.model_id);
		if (model !== undefined) {
			const ts = asNumber(usage?.ts);
			models.push(ts === undefined ? { model } : { ts, model });
		}
	}
	return { ...(agentVersion === undefined ? {} : { agentVersion }), models, warnings: [] };
}

/** The model in use at a time: the last switch at or before it (the first one when none is). */
export function modelAt(models: readonly ModelSwitch[], ts: number | undefined): string | undefined {
	if (models.length === 0) {
		return undefined;
	}
	let current = models[0].model;
	if (ts === undefined) {
		return models.length === 1 ? current : undefined;
	}
	for (const entry of models) {
		if (entry.ts !== undefined && entry.ts <= ts) {
			current = entry.model;
		}
	}
	return current;
}
