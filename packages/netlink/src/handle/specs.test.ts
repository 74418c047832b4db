// What each operation puts on the wire, checked against a fake transport (no kernel): verb flags and the
// iproute2-style defaults documented in the README.
import ipaddr from 'ipaddr.js';
import { describe, expect, test } from 'vitest';
import { NLM_F, RTM } from '../message/constants.ts';
import { frames } from '../message/header.ts';
import { addressMessageBody } from '../route/address.ts';
import { IFF, linkMessageBody } from '../route/link.ts';
import { NUD, neighbourMessageBody } from '../route/neighbour.ts';
import { RT_TABLE, RTN, RTPROT, routeMessageBody } from '../route/route.ts';
import { ackFor, datagram, doneFor, FakeTransport, fakeHandle, reply, type SentRequest } from '../testing/fake-transport.ts';
import type { Codec } from '../codec/codec.ts';
import { parsePrefix } from './prefix.ts';

/** Acks every request; answers an RTM_GETADDR dump with the last RTM_NEWADDR it saw, as the kernel would list it. */
function kernel(): FakeTransport {
  let lastAddress: Uint8Array | undefined;
  return new FakeTransport((req) => {
    if (req.header.type === RTM.NEWADDR) lastAddress = req.bytes.subarray(16);
    if (req.header.type === RTM.GETADDR) {
      const listed = lastAddress ? [reply({ type: RTM.NEWADDR, flags: NLM_F.MULTI, seq: req.header.seq }, (w) => w.bytes(lastAddress!))] : [];
      return [datagram(...listed, doneFor(req))];
    }
    return [ackFor(req)];
  });
}
const body = <T>(codec: Codec<T>, req: SentRequest | undefined): T => codec.decode([...frames(req!.bytes)][0]!.payload);
const last = (t: FakeTransport, type: number): SentRequest | undefined => t.sent.filter((r) => r.header.type === type).at(-1);

describe('routes', () => {
  test('add: CREATE|EXCL, main table, protocol boot, unicast, scope link without a gateway', async () => {
    const t = kernel();
    using h = fakeHandle(t);
    await h.route.add({ dst: parsePrefix('10.4.0.0/16'), oif: 3 });
    const req = last(t, RTM.NEWROUTE)!;
    expect(req.header.flags).toBe(NLM_F.REQUEST | NLM_F.ACK | NLM_F.CREATE | NLM_F.EXCL);
    expect(body(routeMessageBody, req)).toMatchObject({ family: 2, dstLen: 16, table: RT_TABLE.MAIN, protocol: RTPROT.BOOT, type: RTN.UNICAST, scope: 253, attrs: { oif: 3 } });
  });

  test('with a gateway the scope is universe; append and replace pick their flags; tables > 255 go in RTA_TABLE', async () => {
    const t = kernel();
    using h = fakeHandle(t);
    await h.route.append({ dst: parsePrefix('10.4.0.0/16'), gateway: ipaddr.parse('10.1.0.1'), table: 1000 });
    const appended = last(t, RTM.NEWROUTE)!;
    expect(appended.header.flags).toBe(NLM_F.REQUEST | NLM_F.ACK | NLM_F.CREATE | NLM_F.APPEND);
    expect(body(routeMessageBody, appended)).toMatchObject({ scope: 0, table: RT_TABLE.UNSPEC, attrs: { table: 1000 } });
    await h.route.replace({ gateway: ipaddr.parse('fd00::1'), mtu: 1400, advmss: 1360, priority: 5 });
    const replaced = last(t, RTM.NEWROUTE)!;
    expect(replaced.header.flags).toBe(NLM_F.REQUEST | NLM_F.ACK | NLM_F.CREATE | NLM_F.REPLACE);
    expect(body(routeMessageBody, replaced)).toMatchObject({ family: 10, dstLen: 0, attrs: { priority: 5, metrics: { mtu: 1400, advmss: 1360 } } });
  });

  test('delete matches any scope, protocol and type unless given; a default route needs a family', async () => {
    const t = kernel();
    using h = fakeHandle(t);
    await h.route.delete({ dst: parsePrefix('10.4.0.0/16') });
    expect(body(routeMessageBody, last(t, RTM.DELROUTE))).toMatchObject({ scope: 255, protocol: 0, type: 0 });
    await expect(h.route.add({ oif: 1 })).rejects.toThrow('route: a default route needs `family` or `gateway`');
    await h.route.add({ family: 6, oif: 1, type: RTN.BLACKHOLE });
    expect(body(routeMessageBody, last(t, RTM.NEWROUTE))).toMatchObject({ family: 10, type: RTN.BLACKHOLE });
  });
});

describe('addresses', () => {
  test('IFA_LOCAL and IFA_ADDRESS like iproute2; broadcast only when asked, "auto" as `brd +`', async () => {
    const t = kernel();
    using h = fakeHandle(t);
    const plain = await h.address.add({ index: 2, address: ipaddr.parse('10.1.0.5'), prefixLen: 24 });
    expect(plain.broadcast).toBeUndefined();
    const sent = body(addressMessageBody, last(t, RTM.NEWADDR));
    expect([sent.attrs.local?.toString(), sent.attrs.address?.toString()]).toEqual(['10.1.0.5', '10.1.0.5']);
    expect(last(t, RTM.NEWADDR)?.header.flags).toBe(NLM_F.REQUEST | NLM_F.ACK | NLM_F.CREATE | NLM_F.EXCL);
    const auto = await h.address.add({ index: 2, address: ipaddr.parse('10.1.0.5'), prefixLen: 24, broadcast: 'auto' });
    expect(auto.broadcast?.toString()).toBe('10.1.0.255');
    const p2p = await h.address.add({ index: 2, address: ipaddr.parse('10.1.0.5'), prefixLen: 31, broadcast: 'auto' });
    expect(p2p.broadcast).toBeUndefined();
  });

  test('flags above 8 bits travel in IFA_FLAGS; replace uses CREATE|REPLACE', async () => {
    const t = kernel();
    using h = fakeHandle(t);
    await h.address.replace({ index: 2, address: ipaddr.parse('fd00::5'), prefixLen: 64, flags: 0x200 | 0x02 });
    const req = last(t, RTM.NEWADDR)!;
    expect(req.header.flags).toBe(NLM_F.REQUEST | NLM_F.ACK | NLM_F.CREATE | NLM_F.REPLACE);
    expect(body(addressMessageBody, req)).toMatchObject({ family: 10, flags: 0x02, attrs: { flags: 0x202 } });
  });
});

describe('links and neighbours', () => {
  test('set: flags/change pairs for up, down and promisc; nomaster is IFLA_MASTER 0; by name without an index', async () => {
    const t = kernel();
    using h = fakeHandle(t);
    await h.link.set({ name: 'eth0' }, { up: true, promisc: true });
    expect(body(linkMessageBody, last(t, RTM.SETLINK))).toMatchObject({
      index: 0, flags: IFF.UP | IFF.PROMISC, change: IFF.UP | IFF.PROMISC, attrs: { ifName: 'eth0' },
    });
    await h.link.setDown({ index: 7 });
    expect(body(linkMessageBody, last(t, RTM.SETLINK))).toMatchObject({ index: 7, flags: 0, change: IFF.UP });
    await h.link.set({ index: 7 }, { masterIndex: null });
    expect(body(linkMessageBody, last(t, RTM.SETLINK)).attrs).toEqual({ master: 0 });
  });

  test('neighbour add defaults to NUD_PERMANENT with CREATE|EXCL', async () => {
    const t = kernel();
    using h = fakeHandle(t);
    await h.neighbour.add({ index: 2, address: ipaddr.parse('10.1.0.9'), lladdr: '02:00:00:00:00:09' });
    const req = last(t, RTM.NEWNEIGH)!;
    expect(req.header.flags).toBe(NLM_F.REQUEST | NLM_F.ACK | NLM_F.CREATE | NLM_F.EXCL);
    expect(body(neighbourMessageBody, req)).toMatchObject({ family: 2, index: 2, state: NUD.PERMANENT, attrs: { lladdr: '02:00:00:00:00:09' } });
  });

  test('closing a handle closes its transport', () => {
    const t = kernel();
    const h = fakeHandle(t);
    h.close();
    expect(t.closed).toBe(true);
  });
});
