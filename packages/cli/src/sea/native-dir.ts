// A native module is code: the single executable extracts koffi.node to a directory and dlopens it from
// there, so that directory (and every directory above it) must be one only root, or the user running the
// plugin, can change. Otherwise anyone able to write there could swap the library a root process loads.
import { lstatSync, mkdirSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export const DEFAULT_NATIVE_DIR = '/var/lib/cni-ts/native';

export function nativeDir(env: Readonly<Record<string, string | undefined>>): string {
  const dir = env['CNI_TS_NATIVE_DIR'];
  return dir === undefined || dir === '' ? DEFAULT_NATIVE_DIR : resolve(dir);
}

function euid(): number {
  return process.geteuid?.() ?? 0;
}

/**
 * Why `path` cannot be trusted, or undefined when it can. `leaf` is the directory the files live in; for an
 * ancestor, the sticky bit (as on /tmp) makes group/world write acceptable: nobody else can rename our entry.
 */
export function distrust(path: string, leaf: boolean): string | undefined {
  const st = lstatSync(path);
  // A link can only be re-pointed by whoever can write its directory (checked as the next ancestor); where it
  // points is checked separately, on the resolved path.
  if (st.isSymbolicLink()) return undefined;
  if (!st.isDirectory()) return `${path} is not a directory`;
  if (st.uid !== 0 && st.uid !== euid()) return `${path} is owned by uid ${st.uid}, not root`;
  const othersWrite = (st.mode & 0o022) !== 0;
  const sticky = (st.mode & 0o1000) !== 0;
  if (othersWrite && (leaf || !sticky)) return `${path} is writable by group or others (mode ${(st.mode & 0o7777).toString(8)})`;
  return undefined;
}

function chainProblems(dir: string): string[] {
  const problems: string[] = [];
  for (let p = dir, leaf = true; ; leaf = false) {
    const why = distrust(p, leaf);
    if (why) problems.push(why);
    const parent = dirname(p);
    if (parent === p) return problems;
    p = parent;
  }
}

/** Creates the directory if needed (0755) and checks it and its ancestors; throws naming the first problem. */
export function ensureTrustedDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const real = realpathSync(dir);
  const problems = real === dir ? chainProblems(dir) : [...chainProblems(dir), ...chainProblems(real)];
  if (problems.length > 0) {
    throw new Error(
      `refusing to load native code from ${dir}: ${problems[0]} (set CNI_TS_NATIVE_DIR to a directory only root can write)`,
    );
  }
}
