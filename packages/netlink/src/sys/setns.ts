import { lastErrno, libc } from './libc.ts';
import { SysError } from './sys-error.ts';

/**
 * Raw setns(2) for the calling (main JS) thread. Prefer withNetns, which validates the target, checks the
 * threadpool is warm and always switches back.
 */
export function setns(fd: number, nstype: number): void {
  if (libc().setns(fd, nstype) !== 0) throw new SysError('setns', lastErrno());
}
