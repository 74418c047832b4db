// Golden bytes for link messages: kernel dump replies (scripts/capture-kernel.ts) decode to the expected model and
// re-encode to the same bytes; iproute2's requests for the same commands (scripts/capture-iproute2.mjs) decode to
// exactly the model our builders produce.
import { describe, expect, test } from 'vitest';
import { NLM_F, RTM } from '../message/constants.ts';
import { messageCodec } from '../message/header.ts';
import { Writer } from '../codec/writer.ts';
import { linkSpecMessage } from '../handle/link-spec.ts';
import { toLink } from '../handle/link-view.ts';
import { roundTrip } from '../testing/round-trip.ts';
import { fixture, hex } from '../testing/fixture.ts';
import { ARPHRD, IFF, IF_OPER, linkMessageBody, type LinkMessage } from './link.ts';

const link = messageCodec(linkMessageBody);
const dumpReply = { type: RTM.NEWLINK, flags: NLM_F.MULTI };

describe('kernel link messages', () => {
  test('lo: no IFLA_LINKINFO, loopback type', () => {
    const m = roundTrip(link, fixture('link-lo.hex'));
    expect(m.header).toMatchObject(dumpReply);
    expect(m.body).toMatchObject({
      family: 0,
      linkType: ARPHRD.LOOPBACK,
      index: 1,
      attrs: { ifName: 'lo', mtu: 65536, txQueueLen: 1000, address: '00:00:00:00:00:00', qdisc: 'noqueue' },
    });
    expect(m.body.flags & IFF.LOOPBACK).toBeTruthy();
    expect(m.body.attrs.linkInfo).toBeUndefined();
    expect(m.body.attrs.unknown?.length).toBeGreaterThan(10); // stats, af_spec, ... kept raw and re-emitted
    expect(toLink(m.body)).toMatchObject({ name: 'lo', index: 1, up: true, operState: 'unknown' });
    expect(toLink(m.body).kind).toBeUndefined();
  });

  test('bridge: kind and IFLA_INFO_DATA (IFLA_BR_*)', () => {
    const m = roundTrip(link, fixture('link-bridge.hex'));
    expect(m.body).toMatchObject({
      linkType: ARPHRD.ETHER,
      attrs: {
        ifName: 'br0',
        mtu: 1500,
        operState: IF_OPER.UP,
        address: '02:00:00:00:00:aa',
        linkInfo: {
          kind: 'bridge',
          bridge: { forwardDelay: 1500, helloTime: 200, maxAge: 2000, ageingTime: 30000, stpState: 0, priority: 32768, vlanFiltering: false, groupAddr: '01:80:c2:00:00:00', mcastSnooping: true },
        },
      },
    });
    expect(toLink(m.body)).toMatchObject({ name: 'br0', kind: 'bridge', operState: 'up', up: true, bridge: { vlanFiltering: false } });
  });

  test('veth bridge port: master, hairpin and isolated in IFLA_INFO_SLAVE_DATA, peer in another namespace', () => {
    const m = roundTrip(link, fixture('link-veth-bridge-port.hex'));
    expect(m.body.attrs).toMatchObject({
      ifName: 'vh',
      master: 2,
      link: 2,
      linkNetnsId: 0,
      linkInfo: { kind: 'veth', slaveKind: 'bridge', bridgePort: { hairpin: true, isolated: true, learning: true, state: 3 } },
    });
    expect(toLink(m.body)).toMatchObject({ kind: 'veth', masterIndex: 2, linkIndex: 2, linkNetnsId: 0, bridgePort: { hairpin: true, isolated: true } });
  });

  test('veth created as a peer in this namespace: IFLA_LINK and IFLA_LINK_NETNSID, the requested MAC', () => {
    const m = roundTrip(link, fixture('link-veth-peer.hex'));
    expect(m.body.attrs).toMatchObject({ ifName: 'eth0', address: '02:00:00:00:00:01', link: 3, linkNetnsId: 0, linkInfo: { kind: 'veth' } });
  });
});

describe('requests, byte-compatible with iproute2', () => {
  const request = (name: string): LinkMessage => {
    const m = roundTrip(link, fixture(name));
    expect(m.header.flags & NLM_F.REQUEST).toBeTruthy();
    return m.body;
  };

  test('ip link add link veth0 name v10 type vlan id 10', () => {
    const m = roundTrip(link, fixture('request-newlink-vlan.hex'));
    expect(m.header).toMatchObject({ type: RTM.NEWLINK, flags: NLM_F.REQUEST | NLM_F.ACK | NLM_F.CREATE | NLM_F.EXCL });
    expect(linkSpecMessage({ kind: 'vlan', name: 'v10', parentIndex: 4, vlanId: 10 })).toEqual(m.body);
  });

  test('ip link add link veth0 name v20 type vlan protocol 802.1ad id 20', () => {
    const theirs = request('request-newlink-vlan-8021ad.hex');
    expect(theirs.attrs.linkInfo?.vlan).toEqual({ protocol: 0x88a8, id: 20 });
    expect(linkSpecMessage({ kind: 'vlan', name: 'v20', parentIndex: 4, vlanId: 20, protocol: '802.1ad' })).toEqual(theirs);
  });

  test('ip link add d0 type dummy', () => {
    expect(linkSpecMessage({ kind: 'dummy', name: 'd0' })).toEqual(request('request-newlink-dummy.hex'));
  });

  test('ip link add br1 mtu 1400 type bridge vlan_filtering 1', () => {
    const theirs = request('request-newlink-bridge-vlan-filtering.hex');
    expect(linkSpecMessage({ kind: 'bridge', name: 'br1', mtu: 1400, vlanFiltering: true })).toEqual(theirs);
  });

  test('ip link add vh type veth peer name eth0 address 02:00:00:00:00:01 netns NS (IFLA_NET_NS_FD in VETH_INFO_PEER)', () => {
    const theirs = request('request-newlink-veth-peer-netns.hex');
    const fd = theirs.attrs.linkInfo?.veth?.peer?.attrs.netnsFd;
    expect(fd).toBeTypeOf('number'); // iproute2's fd number for the namespace
    const ours = linkSpecMessage({ kind: 'veth', name: 'vh', peer: { name: 'eth0', mac: '02:00:00:00:00:01', netns: { nsFd: fd! } } });
    expect(ours).toEqual(theirs);
  });
});

describe('request bytes, spelled out from the uapi layout', () => {
  test('RTM_NEWLINK vlan: struct ifinfomsg, IFLA_IFNAME, IFLA_LINK, IFLA_LINKINFO { KIND "vlan", DATA { IFLA_VLAN_ID } }', () => {
    const w = new Writer();
    linkMessageBody.encode(w, linkSpecMessage({ kind: 'vlan', name: 'v10', parentIndex: 4, vlanId: 10 }));
    expect(hex(w.finish())).toBe(
      [
        '00 00 0000 00000000 00000000 00000000', // ifinfomsg: family AF_UNSPEC, pad, type, index 0, flags, change
        '0800 0300 76313000', // IFLA_IFNAME (3) "v10\0"
        '0800 0500 04000000', // IFLA_LINK (5) u32 4: the parent's ifindex
        '1c00 1200', // IFLA_LINKINFO (18), 28 bytes
        '0900 0100 766c616e 00 000000', //   IFLA_INFO_KIND (1) "vlan\0" + 3 pad
        '0c00 0200', //   IFLA_INFO_DATA (2), 12 bytes
        '0600 0100 0a00 0000', //     IFLA_VLAN_ID (1) u16 10 + 2 pad
      ].join('').replace(/\s+/g, ''),
    );
  });

  test('RTM_NEWLINK dummy and bridge vlan_filtering', () => {
    const w = new Writer();
    linkMessageBody.encode(w, linkSpecMessage({ kind: 'dummy', name: 'd0' }));
    expect(hex(w.finish())).toBe(
      [
        '00000000 00000000 00000000 00000000', // ifinfomsg
        '0700 0300 643000 00', // IFLA_IFNAME "d0\0" + 1 pad
        '1000 1200', // IFLA_LINKINFO, 16 bytes
        '0a00 0100 64756d6d7900 0000', //   IFLA_INFO_KIND "dummy\0" + 2 pad; dummy has no IFLA_INFO_DATA
      ].join('').replace(/\s+/g, ''),
    );
    const b = new Writer();
    linkMessageBody.encode(b, linkSpecMessage({ kind: 'bridge', name: 'br1', mtu: 1400, vlanFiltering: true }));
    expect(hex(b.finish())).toBe(
      [
        '00000000 00000000 00000000 00000000', // ifinfomsg
        '0800 0300 62723100', // IFLA_IFNAME "br1\0"
        '0800 0400 78050000', // IFLA_MTU u32 1400
        '1c00 1200', // IFLA_LINKINFO, 28 bytes
        '0b00 0100 62726964676500 00', //   IFLA_INFO_KIND "bridge\0" + 1 pad
        '0c00 0200', //   IFLA_INFO_DATA
        '0500 0700 01 000000', //     IFLA_BR_VLAN_FILTERING (7) u8 1 + 3 pad
      ].join('').replace(/\s+/g, ''),
    );
  });
});
