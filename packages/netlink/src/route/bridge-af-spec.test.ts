// Golden bytes for AF_BRIDGE link messages: bridge-port settings (IFLA_PROTINFO) and bridge VLANs (IFLA_AF_SPEC).
// This kernel has no CONFIG_BRIDGE_VLAN_FILTERING, so VLAN requests are proven against iproute2's bytes and the
// uapi layout (struct bridge_vlan_info { __u16 flags; __u16 vid; }), not against the kernel.
import { describe, expect, test } from 'vitest';
import { Writer } from '../codec/writer.ts';
import { NLA_F_NESTED } from '../codec/attr-table.ts';
import { bridgeVlanMessage } from '../handle/bridge-vlan-ops.ts';
import { bridgePortMessage } from '../handle/link-ops.ts';
import { NLM_F, RTM } from '../message/constants.ts';
import { messageCodec } from '../message/header.ts';
import { fixture, hex, topLevelAttrTypes } from '../testing/fixture.ts';
import { roundTrip } from '../testing/round-trip.ts';
import { AF } from '../sys/constants.ts';
import { BRIDGE_FLAGS, BRIDGE_VLAN_INFO } from './bridge-af-spec.ts';
import { IFLA, linkMessageBody } from './link.ts';

const link = messageCodec(linkMessageBody);
const IFINFOMSG_LEN = 16;

describe('kernel AF_BRIDGE messages (dump with IFLA_EXT_MASK = RTEXT_FILTER_BRVLAN)', () => {
  test('a port: IFLA_PROTINFO is nested (NLA_F_NESTED) bridge-port attributes', () => {
    const bytes = fixture('bridge-af-port.hex');
    const m = roundTrip(link, bytes);
    expect(m.header).toMatchObject({ type: RTM.NEWLINK, flags: NLM_F.MULTI });
    expect(m.body).toMatchObject({
      family: AF.BRIDGE,
      attrs: { ifName: 'vh', master: 2, protInfo: { hairpin: true, isolated: true, learning: true, unicastFlood: true, state: 3 } },
    });
    expect(topLevelAttrTypes(bytes, IFINFOMSG_LEN)).toContain(IFLA.PROTINFO | NLA_F_NESTED);
    // No VLAN entries: this kernel is built without CONFIG_BRIDGE_VLAN_FILTERING.
    expect(m.body.attrs.afSpec?.vlanInfo).toBeUndefined();
  });

  test('the bridge itself', () => {
    const m = roundTrip(link, fixture('bridge-af-master.hex'));
    expect(m.body).toMatchObject({ family: AF.BRIDGE, index: 2, attrs: { ifName: 'br0', master: 2, address: '02:00:00:00:00:aa' } });
    expect(m.body.attrs.protInfo).toBeUndefined();
  });
});

describe('requests, byte-compatible with iproute2', () => {
  test('bridge link set dev veth0 hairpin on isolated on', () => {
    const bytes = fixture('request-setlink-bridge-port.hex');
    const m = roundTrip(link, bytes);
    expect(m.header).toMatchObject({ type: RTM.SETLINK, flags: NLM_F.REQUEST | NLM_F.ACK });
    expect(bridgePortMessage(m.body.index, { hairpin: true, isolated: true })).toEqual(m.body);
    // The kernel parses IFLA_PROTINFO as bridge-port attributes only when NLA_F_NESTED is set: both set it.
    expect(topLevelAttrTypes(bytes, IFINFOMSG_LEN)).toEqual([IFLA.PROTINFO | NLA_F_NESTED]);
    const w = new Writer();
    linkMessageBody.encode(w, bridgePortMessage(m.body.index, { hairpin: true, isolated: true }));
    expect(hex(w.finish())).toBe(hex(bytes.subarray(16)));
  });

  test('bridge vlan add dev veth0 vid 10 pvid untagged', () => {
    const bytes = fixture('request-setlink-bridge-vlan-add.hex');
    const m = roundTrip(link, bytes);
    expect(m.header).toMatchObject({ type: RTM.SETLINK, flags: NLM_F.REQUEST | NLM_F.ACK });
    expect(m.body.attrs.afSpec).toEqual({ vlanInfo: [{ flags: BRIDGE_VLAN_INFO.PVID | BRIDGE_VLAN_INFO.UNTAGGED, vid: 10 }] });
    const ours = bridgeVlanMessage({ index: m.body.index, vid: 10, pvid: true, untagged: true });
    expect(ours).toEqual(m.body);
    const w = new Writer();
    linkMessageBody.encode(w, ours);
    expect(hex(w.finish())).toBe(
      [
        '07 00 0000 04000000 00000000 00000000', // ifinfomsg: AF_BRIDGE, index 4
        '0c00 1a00', // IFLA_AF_SPEC (26), 12 bytes
        '0800 0200 0600 0a00', //   IFLA_BRIDGE_VLAN_INFO (2): flags PVID|UNTAGGED (0x6), vid 10
      ].join('').replace(/\s+/g, ''),
    );
    expect(hex(w.finish())).toBe(hex(bytes.subarray(16)));
  });

  test('bridge vlan add dev br0 vid 10 self (IFLA_BRIDGE_FLAGS = BRIDGE_FLAGS_SELF)', () => {
    const m = roundTrip(link, fixture('request-setlink-bridge-vlan-add-self.hex'));
    expect(m.body.attrs.afSpec).toEqual({ flags: BRIDGE_FLAGS.SELF, vlanInfo: [{ flags: 0, vid: 10 }] });
    expect(bridgeVlanMessage({ index: m.body.index, vid: 10, self: true })).toEqual(m.body);
  });

  test('bridge vlan del dev veth0 vid 10 (RTM_DELLINK)', () => {
    const bytes = fixture('request-dellink-bridge-vlan-del.hex');
    const m = roundTrip(link, bytes);
    expect(m.header).toMatchObject({ type: RTM.DELLINK, flags: NLM_F.REQUEST | NLM_F.ACK });
    expect(bridgeVlanMessage({ index: m.body.index, vid: 10 })).toEqual(m.body);
  });
});
