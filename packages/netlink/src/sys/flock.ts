import { lastErrno, libc } from './libc.ts';
import { LOCK } from './constants.ts';
import { SysError } from './sys-error.ts';

const EINTR = 4;
const EWOULDBLOCK = 11;

/**
 * flock(2) on an open fd (`fs.openSync(path, 'a+')` or similar). `operation` is LOCK.SH, LOCK.EX or LOCK.UN,
 * optionally | LOCK.NB. Blocks (the whole JS thread) unless LOCK.NB is given; prefer {@link tryFlock} in a
 * retry loop with a deadline, so a stuck holder turns into a timeout instead of a hang.
 */
export function flock(fd: number, operation: number): void {
  for (;;) {
    if (libc().flock(fd, operation) === 0) return;
    const errno = lastErrno();
    if (errno !== EINTR) throw new SysError('flock', errno);
  }
}

/** Non-blocking flock: true if the lock was taken, false if another holder has it (EWOULDBLOCK). */
export function tryFlock(fd: number, operation: typeof LOCK.SH | typeof LOCK.EX): boolean {
  for (;;) {
    if (libc().flock(fd, operation | LOCK.NB) === 0) return true;
    const errno = lastErrno();
    if (errno === EWOULDBLOCK) return false;
    if (errno !== EINTR) throw new SysError('flock', errno);
  }
}

const FIRST_PAUSE_MS = 1;
const MAX_PAUSE_MS = 25;

/**
 * Takes `operation` (LOCK.SH or LOCK.EX) on `fd`, polling with a growing, jittered pause (1 to 25 ms) rather than
 * blocking, so the event loop keeps running and a stuck holder becomes a timeout. False when `timeoutMs` passed first.
 */
export async function flockWithDeadline(fd: number, operation: typeof LOCK.SH | typeof LOCK.EX, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let pause = FIRST_PAUSE_MS;
  while (!tryFlock(fd, operation)) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(left, pause * (0.5 + Math.random()))));
    pause = Math.min(MAX_PAUSE_MS, pause * 2);
  }
  return true;
}
