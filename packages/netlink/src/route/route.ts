// Route messages: struct rtmsg + RTA_* attributes (linux/rtnetlink.h). RTM_NEWROUTE/DELROUTE/GETROUTE.
import { attrTable, one, type RawAttr } from '../codec/attr-table.ts';
import { bytes, cstring, ipAddress, u32, u8, type Codec, type IpAddress } from '../codec/codec.ts';

export const RTA = {
  DST: 1,
  SRC: 2,
  IIF: 3,
  OIF: 4,
  GATEWAY: 5,
  PRIORITY: 6,
  PREFSRC: 7,
  METRICS: 8,
  MULTIPATH: 9,
  FLOW: 11,
  CACHEINFO: 12,
  TABLE: 15,
  MARK: 16,
  PREF: 20,
  EXPIRES: 23,
} as const;

/** RTA_METRICS members (RTAX_*). */
export const RTAX = {
  LOCK: 1,
  MTU: 2,
  WINDOW: 3,
  RTT: 4,
  RTTVAR: 5,
  SSTHRESH: 6,
  CWND: 7,
  ADVMSS: 8,
  REORDERING: 9,
  HOPLIMIT: 10,
  INITCWND: 11,
  FEATURES: 12,
  RTO_MIN: 13,
  INITRWND: 14,
  QUICKACK: 15,
  CC_ALGO: 16,
} as const;

/** rtm_table values (RT_TABLE_*). Tables above 255 travel in RTA_TABLE. */
export const RT_TABLE = { UNSPEC: 0, COMPAT: 252, DEFAULT: 253, MAIN: 254, LOCAL: 255 } as const;

/** rtm_protocol values (RTPROT_*). */
export const RTPROT = { UNSPEC: 0, REDIRECT: 1, KERNEL: 2, BOOT: 3, STATIC: 4, RA: 9, DHCP: 16 } as const;

/** rtm_type values (RTN_*). */
export const RTN = { UNSPEC: 0, UNICAST: 1, LOCAL: 2, BROADCAST: 3, ANYCAST: 4, MULTICAST: 5, BLACKHOLE: 6, UNREACHABLE: 7, PROHIBIT: 8 } as const;

export interface RouteMetrics {
  lock?: number;
  mtu?: number;
  window?: number;
  rtt?: number;
  rttVar?: number;
  ssthresh?: number;
  cwnd?: number;
  advmss?: number;
  reordering?: number;
  hopLimit?: number;
  initCwnd?: number;
  features?: number;
  rtoMin?: number;
  initRwnd?: number;
  quickAck?: number;
  ccAlgo?: string;
  unknown?: RawAttr[];
}

export const routeMetrics = attrTable<RouteMetrics>({
  lock: one(RTAX.LOCK, u32),
  mtu: one(RTAX.MTU, u32),
  window: one(RTAX.WINDOW, u32),
  rtt: one(RTAX.RTT, u32),
  rttVar: one(RTAX.RTTVAR, u32),
  ssthresh: one(RTAX.SSTHRESH, u32),
  cwnd: one(RTAX.CWND, u32),
  advmss: one(RTAX.ADVMSS, u32),
  reordering: one(RTAX.REORDERING, u32),
  hopLimit: one(RTAX.HOPLIMIT, u32),
  initCwnd: one(RTAX.INITCWND, u32),
  features: one(RTAX.FEATURES, u32),
  rtoMin: one(RTAX.RTO_MIN, u32),
  initRwnd: one(RTAX.INITRWND, u32),
  quickAck: one(RTAX.QUICKACK, u32),
  ccAlgo: one(RTAX.CC_ALGO, cstring),
});

export interface RouteAttrs {
  dst?: IpAddress;
  src?: IpAddress;
  iif?: number;
  /** RTA_OIF: the output interface's ifindex. */
  oif?: number;
  gateway?: IpAddress;
  /** RTA_PRIORITY: the route metric (`ip route ... metric N`). */
  priority?: number;
  prefSrc?: IpAddress;
  metrics?: RouteMetrics;
  /** RTA_MULTIPATH: struct rtnexthop list, kept raw. */
  multipath?: Uint8Array;
  flow?: number;
  cacheInfo?: Uint8Array;
  table?: number;
  mark?: number;
  pref?: number;
  expires?: number;
  unknown?: RawAttr[];
}

export interface RouteMessage {
  family: number;
  dstLen: number;
  srcLen: number;
  tos: number;
  /** rtm_table: the table id if below 256, else RT_TABLE_UNSPEC with the id in RTA_TABLE. */
  table: number;
  protocol: number;
  scope: number;
  type: number;
  /** rtm_flags: RTM_F_* / RTNH_F_* bits. */
  flags: number;
  attrs: RouteAttrs;
}

export const routeAttrs = attrTable<RouteAttrs>({
  dst: one(RTA.DST, ipAddress),
  src: one(RTA.SRC, ipAddress),
  iif: one(RTA.IIF, u32),
  oif: one(RTA.OIF, u32),
  gateway: one(RTA.GATEWAY, ipAddress),
  priority: one(RTA.PRIORITY, u32),
  prefSrc: one(RTA.PREFSRC, ipAddress),
  metrics: one(RTA.METRICS, routeMetrics),
  multipath: one(RTA.MULTIPATH, bytes),
  flow: one(RTA.FLOW, u32),
  cacheInfo: one(RTA.CACHEINFO, bytes),
  table: one(RTA.TABLE, u32),
  mark: one(RTA.MARK, u32),
  pref: one(RTA.PREF, u8),
  expires: one(RTA.EXPIRES, u32),
});

/** struct rtmsg (12 bytes) followed by the attributes. */
export const routeMessageBody: Codec<RouteMessage> = {
  encode(w, m) {
    w.u8(m.family).u8(m.dstLen).u8(m.srcLen).u8(m.tos).u8(m.table).u8(m.protocol).u8(m.scope).u8(m.type).u32(m.flags);
    routeAttrs.encode(w, m.attrs);
  },
  decode(r) {
    const family = r.u8('rtm_family');
    const dstLen = r.u8('rtm_dst_len');
    const srcLen = r.u8('rtm_src_len');
    const tos = r.u8('rtm_tos');
    const table = r.u8('rtm_table');
    const protocol = r.u8('rtm_protocol');
    const scope = r.u8('rtm_scope');
    const type = r.u8('rtm_type');
    const flags = r.u32('rtm_flags');
    return { family, dstLen, srcLen, tos, table, protocol, scope, type, flags, attrs: routeAttrs.decode(r) };
  },
};
