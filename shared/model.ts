/**
 * The canonical session model, defined once. Importers produce it, the store persists it,
 * exporters, the CLI, the LSP server, the client and the webview read it.
 * Messages follow the OpenAI chat shape (role/content/tool_calls/tool_call_id) plus
 * provenance fields that exporters drop.
 */
import { z } from 'zod';

export const MODEL_SCHEMA_VERSION = 1;

export const AgentId = z.enum([
	'claude-code', 'codex', 'cline', 'roo', 'kilo', 'copilot-chat', 'copilot-cli', 'aider', 'gemini-cli', 'continue', 'cursor',
	'tracemint', // the native trace format any agent or pipeline can append to
	'otel', // OpenTelemetry GenAI spans exported as OTLP JSON
]);
export type AgentId = z.infer<typeof AgentId>;

/** How people name each source. */
export const AGENT_NAMES: Record<AgentId, string> = {
	'claude-code': 'Claude Code', codex: 'Codex', cline: 'Cline', roo: 'Roo Code', kilo: 'Kilo Code',
	'copilot-chat': 'Copilot Chat', 'copilot-cli': 'Copilot CLI', aider: 'Aider', 'gemini-cli': 'Gemini CLI',
	continue: 'Continue', cursor: 'Cursor', tracemint: 'Tracemint traces', otel: 'OpenTelemetry',
};

export const Role = z.enum(['system', 'user', 'assistant', 'tool']);
export type Role = z.infer<typeof Role>;

/**
 * Why a message is not a plain human or model turn. `null` means a real turn.
 * Context is kept (a trainer may want it as system text) but never counted as a human turn.
 */
export const ContextKind = z.enum([
	'instructions', // CLAUDE.md / AGENTS.md / user or developer instructions
	'environment', // <environment_context>, <environment_details>, cwd/OS blocks
	'system-reminder', // <system-reminder> text injected into a user turn
	'command', // slash-command wrappers and local command output
	'compaction', // summary that replaced earlier history
	'interrupt', // "[Request interrupted by user…]" markers
	'notification', // background-agent <task-notification>, queued hook output
	'meta', // isMeta caveats and other agent bookkeeping shown as user text
]);
export type ContextKind = z.infer<typeof ContextKind>;

export const ToolCall = z.object({
	id: z.string().min(1),
	type: z.literal('function'),
	function: z.object({
		name: z.string().min(1),
		/** Always a JSON-encoded string, as OpenAI chat fine-tuning expects. */
		arguments: z.string(),
	}),
});
export type ToolCall = z.infer<typeof ToolCall>;

export const TokenUsage = z.object({
	input_tokens: z.number().int().nonnegative(),
	output_tokens: z.number().int().nonnegative(),
	cache_read_tokens: z.number().int().nonnegative(),
	cache_creation_tokens: z.number().int().nonnegative(),
	reasoning_tokens: z.number().int().nonnegative(),
});
export type TokenUsage = z.infer<typeof TokenUsage>;

export const emptyUsage = (): TokenUsage => ({
	input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_creation_tokens: 0, reasoning_tokens: 0,
});

export const SourceRef = z.object({
	file: z.string(),
	/** 1-based line of the first raw record this message came from. */
	line: z.number().int().positive(),
});
export type SourceRef = z.infer<typeof SourceRef>;

export const Message = z.object({
	role: Role,
	/** Plain text. Empty string when an assistant turn only calls tools. */
	content: z.string(),
	tool_calls: z.array(ToolCall).optional(),
	/** On role `tool`: the id of the call this answers. */
	tool_call_id: z.string().optional(),
	/** On role `tool`: the tool's name, for formats that want it. */
	name: z.string().optional(),
	/** Non-null when the message is injected context rather than a human or model turn. */
	context: ContextKind.nullable().default(null),
	/** On role `tool`: the tool reported an error (or the user rejected the call). */
	is_error: z.boolean().optional(),
	/** Model reasoning shown in the log (thinking blocks, reasoning summaries); never trained on by default. */
	reasoning: z.string().optional(),
	/** Number of images that were in the message and are not carried as text. */
	images: z.number().int().nonnegative().optional(),
	/** On a tool result: the subagent session this call spawned. */
	subagent_session_id: z.string().optional(),
	model: z.string().optional(),
	usage: TokenUsage.optional(),
	timestamp: z.string().optional(),
	/** The agent's own id for this message (uuid, msg_… id, call id). */
	source_id: z.string().optional(),
	source: SourceRef.optional(),
});
export type Message = z.infer<typeof Message>;
export type MessageInput = z.input<typeof Message>;

export const Session = z.object({
	schema_version: z.literal(MODEL_SCHEMA_VERSION),
	/** Stable across re-imports: `<agent>:<agent's session id>[:<subagent id>]`. */
	id: z.string().min(1),
	agent: AgentId,
	agent_version: z.string().nullable(),
	/** Version of the importer that derived this session from the raw records. */
	parser_version: z.number().int().positive(),
	title: z.string().nullable(),
	source_files: z.array(z.string()).min(1),
	cwd: z.string().nullable(),
	git_branch: z.string().nullable(),
	git_commit: z.string().nullable(),
	repository_url: z.string().nullable(),
	/** The main model (the most used one); every model seen is in `models`. */
	model: z.string().nullable(),
	models: z.array(z.string()),
	started_at: z.string().nullable(),
	ended_at: z.string().nullable(),
	usage: TokenUsage,
	parent_session_id: z.string().nullable(),
	parent_tool_call_id: z.string().nullable(),
	/** e.g. `general-purpose`, `compact`, `warmup` for subagent sessions. */
	subagent_type: z.string().nullable(),
	messages: z.array(Message),
});
export type Session = z.infer<typeof Session>;
export type SessionInput = z.input<typeof Session>;

/** What lists show: a session without its messages. */
export type SessionSummary = Omit<Session, 'messages' | 'usage' | 'models' | 'schema_version'> & {
	message_count: number;
	opted_in: boolean;
	consent_at: string | null;
	workspace: string | null;
	total_tokens: number;
};
