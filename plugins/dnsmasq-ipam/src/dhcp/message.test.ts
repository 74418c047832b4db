import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeDhcpMessage, DhcpDecodeError, encodeDhcpMessage } from './message.ts';
import type { DhcpMessage } from './message.ts';

const base: DhcpMessage = {
  op: 1, htype: 1, hlen: 6, hops: 0, xid: 0xdeadbeef, secs: 3, flags: 0x8000,
  ciaddr: 0, yiaddr: 0x0aca000a, siaddr: 0, giaddr: 0,
  chaddr: Uint8Array.of(2, 0, 0, 0, 0, 1),
  options: [{ code: 53, data: Uint8Array.of(1) }, { code: 80, data: new Uint8Array(0) }],
};

describe('DHCP message codec', () => {
  it('lays out the BOOTP header, cookie and options, padded to 300 bytes', () => {
    const packet = encodeDhcpMessage(base);
    expect(packet.length).toBe(300);
    expect(packet.subarray(0, 4)).toEqual(Buffer.from([1, 1, 6, 0]));
    expect(packet.readUInt32BE(4)).toBe(0xdeadbeef);
    expect(packet.readUInt16BE(10)).toBe(0x8000);
    expect(packet.subarray(16, 20)).toEqual(Buffer.from([10, 202, 0, 10]));
    expect(packet.subarray(28, 34)).toEqual(Buffer.from([2, 0, 0, 0, 0, 1]));
    expect(packet.subarray(236, 240)).toEqual(Buffer.from([99, 130, 83, 99]));
    expect(packet.subarray(240, 246)).toEqual(Buffer.from([53, 1, 1, 80, 0, 255]));
  });

  it('round-trips any message', () => {
    const option = fc.record({
      code: fc.integer({ min: 1, max: 254 }).filter((c) => c !== 52),
      data: fc.uint8Array({ maxLength: 255 }),
    });
    fc.assert(
      fc.property(
        fc.record({
          op: fc.constantFrom(1, 2), xid: fc.nat({ max: 0xffffffff }), secs: fc.nat({ max: 0xffff }),
          flags: fc.nat({ max: 0xffff }), ciaddr: fc.nat({ max: 0xffffffff }), yiaddr: fc.nat({ max: 0xffffffff }),
          chaddr: fc.uint8Array({ maxLength: 16 }),
          options: fc.uniqueArray(option, { selector: (o) => o.code, maxLength: 5 }),
        }),
        (m) => {
          const message: DhcpMessage = { ...base, ...m, hlen: m.chaddr.length };
          const decoded = decodeDhcpMessage(encodeDhcpMessage(message));
          expect(decoded).toEqual({ ...message, chaddr: Uint8Array.from(m.chaddr), options: m.options.map((o) => ({ code: o.code, data: Uint8Array.from(o.data) })) });
        },
      ),
    );
  });

  it('concatenates a split option and reads overloaded file/sname areas', () => {
    const packet = encodeDhcpMessage({ ...base, options: [{ code: 12, data: Buffer.from('we') }, { code: 52, data: Uint8Array.of(3) }, { code: 12, data: Buffer.from('b1') }] });
    packet.set([15, 3, 0x61, 0x62, 0x63, 255], 108); // file area: option 15 "abc"
    packet.set([56, 2, 0x68, 0x69, 255], 44); // sname area: option 56 "hi"
    const decoded = decodeDhcpMessage(packet);
    expect(decoded.options.map((o) => [o.code, Buffer.from(o.data).toString()])).toEqual([['12', 'web1'], [15, 'abc'], [56, 'hi']].map(([c, v]) => [Number(c), v]));
  });

  it('rejects short packets, a missing cookie and an option running past the end', () => {
    expect(() => decodeDhcpMessage(new Uint8Array(100))).toThrow(DhcpDecodeError);
    const noCookie = encodeDhcpMessage(base);
    noCookie[236] = 0;
    expect(() => decodeDhcpMessage(noCookie)).toThrow('no magic cookie');
    const truncated = encodeDhcpMessage(base).subarray(0, 246);
    truncated[243] = 12; truncated[244] = 200;
    expect(() => decodeDhcpMessage(truncated)).toThrow('option 12 runs past the end');
  });

  it('refuses to encode an option longer than 255 bytes', () => {
    expect(() => encodeDhcpMessage({ ...base, options: [{ code: 61, data: new Uint8Array(256) }] })).toThrow('max 255');
  });
});
