/**
 * The agent's own task list, as it last stood: Claude Code `TodoWrite` (the whole list each call)
 * and `TaskCreate`/`TaskUpdate` (one task per call), Codex `update_plan` (the whole plan each
 * call), Gemini CLI `write_todos`. A call the tool refused (error, rejection) changed nothing.
 * An empty list after a full one is how agents clear a finished list, so the last non-empty
 * state counts. Cancelled or deleted items are no longer part of the task.
 */
import { asArray, asObject, asString } from '../capture/json';
import type { ToolExchange } from './toolResults';

export interface TodoItem {
	text: string;
	completed: boolean;
}

export interface TodoState {
	/** The message of the call that produced this state. */
	index: number;
	tool: string;
	items: TodoItem[];
}

const DROPPED = new Set(['cancelled', 'canceled', 'deleted']);

export function lastTodoState(exchanges: readonly ToolExchange[]): TodoState | null {
	let last: TodoState | null = null;
	const tasks = new TaskBoard();
	for (const exchange of exchanges) {
		if (exchange.answer !== 'ok' && exchange.answer !== 'none') {
			continue;
		}
		const items = listOf(exchange) ?? tasks.apply(exchange);
		if (items !== undefined && items.length > 0) {
			last = { index: exchange.resultIndex ?? exchange.callIndex, tool: exchange.name, items };
		}
	}
	return last;
}

/** Whole-list tools: the items of this call, or undefined when the call is not one. */
function listOf(exchange: ToolExchange): TodoItem[] | undefined {
	const { name, args } = exchange;
	const list = name === 'TodoWrite' || name === 'write_todos' ? args.todos : name === 'update_plan' ? args.plan : undefined;
	if (list === undefined) {
		return undefined;
	}
	const items: TodoItem[] = [];
	for (const entry of asArray(list).map(asObject)) {
		const status = asString(entry?.status)?.toLowerCase() ?? 'pending';
		const text = asString(entry?.content) ?? asString(entry?.step) ?? asString(entry?.description) ?? asString(entry?.activeForm) ?? '';
		if (!DROPPED.has(status)) {
			items.push({ text, completed: status === 'completed' });
		}
	}
	return items;
}

/**
 * TaskCreate/TaskUpdate: ids are assigned in creation order and echoed in the create's result
 * ("Task #3 created successfully: …"); an update names the id it changes.
 */
class TaskBoard {
	private readonly tasks = new Map<string, { text: string; status: string }>();
	private created = 0;

	apply(exchange: ToolExchange): TodoItem[] | undefined {
		const { name, args } = exchange;
		if (name === 'TaskCreate') {
			this.created++;
			const id = /Task #(\w+) created/.exec(exchange.result?.content ?? '')?.[1] ?? String(this.created);
			this.tasks.set(id, { text: asString(args.subject) ?? asString(args.description) ?? '', status: 'pending' });
		} else if (name === 'TaskUpdate') {
			const id = asString(args.taskId) ?? (typeof args.taskId === 'number' ? String(args.taskId) : undefined);
			const task = id === undefined ? undefined : this.tasks.get(id);
			if (id === undefined || task === undefined) {
				return undefined;
			}
			const status = asString(args.status)?.toLowerCase();
			if (status !== undefined && DROPPED.has(status)) {
				this.tasks.delete(id);
			} else {
				this.tasks.set(id, { text: asString(args.subject) ?? task.text, status: status ?? task.status });
			}
		} else {
			return undefined;
		}
		return [...this.tasks.values()].map((task) => ({ text: task.text, completed: task.status === 'completed' }));
	}
}
