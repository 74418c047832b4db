// Locating a delegated plugin on CNI_PATH, with the reference's messages (pkg/invoke/find.go).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { CniError, ErrorCode } from './errors.ts';
import { goQuote } from './go-json.ts';

function isRegularFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false; // EACCES on a directory of CNI_PATH: look in the next one, as Go's os.Stat loop does
  }
}

/** The first regular file named `type` in the `cniPath` directories. Errors are code 999 as in the reference. */
export function findInPath(type: string, cniPath: readonly string[]): string {
  if (type === '') throw new CniError(ErrorCode.Internal, 'no plugin name provided');
  if (type.includes('/') || type.includes('\\')) throw new CniError(ErrorCode.Internal, `invalid plugin name: ${type}`);
  if (cniPath.length === 0) throw new CniError(ErrorCode.Internal, 'no paths provided');
  for (const dir of cniPath) {
    const candidate = join(dir, type);
    if (isRegularFile(candidate)) return candidate;
  }
  throw new CniError(ErrorCode.Internal, `failed to find plugin ${goQuote(type)} in path [${cniPath.join(' ')}]`);
}
