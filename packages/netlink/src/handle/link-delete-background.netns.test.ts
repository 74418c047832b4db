// link.deleteInBackground against the real kernel: the deletion runs on a worker thread while the event loop
// keeps going, `unlisted` comes before `done` for a veth, and failures reach both promises.
import ipaddr from 'ipaddr.js';
import { afterEach, describe, expect, test } from 'vitest';
import { isNetlinkError } from '../errors.ts';
import { ip, tempNetns, type TempNetns } from '../testing/index.ts';
import { openHandle } from './handle.ts';

const namespaces: TempNetns[] = [];
afterEach(() => {
  for (const ns of namespaces.splice(0)) ns.remove();
});
async function netns(): Promise<TempNetns> {
  const ns = await tempNetns('nlb');
  namespaces.push(ns);
  return ns;
}
const caught = async (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);

describe('link.deleteInBackground', () => {
  test('a veth pair across two namespaces: unlisted, then done; both ends are gone; the loop ran meanwhile', async () => {
    const a = await netns();
    const b = await netns();
    await using host = await openHandle({ netns: a.path });
    await using container = await openHandle({ netns: b.path });
    await container.link.add({ kind: 'veth', name: 'eth0', peer: { name: 'vh0', netns: host } });
    await container.link.setUp({ name: 'eth0' });
    await container.address.add({ index: (await container.link.get({ name: 'eth0' })).index, address: ipaddr.parse('10.9.8.2'), prefixLen: 24 });

    const order: string[] = [];
    const ticks = setInterval(() => order.push('tick'), 0);
    const { unlisted, done } = container.link.deleteInBackground({ name: 'eth0' });
    const u = unlisted.then(() => order.push('unlisted'));
    const d = done.then(() => order.push('done'));
    await Promise.all([u, d]);
    clearInterval(ticks);

    expect(order.indexOf('unlisted')).toBeLessThan(order.indexOf('done'));
    expect(order.filter((o) => o === 'tick').length).toBeGreaterThan(0); // the event loop was not blocked
    expect(await container.link.find({ name: 'eth0' })).toBeUndefined();
    expect(await host.link.find({ name: 'vh0' })).toBeUndefined();
    expect(ip(['-n', b.name, '-o', 'addr', 'show'])).not.toContain('10.9.8.2');
  });

  test('a missing link: both promises reject with ENODEV', async () => {
    const a = await netns();
    await using h = await openHandle({ netns: a.path });
    const lo = await h.link.get({ name: 'lo' });
    const { unlisted, done } = h.link.deleteInBackground({ index: lo.index + 1000 });
    const errU = await caught(unlisted);
    const errD = await caught(done);
    expect(isNetlinkError(errU, 'ENODEV')).toBe(true);
    expect(errD).toBe(errU);
  });

  test('by name, a link that does not exist: throws right away (it is looked up first)', async () => {
    const a = await netns();
    await using h = await openHandle({ netns: a.path });
    expect(() => h.link.deleteInBackground({ name: 'nope' })).toThrow(/ENODEV|No such device/);
  });
});
