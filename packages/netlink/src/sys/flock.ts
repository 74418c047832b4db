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
