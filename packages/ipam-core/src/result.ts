// The IPAM result: addresses (with their range's prefix and gateway), routes and DNS. IPAM results carry no
// interfaces and no interface indexes: the calling plugin fills those in.
import type { Dns, IpConfig, Result, Route } from '@cni-ts/skel';
import type { Allocation } from './allocator.ts';
import { formatIp } from './ip.ts';

export interface IpamResultInput {
  readonly ips: readonly IpConfig[];
  readonly routes?: readonly Route[] | undefined;
  readonly dns?: Dns | undefined;
}

export function buildIpamResult(input: IpamResultInput): Result {
  const result: Result = { ips: [...input.ips] };
  if (input.routes && input.routes.length > 0) result.routes = [...input.routes];
  if (input.dns) result.dns = input.dns;
  return result;
}

/** An allocation as a result address: `ip/<subnet prefix>` and the range's gateway. */
export function allocationToIpConfig(a: Allocation): IpConfig {
  return { address: `${formatIp(a.ip)}/${a.range.subnet.prefix}`, gateway: formatIp(a.range.gateway) };
}
