// ADD (design §2.7): a rapid-commit DHCP exchange from inside the container namespace, against the network's
// dnsmasq, which is started on first use.
import { mkdirSync } from 'node:fs';
import { CniError, Rollback } from '@cni-ts/skel';
import type { AddContext, Result } from '@cni-ts/skel';
import { warmThreadpool } from '@cni-ts/netlink/sys';
import { chooseHostname, clientIdBytes, clientIdText } from './client-identity.ts';
import { acquireLease } from './dhcp/container-client.ts';
import type { ClientIdentity, DhcpReply } from './dhcp/packets.ts';
import { INFINITE_LEASE } from './dhcp/constants.ts';
import { HostDhcpClient } from './dhcp/host-client.ts';
import { diagnoseNoReply } from './diagnose.ts';
import { readLeaseSnapshot } from './dnsmasq/lease-file.ts';
import { DnsmasqIpamCode, invalidLease, noReply, refused, requestedAddressUnavailable } from './errors.ts';
import { formatCidr, formatIpv4, maskPrefix, subnetContains } from './ipv4.ts';
import type { DnsmasqIpamConf, IpamSettings } from './config.ts';
import type { Links } from './links.ts';
import { releaseChannel, releaseConfirmed } from './lease-release.ts';
import { lockForExchange } from './network-lock-for-exchange.ts';
import { requestedAddress } from './requested-ip.ts';
import { readRecord, writeRecord } from './state/attachment-records.ts';
import { networkPaths } from './state/paths.ts';
import type { NetworkPaths } from './state/paths.ts';

export async function cmdAdd(ctx: AddContext<DnsmasqIpamConf>, links: Links): Promise<Result> {
  const { name: network, ipam } = ctx.conf;
  const paths = networkPaths(ipam.runDir, network);
  const requestedIp = requestedAddress(ctx.raw, ctx.args, ipam);
  await warmThreadpool(); // before the first namespace window (netlink-transport.md §8)
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });

  using exchangeLock = await lockForExchange({ network, ipam, paths, pathEnv: ctx.env.PATH, links, log: ctx.log });
  const client = await identify(ctx, ipam, links);
  const clientId = clientIdText(ctx.containerId, ctx.ifName);
  const earlier = await readRecord(paths.attachments, ctx.containerId, ctx.ifName);

  await using undo = new Rollback(ctx.log);
  // With rapid commit dnsmasq commits the lease even when the ACK never reaches us, so a failed ADD releases
  // whatever this client-id holds; a lease recorded by an earlier ADD is left alone.
  let leased: number | undefined;
  if (!earlier) undo.push(() => releaseAfterFailure({ ipam, paths, clientId, address: leased }));

  const outcome = await acquireLease({ netns: ctx.netns, ifName: ctx.ifName, client, requestedIp, timeoutMs: ipam.timeoutMs, attempts: ipam.attempts });
  if (outcome.kind === 'timeout') {
    throw noReply({ iface: ipam.interface, containerId: ctx.containerId, ifName: ctx.ifName, reason: await diagnoseNoReply(ipam, paths) });
  }
  if (outcome.kind === 'refused') throw refused({ iface: ipam.interface, attempts: outcome.naks, message: outcome.message });
  const ack = outcome.reply;
  leased = ack.yiaddr;
  const prefix = checkLease(ack, ipam, requestedIp);

  await writeRecord(paths.attachments, {
    containerId: ctx.containerId, ifName: ctx.ifName, clientId, address: formatIpv4(ack.yiaddr), prefix,
    mac: macText(client.mac), hostname: client.hostname,
  });
  undo.commit();
  return buildResult(ack, prefix, ipam);
}

async function identify(ctx: AddContext<DnsmasqIpamConf>, ipam: IpamSettings, links: Links): Promise<ClientIdentity> {
  const mac = await links.containerMac(ctx.netns, ctx.ifName);
  if (!mac) throw new CniError(DnsmasqIpamCode.NotFound, `interface ${ctx.ifName} not found in ${ctx.netns}`, 'the main plugin (e.g. bridge) creates the container interface before calling IPAM');
  const hostname = chooseHostname({ hostnameArgs: ipam.hostnameArgs, lookupArg: (k) => ctx.args.get(k), containerId: ctx.containerId });
  return { mac, clientId: clientIdBytes(clientIdText(ctx.containerId, ctx.ifName)), hostname };
}

/** Returns the prefix length. The lease must be usable as a static address: infinite, in the subnet and range. */
function checkLease(ack: DhcpReply, ipam: IpamSettings, requestedIp: number | undefined): number {
  const address = formatIpv4(ack.yiaddr);
  if (ack.yiaddr === 0) throw invalidLease('the ACK carries no address');
  if (ack.leaseTime !== INFINITE_LEASE) {
    throw invalidLease(`${address} was leased for ${ack.leaseTime ?? 'an unspecified time'} s; dnsmasq-ipam needs infinite leases (it runs no renewal daemon)`);
  }
  if (!subnetContains(ipam.subnet, ack.yiaddr)) throw invalidLease(`${address} is outside ipam.subnet ${formatCidr(ipam.subnet.network, ipam.subnet.prefix)}`);
  if (ipam.manageDnsmasq && (ack.yiaddr < ipam.rangeStart || ack.yiaddr > ipam.rangeEnd)) {
    throw invalidLease(`${address} is outside the range ${formatIpv4(ipam.rangeStart)}-${formatIpv4(ipam.rangeEnd)}`);
  }
  if (requestedIp !== undefined && ack.yiaddr !== requestedIp) {
    throw requestedAddressUnavailable(formatIpv4(requestedIp), `dnsmasq offered ${address} instead: the requested address is leased to another client`);
  }
  return (ack.subnetMask === undefined ? undefined : maskPrefix(ack.subnetMask)) ?? ipam.subnet.prefix;
}

function buildResult(ack: DhcpReply, prefix: number, ipam: IpamSettings): Result {
  const router = ack.routers[0] ?? (ipam.manageDnsmasq ? ipam.gateway : undefined);
  const gateway = router === undefined ? undefined : formatIpv4(router);
  const result: Result = {
    ips: [gateway === undefined ? { address: formatCidr(ack.yiaddr, prefix) } : { address: formatCidr(ack.yiaddr, prefix), gateway }],
  };
  if (ipam.routes.length > 0) {
    result.routes = ipam.routes.map((r) => {
      const gw = r.gw ?? gateway;
      return gw === undefined ? { dst: r.dst } : { dst: r.dst, gw };
    });
  }
  const nameservers = ack.dnsServers.map(formatIpv4);
  if (nameservers.length > 0 || ack.domainName) {
    result.dns = {};
    if (nameservers.length > 0) result.dns.nameservers = nameservers;
    if (ack.domainName) {
      result.dns.domain = ack.domainName;
      result.dns.search = [ack.domainName];
    }
  }
  return result;
}

async function releaseAfterFailure(o: { ipam: IpamSettings; paths: NetworkPaths; clientId: string; address: number | undefined }): Promise<void> {
  const address = o.address ?? (await readLeaseSnapshot(o.paths.leases)).find((l) => l.cniClientId === o.clientId)?.address;
  if (address === undefined) return;
  using host = HostDhcpClient.open(o.ipam.interface, o.ipam.gateway);
  await releaseConfirmed({ address, clientId: o.clientId }, releaseChannel(host, o.ipam, o.paths));
}

function macText(mac: Uint8Array): string {
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join(':');
}
