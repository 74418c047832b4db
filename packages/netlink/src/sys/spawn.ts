// Starting a program and waiting for it (what node's spawnSync does), through libc: posix_spawn, pipes, poll and
// waitpid. The plugins start few programs (bridge: iptables and nft for ipMasq and macspoofchk; dnsmasq-ipam:
// dnsmasq), but loading node:child_process, with the streams, net and dgram modules it pulls in, added ~2 MiB to the
// peak memory of every such run. Like spawnSync: no shell and no PATH lookup (give the full path), the environment
// is ours unless given, the child's signal dispositions are reset to the defaults and its signal mask cleared.
import { lastErrno, libc, spawnLibc } from './libc.ts';
import { SysError } from './sys-error.ts';

export interface RunProgramOptions {
  /** Written to the program's stdin, which is then closed. Without it, stdin is /dev/null. */
  input?: string;
  /** Collect stdout (the default); false sends it to /dev/null. stderr is always collected. */
  captureStdout?: boolean;
  /** The program's working directory; default: ours. */
  cwd?: string;
  /**
   * After this long the program gets SIGTERM (as with node's `timeout` option), SIGKILL 2 s later if it is still
   * there, and the result comes once it has exited.
   */
  timeoutMs?: number;
  /** Its environment; default: ours. */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface RunProgramResult {
  /** The exit status, or null when a signal ended the program. */
  status: number | null;
  /** The signal that ended it ('SIGTERM'), or null. */
  signal: string | null;
  stdout: string;
  stderr: string;
  /** The timeout ran out and the program was signalled. */
  timedOut: boolean;
}

// Linux values shared by x86-64 and arm64 (asm-generic): fcntl.h, spawn.h, sys/wait.h, poll.h, signal.h.
const O_RDONLY = 0;
const O_WRONLY = 1;
const O_NONBLOCK = 0o4000;
const O_CLOEXEC = 0o2000000;
const F_GETFL = 3;
const F_SETFL = 4;
const POSIX_SPAWN_SETSIGDEF = 0x04;
const POSIX_SPAWN_SETSIGMASK = 0x08;
const WNOHANG = 1;
const POLLIN = 0x1;
const POLLOUT = 0x4;
const EINTR = 4;
const EAGAIN = 11;
const EPIPE = 32;
const KILL_GRACE_MS = 2000;
/** How long one poll waits at most: a program that exits while something else holds its pipes is seen by waitpid. */
const TICK_MS = 20;

const SIGNALS = [
  '', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1', 'SIGSEGV',
  'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN',
  'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS',
];

const noNul = (what: string, s: string): string => {
  if (s.includes('\0')) throw new TypeError(`runProgram: ${what} contains a NUL byte`);
  return s;
};

/** Sleeps the thread for `ms` (no event loop turn: this is a synchronous wait, as spawnSync's is). */
const sleep = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Runs `path` with `args` and waits until it has exited and closed its stdout and stderr, like spawnSync. Throws
 * SysError 'posix_spawn' (detail: the path) when it cannot be started, e.g. ENOENT or EACCES.
 */
export function runProgram(path: string, args: readonly string[], options: RunProgramOptions = {}): RunProgramResult {
  const c = spawnLibc();
  const argv = [noNul('path', path), ...args.map((a) => noNul('an argument', a)), null];
  const env = options.env ?? process.env;
  const envp: (string | null)[] = [];
  for (const [k, v] of Object.entries(env)) if (v !== undefined) envp.push(noNul('the environment', `${k}=${v}`));
  envp.push(null);

  const open = new Set<number>();
  const closeFd = (fd: number): number => {
    if (open.delete(fd)) libc().close(fd);
    return -1;
  };
  const pipe = (): [number, number] => {
    const fds = [-1, -1];
    if (c.pipe2(fds, O_CLOEXEC) !== 0) throw new SysError('pipe2', lastErrno());
    open.add(fds[0]!).add(fds[1]!);
    return [fds[0]!, fds[1]!];
  };
  const check = (call: string, rc: number): void => {
    if (rc !== 0) throw new SysError(call, rc); // the posix_spawn* functions return the error number
  };

  let pid = -1;
  let status: number | undefined;
  try {
    let [inR, inW, outR, outW] = [-1, -1, -1, -1];
    const [errR, errW] = pipe();
    if (options.input !== undefined) [inR, inW] = pipe();
    if (options.captureStdout !== false) [outR, outW] = pipe();

    const actions = new Uint8Array(256); // posix_spawn_file_actions_t: 80 bytes in glibc and musl
    const attr = new Uint8Array(512); // posix_spawnattr_t: 336 bytes in glibc
    const signals = new Uint8Array(128); // sigset_t
    check('posix_spawn_file_actions_init', c.posix_spawn_file_actions_init(actions));
    try {
      check('posix_spawnattr_init', c.posix_spawnattr_init(attr));
      try {
        if (inR >= 0) check('posix_spawn_file_actions_adddup2', c.posix_spawn_file_actions_adddup2(actions, inR, 0));
        else check('posix_spawn_file_actions_addopen', c.posix_spawn_file_actions_addopen(actions, 0, '/dev/null', O_RDONLY, 0));
        if (outW >= 0) check('posix_spawn_file_actions_adddup2', c.posix_spawn_file_actions_adddup2(actions, outW, 1));
        else check('posix_spawn_file_actions_addopen', c.posix_spawn_file_actions_addopen(actions, 1, '/dev/null', O_WRONLY, 0));
        check('posix_spawn_file_actions_adddup2', c.posix_spawn_file_actions_adddup2(actions, errW, 2));
        if (options.cwd !== undefined) {
          check('posix_spawn_file_actions_addchdir_np', c.posix_spawn_file_actions_addchdir_np(actions, noNul('cwd', options.cwd)));
        }
        // As libuv does for node's children: the signals back to their default action (node ignores SIGPIPE, say),
        // none blocked.
        c.sigfillset(signals);
        check('posix_spawnattr_setsigdefault', c.posix_spawnattr_setsigdefault(attr, signals));
        c.sigemptyset(signals);
        check('posix_spawnattr_setsigmask', c.posix_spawnattr_setsigmask(attr, signals));
        check('posix_spawnattr_setflags', c.posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK));
        const pidOut = [-1];
        const rc = c.posix_spawn(pidOut, path, actions, attr, argv, envp);
        if (rc !== 0) throw new SysError('posix_spawn', rc, { detail: path });
        pid = pidOut[0]!;
      } finally {
        c.posix_spawnattr_destroy(attr);
      }
    } finally {
      c.posix_spawn_file_actions_destroy(actions);
    }
    // The child's ends are its own now.
    closeFd(errW);
    inR = closeFd(inR);
    outW = closeFd(outW);

    const input = options.input === undefined ? undefined : Buffer.from(options.input, 'utf8');
    let written = 0;
    if (input !== undefined && input.length === 0) inW = closeFd(inW);
    if (inW >= 0) c.fcntl(inW, F_SETFL, 'int', c.fcntl(inW, F_GETFL) | O_NONBLOCK); // never block on a full pipe

    const out: Uint8Array[] = [];
    const err: Uint8Array[] = [];
    let errOpen = errR;
    const buf = new Uint8Array(64 * 1024);
    const pollFds = new Uint8Array(3 * 8); // struct pollfd: int fd; short events; short revents
    const pv = new DataView(pollFds.buffer);
    const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
    let timedOut = false;
    let killAt = Infinity;

    /** Reads what `fd` has; returns -1 once it is at EOF (and closed), else fd. */
    const drain = (fd: number, into: Uint8Array[]): number => {
      const n = Number(c.read(fd, buf, buf.length));
      if (n > 0) into.push(buf.slice(0, n));
      else if (n === 0) return closeFd(fd);
      else if (lastErrno() !== EINTR && lastErrno() !== EAGAIN) throw new SysError('read', lastErrno());
      return fd;
    };

    for (;;) {
      if (status === undefined) {
        const st = [0];
        const r = c.waitpid(pid, st, WNOHANG);
        if (r === pid) status = st[0]!;
        else if (r < 0 && lastErrno() !== EINTR) throw new SysError('waitpid', lastErrno());
      }
      if (status !== undefined && inW >= 0) inW = closeFd(inW); // nobody will read it any more
      // Done when it has exited and closed its outputs; after a timeout, as soon as it has exited (spawnSync too
      // stops reading then: something it started may hold the pipes).
      if (status !== undefined && ((outR < 0 && errOpen < 0) || timedOut)) break;

      const now = Date.now();
      if (status === undefined && now >= deadline && !timedOut) {
        timedOut = true;
        process.kill(pid, 'SIGTERM');
        killAt = now + KILL_GRACE_MS;
      } else if (status === undefined && now >= killAt) {
        process.kill(pid, 'SIGKILL');
        killAt = Infinity;
      }

      const watched = [outR, errOpen, inW].filter((fd) => fd >= 0);
      if (watched.length === 0) {
        sleep(1); // it closed its outputs but has not exited yet
        continue;
      }
      watched.forEach((fd, i) => {
        pv.setInt32(i * 8, fd, true);
        pv.setInt16(i * 8 + 4, fd === inW ? POLLOUT : POLLIN, true);
        pv.setInt16(i * 8 + 6, 0, true);
      });
      const wait = Math.max(0, Math.min(TICK_MS, Math.min(deadline, killAt) - now));
      if (c.poll(pollFds, watched.length, wait) < 0) {
        if (lastErrno() === EINTR) continue;
        throw new SysError('poll', lastErrno());
      }
      watched.forEach((fd, i) => {
        if (pv.getInt16(i * 8 + 6, true) === 0) return;
        if (fd === outR) outR = drain(fd, out);
        else if (fd === errOpen) errOpen = drain(fd, err);
        else if (input !== undefined) {
          const n = Number(c.write(fd, input.subarray(written), input.length - written));
          if (n >= 0) written += n;
          const errno = n < 0 ? lastErrno() : 0;
          if (written >= input.length || errno === EPIPE) inW = closeFd(fd); // EPIPE: it exited without reading
          else if (n < 0 && errno !== EINTR && errno !== EAGAIN) throw new SysError('write', errno);
        }
      });
    }

    const wstatus = status!; // the loop ends only once waitpid reported it
    const code = wstatus & 0x7f;
    return {
      status: code === 0 ? (wstatus >> 8) & 0xff : null,
      signal: code === 0 ? null : (SIGNALS[code] ?? `SIG${code}`),
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(err).toString('utf8'),
      timedOut,
    };
  } finally {
    for (const fd of open) closeFd(fd);
    if (pid > 0 && status === undefined) {
      // Something failed while it ran: do not leave it running or unreaped.
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // ESRCH: it is gone already; waitpid still reaps it
      }
      c.waitpid(pid, [0], 0);
    }
  }
}
