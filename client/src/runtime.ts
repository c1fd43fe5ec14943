/**
 * Which Node runs the backend. The native SQLite module is built for Node's ABI, so a real
 * `node` beats the editor's own runtime (Electron, a different ABI) whenever one exists.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface RuntimeChoice {
	/** Executable to spawn the server with; undefined = the editor's own runtime. */
	runtime: string | undefined;
	/** Where the choice came from, for the output channel. */
	source: 'setting' | 'PATH' | 'editor';
}

export function chooseRuntime(configured: string, env: NodeJS.ProcessEnv = process.env): RuntimeChoice {
	if (configured) {
		// A bare name in the setting ("node22") is looked up like a shell would.
		const found = path.isAbsolute(configured) ? configured : findOnPath(configured, env) ?? configured;
		return { runtime: found, source: 'setting' };
	}
	const node = findOnPath('node', env);
	return node ? { runtime: node, source: 'PATH' } : { runtime: undefined, source: 'editor' };
}

/** Searches PATH ourselves: no shell is spawned, so nothing in the user's profile runs. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
	const isWindows = process.platform === 'win32';
	const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter((dir) => dir.length > 0);
	const extensions = isWindows && !path.extname(name)
		? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter((ext) => ext.length > 0)
		: [''];
	for (const dir of dirs) {
		for (const ext of extensions) {
			const candidate = path.join(dir, name + ext);
			if (isExecutableFile(candidate)) {
				return candidate;
			}
		}
	}
	return undefined;
}

function isExecutableFile(file: string): boolean {
	try {
		if (!fs.statSync(file).isFile()) {
			return false;
		}
		fs.accessSync(file, fs.constants.X_OK);
		return true;
	} catch {
		return false;
	}
}
