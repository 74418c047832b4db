// An exclusive flock(2) on a file, taken with a deadline. The reference blocks in flock() with no timeout, so a stuck
// holder hangs every later ADD and DEL (plugins#561: thousands of blocked processes). We poll (flockWithDeadline)
// instead and give up with code 11 (try again later) when the deadline passes.
// flock interoperates with the reference's go-filemutex, which flocks the same file.
import { closeSync, openSync } from 'node:fs';
import { CniError, ErrorCode } from '@cni-ts/skel';

export interface HeldLock {
  release(): void;
}

export async function acquireFileLock(path: string, timeoutMs: number): Promise<HeldLock> {
  // Loaded on first use: koffi and libc prototypes cost start-up time that DEL of a never-created network never needs.
  const { LOCK, flock, flockWithDeadline } = await import('@cni-ts/netlink/sys');
  const fd = openSync(path, 'a+', 0o600);
  try {
    if (!(await flockWithDeadline(fd, LOCK.EX, timeoutMs))) {
      throw new CniError(
        ErrorCode.TryAgainLater,
        `timed out after ${timeoutMs} ms waiting for the lock ${path} (ipam.lockTimeoutMs)`,
        'another process holds the lock; retry later',
      );
    }
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  return {
    release() {
      // Closing the descriptor drops the lock; an explicit unlock first keeps the order obvious.
      try {
        flock(fd, LOCK.UN);
      } finally {
        closeSync(fd);
      }
    },
  };
}
