/**
 * The native Tracemint trace format, version 1: JSON Lines that any agent, pipeline or script
 * can append to (one record per line, several sessions may share a file). Documented field by
 * field in docs/trace-format.md. Validated with zod so the importer, pipelines and the webview
 * agree on one definition.
 *
 * Compatibility rules: a reader accepts unknown fields (they are ignored) and skips records of an
 * unknown `type` or a newer `v` with a warning; a writer never changes the meaning of a field
 * within one version.
 */
import { z } from 'zod';
import { ContextKind, Role } from './model';

export const TRACE_FORMAT_VERSION = 1;

/** Every record type of version 1. */
export const TRACE_RECORD_TYPES = ['session', 'message', 'verdict', 'iteration', 'handoff', 'end'] as const;
export type TraceRecordType = (typeof TRACE_RECORD_TYPES)[number];

const Id = z.string().min(1);
/** Any ISO 8601 date-time that `Date.parse` reads; stored as UTC. */
const Timestamp = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'expected an ISO 8601 date-time');
/** Required on the session record (and on the first record of every file, which is how a trace file is recognised). */
const Version = z.literal(TRACE_FORMAT_VERSION);

export const AcceptanceCriterion = z.object({
	id: Id.optional(),
	text: z.string().min(1),
	status: z.enum(['pass', 'fail', 'unknown']).optional(),
});
export type AcceptanceCriterion = z.infer<typeof AcceptanceCriterion>;

/** The task card a pipeline handed to the agent. */
export const TraceTask = z.object({
	id: Id.optional(),
	title: z.string().min(1),
	body: z.string().optional(),
	acceptance_criteria: z.array(AcceptanceCriterion).optional(),
});
export type TraceTask = z.infer<typeof TraceTask>;

export const TraceSessionRecord = z.object({
	v: Version,
	type: z.literal('session'),
	/** The writer's own session id; the stored session is `tracemint:<id>`. */
	id: Id,
	/** Who produced the session (an agent or pipeline name, free text). */
	agent: z.string().min(1).optional(),
	agent_version: z.string().min(1).optional(),
	cwd: z.string().min(1).optional(),
	repository_url: z.string().min(1).optional(),
	git_branch: z.string().min(1).optional(),
	git_commit: z.string().min(1).optional(),
	model: z.string().min(1).optional(),
	started_at: Timestamp.optional(),
	title: z.string().min(1).optional(),
	task: TraceTask.optional(),
});
export type TraceSessionRecord = z.infer<typeof TraceSessionRecord>;

/** Token counts of one model response; missing counts are 0. Input excludes cached tokens (Anthropic split). */
export const TraceUsage = z.object({
	input_tokens: z.number().int().nonnegative().optional(),
	output_tokens: z.number().int().nonnegative().optional(),
	cache_read_tokens: z.number().int().nonnegative().optional(),
	cache_creation_tokens: z.number().int().nonnegative().optional(),
	reasoning_tokens: z.number().int().nonnegative().optional(),
});
export type TraceUsage = z.infer<typeof TraceUsage>;

export const TraceToolCall = z.object({
	id: Id,
	type: z.literal('function').optional(),
	function: z.object({
		name: z.string().min(1),
		/** A JSON-encoded string as in the OpenAI chat format; an object is accepted and encoded on import. */
		arguments: z.union([z.string(), z.record(z.string(), z.unknown())]),
	}),
});
export type TraceToolCall = z.infer<typeof TraceToolCall>;

/** Fields every record after the session record carries. */
const sessionRef = {
	v: Version.optional(),
	/** The `id` of the session record this belongs to. */
	session: Id,
	timestamp: Timestamp.optional(),
};

export const TraceMessageRecord = z.object({
	...sessionRef,
	type: z.literal('message'),
	role: Role,
	content: z.string(),
	tool_calls: z.array(TraceToolCall).optional(),
	tool_call_id: Id.optional(),
	name: z.string().min(1).optional(),
	is_error: z.boolean().optional(),
	reasoning: z.string().optional(),
	model: z.string().min(1).optional(),
	usage: TraceUsage.optional(),
	/** Injected context rather than a human or model turn (see ContextKind in shared/model.ts). */
	context: ContextKind.optional(),
});
export type TraceMessageRecord = z.infer<typeof TraceMessageRecord>;

export const VerdictKind = z.enum(['gate', 'review', 'acceptance', 'test']);
export type VerdictKind = z.infer<typeof VerdictKind>;

export const TraceVerdictRecord = z.object({
	...sessionRef,
	type: z.literal('verdict'),
	kind: VerdictKind,
	name: z.string().min(1),
	passed: z.boolean(),
	/** Finer than passed/failed where the pipeline has it; HOLD must not come with `passed: true`. */
	verdict: z.enum(['SHIP', 'ADVISORY', 'HOLD']).optional(),
	detail: z.string().optional(),
}).refine((record) => record.verdict === undefined || (record.verdict === 'HOLD') === !record.passed, {
	message: 'verdict HOLD means passed: false, SHIP and ADVISORY mean passed: true',
	path: ['verdict'],
});
export type TraceVerdictRecord = z.infer<typeof TraceVerdictRecord>;

export const TraceIterationRecord = z.object({
	...sessionRef,
	type: z.literal('iteration'),
	/** 1 for the first attempt, 2 for the first retry, … */
	n: z.number().int().positive(),
	note: z.string().optional(),
});
export type TraceIterationRecord = z.infer<typeof TraceIterationRecord>;

export const TraceHandoffRecord = z.object({
	...sessionRef,
	type: z.literal('handoff'),
	note: z.string().min(1),
	/** Who takes over (a stage, agent or person), free text. */
	to: z.string().min(1).optional(),
});
export type TraceHandoffRecord = z.infer<typeof TraceHandoffRecord>;

export const TraceOutcome = z.enum(['success', 'failure', 'partial', 'abandoned']);
export type TraceOutcome = z.infer<typeof TraceOutcome>;

export const TraceEndRecord = z.object({
	...sessionRef,
	type: z.literal('end'),
	ended_at: Timestamp.optional(),
	outcome: TraceOutcome.optional(),
});
export type TraceEndRecord = z.infer<typeof TraceEndRecord>;

/** One line of a trace file, chosen by `type`. */
export const TRACE_RECORD_SCHEMAS = {
	session: TraceSessionRecord,
	message: TraceMessageRecord,
	verdict: TraceVerdictRecord,
	iteration: TraceIterationRecord,
	handoff: TraceHandoffRecord,
	end: TraceEndRecord,
} as const satisfies Record<TraceRecordType, z.ZodType>;

export type TraceRecord =
	| TraceSessionRecord | TraceMessageRecord | TraceVerdictRecord | TraceIterationRecord | TraceHandoffRecord | TraceEndRecord;

export function isTraceRecordType(value: unknown): value is TraceRecordType {
	return typeof value === 'string' && (TRACE_RECORD_TYPES as readonly string[]).includes(value);
}
