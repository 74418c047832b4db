// Golden bytes for route messages captured from the kernel (scripts/capture-kernel.ts).
import { describe, expect, test } from 'vitest';
import { toRoute } from '../handle/route-ops.ts';
import { NLM_F, RTM } from '../message/constants.ts';
import { messageCodec } from '../message/header.ts';
import { fixture } from '../testing/fixture.ts';
import { roundTrip } from '../testing/round-trip.ts';
import { AF } from '../sys/constants.ts';
import { RT_SCOPE } from './address.ts';
import { RT_TABLE, RTN, RTPROT, routeMessageBody } from './route.ts';

const route = messageCodec(routeMessageBody);
const text = (v: { toString(): string } | undefined): string | undefined => v?.toString();

describe('kernel route messages', () => {
  test('IPv4 via a gateway with metric, mtu and advmss (RTA_METRICS)', () => {
    const m = roundTrip(route, fixture('route-ipv4.hex'));
    expect(m.header).toMatchObject({ type: RTM.NEWROUTE, flags: NLM_F.MULTI });
    expect(m.body).toMatchObject({
      family: AF.INET, dstLen: 16, table: RT_TABLE.MAIN, protocol: RTPROT.BOOT, scope: RT_SCOPE.UNIVERSE, type: RTN.UNICAST,
      attrs: { table: RT_TABLE.MAIN, priority: 10, oif: 2, metrics: { mtu: 1300, advmss: 1200 } },
    });
    expect([text(m.body.attrs.dst), text(m.body.attrs.gateway)]).toEqual(['10.2.0.0', '10.1.0.2']);
    const r = toRoute(m.body);
    expect(r).toMatchObject({ family: 4, priority: 10, mtu: 1300, advmss: 1200, table: 254, oif: 2 });
    expect(text(r.dst?.address)).toBe('10.2.0.0');
  });

  test('IPv4 in table 1000: RTA_TABLE carries the id, rtm_table says RT_TABLE_COMPAT', () => {
    const m = roundTrip(route, fixture('route-ipv4-table.hex'));
    expect(m.body).toMatchObject({ table: RT_TABLE.COMPAT, scope: RT_SCOPE.LINK, attrs: { table: 1000 } });
    expect(toRoute(m.body).table).toBe(1000);
  });

  test('IPv4 default route: no RTA_DST', () => {
    const m = roundTrip(route, fixture('route-ipv4-default.hex'));
    expect(m.body.dstLen).toBe(0);
    expect(m.body.attrs.dst).toBeUndefined();
    expect(text(toRoute(m.body).gateway)).toBe('10.1.0.2');
    expect(toRoute(m.body).dst).toBeUndefined();
  });

  test('IPv6 via a gateway with metric and mtu', () => {
    const m = roundTrip(route, fixture('route-ipv6.hex'));
    expect(m.body).toMatchObject({ family: AF.INET6, dstLen: 64, attrs: { priority: 20, metrics: { mtu: 1280 }, oif: 2 } });
    expect([text(m.body.attrs.dst), text(m.body.attrs.gateway)]).toEqual(['fd01::', 'fd00::2']);
    expect(m.body.attrs.cacheInfo).toBeInstanceOf(Uint8Array); // struct rta_cacheinfo, kept raw
  });

  test('IPv6 multipath (RTA_MULTIPATH: struct rtnexthop + RTA_GATEWAY per path), decoded into next hops', () => {
    const m = roundTrip(route, fixture('route-ipv6-multipath.hex'));
    expect(m.body.attrs.gateway).toBeUndefined();
    expect(m.body.attrs.multipath).toBeInstanceOf(Uint8Array);
    const r = toRoute(m.body);
    expect(text(r.dst?.address)).toBe('fd02::');
    expect(r.nextHops?.map((h) => [text(h.gateway), h.oif, h.weight])).toEqual([['fd00::2', 2, 1], ['fd00::3', 2, 1]]);
  });
});
