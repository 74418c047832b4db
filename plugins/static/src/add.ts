// ADD: the configured addresses (or those the runtime requested), routes and DNS, as an IPAM result. Stateless:
// nothing is reserved, so nothing stops two containers from being given the same address (as in the reference).
import type { AddContext, Result } from '@cni-ts/skel';
import { buildIpamResult } from '@cni-ts/ipam-core';
import { loadStaticConfig, type SkelConf, toIpConfig } from './config.ts';

export async function cmdAdd(ctx: AddContext<SkelConf>): Promise<Result> {
  const conf = loadStaticConfig(ctx);
  return buildIpamResult({ ips: conf.addresses.map(toIpConfig), routes: conf.routes, dns: conf.dns });
}
