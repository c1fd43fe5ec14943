/**
 * One Aider run (`# aider chat started at …` up to the next) as a canonical session.
 *
 * Blocks are read in order. Typed input is a human turn, or `command` context when it is a slash
 * command (`/code x` is then echoed as `x`, the turn the model saw). A reply is an assistant
 * message. Aider's output after a reply is read for what it did on the reply's behalf: applied
 * edits, commits, shell commands and added files become tool calls of that reply, each answered
 * at once (Aider prints the outcome, not a separate result); token lines become its usage; the
 * banner gives version and model. Output with nothing to extract is kept as context. Actions
 * with no reply to belong to (a `/commit`) hang off an empty assistant message of the same
 * context kind, so exports drop them whole instead of crediting the model.
 */
import {
	MODEL_SCHEMA_VERSION,
	emptyUsage,
	type ContextKind,
	type MessageInput,
	type SessionInput,
	type TokenUsage,
} from '../../../../../shared/model';
import { addUsage, mostUsedModel, titleLine } from '../canonical';
import type { ImportWarning } from '../importer';
import type { Block, Run, SourceLine } from './chat-history';
import { editFor } from './edit-blocks';
import type { InputEntry } from './input-history';
import { wallClockToIso } from './local-time';
import { readOutputLine } from './output-lines';
import { readReply } from './reply';

export interface RunSource {
	id: string;
	parserVersion: number;
	chatFile: string;
	inputFile?: string;
	folder: string;
	/** The input-history entries typed during this run, in order. */
	inputs: readonly InputEntry[];
}

interface Call {
	name: string;
	args: Record<string, string>;
	result: string;
	isError: boolean;
	line: number;
}

/** An output message and its place in its block (questions refer to the messages right above them). */
interface OutputMessage extends SourceLine {
	index: number;
}

const DECLINED = 'declined by the user';

export function runSession(run: Run, source: RunSource, warnings: ImportWarning[]): SessionInput {
	return new RunReader(run, source, warnings).read();
}

class RunReader {
	private readonly messages: MessageInput[] = [];
	private readonly models: string[] = [];
	private model: string | undefined;
	private agentVersion: string | undefined;
	private usage: TokenUsage = emptyUsage();
	private calls = 0;
	private inputCursor = 0;
	/** The model reply of the current turn, which Aider's actions after it belong to. */
	private reply: MessageInput | undefined;
	/** What the last typed block was: output before any input is the startup banner. */
	private turn: 'start' | 'human' | 'command' = 'start';
	/** `/code x` is echoed as `x`: the echo is the human turn, timed by the command's input. */
	private echo: { text: string; timestamp?: string } | undefined;

	constructor(private readonly run: Run, private readonly source: RunSource, private readonly warnings: ImportWarning[]) {}

	read(): SessionInput {
		for (const block of this.run.blocks) {
			if (block.kind === 'user') {
				this.readInput(block);
			} else if (block.kind === 'assistant') {
				this.readReplyBlock(block);
			} else {
				this.readOutput(block);
			}
		}
		return this.session();
	}

	private readInput(block: Block): void {
		const text = block.lines.map((line) => line.text).join('\n');
		const line = block.lines[0].line;
		this.reply = undefined;
		if (/^\s*[/!]/.test(text)) {
			const timestamp = this.inputTime(text);
			this.push({ role: 'user', content: text, context: 'command', ...stamp(timestamp), source: this.at(line) });
			const args = text.trim().replace(/^\S+\s*/, '');
			this.echo = args.length > 0 ? { text: args, timestamp } : undefined;
			this.turn = 'command';
			return;
		}
		const echoed = this.echo !== undefined && normaliseInput(this.echo.text) === normaliseInput(text);
		const timestamp = echoed ? this.echo?.timestamp : this.inputTime(text);
		this.echo = undefined;
		this.push({ role: 'user', content: text, context: null, ...stamp(timestamp), source: this.at(line) });
		this.turn = 'human';
	}

	private readReplyBlock(block: Block): void {
		const reply = readReply(block.lines.map((line) => line.text).join('\n'));
		const message: MessageInput = {
			role: 'assistant',
			content: reply.content,
			context: null,
			...(reply.reasoning === undefined ? {} : { reasoning: reply.reasoning }),
			...(this.model === undefined ? {} : { model: this.model }),
			source: this.at(block.lines[0].line),
		};
		this.push(message);
		this.reply = message;
		this.echo = undefined;
	}

	private readOutput(block: Block): void {
		const calls: Call[] = [];
		const rest: OutputMessage[] = [];
		for (const [index, line] of block.lines.entries()) {
			const output = { ...line, index };
			const seen = readOutputLine(output.text);
			switch (seen.kind) {
				case 'version':
					this.agentVersion ??= seen.version;
					break;
				case 'model':
					this.model = seen.model;
					if (!this.models.includes(seen.model)) {
						this.models.push(seen.model);
					}
					break;
				case 'tokens':
					this.addUsage(seen.usage);
					break;
				case 'unreadable-tokens':
					this.warn(output.line, 'token line not understood (expected "Tokens: <n> sent, <n> received."); kept as text');
					rest.push(output);
					break;
				case 'applied': {
					const edit = this.reply === undefined ? undefined : editFor(this.reply.content, seen.file);
					calls.push({ name: 'edit', args: edit === undefined ? { file: seen.file } : { file: seen.file, edit }, result: 'applied', isError: false, line: output.line });
					break;
				}
				case 'skipped-edit':
					calls.push({ name: 'edit', args: { file: seen.file }, result: DECLINED, isError: true, line: output.line });
					break;
				case 'commit':
					calls.push({ name: 'git_commit', args: { sha: seen.sha, message: seen.message }, result: 'committed', isError: false, line: output.line });
					break;
				case 'confirm':
					if (!this.readConfirmation(seen.question, seen.accepted, output, rest, calls)) {
						rest.push(output);
					}
					break;
				case 'text':
					rest.push(output);
					break;
			}
		}
		this.attachCalls(calls);
		if (rest.length > 0) {
			const context: ContextKind = this.turn === 'start' ? 'environment' : this.turn === 'command' && this.reply === undefined ? 'command' : 'meta';
			this.push({ role: 'user', content: rest.map((line) => line.text).join('\n'), context, source: this.at(rest[0].line) });
		}
	}

	/**
	 * `Add file to the chat?` and `Run shell command(s)?` ask about the output line(s) right above
	 * them (the file, the commands). Other questions (create a file, fix lint, open a URL) only
	 * lead to lines read elsewhere, so they stay as text.
	 */
	private readConfirmation(question: string, accepted: boolean, output: OutputMessage, rest: OutputMessage[], calls: Call[]): boolean {
		const shell = /^Run shell commands?\?$/.exec(question);
		if (question !== 'Add file to the chat?' && shell === null) {
			return false;
		}
		const subject = subjectLines(rest, output.index, question === 'Run shell commands?');
		if (subject.length === 0) {
			this.warn(output.line, `"${question}" without the line it asks about right above it; kept as text`);
			return false;
		}
		rest.splice(rest.length - subject.length, subject.length);
		const text = subject.flatMap((line) => line.text.split('\n')).map((line) => line.trim()).join('\n');
		if (shell === null) {
			calls.push({ name: 'add_file', args: { file: text }, result: accepted ? 'added' : DECLINED, isError: !accepted, line: subject[0].line });
		} else {
			calls.push({ name: 'shell', args: { command: text }, result: accepted ? 'run (its output is not in the chat history)' : DECLINED, isError: !accepted, line: subject[0].line });
		}
		return true;
	}

	private attachCalls(calls: readonly Call[]): void {
		if (calls.length === 0) {
			return;
		}
		let owner = this.reply;
		if (owner === undefined) {
			owner = { role: 'assistant', content: '', context: this.turn === 'command' ? 'command' : 'meta', source: this.at(calls[0].line) };
			this.push(owner);
		}
		const context = owner.context ?? null;
		for (const call of calls) {
			const id = `${this.source.id}:call:${++this.calls}`;
			owner.tool_calls = [...(owner.tool_calls ?? []), { id, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } }];
			this.push({
				role: 'tool', content: call.result, tool_call_id: id, name: call.name, is_error: call.isError, context, source: this.at(call.line),
			});
		}
	}

	private addUsage(usage: TokenUsage): void {
		this.usage = addUsage(this.usage, usage);
		if (this.reply !== undefined) {
			this.reply.usage = this.reply.usage === undefined ? usage : addUsage(this.reply.usage, usage);
		}
	}

	/** The next not yet matched input with this text; confirmation answers in between are passed over. */
	private inputTime(text: string): string | undefined {
		const wanted = normaliseInput(text);
		const inputs = this.source.inputs;
		for (let i = this.inputCursor; i < inputs.length; i++) {
			if (normaliseInput(inputs[i].text) === wanted) {
				this.inputCursor = i + 1;
				return wallClockToIso(inputs[i].time);
			}
		}
		return undefined;
	}

	private push(message: MessageInput): void {
		this.messages.push(message);
	}

	private at(line: number): { file: string; line: number } {
		return { file: this.source.chatFile, line };
	}

	private warn(line: number, message: string): void {
		this.warnings.push({ file: this.source.chatFile, line, message });
	}

	private session(): SessionInput {
		const { source } = this;
		const startedAt = wallClockToIso(this.run.start) ?? null;
		const lastInput = source.inputs.length > 0 ? wallClockToIso(source.inputs[source.inputs.length - 1].time) : undefined;
		return {
			schema_version: MODEL_SCHEMA_VERSION,
			id: source.id,
			agent: 'aider',
			agent_version: this.agentVersion ?? null,
			parser_version: source.parserVersion,
			title: this.title(),
			source_files: source.inputFile !== undefined && source.inputs.length > 0 ? [source.chatFile, source.inputFile] : [source.chatFile],
			// Aider keeps its history files at the root of the repository it works in.
			cwd: source.folder,
			git_branch: null,
			git_commit: null,
			repository_url: null,
			model: mostUsedModel(this.messages) ?? this.models[0] ?? null,
			models: [...this.models],
			started_at: startedAt,
			ended_at: lastInput !== undefined && (startedAt === null || lastInput > startedAt) ? lastInput : startedAt,
			usage: this.usage,
			parent_session_id: null,
			parent_tool_call_id: null,
			subagent_type: null,
			messages: this.messages,
		};
	}

	private title(): string | null {
		const first = this.messages.find((message) => message.role === 'user' && (message.context ?? null) === null && message.content.trim().length > 0);
		if (first === undefined) {
			return null;
		}
		return titleLine(first.content);
	}

}

/**
 * The output messages a question is about: the one right above it, or for several shell commands
 * every one above it back to the last that was read as something else.
 */
function subjectLines(rest: readonly OutputMessage[], questionIndex: number, several: boolean): OutputMessage[] {
	const lines: OutputMessage[] = [];
	let expected = questionIndex - 1;
	for (let i = rest.length - 1; i >= 0 && rest[i].index === expected; i--) {
		lines.unshift(rest[i]);
		expected--;
		if (!several) {
			break;
		}
	}
	return lines;
}

/** Input as compared between the two files: the chat history pads lines, the input history does not. */
function normaliseInput(text: string): string {
	return text.split('\n').map((line) => line.trimEnd()).join('\n').trim();
}

function stamp(timestamp: string | undefined): { timestamp?: string } {
	return timestamp === undefined ? {} : { timestamp };
}

