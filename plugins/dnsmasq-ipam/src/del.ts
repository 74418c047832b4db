// DEL (design §2.7) runs on the host side only and never enters CNI_NETNS, so it works after the bridge plugin
// deleted the veth or the runtime deleted the namespace (the reference dhcp plugin fails there, plugins#791).
// Steps: find every address the attachment may hold → RELEASE each through the bridge and confirm it with an
// INFORM (a release is fire-and-forget in DHCP) → drop the record. With dnsmasq stopped, its lease file is edited
// instead. Anything already gone (run dir, record, lease) is success; an unconfirmed release is 11.
import { existsSync } from 'node:fs';
import type { DelContext } from '@cni-ts/skel';
import { attachmentAddresses } from './attachment-address.ts';
import { clientIdText } from './client-identity.ts';
import { HostDhcpClient } from './dhcp/host-client.ts';
import { runningDnsmasqPid, stopDnsmasq } from './dnsmasq/daemon.ts';
import { releaseUnconfirmed } from './errors.ts';
import { formatIpv4 } from './ipv4.ts';
import type { DnsmasqIpamConf } from './config.ts';
import type { Links } from './links.ts';
import { releaseChannel, releaseConfirmed, removeLeasesOffline } from './lease-release.ts';
import { removeRecord } from './state/attachment-records.ts';
import { NetworkLock } from './state/network-lock.ts';
import { networkPaths } from './state/paths.ts';

export async function cmdDel(ctx: DelContext<DnsmasqIpamConf>, links: Links): Promise<void> {
  const { name: network, ipam } = ctx.conf;
  const paths = networkPaths(ipam.runDir, network);
  if (!existsSync(paths.dir)) return; // nothing was ever leased here
  const clientId = clientIdText(ctx.containerId, ctx.ifName);
  const find = (): Promise<number[]> => attachmentAddresses({ prevResult: ctx.prevResult, ipam, paths, containerId: ctx.containerId, ifName: ctx.ifName, clientId });
  const bridgeExists = (await links.hostAddresses(ipam.interface)) !== undefined;

  const releaseOnline = async (addresses: number[]): Promise<void> => {
    using host = HostDhcpClient.open(ipam.interface, ipam.gateway);
    for (const address of addresses) {
      if (!(await releaseConfirmed({ address, clientId }, releaseChannel(host, ipam, paths)))) throw releaseUnconfirmed(formatIpv4(address), network);
    }
  };

  {
    using shared = await NetworkLock.acquire(paths.lock, 'shared');
    const addresses = await find();
    const online = bridgeExists && (!ipam.manageDnsmasq || runningDnsmasqPid(paths) !== undefined);
    if (addresses.length === 0 || online || !ipam.manageDnsmasq) {
      if (addresses.length > 0 && online) await releaseOnline(addresses);
      else if (addresses.length > 0) ctx.log.warn('bridge is gone: the lease stays with the DHCP server', { iface: ipam.interface });
      await removeRecord(paths.attachments, ctx.containerId, ctx.ifName);
      return;
    }
  }

  // dnsmasq is down, or its bridge is gone (then nobody can be served): edit the lease file with dnsmasq stopped.
  using exclusive = await NetworkLock.acquire(paths.lock, 'exclusive');
  if (bridgeExists && runningDnsmasqPid(paths) !== undefined) {
    await releaseOnline(await find()); // restarted meanwhile
  } else {
    await stopDnsmasq(paths);
    await removeLeasesOffline(paths.leases, [clientId]);
  }
  await removeRecord(paths.attachments, ctx.containerId, ctx.ifName);
}
