/** A session as a readable Markdown transcript (the editor's transcript document, `show --markdown`). */
import type { Message, Session } from '../../../shared/model';
import type { SessionBlockState } from '../../../shared/protocol';

/** What the transcript header says about secrets; the session passed in is already redacted. */
export interface SecretsFacts {
	readonly findings: readonly { state: string }[];
	readonly block: SessionBlockState;
}

const BLOCK_TEXT: Record<SessionBlockState, string> = {
	none: '',
	'blocked-by-finding': '; export blocked by a private key until a person releases it',
	'blocked-by-user': '; export blocked by a person',
	released: '; released for export by a person (values still redacted)',
};

function describeSecrets(facts: SecretsFacts): string | null {
	if (facts.findings.length === 0 && facts.block === 'none') return null;
	const open = facts.findings.filter((f) => f.state === 'open').length;
	const fp = facts.findings.filter((f) => f.state === 'false-positive').length;
	return `${facts.findings.length} found (${open} to review${fp ? `, ${fp} false positive` : ''}), redacted below${BLOCK_TEXT[facts.block]}`;
}

const MAX_TOOL_LINES = 40;

export function renderTranscript(session: Session, optedIn: boolean, secrets?: SecretsFacts): string {
	const out: string[] = [];
	out.push(`# ${session.title ?? session.id}`, '');
	const facts: [string, string | null][] = [
		['Session', session.id],
		['Agent', `${session.agent}${session.agent_version ? ` ${session.agent_version}` : ''}`],
		['Model', session.models.length > 1 ? session.models.join(', ') : session.model],
		['Workspace', session.cwd],
		['Git', [session.git_branch, session.git_commit?.slice(0, 12)].filter(Boolean).join(' @ ') || null],
		['Started', session.started_at],
		['Ended', session.ended_at],
		['Parent session', session.parent_session_id],
		['Consent', optedIn ? 'opted in' : 'not opted in'],
		['Secrets', secrets ? describeSecrets(secrets) : null],
		['Tokens', `${session.usage.input_tokens} in, ${session.usage.output_tokens} out, ${session.usage.cache_read_tokens} cache read`],
	];
	for (const [label, value] of facts) {
		if (value) {
			out.push(`- **${label}:** ${value}`);
		}
	}
	out.push('');
	session.messages.forEach((message, index) => out.push(...renderMessage(message, index), ''));
	return out.join('\n');
}

function renderMessage(m: Message, index: number): string[] {
	const lines: string[] = [];
	if (m.context) {
		lines.push(`<!-- #${index} ${m.role} context: ${m.context} -->`, `> *${m.context}:* ${firstLine(m.content)}`);
		return lines;
	}
	switch (m.role) {
		case 'user':
			lines.push(`## User · #${index}`, '', m.content);
			break;
		case 'system':
			lines.push(`## System · #${index}`, '', m.content);
			break;
		case 'assistant':
			lines.push(`## Assistant · #${index}${m.model ? ` · ${m.model}` : ''}`, '');
			if (m.content) {
				lines.push(m.content);
			}
			for (const call of m.tool_calls ?? []) {
				lines.push('', `**Tool call** \`${call.function.name}\` (${call.id})`, fence(prettyJson(call.function.arguments), 'json'));
			}
			break;
		case 'tool':
			lines.push(`### Tool result${m.name ? ` · ${m.name}` : ''}${m.is_error ? ' · error' : ''} · #${index}`, fence(clip(m.content), ''));
			if (m.subagent_session_id) {
				lines.push(`Subagent session: ${m.subagent_session_id}`);
			}
			break;
	}
	if (m.images) {
		lines.push(`*(${m.images} image${m.images > 1 ? 's' : ''} not shown)*`);
	}
	return lines;
}

function prettyJson(text: string): string {
	try {
		return JSON.stringify(JSON.parse(text), null, 2);
	} catch {
		return text;
	}
}

function clip(text: string): string {
	const lines = text.split('\n');
	return lines.length <= MAX_TOOL_LINES ? text : `${lines.slice(0, MAX_TOOL_LINES).join('\n')}\n… (${lines.length - MAX_TOOL_LINES} more lines)`;
}

function firstLine(text: string): string {
	const line = text.trim().split('\n')[0] ?? '';
	return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}

/** A fence longer than any backtick run inside, so tool output cannot break out of it. */
function fence(text: string, lang: string): string {
	const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
	const marks = '`'.repeat(longest + 1);
	return `${marks}${lang}\n${text}\n${marks}`;
}
