// The per-network flock(2) (design §2.7): EX while dnsmasq is started, stopped or its files are edited offline;
// SH around DHCP exchanges, so ADDs and DELs run in parallel but never against a dnsmasq being replaced.
// The lock is polled with LOCK_NB against a deadline, so a stuck holder becomes "try again later" (11), not a hang.
import { closeSync, openSync } from 'node:fs';
import { flockWithDeadline, LOCK } from '@cni-ts/netlink/sys';
import { lockTimeout } from '../errors.ts';

export type LockMode = 'shared' | 'exclusive';

export const DEFAULT_LOCK_TIMEOUT_MS = 30_000;

export class NetworkLock implements Disposable {
  #fd: number | undefined;
  readonly mode: LockMode;

  private constructor(fd: number, mode: LockMode) {
    this.#fd = fd;
    this.mode = mode;
  }

  static async acquire(path: string, mode: LockMode, timeoutMs = DEFAULT_LOCK_TIMEOUT_MS): Promise<NetworkLock> {
    // libuv opens with O_CLOEXEC: a dnsmasq started while we hold the lock must not inherit (and keep) it.
    const fd = openSync(path, 'a', 0o600);
    try {
      if (!(await flockWithDeadline(fd, mode === 'shared' ? LOCK.SH : LOCK.EX, timeoutMs))) throw lockTimeout(path, timeoutMs);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    return new NetworkLock(fd, mode);
  }

  /** Closing the fd drops the flock. Idempotent. */
  release(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }

  [Symbol.dispose](): void {
    this.release();
  }
}
