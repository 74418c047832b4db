// IFLA_INFO_DATA of an 802.1Q vlan link (IFLA_VLAN_* in linux/if_link.h).
import { attrTable, one, type RawAttr } from '../codec/attr-table.ts';
import { u16, u16be, u32Struct } from '../codec/codec.ts';

export const IFLA_VLAN = { ID: 1, FLAGS: 2, EGRESS_QOS: 3, INGRESS_QOS: 4, PROTOCOL: 5 } as const;

/** Ethertypes for IFLA_VLAN_PROTOCOL. */
export const ETH_P = { '8021Q': 0x8100, '8021AD': 0x88a8 } as const;

export interface VlanAttrs {
  id?: number;
  /** struct ifla_vlan_flags { flags; mask } (VLAN_FLAG_REORDER_HDR = 1, ...). */
  flags?: { flags: number; mask: number };
  /** Ethertype, big-endian on the wire: 0x8100 (802.1Q) or 0x88a8 (802.1ad). */
  protocol?: number;
  unknown?: RawAttr[];
}

export const vlanAttrs = attrTable<VlanAttrs>({
  id: one(IFLA_VLAN.ID, u16),
  flags: one(IFLA_VLAN.FLAGS, u32Struct('ifla_vlan_flags', ['flags', 'mask'] as const)),
  protocol: one(IFLA_VLAN.PROTOCOL, u16be),
});
