// Every libc prototype the project calls, in one file: a wrong FFI prototype crashes the process with a
// segfault rather than throwing, so they are reviewed together (netlink-transport.md, section 1).
//
// Unbundled (vitest) this imports koffi through its own loader; in a plugin bundle `koffi` is aliased to
// ../transport/koffi-native-<arch>.cjs, which requires the prebuilt binary by a static path.
import koffi from 'koffi';

/** The raw libc calls. Each returns what libc returns (-1 on failure, errno in {@link lastErrno}). */
export interface Libc {
  socket(domain: number, type: number, protocol: number): number;
  bind(fd: number, addr: Uint8Array, addrLen: number): number;
  send(fd: number, buf: Uint8Array, len: number, flags: number): number;
  sendto(fd: number, buf: Uint8Array, len: number, flags: number, addr: Uint8Array | null, addrLen: number): number;
  recv(fd: number, buf: Uint8Array, len: number, flags: number): number;
  /** `addrLen` is a 4-byte in/out buffer holding a host-endian u32. */
  recvfrom(fd: number, buf: Uint8Array, len: number, flags: number, addr: Uint8Array | null, addrLen: Uint8Array | null): number;
  setsockopt(fd: number, level: number, name: number, value: Uint8Array, valueLen: number): number;
  close(fd: number): number;
  setns(fd: number, nstype: number): number;
  flock(fd: number, operation: number): number;
  /** Only request codes without a third argument (e.g. NS_GET_NSTYPE) are called through this prototype. */
  ioctl(fd: number, request: number): number;
}

let loaded: Libc | undefined;

/** Declares the prototypes on first use (about 0.2 ms), so importing this module costs only koffi's load. */
export function libc(): Libc {
  if (loaded) return loaded;
  // dlopen(NULL): the libc node already uses, so the code needs no libc file name (glibc or musl).
  const lib = koffi.load(null);
  loaded = {
    socket: lib.func('int socket(int domain, int type, int protocol)'),
    bind: lib.func('int bind(int fd, const void *addr, uint32_t len)'),
    send: lib.func('intptr_t send(int fd, const void *buf, size_t len, int flags)'),
    sendto: lib.func('intptr_t sendto(int fd, const void *buf, size_t len, int flags, const void *addr, uint32_t alen)'),
    recv: lib.func('intptr_t recv(int fd, void *buf, size_t len, int flags)'),
    recvfrom: lib.func('intptr_t recvfrom(int fd, void *buf, size_t len, int flags, void *addr, void *alen)'),
    setsockopt: lib.func('int setsockopt(int fd, int level, int name, const void *value, uint32_t len)'),
    close: lib.func('int close(int fd)'),
    setns: lib.func('int setns(int fd, int nstype)'),
    flock: lib.func('int flock(int fd, int operation)'),
    ioctl: lib.func('int ioctl(int fd, unsigned long request, ...)'),
  } as Libc;
  return loaded;
}

/**
 * send(2) run on a libuv threadpool thread (koffi's async call), for a request the kernel completes slowly inside
 * the call (deleting a device waits for an RCU grace period). Resolves with what send returned; a failure is -1
 * (koffi cannot report the worker thread's errno). Never call it inside a namespace window (section 8).
 */
export function sendOnWorker(fd: number, buf: Uint8Array, len: number, flags: number): Promise<number> {
  const send = libc().send as unknown as { async(...args: [number, Uint8Array, number, number, (err: unknown, n: number) => void]): void };
  return new Promise((resolve, reject) => {
    send.async(fd, buf, len, flags, (err, n) => (err ? reject(err) : resolve(n)));
  });
}

/** errno of the last libc call made through {@link libc} (koffi saves it right after each call). */
export function lastErrno(): number {
  return koffi.errno();
}

/** Status and events as koffi's native poll callback really delivers them (its .d.ts omits the status). */
type PollCallback = (status: number, events: { readable: boolean }) => void;
interface PollHandle { close(): void }

/**
 * Watches `fd` for readability on the main libuv loop (uv_poll): no thread is created, so there is no netns hazard.
 * One watcher per fd at a time (a libuv rule). Returns the handle; close it before closing the fd.
 */
export function watchReadable(fd: number, onReady: PollCallback): PollHandle {
  const poll = koffi.node.poll as unknown as (fd: number, opts: { readable: boolean }, cb: PollCallback) => PollHandle;
  return poll(fd, { readable: true }, onReady);
}
