// One install or uninstall at a time per destination: both read the manifest, plan against it and write it back, so
// two running together (a node's init container restarted while the first still runs, two operators) would each
// record only their own files. The lock is flock(2) on the directory itself, so nothing extra lands in it.
import { closeSync, openSync } from 'node:fs';

const WAIT_MS = 30_000;

export async function withDestinationLock<T>(dest: string, work: () => T, waitMs = WAIT_MS): Promise<T> {
  // Loaded here, not at the top: the rest of cni-ts (validate, run, the embedded plugins) never needs libc.
  const { flockWithDeadline, LOCK } = await import('@cni-ts/netlink/sys');
  let fd: number;
  try {
    fd = openSync(dest, 'r');
  } catch (err) {
    // No directory (uninstall from a destination never installed to): nothing there for anyone to change.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return work();
    throw err;
  }
  try {
    if (!(await flockWithDeadline(fd, LOCK.EX, waitMs))) {
      throw new Error(`another cni-ts install or uninstall is working in ${dest}; gave up after ${waitMs / 1000} s`);
    }
    return work();
  } finally {
    closeSync(fd); // drops the lock
  }
}
