import { describe, expect, it } from 'vitest';
import { formatIp } from './ip.ts';
import { releaseAllExcept, releaseOwner } from './release.ts';
import { MemoryStore } from './testing/memory-store.ts';

const pool = () =>
  new MemoryStore({
    '10.1.0.2': { containerId: 'a', ifName: 'eth0' },
    '10.1.0.3': { containerId: 'a', ifName: 'eth1' },
    '10.1.0.4': { containerId: 'b', ifName: 'eth0' },
    '10.1.0.5': { containerId: 'legacy' },
    '10.1.0.6': undefined, // an empty record left by a crashed writer
    'fd00::2': { containerId: 'a', ifName: 'eth0' },
  });

describe('releaseOwner (DEL)', () => {
  it('releases every address of (id, ifname) in every family', async () => {
    const store = pool();
    expect((await releaseOwner(store, { containerId: 'a', ifName: 'eth0' })).map(formatIp).sort()).toEqual(['10.1.0.2', 'fd00::2']);
    expect(Object.keys(store.snapshot())).toEqual(['10.1.0.3', '10.1.0.4', '10.1.0.5', '10.1.0.6']);
  });

  it('falls back to legacy id-only records, whatever the ifname', async () => {
    const store = pool();
    expect((await releaseOwner(store, { containerId: 'legacy', ifName: 'eth7' })).map(formatIp)).toEqual(['10.1.0.5']);
  });

  it('is a no-op for an owner with nothing reserved, and safe to repeat', async () => {
    const store = pool();
    expect(await releaseOwner(store, { containerId: 'zzz', ifName: 'eth0' })).toEqual([]);
    await releaseOwner(store, { containerId: 'b', ifName: 'eth0' });
    expect(await releaseOwner(store, { containerId: 'b', ifName: 'eth0' })).toEqual([]);
  });
});

describe('releaseAllExcept (GC)', () => {
  it.each([
    { name: 'keeps valid attachments, legacy records by id; drops the rest and empty records',
      valid: [{ containerId: 'a', ifName: 'eth0' }, { containerId: 'legacy', ifName: 'eth0' }],
      kept: ['10.1.0.2', '10.1.0.5', 'fd00::2'] },
    { name: 'an empty list means nothing is valid', valid: [], kept: [] },
    { name: 'ifname matters for exact records', valid: [{ containerId: 'a', ifName: 'eth1' }], kept: ['10.1.0.3'] },
  ])('$name', async ({ valid, kept }) => {
    const store = pool();
    await releaseAllExcept(store, valid);
    expect(Object.keys(store.snapshot())).toEqual(kept);
  });

  it('attempts every release and reports all failures together', async () => {
    const store = pool();
    const release = store.release.bind(store);
    store.release = async (ip) => {
      if (formatIp(ip) === '10.1.0.3' || formatIp(ip) === '10.1.0.4') throw new Error(`EIO ${formatIp(ip)}`);
      return release(ip);
    };
    const err = await releaseAllExcept(store, []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AggregateError);
    expect((err as AggregateError).message).toBe('failed to release 10.1.0.3, 10.1.0.4: Error: EIO 10.1.0.3; Error: EIO 10.1.0.4');
    expect(Object.keys(store.snapshot())).toEqual(['10.1.0.3', '10.1.0.4']);
  });
});
