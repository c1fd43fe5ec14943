/**
 * Path helpers for the importers. A log can name a Windows path and be imported on any machine,
 * so file paths are split on both separators; default locations are joined the target OS's way.
 */
import * as path from 'node:path';
import type { LocationEnv } from './importer';

/** `path.win32` or `path.posix`, for the platform whose default locations are wanted. */
export function pathsFor(loc: LocationEnv): path.PlatformPath {
	return loc.platform === 'win32' ? path.win32 : path.posix;
}

/** The parts of a path, split on `/` and `\`. */
export function pathSegments(filePath: string): string[] {
	return filePath.split(/[\\/]/);
}

/** The last part of a path, whichever separator it uses. */
export function baseName(filePath: string): string {
	return pathSegments(filePath).pop() ?? filePath;
}
