// struct nlmsgerr: the kernel's answer to a request with NLM_F_ACK (error 0) or to a failed request.
// With NETLINK_CAP_ACK the echoed request is cut to its 16-byte header (NLM_F_CAPPED); with NETLINK_EXT_ACK the
// extended-ack TLVs (NLM_F_ACK_TLVS) follow it. NLMSG_DONE at the end of a dump carries the same leading int.
import { attrTable, type RawAttr } from '../codec/attr-table.ts';
import { cstring, u32 } from '../codec/codec.ts';
import { one } from '../codec/attr-table.ts';
import type { Reader } from '../codec/reader.ts';
import { NLMSG_HDRLEN, NLMSGERR_ATTR, NLM_F } from './constants.ts';
import type { NetlinkHeader } from './header.ts';

export interface ExtAck {
  /** NLMSGERR_ATTR_MSG: the kernel's human-readable reason, e.g. "Unknown device type". */
  message?: string;
  /** NLMSGERR_ATTR_OFFS: byte offset of the offending attribute in the request. */
  offset?: number;
  /** NLMSGERR_ATTR_MISS_TYPE: the attribute the kernel wanted but did not get. */
  missingType?: number;
  unknown?: RawAttr[];
}

const extAck = attrTable<ExtAck>({
  message: one(NLMSGERR_ATTR.MSG, cstring),
  offset: one(NLMSGERR_ATTR.OFFS, u32),
  missingType: one(NLMSGERR_ATTR.MISS_TYPE, u32),
});

export interface Ack {
  /** 0 for success, otherwise a positive errno. */
  errno: number;
  /** The header of the request this answers (its seq identifies it). */
  request: NetlinkHeader;
  extAck?: ExtAck;
}

/** Decodes an NLMSG_ERROR payload; `flags` is the NLMSG_ERROR message's own nlmsg_flags. */
export function decodeAck(flags: number, r: Reader): Ack {
  const error = r.i32('nlmsgerr.error');
  const len = r.u32('nlmsgerr.msg.nlmsg_len');
  const request = { type: r.u16('nlmsg_type'), flags: r.u16('nlmsg_flags'), seq: r.u32('nlmsg_seq'), pid: r.u32('nlmsg_pid') };
  // Without NLM_F_CAPPED the whole request payload is echoed before the TLVs.
  if (!(flags & NLM_F.CAPPED)) r.skip(Math.min(Math.max(len - NLMSG_HDRLEN, 0), r.remaining), 'echoed request');
  const ack: Ack = { errno: error === 0 ? 0 : -error, request };
  if (flags & NLM_F.ACK_TLVS && r.remaining > 0) ack.extAck = extAck.decode(r);
  return ack;
}

/** Decodes an NLMSG_DONE payload: the dump's final status (0 or a positive errno) and any extended ack. */
export function decodeDone(flags: number, r: Reader): { errno: number; extAck?: ExtAck } {
  if (r.remaining < 4) return { errno: 0 };
  const status = r.i32('NLMSG_DONE status');
  const errno = status === 0 ? 0 : -status;
  if (flags & NLM_F.ACK_TLVS && r.remaining > 0) return { errno, extAck: extAck.decode(r) };
  return { errno };
}
