import { getSystemErrorMap } from 'node:util';

/**
 * The errno names node:os knows, with their values on Linux x86-64 and arm64 (asm-generic numbering, the arches
 * netlink has a koffi shim for). A fixed table: loading node:os for its errno table cost every plugin run that
 * met an error (bridge ADD meets EEXIST each time) ~150 KiB of peak memory. Other arches still ask node:os.
 */
const genericErrno: Readonly<Record<string, number>> = {
  EPERM: 1, ENOENT: 2, ESRCH: 3, EINTR: 4, EIO: 5, ENXIO: 6, E2BIG: 7, ENOEXEC: 8, EBADF: 9, ECHILD: 10,
  EAGAIN: 11, EWOULDBLOCK: 11, ENOMEM: 12, EACCES: 13, EFAULT: 14, EBUSY: 16, EEXIST: 17, EXDEV: 18, ENODEV: 19,
  ENOTDIR: 20, EISDIR: 21, EINVAL: 22, ENFILE: 23, EMFILE: 24, ENOTTY: 25, ETXTBSY: 26, EFBIG: 27, ENOSPC: 28,
  ESPIPE: 29, EROFS: 30, EMLINK: 31, EPIPE: 32, EDOM: 33, ERANGE: 34, EDEADLK: 35, ENAMETOOLONG: 36, ENOLCK: 37,
  ENOSYS: 38, ENOTEMPTY: 39, ELOOP: 40, ENOMSG: 42, EIDRM: 43, ENOSTR: 60, ENODATA: 61, ETIME: 62, ENOSR: 63,
  ENOLINK: 67, EPROTO: 71, EMULTIHOP: 72, EBADMSG: 74, EOVERFLOW: 75, EILSEQ: 84, ENOTSOCK: 88, EDESTADDRREQ: 89,
  EMSGSIZE: 90, EPROTOTYPE: 91, ENOPROTOOPT: 92, EPROTONOSUPPORT: 93, ENOTSUP: 95, EOPNOTSUPP: 95,
  EAFNOSUPPORT: 97, EADDRINUSE: 98, EADDRNOTAVAIL: 99, ENETDOWN: 100, ENETUNREACH: 101, ENETRESET: 102,
  ECONNABORTED: 103, ECONNRESET: 104, ENOBUFS: 105, EISCONN: 106, ENOTCONN: 107, ETIMEDOUT: 110,
  ECONNREFUSED: 111, EHOSTUNREACH: 113, EALREADY: 114, EINPROGRESS: 115, ESTALE: 116, EDQUOT: 122, ECANCELED: 125,
};

/** errno names → values: the table above on x86-64 and arm64, else node:os (else util's table, before Node 20.16). */
function errnoConstants(): Readonly<Record<string, number>> {
  if (process.platform === 'linux' && (process.arch === 'x64' || process.arch === 'arm64')) return genericErrno;
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

/**
 * Defines `message` on an Error subclass's prototype as a getter that builds the text when first read and then
 * keeps it as an ordinary own property (so setting it works as on any Error). The errno text comes from
 * node:util's getSystemErrorMap, which loads libuv's error table: most of these errors are caught and dropped
 * (EEXIST and ENODEV probes), and those never pay for it. A stack trace reads the getter when first formatted.
 */
export function lazyMessage<T extends Error>(ctor: abstract new (...args: never[]) => T, build: (err: T) => string): void {
  const own = (err: T, value: string): void => {
    Object.defineProperty(err, 'message', { value, writable: true, configurable: true, enumerable: false });
  };
  Object.defineProperty(ctor.prototype, 'message', {
    configurable: true,
    get(this: T) {
      const text = build(this);
      own(this, text);
      return text;
    },
    set(this: T, value: string) {
      own(this, value);
    },
  });
}

/** A libc call failed. `code` is the errno name, `syscall` the call (e.g. 'setsockopt(SO_BINDTODEVICE)'). */
export class SysError extends Error {
  override readonly name = 'SysError' as const;
  readonly errno: number;
  readonly code: string;
  readonly syscall: string;
  readonly #detail: string | undefined;

  static {
    lazyMessage(SysError, (e) => `${e.syscall} failed: ${e.code}: ${errnoText(e.errno)}${e.#detail ? ` (${e.#detail})` : ''}`);
  }

  constructor(syscall: string, errno: number, options?: { detail?: string }) {
    super(); // no message here: it is built when read (lazyMessage)
    this.errno = errno;
    this.code = errnoName(errno);
    this.syscall = syscall;
    this.#detail = options?.detail;
  }
}

/** True if `err` is a {@link SysError}, optionally with the given errno name (aliases match: ENOTSUP = EOPNOTSUPP). */
export function isSysError(err: unknown, code?: string): err is SysError {
  if (!(err instanceof Error) || err.name !== 'SysError') return false;
  if (code === undefined) return true;
  return (err as SysError).errno === errnoValue(code);
}
