// Codec property checks shared by every golden test (after dns-packet's testEncoder): decode → encode gives the
// same bytes, decoding works at a non-zero offset inside a larger buffer, and decoding consumes every byte.
import { readFileSync } from 'node:fs';
import type { Codec } from '../codec/codec.ts';
import { Reader } from '../codec/reader.ts';
import { Writer } from '../codec/writer.ts';

/** Reads a `.hex` fixture: `#` comment lines (description, producing command), then hex digits in any layout. */
export function readHexFixture(path: string | URL): Uint8Array {
  const text = readFileSync(path, 'utf8');
  const hex = text
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('')
    .replace(/\s+/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(hex)) throw new Error(`${String(path)}: not hex`);
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

const hexAround = (b: Uint8Array, at: number): string => Buffer.from(b.subarray(Math.max(0, at - 8), at + 8)).toString('hex');

/**
 * Decodes `bytes` with `codec`, re-encodes the result and throws unless the bytes are identical; also decodes a
 * copy embedded at offset 12 of a larger buffer. Returns the decoded value for model assertions.
 */
export function roundTrip<T>(codec: Codec<T>, bytes: Uint8Array): T {
  const r = new Reader(bytes);
  const value = codec.decode(r);
  if (r.remaining !== 0) throw new Error(`roundTrip: ${r.remaining} bytes left undecoded`);
  const w = new Writer(16);
  codec.encode(w, value);
  const again = w.finish();
  const at = firstDifference(bytes, again);
  if (at >= 0) {
    throw new Error(
      `roundTrip: re-encoded bytes differ at offset ${at} (lengths ${bytes.length} vs ${again.length}): ` +
        `expected …${hexAround(bytes, at)}… got …${hexAround(again, at)}…`,
    );
  }
  const padded = new Uint8Array(bytes.length + 20);
  padded.set(bytes, 12);
  const inner = new Reader(padded, 12, 12 + bytes.length);
  codec.decode(inner);
  if (inner.pos !== 12 + bytes.length) throw new Error('roundTrip: decoding at an offset consumed a different length');
  return value;
}
