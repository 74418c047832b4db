// Bridge-port settings (enum IFLA_BRPORT_* in linux/if_link.h). The kernel reports them as IFLA_INFO_SLAVE_DATA
// of a port's IFLA_LINKINFO and as IFLA_PROTINFO (NLA_F_NESTED) in AF_BRIDGE messages; `bridge link set` sends
// them as IFLA_PROTINFO in an AF_BRIDGE RTM_SETLINK.
import { attrTable, one, type RawAttr } from '../codec/attr-table.ts';
import { bool8, u16, u32, u8 } from '../codec/codec.ts';

export const IFLA_BRPORT = {
  STATE: 1,
  PRIORITY: 2,
  COST: 3,
  MODE: 4,
  GUARD: 5,
  PROTECT: 6,
  FAST_LEAVE: 7,
  LEARNING: 8,
  UNICAST_FLOOD: 9,
  PROXYARP: 10,
  DESIGNATED_PORT: 15,
  DESIGNATED_COST: 16,
  ID: 17,
  NO: 18,
  MULTICAST_ROUTER: 25,
  MCAST_FLOOD: 27,
  MCAST_TO_UCAST: 28,
  BCAST_FLOOD: 30,
  GROUP_FWD_MASK: 31,
  NEIGH_SUPPRESS: 32,
  ISOLATED: 33,
  BACKUP_PORT: 34,
  LOCKED: 39,
} as const;

export interface BridgePortAttrs {
  /** STP port state (BR_STATE_*: 0 disabled, 3 forwarding, ...). */
  state?: number;
  priority?: number;
  cost?: number;
  /** IFLA_BRPORT_MODE: hairpin mode (reflect frames back out of the port they came in on). */
  hairpin?: boolean;
  guard?: boolean;
  protect?: boolean;
  fastLeave?: boolean;
  learning?: boolean;
  unicastFlood?: boolean;
  proxyArp?: boolean;
  designatedPort?: number;
  designatedCost?: number;
  id?: number;
  no?: number;
  multicastRouter?: number;
  mcastFlood?: boolean;
  mcastToUcast?: boolean;
  bcastFlood?: boolean;
  groupFwdMask?: number;
  neighSuppress?: boolean;
  /** IFLA_BRPORT_ISOLATED: isolated ports cannot talk to each other, only to non-isolated ports. */
  isolated?: boolean;
  backupPort?: number;
  locked?: boolean;
  unknown?: RawAttr[];
}

export const bridgePortAttrs = attrTable<BridgePortAttrs>({
  state: one(IFLA_BRPORT.STATE, u8),
  priority: one(IFLA_BRPORT.PRIORITY, u16),
  cost: one(IFLA_BRPORT.COST, u32),
  hairpin: one(IFLA_BRPORT.MODE, bool8),
  guard: one(IFLA_BRPORT.GUARD, bool8),
  protect: one(IFLA_BRPORT.PROTECT, bool8),
  fastLeave: one(IFLA_BRPORT.FAST_LEAVE, bool8),
  learning: one(IFLA_BRPORT.LEARNING, bool8),
  unicastFlood: one(IFLA_BRPORT.UNICAST_FLOOD, bool8),
  proxyArp: one(IFLA_BRPORT.PROXYARP, bool8),
  designatedPort: one(IFLA_BRPORT.DESIGNATED_PORT, u16),
  designatedCost: one(IFLA_BRPORT.DESIGNATED_COST, u16),
  id: one(IFLA_BRPORT.ID, u16),
  no: one(IFLA_BRPORT.NO, u16),
  multicastRouter: one(IFLA_BRPORT.MULTICAST_ROUTER, u8),
  mcastFlood: one(IFLA_BRPORT.MCAST_FLOOD, bool8),
  mcastToUcast: one(IFLA_BRPORT.MCAST_TO_UCAST, bool8),
  bcastFlood: one(IFLA_BRPORT.BCAST_FLOOD, bool8),
  groupFwdMask: one(IFLA_BRPORT.GROUP_FWD_MASK, u16),
  neighSuppress: one(IFLA_BRPORT.NEIGH_SUPPRESS, bool8),
  isolated: one(IFLA_BRPORT.ISOLATED, bool8),
  backupPort: one(IFLA_BRPORT.BACKUP_PORT, u32),
  locked: one(IFLA_BRPORT.LOCKED, bool8),
});
