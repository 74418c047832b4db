// DEL and GC: release reservations under the store's exclusive access. Every release is attempted; failures are
// collected and reported together at the end, so one bad record never keeps the others reserved.
import type { Ip } from './ip.ts';
import { formatIp } from './ip.ts';
import { isHeldByAny, reservationsOf } from './ownership.ts';
import type { Owner, Reservation, Store } from './store.ts';

/** Releases every address held by `owner` (exact records, else legacy id-only ones). Returns what was released. */
export async function releaseOwner(store: Store, owner: Owner): Promise<Ip[]> {
  return store.exclusive(async () => releaseAll(store, reservationsOf(await store.list(), owner)));
}

/**
 * Releases every reservation not held by one of `valid` (GC). An empty `valid` list releases everything: the runtime
 * says no attachment is valid. Records without an owner (empty or unreadable) are released too.
 */
export async function releaseAllExcept(store: Store, valid: readonly Owner[]): Promise<Ip[]> {
  return store.exclusive(async () => {
    const stale = (await store.list()).filter((r) => !isHeldByAny(r, valid));
    return releaseAll(store, stale);
  });
}

async function releaseAll(store: Store, reservations: readonly Reservation[]): Promise<Ip[]> {
  const released: Ip[] = [];
  const errors: unknown[] = [];
  for (const r of reservations) {
    try {
      await store.release(r.ip);
      released.push(r.ip);
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length > 0) {
    const what = reservations.filter((r) => !released.includes(r.ip)).map((r) => formatIp(r.ip));
    throw new AggregateError(errors, `failed to release ${what.join(', ')}: ${errors.map(String).join('; ')}`);
  }
  return released;
}
