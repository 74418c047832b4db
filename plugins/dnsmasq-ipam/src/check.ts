// CHECK (design §2.7): read-only and host-side. dnsmasq must be alive, hold a lease for the attachment's address,
// and hold it for this attachment's client-id.
import { existsSync } from 'node:fs';
import { CniError } from '@cni-ts/skel';
import type { CheckContext } from '@cni-ts/skel';
import { addressFromResult } from './attachment-address.ts';
import { clientIdText } from './client-identity.ts';
import { HostDhcpClient } from './dhcp/host-client.ts';
import { runningDnsmasqPid } from './dnsmasq/daemon.ts';
import { readLeaseSnapshot } from './dnsmasq/lease-file.ts';
import { DnsmasqIpamCode, dnsmasqNotRunning, leasedToOther, leaseMissing, noReply } from './errors.ts';
import { formatIpv4, parseIpv4 } from './ipv4.ts';
import type { DnsmasqIpamConf } from './config.ts';
import { readRecord } from './state/attachment-records.ts';
import { NetworkLock } from './state/network-lock.ts';
import { networkPaths } from './state/paths.ts';

export async function cmdCheck(ctx: CheckContext<DnsmasqIpamConf>): Promise<void> {
  const { name: network, ipam } = ctx.conf;
  const paths = networkPaths(ipam.runDir, network);
  const clientId = clientIdText(ctx.containerId, ctx.ifName);
  const record = existsSync(paths.dir) ? await readRecord(paths.attachments, ctx.containerId, ctx.ifName) : undefined;
  const address = addressFromResult(ctx.prevResult, ipam) ?? (record ? parseIpv4(record.address) : undefined);
  if (address === undefined) {
    throw new CniError(DnsmasqIpamCode.AddressUnavailable, `dnsmasq-ipam: no address recorded for container ${ctx.containerId} interface ${ctx.ifName}`);
  }
  const text = formatIpv4(address);
  using shared = existsSync(paths.dir) ? await NetworkLock.acquire(paths.lock, 'shared') : undefined;
  if (ipam.manageDnsmasq && runningDnsmasqPid(paths) === undefined) throw dnsmasqNotRunning(network, paths.log);

  using host = HostDhcpClient.open(ipam.interface, ipam.gateway);
  const probe = await host.inform(address, ipam.timeoutMs);
  if (!probe) throw noReply({ iface: ipam.interface, containerId: ctx.containerId, ifName: ctx.ifName, reason: `no answer to an INFORM for ${text}` });
  if (!probe.leased) throw leaseMissing(text);
  if (ipam.manageDnsmasq) {
    const holder = (await readLeaseSnapshot(paths.leases)).find((lease) => lease.address === address);
    if (holder && holder.cniClientId !== clientId) throw leasedToOther(text, holder.cniClientId ?? holder.hostname ?? holder.mac);
  }
}
