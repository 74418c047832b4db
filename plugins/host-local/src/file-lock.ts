// An exclusive flock(2) on a file, taken with a deadline. The reference blocks in flock() with no timeout, so a stuck
// holder hangs every later ADD and DEL (plugins#561: thousands of blocked processes). We poll LOCK_EX|LOCK_NB with
// a growing, jittered pause instead and give up with code 11 (try again later) when the deadline passes.
// flock interoperates with the reference's go-filemutex, which flocks the same file.
import { closeSync, openSync } from 'node:fs';
import { CniError, ErrorCode } from '@cni-ts/skel';

export interface HeldLock {
  release(): void;
}

const FIRST_PAUSE_MS = 1;
const MAX_PAUSE_MS = 25;

export async function acquireFileLock(path: string, timeoutMs: number): Promise<HeldLock> {
  // Loaded on first use: koffi and libc prototypes cost start-up time that DEL of a never-created network never needs.
  const { LOCK, flock, tryFlock } = await import('@cni-ts/netlink/sys');
  const fd = openSync(path, 'a+', 0o600);
  try {
    const deadline = Date.now() + timeoutMs;
    let pause = FIRST_PAUSE_MS;
    while (!tryFlock(fd, LOCK.EX)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new CniError(
          ErrorCode.TryAgainLater,
          `timed out after ${timeoutMs} ms waiting for the lock ${path} (ipam.lockTimeoutMs)`,
          'another process holds the lock; retry later',
        );
      }
      await sleep(Math.min(left, pause * (0.5 + Math.random())));
      pause = Math.min(MAX_PAUSE_MS, pause * 2);
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
