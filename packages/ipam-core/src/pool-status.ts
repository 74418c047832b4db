// STATUS and CHECK need to read the pool, not change it: no exclusive access, so they never wait on a busy lock.
import { IpSet } from './ip-set.ts';
import type { Ip } from './ip.ts';
import { reservationsOf } from './ownership.ts';
import { firstFree } from './round-robin.ts';
import type { RangeSet } from './range-set.ts';
import type { Owner, Store } from './store.ts';

/** The range sets in which no address is free (ADD needs one address from every set). */
export async function exhaustedRangeSets(store: Store, sets: readonly RangeSet[]): Promise<RangeSet[]> {
  const taken = new IpSet((await store.list()).map((r) => r.ip));
  return sets.filter((set) => firstFree(set, taken) === undefined);
}

/** The addresses currently reserved for `owner`. */
export async function addressesOf(store: Store, owner: Owner): Promise<Ip[]> {
  return reservationsOf(await store.list(), owner).map((r) => r.ip);
}
