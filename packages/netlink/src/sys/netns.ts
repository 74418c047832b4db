// Namespace windows on the main JS thread. setns(2) moves only the calling thread, and threads inherit the
// namespace of the thread that creates them, so (netlink-transport.md, section 8):
//  1. the libuv threadpool must exist before the first window (warmThreadpool), or its 4 threads are born in the
//     container namespace and stay there for good;
//  2. a window is synchronous and short: setns in, create sockets / touch /proc/sys/net, setns back in finally.
//     Nothing async runs inside (no await, no fs callbacks, no koffi .async, no child processes).
import { closeSync, openSync, stat, statfsSync } from 'node:fs';
import { lastErrno, libc } from './libc.ts';
import { CLONE_NEWNET, NS_GET_NSTYPE, NSFS_MAGIC, PROC_SUPER_MAGIC } from './constants.ts';
import { NetnsNotFoundError, NotNetnsError } from './netns-errors.ts';
import { SysError } from './sys-error.ts';

/** The calling thread's own namespace; /proc/self would name the thread-group leader's. */
export const CURRENT_NETNS_PATH = '/proc/thread-self/ns/net';

let warming: Promise<void> | undefined;
let warm = false;
let stranded: Error | undefined;

/**
 * Starts libuv's threadpool (all of its threads start on the first queued job) while the main thread is still in
 * its own namespace. Idempotent and cheap after the first call. openHandle() calls it; call it yourself before
 * using {@link withNetns} directly.
 */
export function warmThreadpool(): Promise<void> {
  // One queued fs job starts every thread of the pool. The callback API: node:fs/promises would load ~20 more
  // modules (streams, readline) at every plugin start, about 1.5 ms.
  warming ??= new Promise<void>((resolve) => {
    stat('/', () => {
      warm = true;
      resolve();
    });
  });
  return warming;
}

/**
 * Opens a network namespace file and checks it: missing → NetnsNotFoundError; not on nsfs (or procfs, where
 * namespace files lived before Linux 3.19), or a namespace of another kind → NotNetnsError.
 * Returns an fd (O_CLOEXEC) the caller closes.
 */
export function openNetns(path: string): number {
  let type: number;
  try {
    type = statfsSync(path).type;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NetnsNotFoundError(path, { cause: err });
    throw err;
  }
  if (type !== NSFS_MAGIC && type !== PROC_SUPER_MAGIC) {
    throw new NotNetnsError(path, `unknown filesystem magic 0x${type.toString(16)}`);
  }
  const fd = openSync(path, 'r');
  const nstype = libc().ioctl(fd, NS_GET_NSTYPE);
  // ENOTTY: a procfs-era kernel without NS_GET_NSTYPE; setns(CLONE_NEWNET) still rejects a wrong kind later.
  if (nstype >= 0 ? nstype !== CLONE_NEWNET : lastErrno() !== 25) {
    closeSync(fd);
    throw new NotNetnsError(path, nstype >= 0 ? `namespace type 0x${nstype.toString(16)}` : 'not a namespace file');
  }
  return fd;
}

/**
 * Runs `fn` with the main thread inside the network namespace `target` (a path, or an fd from openNetns), then
 * switches back, even if `fn` throws. `fn` must be synchronous: sockets it creates stay bound to `target`, and
 * sync fs calls on /proc/sys/net and /proc/net see `target`. Call `await warmThreadpool()` once beforehand.
 */
export function withNetns<T>(target: string | number, fn: () => T): T {
  if (stranded) throw stranded;
  if (!warm) {
    throw new Error('withNetns: the libuv threadpool is not warm; `await warmThreadpool()` before the first window');
  }
  const targetFd = typeof target === 'string' ? openNetns(target) : target;
  const backFd = openSync(CURRENT_NETNS_PATH, 'r');
  try {
    if (libc().setns(targetFd, CLONE_NEWNET) !== 0) {
      const errno = lastErrno();
      if (errno === 22 && typeof target === 'string') throw new NotNetnsError(target, 'setns rejected it (EINVAL)');
      throw new SysError('setns', errno);
    }
    try {
      const result = fn();
      if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
        throw new TypeError('withNetns: fn returned a promise; a namespace window must be synchronous');
      }
      return result;
    } finally {
      if (libc().setns(backFd, CLONE_NEWNET) !== 0) {
        // Cannot happen short of the kernel refusing our own namespace back. Every later window refuses to run,
        // because anything done from here on would act on the wrong namespace.
        stranded = new SysError('setns (back to the original namespace)', lastErrno(), {
          detail: 'the main thread is stranded in another network namespace',
        });
        throw stranded;
      }
    }
  } finally {
    closeSync(backFd);
    if (typeof target === 'string') closeSync(targetFd);
  }
}
