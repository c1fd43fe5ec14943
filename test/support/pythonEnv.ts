/**
 * The Python side of the tests: the venv test/python/setup.sh installs once (and caches) with the
 * training packages, and a tiny randomly initialised model built by test/python/tiny_model.py.
 * Where either cannot be had, the reason, so the tests skip; they never fail for it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { REPO, tempDir } from './fixtures';

export const PYTHON_SCRIPTS = path.join(REPO, 'test', 'python');

export interface PythonEnv { python: string; model: string; env: NodeJS.ProcessEnv }

const TRAINING_MODULES = ['torch', 'transformers', 'peft', 'trl', 'datasets', 'accelerate'];

let cached: PythonEnv | { skip: string } | undefined;

/** Built on first use in a test process, then shared. */
export function pythonWithTinyModel(): PythonEnv | { skip: string } {
	cached ??= (() => {
		const setup = spawnSync('bash', [path.join(PYTHON_SCRIPTS, 'setup.sh')], { encoding: 'utf8', timeout: 20 * 60_000 });
		if (setup.error || setup.status !== 0) {
			const why = setup.stderr?.trim().split('\n').at(-1) || setup.error?.message || `setup.sh exited with ${setup.status}`;
			return { skip: `no Python training environment: ${why}` };
		}
		const python = setup.stdout.trim().split('\n').at(-1)!;
		const modules = `import importlib.util, sys; sys.exit(any(importlib.util.find_spec(m) is None for m in ${JSON.stringify(TRAINING_MODULES)}))`;
		if (spawnSync(python, ['-c', modules]).status !== 0) {
			return { skip: `the Python training environment lacks one of ${TRAINING_MODULES.join(', ')}` };
		}
		// Everything is local: a reach for the hub is a failure, not a wait.
		const env = { ...process.env, HF_HOME: tempDir('tracemint-hf-'), HF_HUB_OFFLINE: '1', TOKENIZERS_PARALLELISM: 'false' };
		const model = path.join(tempDir('tracemint-model-'), 'tiny');
		const build = spawnSync(python, [path.join(PYTHON_SCRIPTS, 'tiny_model.py'), model], { encoding: 'utf8', env, timeout: 5 * 60_000 });
		assert.equal(build.status, 0, `tiny_model.py failed:\n${build.stderr}`);
		return { python, model, env };
	})();
	return cached;
}
