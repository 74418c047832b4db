// cnitool has no container to name, so it derives a stable id from the namespace path; `cni-ts run` does the same
// so that an attachment made by one tool can be checked or deleted by the other.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';

/** `cnitool-` + hex of the first 10 bytes of sha512(absolute netns path). */
export function cnitoolContainerId(netnsPath: string): string {
  const digest = createHash('sha512').update(resolve(netnsPath)).digest();
  return `cnitool-${digest.subarray(0, 10).toString('hex')}`;
}
