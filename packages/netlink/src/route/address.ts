// Address messages: struct ifaddrmsg + IFA_* attributes (linux/if_addr.h). RTM_NEWADDR/DELADDR/GETADDR.
import { attrTable, one, type RawAttr } from '../codec/attr-table.ts';
import { cstring, ipAddress, u32, u32Struct, u8, type Codec, type IpAddress } from '../codec/codec.ts';

export const IFA = {
  ADDRESS: 1,
  LOCAL: 2,
  LABEL: 3,
  BROADCAST: 4,
  ANYCAST: 5,
  CACHEINFO: 6,
  MULTICAST: 7,
  FLAGS: 8,
  RT_PRIORITY: 9,
  TARGET_NETNSID: 10,
  PROTO: 11,
} as const;

/** Address flags (IFA_F_*). The header holds the low 8 bits; IFA_FLAGS holds all 32. */
export const IFA_F = {
  SECONDARY: 0x01,
  NODAD: 0x02,
  OPTIMISTIC: 0x04,
  DADFAILED: 0x08,
  HOMEADDRESS: 0x10,
  DEPRECATED: 0x20,
  TENTATIVE: 0x40,
  PERMANENT: 0x80,
  MANAGETEMPADDR: 0x100,
  NOPREFIXROUTE: 0x200,
  MCAUTOJOIN: 0x400,
  STABLE_PRIVACY: 0x800,
} as const;

/** rtm_scope / ifa_scope values (RT_SCOPE_*). */
export const RT_SCOPE = { UNIVERSE: 0, SITE: 200, LINK: 253, HOST: 254, NOWHERE: 255 } as const;

/** struct ifa_cacheinfo: lifetimes in seconds (0xffffffff = forever), timestamps in 1/100 s since boot. */
export interface AddressCacheInfo {
  preferred: number;
  valid: number;
  created: number;
  updated: number;
}

export interface AddressAttrs {
  /** IFA_ADDRESS: the prefix address (the peer on point-to-point links). */
  address?: IpAddress;
  /** IFA_LOCAL: the interface's own address (IPv4). */
  local?: IpAddress;
  label?: string;
  broadcast?: IpAddress;
  anycast?: IpAddress;
  cacheInfo?: AddressCacheInfo;
  multicast?: IpAddress;
  /** IFA_FLAGS: all IFA_F_* bits (the header field holds only the low 8). */
  flags?: number;
  rtPriority?: number;
  targetNetnsId?: number;
  proto?: number;
  unknown?: RawAttr[];
}

export interface AddressMessage {
  /** AF_INET (2) or AF_INET6 (10). */
  family: number;
  prefixLen: number;
  /** ifa_flags: the low 8 IFA_F_* bits. */
  flags: number;
  scope: number;
  index: number;
  attrs: AddressAttrs;
}

export const addressAttrs = attrTable<AddressAttrs>({
  address: one(IFA.ADDRESS, ipAddress),
  local: one(IFA.LOCAL, ipAddress),
  label: one(IFA.LABEL, cstring),
  broadcast: one(IFA.BROADCAST, ipAddress),
  anycast: one(IFA.ANYCAST, ipAddress),
  cacheInfo: one(IFA.CACHEINFO, u32Struct('ifa_cacheinfo', ['preferred', 'valid', 'created', 'updated'] as const)),
  multicast: one(IFA.MULTICAST, ipAddress),
  flags: one(IFA.FLAGS, u32),
  rtPriority: one(IFA.RT_PRIORITY, u32),
  targetNetnsId: one(IFA.TARGET_NETNSID, u32),
  proto: one(IFA.PROTO, u8),
});

/** struct ifaddrmsg (8 bytes) followed by the attributes. */
export const addressMessageBody: Codec<AddressMessage> = {
  encode(w, m) {
    w.u8(m.family).u8(m.prefixLen).u8(m.flags).u8(m.scope).u32(m.index);
    addressAttrs.encode(w, m.attrs);
  },
  decode(r) {
    const family = r.u8('ifa_family');
    const prefixLen = r.u8('ifa_prefixlen');
    const flags = r.u8('ifa_flags');
    const scope = r.u8('ifa_scope');
    const index = r.u32('ifa_index');
    return { family, prefixLen, flags, scope, index, attrs: addressAttrs.decode(r) };
  },
};
