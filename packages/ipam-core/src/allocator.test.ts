import { describe, expect, it } from 'vitest';
import { isCniError } from '@cni-ts/skel';
import { allocate, type Allocation } from './allocator.ts';
import { formatIp, parseIp } from './ip.ts';
import { allocationToIpConfig } from './result.ts';
import { MemoryStore } from './testing/memory-store.ts';
import { rangeSets } from './testing/sets.ts';

const dual = rangeSets([[{ subnet: '10.1.0.0/24' }], [{ subnet: 'fd00::/120' }]]);
const small = rangeSets([[{ subnet: '10.1.0.0/29' }]]); // .2-.6
const owner = (containerId: string, ifName = 'eth0') => ({ containerId, ifName });
const ips = (a: Allocation[]) => a.map((x) => allocationToIpConfig(x).address);

async function failure(p: Promise<unknown>): Promise<{ code: number; msg: string }> {
  try {
    await p;
  } catch (err) {
    if (isCniError(err)) return { code: err.code, msg: err.msg };
    throw err;
  }
  throw new Error('expected a failure');
}

describe('allocate', () => {
  it('takes one address per range set, with the range prefix and gateway', async () => {
    const store = new MemoryStore();
    const got = await allocate(store, { sets: dual, owner: owner('c1') });
    expect(got.map(allocationToIpConfig)).toEqual([
      { address: '10.1.0.2/24', gateway: '10.1.0.1' },
      { address: 'fd00::2/120', gateway: 'fd00::1' },
    ]);
    expect(store.snapshot()).toEqual({ '10.1.0.2': 'c1/eth0', 'fd00::2': 'c1/eth0' });
    expect([...store.last].map(([i, ip]) => [i, formatIp(ip)])).toEqual([[0, '10.1.0.2'], [1, 'fd00::2']]);
  });

  it('goes round-robin: a released address is not handed out again until the range wraps', async () => {
    const store = new MemoryStore();
    const seen: string[] = [];
    for (const id of ['a', 'b', 'c']) seen.push(...ips(await allocate(store, { sets: small, owner: owner(id) })));
    store.records.delete('10.1.0.2');
    for (const id of ['d', 'e', 'f']) seen.push(...ips(await allocate(store, { sets: small, owner: owner(id) })));
    expect(seen).toEqual(['10.1.0.2/29', '10.1.0.3/29', '10.1.0.4/29', '10.1.0.5/29', '10.1.0.6/29', '10.1.0.2/29']);
  });

  it('honours a requested address in its set and allocates the others normally', async () => {
    const store = new MemoryStore();
    const got = await allocate(store, { sets: dual, owner: owner('c1'), requested: [parseIp('fd00::77')!] });
    expect(ips(got)).toEqual(['10.1.0.2/24', 'fd00::77/120']);
  });

  it('skips an address another writer took behind the listing', async () => {
    const store = new MemoryStore();
    store.raceLosses.add('10.1.0.2');
    expect(ips(await allocate(store, { sets: small, owner: owner('c1') }))).toEqual(['10.1.0.3/29']);
    expect(store.snapshot()).toEqual({ '10.1.0.2': 'racer/eth0', '10.1.0.3': 'c1/eth0' });
  });

  it.each([
    {
      name: 'pool exhausted (code 100)',
      initial: { '10.1.0.2': 'x', '10.1.0.3': 'x', '10.1.0.4': 'x', '10.1.0.5': 'x', '10.1.0.6': 'x' },
      requested: [],
      code: 100,
      msg: 'failed to allocate for range 0 (ipam.ranges[0]): no IP addresses available in range set: 10.1.0.1-10.1.0.6',
    },
    {
      name: 'duplicate allocation (code 102)',
      initial: { '10.1.0.4': 'c1' },
      requested: [],
      code: 102,
      msg: 'failed to allocate for range 0 (ipam.ranges[0]): 10.1.0.4 has been allocated to c1, duplicate allocation is not allowed',
    },
    {
      name: 'requested address taken (code 101)',
      initial: { '10.1.0.4': 'other' },
      requested: ['10.1.0.4'],
      code: 101,
      msg: 'failed to allocate for range 0 (ipam.ranges[0]): requested IP address 10.1.0.4 is not available in range set 10.1.0.1-10.1.0.6',
    },
    {
      name: 'requested gateway',
      initial: {},
      requested: ['10.1.0.1'],
      code: 999,
      msg: "failed to allocate for range 0 (ipam.ranges[0]): requested ip 10.1.0.1 is subnet's gateway (ipam.ranges[0][0])",
    },
    {
      name: 'requested address outside every set',
      initial: {},
      requested: ['10.9.0.1'],
      code: 999,
      msg: 'failed to allocate all requested IPs (from args.cni.ips): 10.9.0.1 (each must lie within rangeStart..rangeEnd of a different range set)',
    },
    {
      name: 'two requested addresses in one set',
      initial: {},
      requested: ['10.1.0.3', '10.1.0.4'],
      code: 999,
      msg: 'failed to allocate all requested IPs (from args.cni.ips): 10.1.0.4 (each must lie within rangeStart..rangeEnd of a different range set)',
    },
  ])('$name', async ({ initial, requested, code, msg }) => {
    const store = new MemoryStore(Object.fromEntries(Object.entries(initial).map(([ip, id]) => [ip, { containerId: id, ifName: 'eth0' }])));
    const before = store.snapshot();
    const err = await failure(
      allocate(store, { sets: small, owner: owner('c1'), requested: requested.map((s) => parseIp(s)!), requestedFrom: 'args.cni.ips' }),
    );
    expect(err).toEqual({ code, msg });
    expect(store.snapshot()).toEqual(before); // no partial state, nothing of the owner's released
  });

  it('releases what it reserved when a later set fails, and only that', async () => {
    const store = new MemoryStore({ 'fd00::9': { containerId: 'c1', ifName: 'eth0' } });
    const err = await failure(allocate(store, { sets: dual, owner: owner('c1') }));
    expect(err.code).toBe(102);
    expect(store.snapshot()).toEqual({ 'fd00::9': 'c1/eth0' });
  });

  it('treats a legacy id-only record in the set as a duplicate of that container', async () => {
    const store = new MemoryStore({ '10.1.0.3': { containerId: 'c1' } });
    expect((await failure(allocate(store, { sets: small, owner: owner('c1') }))).code).toBe(102);
  });

  it('passes a lock timeout through untouched (code 11)', async () => {
    const store = new MemoryStore();
    store.lockBusy = true;
    expect(await failure(allocate(store, { sets: small, owner: owner('c1') }))).toEqual({ code: 11, msg: 'timed out waiting for the pool lock' });
  });
});
