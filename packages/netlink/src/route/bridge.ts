// IFLA_INFO_DATA of a bridge (enum IFLA_BR_* in linux/if_link.h): the bridge device's own settings.
import { attrTable, one, type RawAttr } from '../codec/attr-table.ts';
import { bool8, mac, u16, u16be, u32, u8 } from '../codec/codec.ts';

export const IFLA_BR = {
  FORWARD_DELAY: 1,
  HELLO_TIME: 2,
  MAX_AGE: 3,
  AGEING_TIME: 4,
  STP_STATE: 5,
  PRIORITY: 6,
  VLAN_FILTERING: 7,
  VLAN_PROTOCOL: 8,
  GROUP_FWD_MASK: 9,
  ROOT_PORT: 12,
  ROOT_PATH_COST: 13,
  TOPOLOGY_CHANGE: 14,
  TOPOLOGY_CHANGE_DETECTED: 15,
  GROUP_ADDR: 20,
  MCAST_ROUTER: 22,
  MCAST_SNOOPING: 23,
  NF_CALL_IPTABLES: 36,
  NF_CALL_IP6TABLES: 37,
  NF_CALL_ARPTABLES: 38,
  VLAN_DEFAULT_PVID: 39,
  VLAN_STATS_ENABLED: 41,
} as const;

export interface BridgeAttrs {
  /** Times are in centiseconds (USER_HZ), as the kernel reports them. */
  forwardDelay?: number;
  helloTime?: number;
  maxAge?: number;
  ageingTime?: number;
  stpState?: number;
  priority?: number;
  /** IFLA_BR_VLAN_FILTERING; absent from dumps on kernels built without CONFIG_BRIDGE_VLAN_FILTERING. */
  vlanFiltering?: boolean;
  /** Ethertype, e.g. 0x8100 (802.1Q); big-endian on the wire. */
  vlanProtocol?: number;
  groupFwdMask?: number;
  rootPort?: number;
  rootPathCost?: number;
  topologyChange?: number;
  topologyChangeDetected?: number;
  groupAddr?: string;
  mcastRouter?: number;
  mcastSnooping?: boolean;
  nfCallIptables?: boolean;
  nfCallIp6tables?: boolean;
  nfCallArptables?: boolean;
  vlanDefaultPvid?: number;
  vlanStatsEnabled?: boolean;
  unknown?: RawAttr[];
}

export const bridgeAttrs = attrTable<BridgeAttrs>({
  forwardDelay: one(IFLA_BR.FORWARD_DELAY, u32),
  helloTime: one(IFLA_BR.HELLO_TIME, u32),
  maxAge: one(IFLA_BR.MAX_AGE, u32),
  ageingTime: one(IFLA_BR.AGEING_TIME, u32),
  stpState: one(IFLA_BR.STP_STATE, u32),
  priority: one(IFLA_BR.PRIORITY, u16),
  vlanFiltering: one(IFLA_BR.VLAN_FILTERING, bool8),
  vlanProtocol: one(IFLA_BR.VLAN_PROTOCOL, u16be),
  groupFwdMask: one(IFLA_BR.GROUP_FWD_MASK, u16),
  rootPort: one(IFLA_BR.ROOT_PORT, u16),
  rootPathCost: one(IFLA_BR.ROOT_PATH_COST, u32),
  topologyChange: one(IFLA_BR.TOPOLOGY_CHANGE, u8),
  topologyChangeDetected: one(IFLA_BR.TOPOLOGY_CHANGE_DETECTED, u8),
  groupAddr: one(IFLA_BR.GROUP_ADDR, mac),
  mcastRouter: one(IFLA_BR.MCAST_ROUTER, u8),
  mcastSnooping: one(IFLA_BR.MCAST_SNOOPING, bool8),
  nfCallIptables: one(IFLA_BR.NF_CALL_IPTABLES, bool8),
  nfCallIp6tables: one(IFLA_BR.NF_CALL_IP6TABLES, bool8),
  nfCallArptables: one(IFLA_BR.NF_CALL_ARPTABLES, bool8),
  vlanDefaultPvid: one(IFLA_BR.VLAN_DEFAULT_PVID, u16),
  vlanStatsEnabled: one(IFLA_BR.VLAN_STATS_ENABLED, bool8),
});
