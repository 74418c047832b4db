import { getSystemErrorMap } from 'node:util';

/**
 * errno names → values. node:os is loaded on the first error only (node:util is loaded by Node itself): a plugin
 * start that sees no error does not pay for it. Before Node 20.16 (no getBuiltinModule), util's table is used.
 */
function errnoConstants(): Readonly<Record<string, number>> {
  const os = process.getBuiltinModule?.('node:os');
  if (os) return os.constants.errno;
  return Object.fromEntries([...getSystemErrorMap()].map(([negative, [name]]) => [name, -negative]));
}

// Linux has aliases (EOPNOTSUPP/ENOTSUP, EAGAIN/EWOULDBLOCK, EDEADLK/EDEADLOCK); the kernel's headers and
// iproute2 print the first name of each pair, so that is the one we report.
const preferred = new Set(['EOPNOTSUPP', 'EAGAIN', 'EDEADLK']);
let names: Map<number, string> | undefined;

/** The errno name for a positive errno value (`17` → `'EEXIST'`), or `E<number>` if unknown. */
export function errnoName(errno: number): string {
  if (!names) {
    names = new Map();
    for (const [name, value] of Object.entries(errnoConstants())) {
      if (!names.has(value) || preferred.has(name)) names.set(value, name);
    }
  }
  return names.get(errno) ?? `E${errno}`;
}

/** The errno value for a name (`'EEXIST'` → 17), aliases included; undefined if the name is unknown. */
export function errnoValue(name: string): number | undefined {
  return (errnoConstants() as Record<string, number | undefined>)[name];
}

/** strerror(3)-like text, e.g. "file already exists". */
export function errnoText(errno: number): string {
  return getSystemErrorMap().get(-errno)?.[1] ?? `errno ${errno}`;
}

/** A libc call failed. `code` is the errno name, `syscall` the call (e.g. 'setsockopt(SO_BINDTODEVICE)'). */
export class SysError extends Error {
  override readonly name = 'SysError' as const;
  readonly errno: number;
  readonly code: string;
  readonly syscall: string;

  constructor(syscall: string, errno: number, options?: { detail?: string }) {
    const code = errnoName(errno);
    const detail = options?.detail ? ` (${options.detail})` : '';
    super(`${syscall} failed: ${code}: ${errnoText(errno)}${detail}`);
    this.errno = errno;
    this.code = code;
    this.syscall = syscall;
  }
}

/** True if `err` is a {@link SysError}, optionally with the given errno name (aliases match: ENOTSUP = EOPNOTSUPP). */
export function isSysError(err: unknown, code?: string): err is SysError {
  if (!(err instanceof Error) || err.name !== 'SysError') return false;
  if (code === undefined) return true;
  return (err as SysError).errno === errnoValue(code);
}
