// Neighbour messages: struct ndmsg + NDA_* attributes (linux/neighbour.h). RTM_NEWNEIGH/DELNEIGH/GETNEIGH.
import { attrTable, one, type RawAttr } from '../codec/attr-table.ts';
import { ipAddress, mac, u16, u32, u32Struct, u8, type Codec, type IpAddress } from '../codec/codec.ts';

export const NDA = {
  DST: 1,
  LLADDR: 2,
  CACHEINFO: 3,
  PROBES: 4,
  VLAN: 5,
  IFINDEX: 8,
  MASTER: 9,
  PROTOCOL: 12,
  FLAGS_EXT: 15,
} as const;

/** ndm_state bits (NUD_*). */
export const NUD = {
  NONE: 0x00,
  INCOMPLETE: 0x01,
  REACHABLE: 0x02,
  STALE: 0x04,
  DELAY: 0x08,
  PROBE: 0x10,
  FAILED: 0x20,
  NOARP: 0x40,
  PERMANENT: 0x80,
} as const;

/** ndm_flags bits (NTF_*). */
export const NTF = { USE: 0x01, SELF: 0x02, MASTER: 0x04, PROXY: 0x08, EXT_LEARNED: 0x10, OFFLOADED: 0x20, ROUTER: 0x80 } as const;

export interface NeighbourCacheInfo {
  confirmed: number;
  used: number;
  updated: number;
  refCount: number;
}

export interface NeighbourAttrs {
  dst?: IpAddress;
  /** NDA_LLADDR: the neighbour's MAC. */
  lladdr?: string;
  cacheInfo?: NeighbourCacheInfo;
  probes?: number;
  vlan?: number;
  ifIndex?: number;
  master?: number;
  protocol?: number;
  flagsExt?: number;
  unknown?: RawAttr[];
}

export interface NeighbourMessage {
  family: number;
  index: number;
  /** ndm_state: NUD_* bits. */
  state: number;
  /** ndm_flags: NTF_* bits. */
  flags: number;
  /** ndm_type: RTN_* (1 = unicast). */
  type: number;
  attrs: NeighbourAttrs;
}

export const neighbourAttrs = attrTable<NeighbourAttrs>({
  dst: one(NDA.DST, ipAddress),
  lladdr: one(NDA.LLADDR, mac),
  cacheInfo: one(NDA.CACHEINFO, u32Struct('nda_cacheinfo', ['confirmed', 'used', 'updated', 'refCount'] as const)),
  probes: one(NDA.PROBES, u32),
  vlan: one(NDA.VLAN, u16),
  ifIndex: one(NDA.IFINDEX, u32),
  master: one(NDA.MASTER, u32),
  protocol: one(NDA.PROTOCOL, u8),
  flagsExt: one(NDA.FLAGS_EXT, u32),
});

/** struct ndmsg (12 bytes: family, 3 pad bytes, ifindex, state, flags, type) followed by the attributes. */
export const neighbourMessageBody: Codec<NeighbourMessage> = {
  encode(w, m) {
    w.u8(m.family).zeros(3).i32(m.index).u16(m.state).u8(m.flags).u8(m.type);
    neighbourAttrs.encode(w, m.attrs);
  },
  decode(r) {
    const family = r.u8('ndm_family');
    r.skip(3, 'ndm_pad');
    const index = r.i32('ndm_ifindex');
    const state = r.u16('ndm_state');
    const flags = r.u8('ndm_flags');
    const type = r.u8('ndm_type');
    return { family, index, state, flags, type, attrs: neighbourAttrs.decode(r) };
  },
};
