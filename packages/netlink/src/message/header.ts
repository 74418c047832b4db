// struct nlmsghdr framing: 16 bytes (len, type, flags, seq, pid) then the family payload, padded to 4 bytes.
import type { Codec } from '../codec/codec.ts';
import { Reader } from '../codec/reader.ts';
import { Writer } from '../codec/writer.ts';
import { NLMSG_HDRLEN } from './constants.ts';

export interface NetlinkHeader {
  type: number;
  flags: number;
  seq: number;
  pid: number;
}

/** One netlink message: its header and a payload decoded by the family codec. */
export interface NetlinkMessage<T> {
  header: NetlinkHeader;
  body: T;
}

/** Encodes header + body; nlmsg_len is patched after the body is written. */
export function encodeMessage<T>(header: NetlinkHeader, codec: Codec<T>, body: T, w = new Writer()): Uint8Array {
  const start = w.length;
  w.reserve(4);
  w.u16(header.type).u16(header.flags).u32(header.seq).u32(header.pid);
  codec.encode(w, body);
  w.patchU32(start, w.length - start);
  w.pad4();
  return w.finish();
}

/** A framed message inside a receive buffer: its header and a reader over exactly its payload. */
export interface Frame {
  header: NetlinkHeader;
  payload: Reader;
}

/** Splits one datagram into its messages (a dump reply carries several). */
export function* frames(bytes: Uint8Array, length = bytes.length): Generator<Frame> {
  const r = new Reader(bytes, 0, length);
  while (r.remaining >= NLMSG_HDRLEN) {
    const start = r.pos;
    const len = r.u32('nlmsg_len');
    if (len < NLMSG_HDRLEN || len - 4 > r.remaining) {
      throw new Error(`netlink decode: nlmsg_len ${len} at offset ${start} does not fit the ${length}-byte datagram`);
    }
    const header = { type: r.u16('nlmsg_type'), flags: r.u16('nlmsg_flags'), seq: r.u32('nlmsg_seq'), pid: r.u32('nlmsg_pid') };
    const payload = r.sub(len - NLMSG_HDRLEN, 'message payload');
    r.align4();
    yield { header, payload };
  }
}

/** A whole message (header + family body) as one codec, for golden tests and captures. */
export function messageCodec<T>(body: Codec<T>): Codec<NetlinkMessage<T>> {
  return {
    encode(w, m) {
      const start = w.length;
      w.reserve(4);
      w.u16(m.header.type).u16(m.header.flags).u32(m.header.seq).u32(m.header.pid);
      body.encode(w, m.body);
      w.patchU32(start, w.length - start);
      w.pad4();
    },
    decode(r) {
      const start = r.pos;
      const len = r.u32('nlmsg_len');
      if (len < NLMSG_HDRLEN || len - 4 > r.remaining) throw new Error(`netlink decode: nlmsg_len ${len} at offset ${start}`);
      const header = { type: r.u16('nlmsg_type'), flags: r.u16('nlmsg_flags'), seq: r.u32('nlmsg_seq'), pid: r.u32('nlmsg_pid') };
      const m = { header, body: body.decode(r.sub(len - NLMSG_HDRLEN, 'message payload')) };
      r.align4();
      return m;
    },
  };
}

/** Decodes a buffer holding exactly one message with the given family codec (used by golden tests). */
export function decodeMessage<T>(bytes: Uint8Array, codec: Codec<T>): NetlinkMessage<T> {
  const all = [...frames(bytes)];
  if (all.length !== 1) throw new Error(`netlink decode: expected one message, found ${all.length}`);
  const { header, payload } = all[0]!;
  return { header, body: codec.decode(payload) };
}
