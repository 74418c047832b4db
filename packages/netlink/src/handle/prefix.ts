import { parseCidr } from '../codec/ip-text.ts';
import type { Prefix } from './family.ts';

/** `'10.1.0.0/16'` → `{ address, prefixLen: 16 }`, as ipaddr.parseCIDR reads it. Throws on a malformed CIDR. */
export function parsePrefix(cidr: string): Prefix {
  return parseCidr(cidr);
}
