// STATUS (CNI 1.1): can this network serve an ADD right now? 50 when dnsmasq is missing, cannot start, or the pool
// is exhausted; 51 when it cannot start while containers hold leases (their addresses are static, but DNS is down).
import { existsSync, mkdirSync } from 'node:fs';
import { CniError, ErrorCode, toCniError } from '@cni-ts/skel';
import type { StatusContext } from '@cni-ts/skel';
import { HostDhcpClient } from './dhcp/host-client.ts';
import { poolUsage } from './diagnose.ts';
import { runningDnsmasqPid } from './dnsmasq/daemon.ts';
import { ensureDnsmasq } from './dnsmasq/ensure.ts';
import { findDnsmasq } from './dnsmasq/find-binary.ts';
import { notAvailable } from './errors.ts';
import { formatIpv4 } from './ipv4.ts';
import type { DnsmasqIpamConf } from './config.ts';
import type { Links } from './links.ts';
import { NetworkLock } from './state/network-lock.ts';
import { networkPaths } from './state/paths.ts';

export async function cmdStatus(ctx: StatusContext<DnsmasqIpamConf>, links: Links): Promise<void> {
  const { name: network, ipam } = ctx.conf;
  const paths = networkPaths(ipam.runDir, network);
  if (!ipam.manageDnsmasq) {
    using host = HostDhcpClient.open(ipam.interface, ipam.gateway);
    if (!(await host.inform(ipam.gateway, ipam.timeoutMs))) {
      throw new CniError(ErrorCode.PluginNotAvailable, `the DHCP server at ${formatIpv4(ipam.gateway)} on ${ipam.interface} does not answer`);
    }
    return;
  }
  let binary: string;
  try {
    binary = findDnsmasq(ipam.dnsmasqPath, ctx.env.PATH);
  } catch (err) {
    throw notAvailable(toCniError(err));
  }
  const usage = await poolUsage(ipam, paths);
  if (usage.exhausted) throw new CniError(ErrorCode.PluginNotAvailable, usage.text);
  if (runningDnsmasqPid(paths) !== undefined) return;
  // Before the first ADD the bridge may not exist yet (the bridge plugin creates it): nothing to prove then.
  if ((await links.hostAddresses(ipam.interface)) === undefined) return;
  // Otherwise start dnsmasq now, as the next ADD would: that is the only sure test that it can start.
  if (!existsSync(paths.dir)) mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  using exclusive = await NetworkLock.acquire(paths.lock, 'exclusive');
  try {
    await ensureDnsmasq({ network, ipam, paths, binary, links, log: ctx.log });
  } catch (err) {
    throw notAvailable(toCniError(err), usage.leased > 0);
  }
}
