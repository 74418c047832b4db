// GC (CNI 1.1, design §2.7): releases every lease and record of an attachment that is not in
// cni.dev/valid-attachments, one confirmed release at a time (200 unpaced releases lost 24 to dnsmasq's socket
// buffer in the lab), then stops dnsmasq once the network has nothing left. Runs under the EXCLUSIVE lock.
import { existsSync, rmSync } from 'node:fs';
import type { GcContext } from '@cni-ts/skel';
import { clientIdText } from './client-identity.ts';
import { HostDhcpClient } from './dhcp/host-client.ts';
import { runningDnsmasqPid, stopDnsmasq } from './dnsmasq/daemon.ts';
import { readLeaseSnapshot } from './dnsmasq/lease-file.ts';
import { releaseUnconfirmed } from './errors.ts';
import { formatIpv4, parseIpv4 } from './ipv4.ts';
import type { DnsmasqIpamConf } from './config.ts';
import type { Links } from './links.ts';
import { releaseChannel, releaseConfirmed, removeLeasesOffline } from './lease-release.ts';
import { listRecords, removeRecord } from './state/attachment-records.ts';
import type { AttachmentRecord } from './state/attachment-records.ts';
import { NetworkLock } from './state/network-lock.ts';
import { networkPaths } from './state/paths.ts';

interface Stale {
  addresses: Set<number>;
  records: AttachmentRecord[];
}

export async function cmdGc(ctx: GcContext<DnsmasqIpamConf>, links: Links): Promise<void> {
  const { name: network, ipam } = ctx.conf;
  const paths = networkPaths(ipam.runDir, network);
  if (!existsSync(paths.dir)) return;
  using exclusive = await NetworkLock.acquire(paths.lock, 'exclusive');

  const valid = new Set(ctx.validAttachments.map((a) => clientIdText(a.containerId, a.ifName)));
  const stale = new Map<string, Stale>();
  const entry = (clientId: string): Stale => {
    let s = stale.get(clientId);
    if (!s) stale.set(clientId, (s = { addresses: new Set(), records: [] }));
    return s;
  };
  // The lease file may read short (torn or empty under churn): a lease missed now is caught by the next GC.
  for (const lease of ipam.manageDnsmasq ? await readLeaseSnapshot(paths.leases) : []) {
    if (lease.cniClientId !== undefined && !valid.has(lease.cniClientId)) entry(lease.cniClientId).addresses.add(lease.address);
  }
  for (const record of await listRecords(paths.attachments)) {
    if (valid.has(record.clientId)) continue;
    const s = entry(record.clientId);
    s.records.push(record);
    const address = parseIpv4(record.address);
    if (address !== undefined) s.addresses.add(address);
  }

  const errors: Error[] = [];
  const bridgeExists = (await links.hostAddresses(ipam.interface)) !== undefined;
  const running = ipam.manageDnsmasq && runningDnsmasqPid(paths) !== undefined;
  if (stale.size > 0 && bridgeExists && (running || !ipam.manageDnsmasq)) {
    using host = HostDhcpClient.open(ipam.interface, ipam.gateway);
    for (const [clientId, s] of stale) {
      let confirmed = true;
      for (const address of s.addresses) {
        if (!(await releaseConfirmed({ address, clientId }, releaseChannel(host, ipam, paths)))) {
          confirmed = false;
          errors.push(releaseUnconfirmed(formatIpv4(address), network));
        }
      }
      if (confirmed) for (const r of s.records) await removeRecord(paths.attachments, r.containerId, r.ifName);
    }
  } else if (stale.size > 0) {
    if (ipam.manageDnsmasq) {
      await stopDnsmasq(paths); // only running with a missing bridge gets here
      await removeLeasesOffline(paths.leases, stale.keys());
    }
    for (const s of stale.values()) for (const r of s.records) await removeRecord(paths.attachments, r.containerId, r.ifName);
  }

  if (ipam.manageDnsmasq && errors.length === 0) await stopIfUnused(paths, ctx.log);
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `GC of network ${network}: ${errors.length} releases not confirmed`);
}

/** No lease and no record left: nothing needs dnsmasq (DNS included) until the next ADD starts it again. */
async function stopIfUnused(paths: ReturnType<typeof networkPaths>, log: GcContext<DnsmasqIpamConf>['log']): Promise<void> {
  if ((await readLeaseSnapshot(paths.leases)).length > 0 || (await listRecords(paths.attachments)).length > 0) return;
  if (runningDnsmasqPid(paths) !== undefined) log.info('network unused: stopping dnsmasq', { dir: paths.dir });
  await stopDnsmasq(paths);
  // Without its config this network no longer claims the bridge (F10 check of other networks).
  rmSync(paths.conf, { force: true });
  rmSync(paths.pid, { force: true });
}
