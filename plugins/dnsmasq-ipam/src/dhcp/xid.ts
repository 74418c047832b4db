import { randomBytes } from '../random-bytes.ts';

/** A fresh transaction id per attempt, so a late answer to an earlier attempt is recognisable. */
export function newXid(): number {
  const bytes = randomBytes(4);
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0); // not Buffer's readUInt32BE: see message.ts
}
