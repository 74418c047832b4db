import { randomBytes } from '../random-bytes.ts';

/** A fresh transaction id per attempt, so a late answer to an earlier attempt is recognisable. */
export function newXid(): number {
  return randomBytes(4).readUInt32BE(0);
}
