/** What the redaction benches read: the labelled public corpora, the real session fixtures, and secretlint. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FIXTURES, filesUnder, REPO } from '../support/fixtures';

export interface LabelledCase {
	source: string;
	rule: string;
	expect: 'detect' | 'ignore';
	text: string;
}

/** ../shared/fixtures/secrets next to the repository, as the unit tests read it. */
export const PUBLIC_CORPORA = path.join(REPO, '..', 'shared', 'fixtures', 'secrets');

/** Cases per source file (gitleaks, detect-secrets, secretlint, presidio), or undefined when the folder is missing. */
export function loadLabelled(): Map<string, LabelledCase[]> | undefined {
	if (!fs.existsSync(PUBLIC_CORPORA)) return undefined;
	const bySource = new Map<string, LabelledCase[]>();
	for (const file of fs.readdirSync(PUBLIC_CORPORA).filter((f) => f.endsWith('.jsonl')).sort()) {
		const cases = fs.readFileSync(path.join(PUBLIC_CORPORA, file), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as LabelledCase);
		if (cases.length) bySource.set(cases[0].source, cases);
	}
	return bySource;
}

/**
 * The unit test's split: `detect` cases, and `ignore` cases whose text is not a `detect` case anywhere in the same
 * source (`ignore` is per upstream rule; a text that is a true positive for another rule is not a negative).
 */
export function splitCases(cases: readonly LabelledCase[]): { detect: LabelledCase[]; ignore: LabelledCase[] } {
	const positives = new Set(cases.filter((c) => c.expect === 'detect').map((c) => c.text));
	return {
		detect: cases.filter((c) => c.expect === 'detect'),
		ignore: cases.filter((c) => c.expect === 'ignore' && !positives.has(c.text)),
	};
}

/** The real session logs, one entry per file, each split into its JSONL lines. */
export function fixtureFiles(): { file: string; lines: string[] }[] {
	return filesUnder(FIXTURES, '.jsonl').map((file) => ({
		file: path.relative(FIXTURES, file),
		lines: fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0),
	}));
}

/** secretlint with its recommended preset, through its programmatic API; undefined when it is not installed. */
export interface Secretlint {
	/** Number of messages secretlint reports for `content`. */
	lint(content: string): Promise<number>;
	version: string;
}

export async function loadSecretlint(): Promise<Secretlint | undefined> {
	try {
		const core = await import('@secretlint/core');
		const preset = await import('@secretlint/secretlint-rule-preset-recommend');
		// secretlint's built-in profiler marks every rule of every call with performance.mark and a global observer
		// keeps each mark, searching all earlier ones on each new one: over thousands of calls that grows quadratic and
		// runs in the background of whatever is measured next. It only serves secretlint's --profile output, so the
		// bench turns it off (which makes secretlint faster, not slower).
		// The profiler instance secretlint's core uses (a nested copy may differ from a top-level one).
		const profilerPath = require.resolve('@secretlint/profiler', { paths: [path.dirname(require.resolve('@secretlint/core'))] });
		const profiler = await import(pathToFileURL(profilerPath).href) as { secretLintProfiler: { mark: (marker: unknown) => void } };
		profiler.secretLintProfiler.mark = () => undefined;
		const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: preset.creator }] };
		const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', '@secretlint', 'core', 'package.json'), 'utf8')) as { version: string };
		return {
			version: pkg.version,
			lint: async (content) => {
				const result = await core.lintSource({
					source: { content, filePath: 'session.jsonl', contentType: 'text' },
					options: { config, noPhysicFilePath: true },
				});
				return result.messages.length;
			},
		};
	} catch {
		return undefined;
	}
}
