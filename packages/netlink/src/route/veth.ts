// IFLA_INFO_DATA of a veth (VETH_INFO_* in linux/veth.h). VETH_INFO_PEER carries a whole struct ifinfomsg
// plus IFLA_* attributes describing the other end: its name, MTU, MAC and, with IFLA_NET_NS_FD, the namespace
// it is created in. The kernel never reports it back (veth has no fill_info), so it appears in requests only.
import { attrTable, one, type RawAttr } from '../codec/attr-table.ts';
import type { Codec } from '../codec/codec.ts';
import { linkMessageBody, type LinkMessage } from './link.ts';

export const VETH_INFO = { PEER: 1 } as const;

export interface VethAttrs {
  peer?: LinkMessage;
  unknown?: RawAttr[];
}

// Resolved lazily: link.ts and this file refer to each other (a veth peer is itself a link message).
const peerCodec: Codec<LinkMessage> = {
  encode: (w, v) => linkMessageBody.encode(w, v),
  decode: (r) => linkMessageBody.decode(r),
};

export const vethAttrs = attrTable<VethAttrs>({ peer: one(VETH_INFO.PEER, peerCodec) });
