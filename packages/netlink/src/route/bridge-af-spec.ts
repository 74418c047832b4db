// IFLA_AF_SPEC of an AF_BRIDGE link message (IFLA_BRIDGE_* in linux/if_bridge.h): bridge VLAN membership.
// `bridge vlan add/del` send it in RTM_SETLINK/RTM_DELLINK; a dump with IFLA_EXT_MASK = RTEXT_FILTER_BRVLAN
// returns it per port.
import { attrTable, many, one, type RawAttr } from '../codec/attr-table.ts';
import type { Codec } from '../codec/codec.ts';
import { u16 } from '../codec/codec.ts';

export const IFLA_BRIDGE = { FLAGS: 0, MODE: 1, VLAN_INFO: 2 } as const;

/** IFLA_BRIDGE_FLAGS: whom the request is for: the bridge master (default) or the port device itself. */
export const BRIDGE_FLAGS = { MASTER: 1, SELF: 2 } as const;

/** struct bridge_vlan_info.flags */
export const BRIDGE_VLAN_INFO = {
  MASTER: 0x1,
  PVID: 0x2,
  UNTAGGED: 0x4,
  RANGE_BEGIN: 0x8,
  RANGE_END: 0x10,
  BRENTRY: 0x20,
  ONLINK: 0x40,
} as const;

/** IFLA_EXT_MASK bits (RTEXT_FILTER_*): what extra data a link dump should carry. */
export const RTEXT_FILTER = { VF: 1, BRVLAN: 2, BRVLAN_COMPRESSED: 4 } as const;

/** struct bridge_vlan_info { __u16 flags; __u16 vid; } */
export interface BridgeVlanInfo {
  flags: number;
  vid: number;
}

export const bridgeVlanInfo: Codec<BridgeVlanInfo> = {
  encode(w, v) {
    w.u16(v.flags).u16(v.vid);
  },
  decode(r) {
    const v = { flags: r.u16('bridge_vlan_info.flags'), vid: r.u16('bridge_vlan_info.vid') };
    r.expectEnd('bridge_vlan_info');
    return v;
  },
};

export interface BridgeAfSpec {
  flags?: number;
  mode?: number;
  vlanInfo?: BridgeVlanInfo[];
  unknown?: RawAttr[];
}

export const bridgeAfSpec = attrTable<BridgeAfSpec>({
  flags: one(IFLA_BRIDGE.FLAGS, u16),
  mode: one(IFLA_BRIDGE.MODE, u16),
  vlanInfo: many(IFLA_BRIDGE.VLAN_INFO, bridgeVlanInfo),
});
