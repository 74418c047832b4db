// Address operations against the real kernel, including tentative and DAD-failed IPv6 addresses.
import ipaddr from 'ipaddr.js';
import { afterEach, describe, expect, test } from 'vitest';
import { isNetlinkError } from '../errors.ts';
import { IFA_F, RT_SCOPE } from '../route/address.ts';
import { ipJson, tempNetns, type TempNetns } from '../testing/index.ts';
import { openHandle, type Handle } from './handle.ts';

interface IpAddrInfo { family: string; local: string; prefixlen: number; broadcast?: string; label?: string; scope: string; tentative?: boolean; dadfailed?: boolean; nodad?: boolean }
const namespaces: TempNetns[] = [];
afterEach(() => {
  for (const ns of namespaces.splice(0)) ns.remove();
});
async function netns(): Promise<TempNetns> {
  const ns = await tempNetns('nla');
  namespaces.push(ns);
  return ns;
}
const addrs = (ns: TempNetns, dev: string): IpAddrInfo[] =>
  ipJson<Array<{ addr_info: IpAddrInfo[] }>>(['-n', ns.name, 'addr', 'show', 'dev', dev])[0]!.addr_info;
const caught = async (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);

/** Two namespaces joined by a veth pair, both ends up: `a0` in a, `b0` in b. */
async function pair(): Promise<{ a: TempNetns; b: TempNetns; ha: Handle; hb: Handle; a0: number; b0: number }> {
  const [a, b] = [await netns(), await netns()];
  const ha = await openHandle({ netns: a.path });
  const hb = await openHandle({ netns: b.path });
  const a0 = await ha.link.add({ kind: 'veth', name: 'a0', up: true, peer: { name: 'b0', netns: hb } });
  const b0 = await hb.link.get({ name: 'b0' });
  await hb.link.setUp({ index: b0.index });
  return { a, b, ha, hb, a0: a0.index, b0: b0.index };
}

describe('addresses', () => {
  test('IPv4 add with broadcast, label and scope; list; replace; delete', async () => {
    const a = await netns();
    await using h = await openHandle({ netns: a.path });
    const br = await h.link.add({ kind: 'bridge', name: 'br0' });
    const added = await h.address.add({ index: br.index, address: ipaddr.parse('10.22.0.1'), prefixLen: 24, broadcast: 'auto', label: 'br0:gw' });
    expect(added).toMatchObject({ family: 4, index: br.index, prefixLen: 24, label: 'br0:gw', permanent: true, tentative: false });
    expect(added.broadcast?.toString()).toBe('10.22.0.255');
    expect(addrs(a, 'br0')).toContainEqual(expect.objectContaining({ local: '10.22.0.1', prefixlen: 24, broadcast: '10.22.0.255', label: 'br0:gw' }));

    await h.address.add({ index: br.index, address: ipaddr.parse('10.23.0.1'), prefixLen: 16, scope: RT_SCOPE.LINK });
    expect(addrs(a, 'br0')).toContainEqual(expect.objectContaining({ local: '10.23.0.1', scope: 'link' }));
    expect((await h.address.list({ index: br.index, family: 4 })).map((x) => x.address.toString()).sort()).toEqual(['10.22.0.1', '10.23.0.1']);
    expect((await h.address.list({ family: 6, index: br.index })).every((x) => x.family === 6)).toBe(true);

    const dup = await caught(h.address.add({ index: br.index, address: ipaddr.parse('10.22.0.1'), prefixLen: 24 }));
    expect(isNetlinkError(dup, 'EEXIST')).toBe(true);
    expect(dup).toMatchObject({ op: 'RTM_NEWADDR', subject: `address 10.22.0.1/24 on ifindex ${br.index}` });
    const replaced = await h.address.replace({ index: br.index, address: ipaddr.parse('10.22.0.1'), prefixLen: 24, validLifetime: 3600, preferredLifetime: 1800 });
    expect(replaced).toMatchObject({ validLifetime: expect.any(Number), preferredLifetime: expect.any(Number), permanent: false });
    expect(replaced.validLifetime).toBeLessThanOrEqual(3600);

    await h.address.delete({ index: br.index, address: ipaddr.parse('10.22.0.1'), prefixLen: 24 });
    expect(addrs(a, 'br0').map((x) => x.local)).not.toContain('10.22.0.1');
    const gone = await caught(h.address.delete({ index: br.index, address: ipaddr.parse('10.22.0.1'), prefixLen: 24 }));
    expect(gone).toMatchObject({ name: 'NetlinkError', code: 'EADDRNOTAVAIL', op: 'RTM_DELADDR' });
  });

  test('IPv6: tentative right after add, settled after waitForDad (no sleeping)', async () => {
    const { b, ha, hb, b0 } = await pair();
    await using _a = ha;
    await using _b = hb;
    const added = await hb.address.add({ index: b0, address: ipaddr.parse('fd00::2'), prefixLen: 64 });
    expect(added).toMatchObject({ family: 6, tentative: true, dadFailed: false });
    expect(added.flags & IFA_F.TENTATIVE).toBe(IFA_F.TENTATIVE);
    const t0 = Date.now();
    const settled = await hb.address.waitForDad({ index: b0, timeoutMs: 10_000 });
    const mine = settled.find((x) => x.address.toString() === 'fd00::2');
    expect(mine).toMatchObject({ tentative: false, dadFailed: false });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(addrs(b, 'b0').find((x) => x.local === 'fd00::2')?.tentative).toBeUndefined();
  });

  test('IPv6 nodad is never tentative; a duplicate address ends DAD-failed', async () => {
    const { b, ha, hb, a0, b0 } = await pair();
    await using _a = ha;
    await using _b = hb;
    const nodad = await ha.address.add({ index: a0, address: ipaddr.parse('fd00::5'), prefixLen: 64, flags: IFA_F.NODAD });
    expect(nodad).toMatchObject({ tentative: false });
    expect(nodad.flags & IFA_F.NODAD).toBe(IFA_F.NODAD);
    await hb.address.add({ index: b0, address: ipaddr.parse('fd00::5'), prefixLen: 64 });
    const settled = await hb.address.waitForDad({ index: b0, timeoutMs: 10_000 });
    expect(settled.find((x) => x.address.toString() === 'fd00::5')).toMatchObject({ dadFailed: true });
    expect(addrs(b, 'b0').find((x) => x.local === 'fd00::5')).toMatchObject({ dadfailed: true });
  });

  test('waitForDad times out with WaitTimeoutError while DAD cannot finish (link down)', async () => {
    const a = await netns();
    await using h = await openHandle({ netns: a.path });
    const v = await h.link.add({ kind: 'veth', name: 'v0', peer: { name: 'v1' } });
    await h.link.setUp({ index: v.index }); // peer down: no carrier, DAD stays pending
    await h.address.add({ index: v.index, address: ipaddr.parse('fd00::7'), prefixLen: 64 });
    const err = await caught(h.address.waitForDad({ index: v.index, timeoutMs: 200 }));
    expect(err).toMatchObject({ name: 'WaitTimeoutError', timeoutMs: 200 });
  });
});
