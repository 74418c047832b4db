// Link messages: struct ifinfomsg + IFLA_* attributes (linux/rtnetlink.h, linux/if_link.h).
// RTM_NEWLINK/DELLINK/GETLINK/SETLINK all use this body.
import { attrTable, NLA_F_NESTED, one, type RawAttr } from '../codec/attr-table.ts';
import { bool8, cstring, i32, mac, u32, u8, type Codec } from '../codec/codec.ts';
import { AF } from '../sys/constants.ts';
import { bridgeAfSpec, type BridgeAfSpec } from './bridge-af-spec.ts';
import { bridgePortAttrs, type BridgePortAttrs } from './bridge-port.ts';
import { linkInfo, type LinkInfo } from './link-info.ts';

export const IFLA = {
  ADDRESS: 1,
  BROADCAST: 2,
  IFNAME: 3,
  MTU: 4,
  LINK: 5,
  QDISC: 6,
  MASTER: 10,
  PROTINFO: 12,
  TXQLEN: 13,
  OPERSTATE: 16,
  LINKMODE: 17,
  LINKINFO: 18,
  NET_NS_PID: 19,
  IFALIAS: 20,
  AF_SPEC: 26,
  GROUP: 27,
  NET_NS_FD: 28,
  EXT_MASK: 29,
  PROMISCUITY: 30,
  NUM_TX_QUEUES: 31,
  NUM_RX_QUEUES: 32,
  CARRIER: 33,
  CARRIER_CHANGES: 35,
  LINK_NETNSID: 37,
  PROTO_DOWN: 39,
  MIN_MTU: 50,
  MAX_MTU: 51,
  PERM_ADDRESS: 54,
} as const;

/** ifinfomsg.ifi_flags (IFF_* in linux/if.h). */
export const IFF = {
  UP: 0x1,
  BROADCAST: 0x2,
  LOOPBACK: 0x8,
  POINTOPOINT: 0x10,
  RUNNING: 0x40,
  NOARP: 0x80,
  PROMISC: 0x100,
  ALLMULTI: 0x200,
  MASTER: 0x400,
  SLAVE: 0x800,
  MULTICAST: 0x1000,
  LOWER_UP: 0x10000,
  DORMANT: 0x20000,
} as const;

/** IFLA_OPERSTATE values (RFC 2863, IF_OPER_* in linux/if.h). */
export const IF_OPER = { UNKNOWN: 0, NOTPRESENT: 1, DOWN: 2, LOWERLAYERDOWN: 3, TESTING: 4, DORMANT: 5, UP: 6 } as const;

/** ARPHRD_* (linux/if_arp.h) values for ifi_type that matter here. */
export const ARPHRD = { ETHER: 1, LOOPBACK: 772, NONE: 0xfffe } as const;

export interface LinkAttrs {
  /** IFLA_ADDRESS: the MAC, `aa:bb:cc:dd:ee:ff`. */
  address?: string;
  broadcast?: string;
  ifName?: string;
  mtu?: number;
  /** IFLA_LINK: the lower/peer device's ifindex (for a veth, the other end; maybe in another namespace). */
  link?: number;
  qdisc?: string;
  /** IFLA_MASTER: the ifindex of the bridge (or bond, vrf) this link is a port of; 0 in a request detaches. */
  master?: number;
  /** IFLA_PROTINFO, AF_BRIDGE messages only: bridge-port settings (sent with NLA_F_NESTED). */
  protInfo?: BridgePortAttrs;
  txQueueLen?: number;
  operState?: number;
  linkMode?: number;
  linkInfo?: LinkInfo;
  netnsPid?: number;
  ifAlias?: string;
  /** IFLA_AF_SPEC, AF_BRIDGE messages only: VLAN membership. */
  afSpec?: BridgeAfSpec;
  group?: number;
  /** IFLA_NET_NS_FD (requests): create or move the link into the namespace open at this fd. */
  netnsFd?: number;
  /** IFLA_EXT_MASK (dump requests): RTEXT_FILTER_* bits. */
  extMask?: number;
  promiscuity?: number;
  numTxQueues?: number;
  numRxQueues?: number;
  carrier?: boolean;
  carrierChanges?: number;
  /** IFLA_LINK_NETNSID: the namespace id (in this namespace's view) where IFLA_LINK lives. */
  linkNetnsId?: number;
  protoDown?: boolean;
  minMtu?: number;
  maxMtu?: number;
  permAddress?: string;
  unknown?: RawAttr[];
}

export interface LinkMessage {
  /** ifi_family: AF_UNSPEC (0) for links, AF_BRIDGE (7) for bridge-port and bridge-VLAN messages. */
  family: number;
  /** ifi_type: ARPHRD_* (1 = Ethernet). */
  linkType: number;
  index: number;
  /** ifi_flags: IFF_* bits. */
  flags: number;
  /** ifi_change: which IFF_* bits a request changes (0 = none; iproute2 sends 0xffffffff only with flags). */
  change: number;
  attrs: LinkAttrs;
}

type FamilySpecific = 'protInfo' | 'afSpec';

const common = {
  address: one(IFLA.ADDRESS, mac),
  broadcast: one(IFLA.BROADCAST, mac),
  ifName: one(IFLA.IFNAME, cstring),
  mtu: one(IFLA.MTU, u32),
  link: one(IFLA.LINK, u32),
  qdisc: one(IFLA.QDISC, cstring),
  master: one(IFLA.MASTER, u32),
  txQueueLen: one(IFLA.TXQLEN, u32),
  operState: one(IFLA.OPERSTATE, u8),
  linkMode: one(IFLA.LINKMODE, u8),
  linkInfo: one(IFLA.LINKINFO, linkInfo),
  netnsPid: one(IFLA.NET_NS_PID, u32),
  ifAlias: one(IFLA.IFALIAS, cstring),
  group: one(IFLA.GROUP, u32),
  netnsFd: one(IFLA.NET_NS_FD, u32),
  extMask: one(IFLA.EXT_MASK, u32),
  promiscuity: one(IFLA.PROMISCUITY, u32),
  numTxQueues: one(IFLA.NUM_TX_QUEUES, u32),
  numRxQueues: one(IFLA.NUM_RX_QUEUES, u32),
  carrier: one(IFLA.CARRIER, bool8),
  carrierChanges: one(IFLA.CARRIER_CHANGES, u32),
  linkNetnsId: one(IFLA.LINK_NETNSID, i32),
  protoDown: one(IFLA.PROTO_DOWN, bool8),
  minMtu: one(IFLA.MIN_MTU, u32),
  maxMtu: one(IFLA.MAX_MTU, u32),
  permAddress: one(IFLA.PERM_ADDRESS, mac),
};

// IFLA_PROTINFO and IFLA_AF_SPEC mean different things per ifi_family; only the AF_BRIDGE forms are modelled,
// other families keep them raw in `unknown`.
const unspecAttrs = attrTable<Omit<LinkAttrs, FamilySpecific>>(common) as Codec<LinkAttrs>;
const bridgeFamilyAttrs = attrTable<LinkAttrs>({
  ...common,
  protInfo: one(IFLA.PROTINFO, bridgePortAttrs, { flags: NLA_F_NESTED }),
  afSpec: one(IFLA.AF_SPEC, bridgeAfSpec),
});
const attrsFor = (family: number): Codec<LinkAttrs> => (family === AF.BRIDGE ? bridgeFamilyAttrs : unspecAttrs);

/** struct ifinfomsg (16 bytes) followed by the attributes. */
export const linkMessageBody: Codec<LinkMessage> = {
  encode(w, m) {
    w.u8(m.family).u8(0).u16(m.linkType).i32(m.index).u32(m.flags).u32(m.change);
    attrsFor(m.family).encode(w, m.attrs);
  },
  decode(r) {
    const family = r.u8('ifi_family');
    r.skip(1, 'ifi_pad');
    const linkType = r.u16('ifi_type');
    const index = r.i32('ifi_index');
    const flags = r.u32('ifi_flags');
    const change = r.u32('ifi_change');
    return { family, linkType, index, flags, change, attrs: attrsFor(family).decode(r) };
  },
};
