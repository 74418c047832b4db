// ADD: one address from each range set for (CNI_CONTAINERID, CNI_IFNAME), plus the configured routes and the DNS of
// ipam.resolvConf. No netns is needed: host-local runs standalone or delegated (bridge), and the caller applies the
// addresses. allocate() holds the pool lock once for all range sets and undoes its own reservations on failure.
import { readFileSync } from 'node:fs';
import type { AddContext, Dns, Result } from '@cni-ts/skel';
import { allocate, allocationToIpConfig, buildIpamResult, invalidIpamConfig, parseResolvConf } from '@cni-ts/ipam-core';
import { loadHostLocalConfig, type SkelConf } from './config.ts';
import { DiskStore } from './disk-store.ts';

export async function cmdAdd(ctx: AddContext<SkelConf>): Promise<Result> {
  const conf = loadHostLocalConfig(ctx);
  const dns = conf.resolvConf === undefined ? undefined : readResolvConf(conf.resolvConf); // before any reservation
  const store = new DiskStore(conf);
  store.ensureDir();
  const allocations = await allocate(store, {
    sets: conf.sets,
    owner: { containerId: ctx.containerId, ifName: ctx.ifName },
    ...(conf.requested ? { requested: conf.requested.ips, requestedFrom: conf.requested.source } : {}),
  });
  ctx.log.debug('allocated', { ips: allocations.map((a) => allocationToIpConfig(a).address) });
  return buildIpamResult({ ips: allocations.map(allocationToIpConfig), routes: conf.routes, dns });
}

function readResolvConf(path: string): Dns {
  try {
    return parseResolvConf(readFileSync(path, 'utf8'));
  } catch (err) {
    throw invalidIpamConfig(`ipam.resolvConf: cannot read ${path}: ${(err as Error).message}`);
  }
}
