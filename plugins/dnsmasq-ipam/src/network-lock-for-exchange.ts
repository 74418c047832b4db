// Taking the network lock for a DHCP exchange, with dnsmasq known to be running the current config.
import type { Logger } from '@cni-ts/skel';
import { findDnsmasq } from './dnsmasq/find-binary.ts';
import { dnsmasqUpToDate, ensureDnsmasq } from './dnsmasq/ensure.ts';
import type { IpamSettings } from './config.ts';
import type { Links } from './links.ts';
import { NetworkLock } from './state/network-lock.ts';
import type { NetworkPaths } from './state/paths.ts';

/**
 * Returns the SHARED lock with dnsmasq up to date. The common case (already running) never takes the exclusive
 * lock, so parallel ADDs do not queue behind each other; otherwise EXCLUSIVE, ensure, and look again (GC may stop
 * dnsmasq between the two locks, hence the loop).
 */
export async function lockForExchange(o: {
  network: string;
  ipam: IpamSettings;
  paths: NetworkPaths;
  pathEnv: string | undefined;
  links: Links;
  log: Logger;
}): Promise<NetworkLock> {
  if (!o.ipam.manageDnsmasq) return NetworkLock.acquire(o.paths.lock, 'shared');
  const binary = findDnsmasq(o.ipam.dnsmasqPath, o.pathEnv);
  for (;;) {
    const shared = await NetworkLock.acquire(o.paths.lock, 'shared');
    if (await dnsmasqUpToDate(o.ipam, o.paths)) return shared;
    shared.release();
    using exclusive = await NetworkLock.acquire(o.paths.lock, 'exclusive');
    await ensureDnsmasq({ network: o.network, ipam: o.ipam, paths: o.paths, binary, links: o.links, log: o.log });
  }
}
