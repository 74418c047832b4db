import ipaddr from 'ipaddr.js';
import type { Prefix } from './family.ts';

/** `'10.1.0.0/16'` → `{ address, prefixLen: 16 }`. Throws on a malformed CIDR. */
export function parsePrefix(cidr: string): Prefix {
  const [address, prefixLen] = ipaddr.parseCIDR(cidr);
  return { address, prefixLen };
}
