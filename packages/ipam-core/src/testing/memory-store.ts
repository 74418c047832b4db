// An in-memory Store for unit tests of allocation logic (and for anything else that needs a throwaway pool).
import { CniError, ErrorCode } from '@cni-ts/skel';
import { formatIp, type Ip, parseIp } from '../ip.ts';
import type { Owner, Reservation, ReservationOwner, Store } from '../store.ts';

export class MemoryStore implements Store {
  /** ip text → owner; an undefined owner models an empty or unreadable record. */
  readonly records = new Map<string, ReservationOwner | undefined>();
  readonly last = new Map<number, Ip>();
  #locked = false;
  /** Addresses whose reserve() fails as if another writer got there first (races that the listing did not show). */
  readonly raceLosses = new Set<string>();
  /** Make exclusive() fail as a lock timeout would. */
  lockBusy = false;

  constructor(initial: Record<string, ReservationOwner | undefined> = {}) {
    for (const [ip, owner] of Object.entries(initial)) this.records.set(ip, owner);
  }

  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.lockBusy) throw new CniError(ErrorCode.TryAgainLater, 'timed out waiting for the pool lock');
    if (this.#locked) throw new Error('MemoryStore: nested exclusive()');
    this.#locked = true;
    try {
      return await fn();
    } finally {
      this.#locked = false;
    }
  }

  async list(): Promise<Reservation[]> {
    return [...this.records].map(([ip, owner]) => ({ ip: parseIp(ip) as Ip, owner }));
  }

  async reserve(ip: Ip, owner: Owner, rangeSetIndex: number): Promise<boolean> {
    const key = formatIp(ip);
    if (this.raceLosses.has(key)) {
      this.records.set(key, { containerId: 'racer', ifName: 'eth0' });
      return false;
    }
    if (this.records.has(key)) return false;
    this.records.set(key, { containerId: owner.containerId.trim(), ifName: owner.ifName });
    this.last.set(rangeSetIndex, ip);
    return true;
  }

  async release(ip: Ip): Promise<void> {
    this.records.delete(formatIp(ip));
  }

  async lastReserved(rangeSetIndex: number): Promise<Ip | undefined> {
    return this.last.get(rangeSetIndex);
  }

  /** The pool as `{ ip: "id/ifname" }`, for compact assertions. */
  snapshot(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [ip, owner] of [...this.records].sort(([a], [b]) => a.localeCompare(b))) {
      out[ip] = owner ? `${owner.containerId}/${owner.ifName ?? ''}` : '';
    }
    return out;
  }
}
