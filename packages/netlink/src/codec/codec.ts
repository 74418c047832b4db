import ipaddr from 'ipaddr.js';
import type { Reader } from './reader.ts';
import type { Writer } from './writer.ts';

/**
 * The shape of every codec here. `decode` reads from a reader positioned at the value; for an attribute payload
 * the reader covers exactly the payload. `encode` appends to the writer.
 */
export interface Codec<T> {
  encode(w: Writer, v: T): void;
  decode(r: Reader): T;
  /**
   * Present when decode accepts more than one byte form of a value (e.g. a string with or without its NUL): says
   * whether a payload is in the form encode would produce. Attribute tables keep the received bytes of a
   * non-canonical payload and re-emit them while the value is unchanged, so round trips stay byte-exact.
   */
  readonly isCanonical?: (payload: Uint8Array) => boolean;
}

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** A fixed-size value must fill its payload exactly; otherwise the attribute is kept raw (see attr-table.ts). */
function fixed<T>(what: string, read: (r: Reader) => T, write: (w: Writer, v: T) => void): Codec<T> {
  return {
    encode: write,
    decode(r) {
      const v = read(r);
      r.expectEnd(what);
      return v;
    },
  };
}

export const u8 = fixed('u8', (r) => r.u8(), (w, v: number) => w.u8(v));
export const u16 = fixed('u16', (r) => r.u16(), (w, v: number) => w.u16(v));
export const u32 = fixed('u32', (r) => r.u32(), (w, v: number) => w.u32(v));
export const i32 = fixed('i32', (r) => r.i32(), (w, v: number) => w.i32(v));
export const u64 = fixed('u64', (r) => r.u64(), (w, v: bigint) => w.u64(v));
export const u16be = fixed('u16be', (r) => r.u16be(), (w, v: number) => w.u16be(v));

/** A u8 that the kernel only ever sets to 0 or 1. Other values are kept raw, so nothing is lost. */
export const bool8: Codec<boolean> = fixed(
  'bool8',
  (r) => {
    const v = r.u8();
    if (v > 1) throw new Error(`netlink decode: bool8 value ${v}`);
    return v === 1;
  },
  (w, v) => w.u8(v ? 1 : 0),
);

/** NLA_FLAG: present (true) with an empty payload. */
export const flag: Codec<true> = fixed('flag', () => true as const, () => undefined);

/**
 * A string attribute (NLA_STRING / NLA_NUL_STRING: IFLA_IFNAME, IFA_LABEL, IFLA_INFO_KIND). Encoded with a NUL, as
 * the kernel sends it; decoded with or without one (iproute2 sends IFLA_INFO_KIND without), up to the first NUL.
 */
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

export const cstring: Codec<string> = {
  isCanonical: (payload) => payload.indexOf(0) === payload.length - 1,
  encode(w, v) {
    w.bytes(utf8Encoder.encode(v)).u8(0);
  },
  decode(r) {
    const b = r.bytesView(r.remaining, 'string');
    const nul = b.indexOf(0);
    return utf8Decoder.decode(nul < 0 ? b : b.subarray(0, nul));
  },
};

/** Opaque bytes, copied out of the receive buffer. */
export const bytes: Codec<Uint8Array> = {
  encode(w, v) {
    w.bytes(v);
  },
  decode(r) {
    return r.bytesView(r.remaining).slice();
  },
};

/** A link-layer address as lowercase `aa:bb:cc:dd:ee:ff` (any length: 6 for Ethernet, 4 for ipip, ...). */
export const mac: Codec<string> = {
  encode(w, v) {
    w.bytes(parseMac(v));
  },
  decode(r) {
    return formatMac(r.bytesView(r.remaining));
  },
};

const hexByte = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function formatMac(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (i > 0 ? ':' : '') + hexByte[b[i]!]!;
  return s;
}

export function parseMac(s: string): Uint8Array {
  if (s === '') return new Uint8Array(0);
  const parts = s.split(/[:-]/);
  if (!parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p))) throw new TypeError(`not a link-layer address: "${s}"`);
  return Uint8Array.from(parts, (p) => parseInt(p, 16));
}

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address in network order, as an ipaddr.js value. */
export const ipAddress: Codec<IpAddress> = {
  encode(w, v) {
    w.bytes(Uint8Array.from(v.toByteArray()));
  },
  decode(r) {
    const n = r.remaining;
    if (n !== 4 && n !== 16) throw new Error(`netlink decode: an IP address cannot be ${n} bytes`);
    return ipaddr.fromByteArray(Array.from(r.bytesView(n)));
  },
};

/** A fixed C struct of u32 fields, in declaration order (e.g. struct ifa_cacheinfo). */
export function u32Struct<K extends string>(what: string, fields: readonly K[]): Codec<Record<K, number>> {
  return fixed(
    what,
    (r) => {
      const out = {} as Record<K, number>;
      for (const f of fields) out[f] = r.u32(`${what}.${f}`);
      return out;
    },
    (w, v) => {
      for (const f of fields) w.u32(v[f]);
    },
  );
}
