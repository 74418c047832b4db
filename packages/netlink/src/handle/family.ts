import type { IpAddress } from '../codec/codec.ts';
import { AF } from '../sys/constants.ts';

/** IP version in views and specs; AF_INET/AF_INET6 on the wire. */
export type IpFamily = 4 | 6;

export const toAf = (family: IpFamily): number => (family === 4 ? AF.INET : AF.INET6);

export function fromAf(af: number): IpFamily {
  if (af === AF.INET) return 4;
  if (af === AF.INET6) return 6;
  throw new Error(`netlink: address family ${af} is neither AF_INET nor AF_INET6`);
}

export const familyOf = (ip: IpAddress): IpFamily => (ip.kind() === 'ipv4' ? 4 : 6);

/** An address with a prefix length: `10.1.0.0/16` is `{ address: 10.1.0.0, prefixLen: 16 }`. */
export interface Prefix {
  address: IpAddress;
  prefixLen: number;
}
