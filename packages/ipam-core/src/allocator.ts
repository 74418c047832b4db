// ADD: one address from each range set, requested addresses first, all under the store's exclusive access.
// On any failure the addresses reserved by this call are released again, and only those: addresses the attachment
// held before stay where they were (the reference releases everything of the attachment, including those).
import { CniError } from '@cni-ts/skel';
import { IpamErrorCode, invalidIpamConfig } from './errors.ts';
import { IpSet } from './ip-set.ts';
import { formatIp, type Ip, ipEquals } from './ip.ts';
import { reservationsOf } from './ownership.ts';
import { lastAddress } from './cidr.ts';
import type { Range } from './range.ts';
import { formatRangeSet, rangeOf, rangeSetContains, type RangeSet } from './range-set.ts';
import { firstFree } from './round-robin.ts';
import type { Owner, Store } from './store.ts';

export interface Allocation {
  readonly ip: Ip;
  /** The range the address came from: its subnet gives the prefix, its gateway the gateway. */
  readonly range: Range;
  readonly rangeSetIndex: number;
}

export interface AllocateRequest {
  readonly sets: readonly RangeSet[];
  readonly owner: Owner;
  /** Addresses asked for (already chosen by precedence); each must fall in one of the sets. */
  readonly requested?: readonly Ip[];
  /** Where `requested` came from, for messages (e.g. `args.cni.ips`). */
  readonly requestedFrom?: string;
}

export async function allocate(store: Store, req: AllocateRequest): Promise<Allocation[]> {
  const requestedBySet = assignRequested(req);
  return store.exclusive(async () => {
    const reservations = await store.list();
    const taken = new IpSet(reservations.map((r) => r.ip));
    const owned = reservationsOf(reservations, req.owner).map((r) => r.ip);
    const done: Allocation[] = [];
    try {
      for (const [index, set] of req.sets.entries()) {
        const requested = requestedBySet.get(index);
        const allocation = requested
          ? await reserveRequested(store, { set, index, ip: requested, owner: req.owner })
          : await reserveNext(store, { set, index, taken, owned, owner: req.owner });
        taken.add(allocation.ip);
        done.push(allocation);
      }
      return done;
    } catch (err) {
      await releaseQuietly(store, done.map((a) => a.ip));
      throw err;
    }
  });
}

/** Matches each requested address to the set that contains it; one that fits no set fails before anything is reserved. */
function assignRequested(req: AllocateRequest): Map<number, Ip> {
  const bySet = new Map<number, Ip>();
  const unmatched: Ip[] = [];
  for (const ip of req.requested ?? []) {
    const index = req.sets.findIndex((s) => rangeSetContains(s, ip));
    if (index < 0 || bySet.has(index)) unmatched.push(ip);
    else bySet.set(index, ip);
  }
  if (unmatched.length > 0) {
    const from = req.requestedFrom ? ` (from ${req.requestedFrom})` : '';
    throw invalidIpamConfig(
      `failed to allocate all requested IPs${from}: ${unmatched.map(formatIp).join(' ')} ` +
        `(each must lie within rangeStart..rangeEnd of a different range set)`,
    );
  }
  return bySet;
}

function wrap(index: number, set: RangeSet, err: CniError): CniError {
  return new CniError(err.code, `failed to allocate for range ${index} (${set.path}): ${err.msg}`, err.details);
}

async function reserveRequested(
  store: Store,
  p: { set: RangeSet; index: number; ip: Ip; owner: Owner },
): Promise<Allocation> {
  const range = rangeOf(p.set, p.ip) as Range; // assignRequested matched it
  const text = formatIp(p.ip);
  if (ipEquals(p.ip, range.gateway)) {
    throw wrap(p.index, p.set, invalidIpamConfig(`requested ip ${text} is subnet's gateway (${range.path})`));
  }
  if (ipEquals(p.ip, range.subnet.ip) || (p.ip.family === 4 && ipEquals(p.ip, lastAddress(range.subnet)))) {
    throw wrap(p.index, p.set, invalidIpamConfig(`requested ip ${text} is the network or broadcast address of ${range.path}`));
  }
  if (!(await store.reserve(p.ip, p.owner, p.index))) {
    const msg = `requested IP address ${text} is not available in range set ${formatRangeSet(p.set)}`;
    throw wrap(p.index, p.set, new CniError(IpamErrorCode.AddressUnavailable, msg));
  }
  return { ip: p.ip, range, rangeSetIndex: p.index };
}

async function reserveNext(
  store: Store,
  p: { set: RangeSet; index: number; taken: IpSet; owned: readonly Ip[]; owner: Owner },
): Promise<Allocation> {
  const duplicate = p.owned.find((ip) => rangeSetContains(p.set, ip));
  if (duplicate) {
    const msg = `${formatIp(duplicate)} has been allocated to ${p.owner.containerId}, duplicate allocation is not allowed`;
    throw wrap(p.index, p.set, new CniError(IpamErrorCode.DuplicateAllocation, msg));
  }
  let last = await store.lastReserved(p.index);
  // Another writer may hold an address without our listing showing it (a racing process that ignores the lock);
  // a failed reserve just moves on to the next candidate.
  for (;;) {
    const candidate = firstFree(p.set, p.taken, last);
    if (!candidate) {
      const msg = `no IP addresses available in range set: ${formatRangeSet(p.set)}`;
      throw wrap(p.index, p.set, new CniError(IpamErrorCode.PoolExhausted, msg));
    }
    if (await store.reserve(candidate.ip, p.owner, p.index)) {
      return { ip: candidate.ip, range: candidate.range, rangeSetIndex: p.index };
    }
    p.taken.add(candidate.ip);
    last = candidate.ip;
  }
}

async function releaseQuietly(store: Store, ips: readonly Ip[]): Promise<void> {
  for (const ip of ips) {
    // Best effort: the allocation error is what the caller must see; a leftover is reclaimed by DEL or GC.
    await store.release(ip).catch(() => undefined);
  }
}
