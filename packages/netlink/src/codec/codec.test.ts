import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, test } from 'vitest';
import { roundTrip } from '../testing/round-trip.ts';
import { attrTable, keepOrder, many, NLA_F_NESTED, one, type RawAttr } from './attr-table.ts';
import { bool8, bytes, cstring, ipAddress, mac, u16, u16be, u32, u8, type Codec } from './codec.ts';
import { Reader } from './reader.ts';
import { Writer } from './writer.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const fromHex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
function encode<T>(codec: Codec<T>, v: T): Uint8Array {
  const w = new Writer(4);
  codec.encode(w, v);
  return w.finish();
}

interface Inner { a?: number; unknown?: RawAttr[] }
interface Outer { name?: string; mtu?: number; port?: number; inner?: Inner; list?: number[]; unknown?: RawAttr[] }
const inner = attrTable<Inner>({ a: one(1, u8) });
const outer = attrTable<Outer>({
  name: one(3, cstring),
  mtu: one(4, u32),
  port: one(5, u16be),
  inner: one(6, inner, { flags: NLA_F_NESTED }),
  list: many(7, u16),
});

describe('Writer', () => {
  test('attr() patches the length (without padding) and pads to 4 bytes; nest() nests', () => {
    const w = new Writer(1); // forces several reallocations
    w.attr(3, (x) => x.bytes(new TextEncoder().encode('lo')).u8(0));
    w.nest(6 | NLA_F_NESTED, (x) => x.attr(1, (y) => y.u8(7)));
    expect(hex(w.finish())).toBe('0700030' + '06c6f00' + '00' + '0c000680' + '05000100' + '07000000');
  });

  test('integers are host-endian except the explicitly big-endian codecs', () => {
    expect(hex(encode(u32, 0x01020304))).toBe('04030201');
    expect(hex(encode(u16be, 0x8100))).toBe('8100');
  });
});

describe('Reader', () => {
  test('reports what it was reading when bytes run out', () => {
    const r = new Reader(fromHex('0100'));
    expect(() => r.u32('ifi_flags')).toThrow('netlink decode: ifi_flags needs 4 bytes at offset 0, only 2 left');
  });

  test('reads only inside its slice', () => {
    const r = new Reader(fromHex('aabbccdd'), 1, 3);
    expect(r.u8()).toBe(0xbb);
    expect(r.u8()).toBe(0xcc);
    expect(() => r.u8()).toThrow(/needs 1 bytes at offset 3, only 0 left/);
  });
});

describe('value codecs', () => {
  test('mac, ip and strings', () => {
    expect(mac.decode(new Reader(fromHex('0200000000aa')))).toBe('02:00:00:00:00:aa');
    expect(hex(encode(mac, '02:00:00:00:00:AA'))).toBe('0200000000aa');
    expect(ipAddress.decode(new Reader(fromHex('0a010002'))).toString()).toBe('10.1.0.2');
    expect(hex(encode(ipAddress, ipaddr.parse('fd00::1')))).toBe('fd000000000000000000000000000001');
    expect(() => ipAddress.decode(new Reader(fromHex('0a0100')))).toThrow(/cannot be 3 bytes/);
    expect(cstring.decode(new Reader(fromHex('766c616e00')))).toBe('vlan');
    expect(cstring.decode(new Reader(fromHex('766c616e')))).toBe('vlan'); // iproute2 sends IFLA_INFO_KIND without NUL
    expect(() => bool8.decode(new Reader(fromHex('02')))).toThrow(/bool8 value 2/);
  });
});

describe('attribute tables', () => {
  test('decode → model, with unknown attributes kept and re-emitted in their place', () => {
    const bytes = fromHex(
      '08000300 6c6f3000' + // name "lo0"
        '05006300 2a000000' + // unknown type 99, one byte
        '08000400 dc050000' + // mtu 1500
        '06000700 0a000000' + // list[0] = 10
        '0c000680 05000100 07000000' + // inner (NLA_F_NESTED) { a: 7 }
        '06000700 14000000', // list[1] = 20
    );
    const v = roundTrip(outer, bytes);
    expect(v).toEqual({ name: 'lo0', mtu: 1500, list: [10, 20], inner: { a: 7 }, unknown: [{ type: 99, data: fromHex('2a') }] });
  });

  test('a payload that does not fit its codec is kept raw instead of failing the message', () => {
    const bytes = fromHex('06000400 dc050000'); // mtu with 2 bytes
    const v = roundTrip(outer, bytes);
    expect(v).toEqual({ unknown: [{ type: 4, data: fromHex('dc05') }] });
  });

  test('a model built by hand encodes in table order with the default NLA_F_* bits', () => {
    const bytes = encode(outer, { inner: { a: 1 }, mtu: 9000, name: 'x' });
    expect(hex(bytes)).toBe('0600030078000000' + '0800040028230000' + '0c000680050001000100000' + '0');
  });

  test('a lenient codec re-emits the received form while the value is unchanged, and the canonical form once changed', () => {
    const bytes = fromHex('08000300 766c616e'); // "vlan" without NUL
    const v = roundTrip(outer, bytes);
    expect(v.name).toBe('vlan');
    const changed = keepOrder(v, { ...v, name: 'vlam' });
    expect(hex(encode(outer, changed))).toBe('09000300766c616d00000000');
  });

  test('property: any model round-trips, also at an offset inside a larger buffer', () => {
    const model = fc.record(
      {
        name: fc.string({ maxLength: 15 }).filter((s) => !s.includes('\0')),
        mtu: fc.integer({ min: 0, max: 0xffffffff }),
        port: fc.integer({ min: 0, max: 0xffff }),
        inner: fc.record({ a: fc.integer({ min: 0, max: 255 }) }, { requiredKeys: [] }),
        list: fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 4 }),
        unknown: fc.array(fc.record({ type: fc.integer({ min: 100, max: 0x3fff }), data: fc.uint8Array({ maxLength: 9 }) }), { minLength: 1, maxLength: 3 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(model, (m) => {
        const bytes = encode(outer, m as Outer);
        const back = roundTrip(outer, bytes);
        expect(back).toEqual(m);
      }),
    );
  });

  test('bytes are copied out of the receive buffer', () => {
    const buf = fromHex('05006300 2a000000');
    const v = outer.decode(new Reader(buf));
    buf.fill(0);
    expect(v.unknown?.[0]?.data).toEqual(fromHex('2a'));
    expect(bytes.decode(new Reader(fromHex('0102')))).toEqual(fromHex('0102'));
  });
});
