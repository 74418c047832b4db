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

/** The calls behind runProgram (spawn.ts): declared on first use, so plugins that never start a program skip it. */
export interface SpawnLibc {
  pipe2(fds: number[], flags: number): number;
  /** posix_spawn(3); `argv` and `envp` end with null. Returns 0 or an errno (it does not set errno). */
  posix_spawn(pid: number[], path: string, fileActions: Uint8Array, attr: Uint8Array, argv: (string | null)[], envp: (string | null)[]): number;
  posix_spawn_file_actions_init(fa: Uint8Array): number;
  posix_spawn_file_actions_destroy(fa: Uint8Array): number;
  posix_spawn_file_actions_adddup2(fa: Uint8Array, fd: number, newFd: number): number;
  posix_spawn_file_actions_addopen(fa: Uint8Array, fd: number, path: string, oflag: number, mode: number): number;
  /** glibc >= 2.29, musl >= 1.1.24 */
  posix_spawn_file_actions_addchdir_np(fa: Uint8Array, path: string): number;
  posix_spawnattr_init(attr: Uint8Array): number;
  posix_spawnattr_destroy(attr: Uint8Array): number;
  posix_spawnattr_setflags(attr: Uint8Array, flags: number): number;
  posix_spawnattr_setsigmask(attr: Uint8Array, set: Uint8Array): number;
  posix_spawnattr_setsigdefault(attr: Uint8Array, set: Uint8Array): number;
  sigemptyset(set: Uint8Array): number;
  sigfillset(set: Uint8Array): number;
  /** `status` is a one-element array that receives the wait status */
  waitpid(pid: number, status: number[], options: number): number;
  /** `fds` is an array of struct pollfd (8 bytes each: int fd; short events; short revents) */
  poll(fds: Uint8Array, count: number, timeoutMs: number): number;
  read(fd: number, buf: Uint8Array, len: number): number;
  write(fd: number, buf: Uint8Array, len: number): number;
  /** Only F_GETFL (no argument) and F_SETFL (an int, passed to the variadic call as `'int', flags`). */
  fcntl(fd: number, cmd: number, ...arg: [] | ['int', number]): number;
}

let spawnLoaded: SpawnLibc | undefined;

export function spawnLibc(): SpawnLibc {
  if (spawnLoaded) return spawnLoaded;
  const lib = koffi.load(null);
  spawnLoaded = {
    pipe2: lib.func('int pipe2(_Out_ int *fds, int flags)'),
    posix_spawn: lib.func('int posix_spawn(_Out_ int *pid, const char *path, const void *fa, const void *attr, const char **argv, const char **envp)'),
    posix_spawn_file_actions_init: lib.func('int posix_spawn_file_actions_init(void *fa)'),
    posix_spawn_file_actions_destroy: lib.func('int posix_spawn_file_actions_destroy(void *fa)'),
    posix_spawn_file_actions_adddup2: lib.func('int posix_spawn_file_actions_adddup2(void *fa, int fd, int newfd)'),
    posix_spawn_file_actions_addopen: lib.func('int posix_spawn_file_actions_addopen(void *fa, int fd, const char *path, int oflag, uint32_t mode)'),
    posix_spawn_file_actions_addchdir_np: lib.func('int posix_spawn_file_actions_addchdir_np(void *fa, const char *path)'),
    posix_spawnattr_init: lib.func('int posix_spawnattr_init(void *attr)'),
    posix_spawnattr_destroy: lib.func('int posix_spawnattr_destroy(void *attr)'),
    posix_spawnattr_setflags: lib.func('int posix_spawnattr_setflags(void *attr, short flags)'),
    posix_spawnattr_setsigmask: lib.func('int posix_spawnattr_setsigmask(void *attr, const void *set)'),
    posix_spawnattr_setsigdefault: lib.func('int posix_spawnattr_setsigdefault(void *attr, const void *set)'),
    sigemptyset: lib.func('int sigemptyset(void *set)'),
    sigfillset: lib.func('int sigfillset(void *set)'),
    waitpid: lib.func('int waitpid(int pid, _Out_ int *status, int options)'),
    poll: lib.func('int poll(void *fds, unsigned long nfds, int timeout)'),
    read: lib.func('intptr_t read(int fd, void *buf, size_t len)'),
    write: lib.func('intptr_t write(int fd, const void *buf, size_t len)'),
    fcntl: lib.func('int fcntl(int fd, int cmd, ...)'),
  } as SpawnLibc;
  return spawnLoaded;
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
