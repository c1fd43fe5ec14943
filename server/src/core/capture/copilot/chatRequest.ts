/**
 * One Copilot Chat request (a human turn and the agent's answer to it) as canonical messages.
 *
 * The answer has two records in the log:
 * - `result.metadata.toolCallRounds`: what the model produced, round by round (text, tool
 *   calls with their ids and JSON arguments, thinking), with `toolCallResults` keyed by call id
 *   holding exactly what each tool returned to the model. Preferred whenever present: it is the
 *   model-side trace and carries the ids the model used.
 * - `response[]`: the parts the chat view rendered (markdown chunks, `thinking`,
 *   `toolInvocationSerialized` with their own UI call ids). Used when a request has no rounds:
 *   ask mode in older builds, a request still running (no `result` yet), or a cancelled one.
 * Both never feed one request, so nothing is imported twice.
 */
import type { MessageInput, ToolCall } from '../../../../../shared/model';
import type { ImportWarning } from '../importer';
import { asArray, asNumber, asObject, asString, asText, type JsonObject } from '../json';
import { attachedContext, renderedText } from './chatContext';
import { isoFromMillis } from '../canonical';
import { argumentsJson, type SkipTally } from './common';
import { invocationResultText, markdownText, toolResultText, type ToolText } from './toolText';

/** Response part kinds that only decorate the chat view and carry nothing for the transcript. */
const SILENT_PARTS = new Set([
	'prepareToolInvocation', 'codeblockUri', 'undoStop', 'textEditGroup', 'notebookEditGroup', 'progressMessage',
	'progressTaskSerialized', 'confirmation', 'warning', 'command', 'extensions', 'elicitationSerialized', 'multiDiffData',
	'mcpServersStarting', 'treeData', 'pullRequest', 'hook', 'questionCarousel', 'clearToPreviousToolInvocation',
	'workspaceEdit', 'disabledClaudeHooks', 'references', 'codeCitation', 'textEdit', 'notebookEdit', 'agentDetection',
]);

/** ResponseModelState as VS Code persists it in `modelState.value`. */
const COMPLETE = 1;

export interface RequestContext {
	file: string;
	line: number;
	/** Prefix for ids the log does not have (`copilot-chat:<session>`). */
	idPrefix: string;
	tally: SkipTally;
	warnings: ImportWarning[];
	/** The global context text last emitted in this session, to keep each distinct block once. */
	lastGlobalContext?: string;
}

export interface RequestMessages {
	messages: MessageInput[];
	/** Epoch-ms end of the request when the log says (response timing or completion time). */
	endedAt?: string;
	agentVersion?: string;
}

export function readRequest(request: JsonObject, index: number, ctx: RequestContext): RequestMessages {
	return new RequestReader(request, index, ctx).read();
}

interface Invocation {
	part: JsonObject;
	used: boolean;
}

class RequestReader {
	private readonly messages: MessageInput[] = [];
	private readonly requestId: string;
	private readonly timestamp: string | undefined;
	private readonly model: string | undefined;
	private readonly result: JsonObject | undefined;
	private readonly metadata: JsonObject | undefined;
	private readonly response: unknown[];
	private syntheticCalls = 0;

	constructor(private readonly request: JsonObject, private readonly index: number, private readonly ctx: RequestContext) {
		this.requestId = asText(request.requestId) ?? `${ctx.idPrefix}:request:${index + 1}`;
		this.timestamp = isoFromMillis(request.timestamp);
		this.model = asText(request.modelId);
		this.result = asObject(request.result);
		this.metadata = asObject(this.result?.metadata);
		this.response = asArray(request.response);
	}

	read(): RequestMessages {
		this.readContext();
		this.readHumanTurn();
		const rounds = asArray(this.metadata?.toolCallRounds).map(asObject).filter((round) => round !== undefined);
		if (rounds.length > 0) {
			this.readRounds(rounds);
		} else {
			this.readParts();
		}
		this.attachUsage();
		return {
			messages: this.messages,
			endedAt: this.endedAt(),
			agentVersion: asText(asObject(this.request.agent)?.extensionVersion),
		};
	}

	/** Whether the request ran to the end: only then is a call without a result worth a warning. */
	private get finished(): boolean {
		const state = asNumber(asObject(this.request.modelState)?.value);
		return this.result !== undefined && this.request.isCanceled !== true && (state === undefined || state === COMPLETE);
	}

	private readContext(): void {
		const global = renderedText(this.metadata?.renderedGlobalContext);
		if (global !== undefined && global !== this.ctx.lastGlobalContext) {
			this.ctx.lastGlobalContext = global;
			this.push({ role: 'user', content: global, context: 'environment' });
		}
		for (const block of attachedContext(this.request.variableData)) {
			this.push({ role: 'user', content: block.text, context: block.kind, ...(this.timestamp ? { timestamp: this.timestamp } : {}) });
		}
	}

	private readHumanTurn(): void {
		// `message` is `{text, parts}`; the oldest format stored the text alone.
		const text = asString(this.request.message) ?? asString(asObject(this.request.message)?.text);
		if (text === undefined || text.trim().length === 0) {
			this.ctx.tally.add('requests without message text (no human turn)', this.ctx.line);
			return;
		}
		this.push({ role: 'user', content: text, context: null, source_id: this.requestId, ...(this.timestamp ? { timestamp: this.timestamp } : {}) });
	}

	private readRounds(rounds: JsonObject[]): void {
		const results = asObject(this.metadata?.toolCallResults) ?? {};
		const invocations = this.invocations();
		const callCount = rounds.reduce((n, round) => n + asArray(round.toolCalls).length, 0);
		// The chat view's invocations carry the error flag; they line up with the model's calls one
		// to one unless a tool ran hidden helpers, in which case only same-named ones are paired.
		const visible = invocations.filter((inv) => inv.part.presentation !== 'hidden');
		const byPosition = visible.length === callCount ? visible : undefined;
		let position = 0;
		const partThinking = rounds.some((round) => thinkingText(round.thinking) !== undefined) ? undefined : this.partsThinking();
		rounds.forEach((round, roundIndex) => {
			const calls: ToolCall[] = [];
			const answers: MessageInput[] = [];
			for (const raw of asArray(round.toolCalls)) {
				const call = asObject(raw);
				const id = asText(call?.id);
				const name = asText(call?.name);
				if (call === undefined || id === undefined || name === undefined) {
					this.ctx.tally.add('tool calls without an id or name in toolCallRounds', this.ctx.line);
					position++;
					continue;
				}
				const args = argumentsJson(call.arguments);
				if (args.wrapped) {
					this.ctx.tally.add('tool calls whose arguments are not a JSON object (wrapped as {"input": …})', this.ctx.line);
				}
				calls.push({ id, type: 'function', function: { name, arguments: args.json } });
				const invocation = byPosition?.[position] ?? invocations.find((inv) => !inv.used && asString(inv.part.toolId) === name);
				if (invocation !== undefined) invocation.used = true;
				position++;
				const answer = this.answer(id, name, toolResultText(results[id]), invocation?.part);
				if (answer !== undefined) {
					answers.push(answer);
				} else if (this.finished) {
					this.ctx.warnings.push({ file: this.ctx.file, line: this.ctx.line, message: `tool call ${id} (${name}) has no result` });
				}
			}
			const content = asString(round.response) ?? '';
			const reasoning = thinkingText(round.thinking) ?? (roundIndex === 0 ? partThinking : undefined);
			if (content.length > 0 || calls.length > 0 || reasoning !== undefined) {
				this.pushAssistant(content, calls, reasoning, isoFromMillis(round.timestamp), asText(round.id));
				this.messages.push(...answers);
			}
			const summary = asText(round.summary);
			if (summary !== undefined) {
				this.push({ role: 'user', content: summary, context: 'compaction' });
			}
		});
	}

	/** A tool message from the model-side result, else from the chat view's invocation. */
	private answer(id: string, name: string, modelSide: ToolText | undefined, invocation: JsonObject | undefined): MessageInput | undefined {
		const details = asObject(invocation?.resultDetails);
		const text = modelSide ?? invocationResultText(invocation?.resultDetails) ?? (invocation?.isComplete === true ? { text: markdownText(invocation.pastTenseMessage) ?? '', images: 0 } : undefined);
		if (text === undefined) {
			return undefined;
		}
		return {
			role: 'tool',
			content: text.text,
			tool_call_id: id,
			name,
			context: null,
			...(details?.isError === true ? { is_error: true } : details?.isError === false ? { is_error: false } : {}),
			...(text.images > 0 ? { images: text.images } : {}),
			source: { file: this.ctx.file, line: this.ctx.line },
		};
	}

	/** The chat view's parts, when no model-side rounds were stored. */
	private readParts(): void {
		let current: MessageInput | undefined;
		let answers: MessageInput[] = [];
		let reasoning: string[] = [];
		const close = (): void => {
			if (current !== undefined) {
				this.messages.push(...answers);
			}
			current = undefined;
			answers = [];
		};
		const open = (): MessageInput => {
			if (current === undefined) {
				current = this.pushAssistant('', [], reasoning.length > 0 ? reasoning.join('\n\n') : undefined, undefined, undefined);
				reasoning = [];
			}
			return current;
		};
		for (const raw of this.response) {
			const part = asObject(raw);
			if (part === undefined) {
				this.ctx.tally.add('response parts that are not objects', this.ctx.line);
				continue;
			}
			const kind = asString(part.kind);
			const text = kind === undefined ? asString(part.value)
				: kind === 'markdownContent' || kind === 'markdownVuln' ? markdownText(part.content)
					: kind === 'inlineReference' ? inlineReferenceText(part)
						: undefined;
			if (text !== undefined) {
				if ((current?.tool_calls?.length ?? 0) > 0) close();
				const message = open();
				message.content += text;
			} else if (kind === 'thinking') {
				const thought = thinkingText(part);
				if (thought !== undefined) {
					if (current !== undefined) close();
					reasoning.push(thought);
				}
			} else if (kind === 'toolInvocationSerialized' || kind === 'toolInvocation') {
				const message = open();
				const { call, answer } = this.invocationCall(part);
				message.tool_calls = [...(message.tool_calls ?? []), call];
				if (answer !== undefined) answers.push(answer);
			} else if (kind === undefined || !SILENT_PARTS.has(kind)) {
				this.ctx.tally.add(`response parts of unknown kind "${kind ?? '(none)'}"`, this.ctx.line);
			}
		}
		if (reasoning.length > 0) {
			// Thinking with nothing after it: the request was cut off (or is still running).
			open();
		}
		close();
		// Markdown parts with empty values opened messages that say nothing.
		for (let i = this.messages.length - 1; i >= 0; i--) {
			const message = this.messages[i];
			if (message.role === 'assistant' && message.content.length === 0 && (message.tool_calls?.length ?? 0) === 0 && message.reasoning === undefined) {
				this.messages.splice(i, 1);
			}
		}
	}

	private invocationCall(part: JsonObject): { call: ToolCall; answer?: MessageInput } {
		const id = asText(part.toolCallId) ?? `${this.ctx.idPrefix}:call:${this.index + 1}.${++this.syntheticCalls}`;
		const name = asText(part.toolId) ?? 'tool';
		const details = asObject(part.resultDetails);
		const specific = asObject(part.toolSpecificData);
		const input = asString(details?.input) ?? specific?.rawInput ?? commandOf(specific);
		const args = argumentsJson(input);
		const call: ToolCall = { id, type: 'function', function: { name, arguments: args.json } };
		const answer = this.answer(id, name, undefined, part);
		if (answer === undefined && this.finished) {
			this.ctx.warnings.push({ file: this.ctx.file, line: this.ctx.line, message: `tool call ${id} (${name}) has no result` });
		}
		return { call, answer };
	}

	private invocations(): Invocation[] {
		return this.response.map(asObject).filter((part) => part?.kind === 'toolInvocationSerialized').map((part) => ({ part: part!, used: false }));
	}

	private partsThinking(): string | undefined {
		const texts = this.response.map(asObject).filter((part) => part?.kind === 'thinking').map((part) => thinkingText(part)).filter((t) => t !== undefined);
		return texts.length > 0 ? texts.join('\n\n') : undefined;
	}

	private pushAssistant(content: string, calls: ToolCall[], reasoning: string | undefined, timestamp: string | undefined, sourceId: string | undefined): MessageInput {
		const message: MessageInput = {
			role: 'assistant',
			content,
			...(calls.length > 0 ? { tool_calls: calls } : {}),
			context: null,
			...(reasoning !== undefined ? { reasoning } : {}),
			...(this.model !== undefined ? { model: this.model } : {}),
			...(timestamp !== undefined ? { timestamp } : {}),
			...(sourceId !== undefined ? { source_id: sourceId } : {}),
			source: { file: this.ctx.file, line: this.ctx.line },
		};
		this.messages.push(message);
		return message;
	}

	private push(message: MessageInput): void {
		this.messages.push({ ...message, source: { file: this.ctx.file, line: this.ctx.line } });
	}

	/**
	 * Token counts some builds store with the result (`metadata.promptTokens/outputTokens`, or
	 * `usage.promptTokens/completionTokens`): billed to the request's last assistant message.
	 */
	private attachUsage(): void {
		const usage = asObject(this.result?.usage);
		const input = asNumber(this.metadata?.promptTokens) ?? asNumber(usage?.promptTokens);
		const output = asNumber(this.metadata?.outputTokens) ?? asNumber(usage?.completionTokens);
		const last = this.messages.findLast((m) => m.role === 'assistant');
		if (last === undefined || ((input ?? 0) <= 0 && (output ?? 0) <= 0)) {
			return;
		}
		last.usage = {
			input_tokens: Math.max(0, Math.trunc(input ?? 0)),
			output_tokens: Math.max(0, Math.trunc(output ?? 0)),
			cache_read_tokens: 0,
			cache_creation_tokens: 0,
			reasoning_tokens: 0,
		};
	}

	private endedAt(): string | undefined {
		const completed = isoFromMillis(asObject(this.request.modelState)?.completedAt);
		const start = asNumber(this.request.timestamp);
		const elapsed = asNumber(asObject(this.result?.timings)?.totalElapsed);
		const timed = start !== undefined && elapsed !== undefined ? isoFromMillis(start + elapsed) : undefined;
		return [completed, timed].filter((t) => t !== undefined).sort().pop();
	}
}

/** Thinking text from a `thinking` part or a round's ThinkingData (`text` or `value`: string or string[]). */
function thinkingText(value: unknown): string | undefined {
	const object = asObject(value);
	const raw = object?.text ?? object?.value;
	const text = Array.isArray(raw) ? raw.filter((t) => typeof t === 'string').join('') : asString(raw);
	return text !== undefined && text.trim().length > 0 ? text : undefined;
}

/** An inline file or symbol reference inside markdown, as the name the chat view shows. */
function inlineReferenceText(part: JsonObject): string | undefined {
	const name = asText(part.name);
	if (name !== undefined) {
		return `\`${name}\``;
	}
	const reference = asObject(part.inlineReference);
	const target = asString(reference?.path) ?? asString(asObject(reference?.uri)?.path) ?? asText(reference?.name);
	return target === undefined ? undefined : `\`${target.split('/').pop() ?? target}\``;
}

/** A terminal tool's command line when the invocation has no input of its own. */
function commandOf(specific: JsonObject | undefined): unknown {
	const command = asObject(specific?.commandLine);
	const line = asString(command?.userEdited) ?? asString(command?.toolEdited) ?? asString(command?.original);
	return line === undefined ? undefined : { command: line };
}
