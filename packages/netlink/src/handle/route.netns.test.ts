// Route operations against the real kernel: add (exclusive), append, replace, delete, list filters, metrics,
// tables, scope and priority, IPv4 and IPv6.
import ipaddr from 'ipaddr.js';
import { afterEach, describe, expect, test } from 'vitest';
import { isNetlinkError } from '../errors.ts';
import { RT_SCOPE } from '../route/address.ts';
import { ipJson, tempNetns, type TempNetns } from '../testing/index.ts';
import { openHandle, type Handle } from './handle.ts';
import { parsePrefix } from './prefix.ts';

interface IpRoute { dst: string; gateway?: string; dev: string; metric?: number; scope?: string; table?: string; metrics?: Array<Record<string, number>>; nexthops?: unknown[] }
const namespaces: TempNetns[] = [];
afterEach(() => {
  for (const ns of namespaces.splice(0)) ns.remove();
});
const caught = async (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);
const ip4 = (s: string) => ipaddr.parse(s);

/** A namespace with an up veth `v0` carrying 10.1.0.1/24 and fd00::1/64 (nodad). */
async function setup(): Promise<{ ns: TempNetns; h: Handle; oif: number }> {
  const ns = await tempNetns('nlr');
  namespaces.push(ns);
  const h = await openHandle({ netns: ns.path });
  const v = await h.link.add({ kind: 'veth', name: 'v0', peer: { name: 'v1' }, up: true });
  await h.link.setUp({ name: 'v1' });
  await h.address.add({ index: v.index, address: ip4('10.1.0.1'), prefixLen: 24 });
  await h.address.add({ index: v.index, address: ip4('fd00::1'), prefixLen: 64, flags: 0x02 /* IFA_F_NODAD */ });
  return { ns, h, oif: v.index };
}
const routes = (ns: TempNetns, ...args: string[]): IpRoute[] => ipJson<IpRoute[]>(['-n', ns.name, ...args]);

describe('routes', () => {
  test('add with gateway, metric, mtu, advmss; add is exclusive; delete', async () => {
    const { ns, h, oif } = await setup();
    await using _h = h;
    const spec = { dst: parsePrefix('10.2.0.0/16'), gateway: ip4('10.1.0.2'), oif, priority: 10, mtu: 1300, advmss: 1200 };
    await h.route.add(spec);
    expect(routes(ns, 'route', 'show')).toContainEqual(
      expect.objectContaining({ dst: '10.2.0.0/16', gateway: '10.1.0.2', dev: 'v0', metric: 10, metrics: [{ mtu: 1300, advmss: 1200 }] }),
    );
    const [r] = await h.route.list({ dst: spec.dst });
    expect(r).toMatchObject({ family: 4, oif, priority: 10, mtu: 1300, advmss: 1200, table: 254, scope: RT_SCOPE.UNIVERSE });
    expect(r?.gateway?.toString()).toBe('10.1.0.2');
    const dup = await caught(h.route.add(spec));
    expect(isNetlinkError(dup, 'EEXIST')).toBe(true);
    expect(dup).toMatchObject({ op: 'RTM_NEWROUTE', subject: `route 10.2.0.0/16 via 10.1.0.2 dev ifindex ${oif}` });
    await h.route.delete({ dst: spec.dst, gateway: spec.gateway, priority: 10 });
    expect(await h.route.list({ dst: spec.dst })).toEqual([]);
    const missing = await caught(h.route.delete({ dst: spec.dst }));
    expect(missing).toMatchObject({ name: 'NetlinkError', code: 'ESRCH', op: 'RTM_DELROUTE' });
  });

  test('append adds next to an existing route (the reference ConfigureIface semantics); replace overwrites', async () => {
    const { ns, h, oif } = await setup();
    await using _h = h;
    const dst = parsePrefix('10.3.0.0/16');
    await h.route.add({ dst, gateway: ip4('10.1.0.2'), oif });
    await h.route.append({ dst, gateway: ip4('10.1.0.3'), oif });
    expect((await h.route.list({ dst })).map((r) => r.gateway?.toString()).sort()).toEqual(['10.1.0.2', '10.1.0.3']);
    expect(routes(ns, 'route', 'show', '10.3.0.0/16')).toHaveLength(2);
    const same = await caught(h.route.append({ dst, gateway: ip4('10.1.0.3'), oif }));
    expect(isNetlinkError(same, 'EEXIST')).toBe(true);
    await h.route.replace({ dst, gateway: ip4('10.1.0.4'), oif });
    const after = (await h.route.list({ dst })).map((r) => r.gateway?.toString());
    expect(after).toContain('10.1.0.4');
    expect(after).toHaveLength(2); // replace swapped the first of the two
  });

  test('scope link by default without a gateway, explicit scope, tables above 255, default route, list filters', async () => {
    const { ns, h, oif } = await setup();
    await using _h = h;
    await h.route.add({ dst: parsePrefix('10.4.0.0/16'), oif });
    await h.route.add({ dst: parsePrefix('10.5.0.0/16'), oif, scope: RT_SCOPE.UNIVERSE });
    await h.route.add({ dst: parsePrefix('10.6.0.0/16'), oif, table: 1000 });
    await h.route.add({ gateway: ip4('10.1.0.254'), oif });
    expect((await h.route.list({ dst: parsePrefix('10.4.0.0/16') }))[0]?.scope).toBe(RT_SCOPE.LINK);
    expect((await h.route.list({ dst: parsePrefix('10.5.0.0/16') }))[0]?.scope).toBe(RT_SCOPE.UNIVERSE);
    expect(await h.route.list({ dst: parsePrefix('10.6.0.0/16') })).toEqual([]); // not in main
    expect((await h.route.list({ table: 1000 })).map((r) => r.dst?.address.toString())).toEqual(['10.6.0.0']);
    expect(routes(ns, 'route', 'show', 'table', '1000')).toContainEqual(expect.objectContaining({ dst: '10.6.0.0/16' }));
    const defaults = await h.route.list({ dst: 'default', family: 4 });
    expect(defaults).toHaveLength(1);
    expect(defaults[0]?.gateway?.toString()).toBe('10.1.0.254');
    expect((await h.route.list({ gateway: ip4('10.1.0.254') })).length).toBe(1);
    expect((await h.route.list({ table: 'all', family: 4 })).some((r) => r.table === 255)).toBe(true); // local table
    expect((await h.route.list({ oif, family: 4 })).every((r) => r.oif === oif)).toBe(true);
    await h.route.delete({ dst: parsePrefix('10.6.0.0/16'), table: 1000 });
    expect(await h.route.list({ table: 1000 })).toEqual([]);
  });

  test('IPv6 routes: add with metric and mtu, append makes a multipath route, delete', async () => {
    const { ns, h, oif } = await setup();
    await using _h = h;
    const dst = parsePrefix('fd01::/64');
    await h.route.add({ dst, gateway: ip4('fd00::2'), oif, priority: 20, mtu: 1280 });
    const [r] = await h.route.list({ family: 6, dst });
    expect(r).toMatchObject({ family: 6, priority: 20, mtu: 1280, oif });
    expect(routes(ns, '-6', 'route', 'show', 'fd01::/64')).toContainEqual(expect.objectContaining({ gateway: 'fd00::2', metric: 20 }));
    await h.route.append({ dst, gateway: ip4('fd00::3'), oif, priority: 20 });
    const shown = routes(ns, '-6', 'route', 'show', 'fd01::/64');
    expect(shown).toHaveLength(1);
    expect(shown[0]?.nexthops).toHaveLength(2); // the kernel merged them into one ECMP route
    const [merged, ...rest] = await h.route.list({ family: 6, dst });
    expect(rest).toEqual([]);
    expect(merged?.gateway).toBeUndefined();
    expect(merged?.nextHops?.map((n) => [n.gateway?.toString(), n.oif, n.weight])).toEqual([['fd00::2', oif, 1], ['fd00::3', oif, 1]]);
    expect(await h.route.list({ family: 6, gateway: ip4('fd00::3') })).toHaveLength(1); // filters look into next hops
    await h.route.delete({ dst, priority: 20 }); // without a gateway: the whole multipath route
    expect(await h.route.list({ family: 6, dst })).toEqual([]);
  });
});
