// Internal to this package's tests: the golden fixtures under src/__fixtures__.
import { readHexFixture } from './round-trip.ts';

export const fixture = (name: string): Uint8Array => readHexFixture(new URL(`../__fixtures__/${name}`, import.meta.url));

/** The top-level attribute types (with NLA_F_* bits) of a message, after `headerLen` bytes of fixed header. */
export function topLevelAttrTypes(message: Uint8Array, headerLen: number): number[] {
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  const types: number[] = [];
  for (let at = 16 + headerLen; at + 4 <= message.length; ) {
    const len = view.getUint16(at, true);
    types.push(view.getUint16(at + 2, true));
    at += (len + 3) & ~3;
  }
  return types;
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
