// Attribute tables: each model field is paired with its kernel attribute number and a codec; the table yields
// one Codec for the whole attribute list. Two properties matter for golden tests and forward compatibility:
//  - unknown attributes (and known ones whose payload does not fit their codec) are kept raw in `unknown`;
//  - the received order and NLA_F_* bits are remembered (off the enumerable model), so decode → encode gives
//    back identical bytes. A model built by hand has no recorded order and encodes in table order.
import type { Codec } from './codec.ts';
import { HOST_LITTLE_ENDIAN } from './endian.ts';
import type { Reader } from './reader.ts';
import { NLA_HDRLEN, type Writer } from './writer.ts';

export const NLA_F_NESTED = 0x8000;
export const NLA_F_NET_BYTEORDER = 0x4000;
export const NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

/** An attribute kept as received. `type` includes the NLA_F_* bits. */
export interface RawAttr {
  type: number;
  data: Uint8Array;
}

interface Field {
  type: number;
  codec: Codec<unknown>;
  many: boolean;
  /** NLA_F_* bits sent when the model has no recorded order (e.g. NLA_F_NESTED on IFLA_PROTINFO). */
  flags: number;
}

/** A single-valued attribute. */
export function one<V>(type: number, codec: Codec<V>, opts?: { flags?: number }): Field & { __v?: V } {
  return { type, codec: codec as Codec<unknown>, many: false, flags: opts?.flags ?? 0 };
}

/** An attribute that may repeat (e.g. IFLA_BRIDGE_VLAN_INFO); modelled as an array in arrival order. */
export function many<V>(type: number, codec: Codec<V>, opts?: { flags?: number }): Field & { __v?: V[] } {
  return { type, codec: codec as Codec<unknown>, many: true, flags: opts?.flags ?? 0 };
}

/** Models decoded by a table carry this (non-enumerable) record of the attribute order. */
const ORDER = Symbol('netlink attribute order');
const UNKNOWN_BIT = 0x10000;

/**
 * One entry per received attribute: its type with NLA_F_* bits (| UNKNOWN_BIT if kept raw), and for a lenient
 * codec's non-canonical payload, the received bytes and the value they decoded to.
 */
type Order = Array<number | { type: number; raw: Uint8Array; value: unknown }>;

export type TableSpec<T> = { [K in Exclude<keyof T, 'unknown'>]-?: Field & { __v?: NonNullable<T[K]> } };

/** Copies the recorded attribute order of `from` onto `to` (for codecs that post-process a table's output). */
export function keepOrder<T extends object>(from: object, to: T): T {
  const order = (from as { [ORDER]?: Order })[ORDER];
  if (order) Object.defineProperty(to, ORDER, { value: order, enumerable: false });
  return to;
}

export function attrTable<T extends { unknown?: RawAttr[] }>(spec: TableSpec<T>): Codec<T> {
  const entries = Object.entries(spec) as Array<[string, Field]>;
  const byType = new Map<number, [string, Field]>();
  for (const e of entries) byType.set(e[1].type, e);

  return {
    decode(r: Reader): T {
      const out: Record<string, unknown> = {};
      const unknown: RawAttr[] = [];
      const order: Order = [];
      const { view } = r;
      while (r.remaining >= NLA_HDRLEN) {
        const start = r.pos;
        // The header is read in place rather than with r.u16(): this loop runs for every attribute of every
        // message, and two u16() calls per attribute made u16 hot enough for V8 to have TurboFan compile it in
        // a bridge's first ADD. That compile, on a helper thread, added ~4 MiB to the peak memory of a process
        // that exits a few ms later. (remaining >= NLA_HDRLEN: both u16 are inside this reader's slice.)
        const len = view.getUint16(start, HOST_LITTLE_ENDIAN);
        const rawType = view.getUint16(start + 2, HOST_LITTLE_ENDIAN);
        r.pos = start + NLA_HDRLEN;
        if (len < NLA_HDRLEN) throw new Error(`netlink decode: attribute length ${len} at offset ${start}`);
        const payload = r.sub(len - NLA_HDRLEN, 'attribute payload');
        r.align4();
        const received = r.bytes.subarray(payload.pos, payload.end);
        const entry = byType.get(rawType & NLA_TYPE_MASK);
        const value = entry && !(entry[1].many === false && entry[0] in out) ? tryDecode(entry[1].codec, payload) : NOT_DECODED;
        if (entry && value !== NOT_DECODED) {
          const [key, field] = entry;
          if (field.many) ((out[key] ??= []) as unknown[]).push(value);
          else out[key] = value;
          const canonical = field.codec.isCanonical?.(received) ?? true;
          order.push(canonical ? rawType : { type: rawType, raw: received.slice(), value });
        } else {
          unknown.push({ type: rawType, data: received.slice() });
          order.push(rawType | UNKNOWN_BIT);
        }
      }
      if (unknown.length > 0) out.unknown = unknown;
      Object.defineProperty(out, ORDER, { value: order, enumerable: false });
      return out as T;
    },

    encode(w: Writer, v: T): void {
      const model = v as Record<string, unknown>;
      const emitted = new Map<string, number>();
      const unknown = v.unknown ?? [];
      let nextUnknown = 0;
      const emit = (key: string, field: Field, flags: number, received?: { raw: Uint8Array; value: unknown }): boolean => {
        const value = model[key];
        if (value === undefined) return false;
        const done = emitted.get(key) ?? 0;
        const item = field.many ? (value as unknown[])[done] : done === 0 ? value : undefined;
        if (item === undefined) return false;
        if (received && received.value === item) w.attr(field.type | flags, () => w.bytes(received.raw));
        else w.attr(field.type | flags, () => field.codec.encode(w, item));
        emitted.set(key, done + 1);
        return true;
      };
      for (const entry of (v as { [ORDER]?: Order })[ORDER] ?? []) {
        const recorded = typeof entry === 'number' ? entry : entry.type;
        if (recorded & UNKNOWN_BIT) {
          const raw = unknown[nextUnknown];
          if (raw && raw.type === (recorded & 0xffff)) {
            w.attr(raw.type, () => w.bytes(raw.data));
            nextUnknown++;
          }
          continue;
        }
        const field = byType.get(recorded & NLA_TYPE_MASK);
        if (field) emit(field[0], field[1], recorded & ~NLA_TYPE_MASK & 0xffff, typeof entry === 'number' ? undefined : entry);
      }
      for (const [key, field] of entries) while (emit(key, field, field.flags));
      for (; nextUnknown < unknown.length; nextUnknown++) {
        const raw = unknown[nextUnknown]!;
        w.attr(raw.type, () => w.bytes(raw.data));
      }
    },
  };
}

const NOT_DECODED = Symbol('not decoded');


function tryDecode(codec: Codec<unknown>, payload: Reader): unknown {
  try {
    return codec.decode(payload);
  } catch {
    // Deliberately tolerant: a payload that does not fit its codec (a newer kernel's wider field, say) is kept
    // raw in `unknown` instead of failing the whole message. Golden tests pin the layouts we do model.
    return NOT_DECODED;
  }
}
