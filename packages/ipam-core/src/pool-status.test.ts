import { describe, expect, it } from 'vitest';
import { formatIp } from './ip.ts';
import { addressesOf, exhaustedRangeSets } from './pool-status.ts';
import { MemoryStore } from './testing/memory-store.ts';
import { rangeSets } from './testing/sets.ts';

const sets = rangeSets([[{ subnet: '10.1.0.0/30' }], [{ subnet: 'fd00::/126' }]]); // one usable v4 (.2), two v6 (::2, ::3)
const held = (containerId: string) => ({ containerId, ifName: 'eth0' });

describe('exhaustedRangeSets (STATUS)', () => {
  it.each([
    [{}, []],
    [{ '10.1.0.2': held('a') }, ['ipam.ranges[0]']],
    [{ '10.1.0.2': held('a'), 'fd00::2': held('a'), 'fd00::3': undefined }, ['ipam.ranges[0]', 'ipam.ranges[1]']],
    [{ 'fd00::2': held('a') }, []],
  ])('%j → %j', async (records, exhausted) => {
    const got = await exhaustedRangeSets(new MemoryStore(records), sets);
    expect(got.map((s) => s.path)).toEqual(exhausted);
  });
});

describe('addressesOf (CHECK)', () => {
  it('lists the exact records, else the legacy ones', async () => {
    const store = new MemoryStore({ '10.1.0.2': held('a'), 'fd00::2': held('a'), 'fd00::3': { containerId: 'b' } });
    expect((await addressesOf(store, held('a'))).map(formatIp)).toEqual(['10.1.0.2', 'fd00::2']);
    expect((await addressesOf(store, held('b'))).map(formatIp)).toEqual(['fd00::3']);
    expect(await addressesOf(store, held('c'))).toEqual([]);
  });
});
