// Releasing a lease and proving it (design §2.5, F11): a RELEASE gets no answer and is lost when dnsmasq's socket
// buffer overflows or dnsmasq is stopping, so every RELEASE is followed by an INFORM. dnsmasq is single-threaded:
// an INFORM answered after the RELEASE shows whether the RELEASE took effect.
import { clientIdBytes } from './client-identity.ts';
import { HostDhcpClient } from './dhcp/host-client.ts';
import { readLeaseSnapshot, withoutClientId } from './dnsmasq/lease-file.ts';
import { writeFileAtomic } from './state/atomic-file.ts';
import { readFileSync } from 'node:fs';
import type { IpamSettings } from './config.ts';
import type { NetworkPaths } from './state/paths.ts';

export interface ReleaseTarget {
  address: number;
  /** The client-id text the lease was taken with; dnsmasq releases only a lease held by this client-id. */
  clientId: string;
}

export interface ReleaseChannel {
  host: HostDhcpClient;
  serverId: number;
  timeoutMs: number;
  /** dnsmasq's lease file when the plugin manages dnsmasq: a tie-breaker when the address was re-leased at once. */
  leasesPath?: string;
  tries?: number;
}

/**
 * RELEASE then INFORM, up to `tries` times. Released means: no lease for the address any more, or the address now
 * belongs to another client (a RELEASE carries our client-id, so dnsmasq never drops someone else's lease).
 */
export async function releaseConfirmed(target: ReleaseTarget, channel: ReleaseChannel): Promise<boolean> {
  const clientId = clientIdBytes(target.clientId);
  for (let i = 0; i < (channel.tries ?? 3); i++) {
    channel.host.release({ address: target.address, serverId: channel.serverId, clientId });
    const probe = await channel.host.inform(target.address, channel.timeoutMs);
    if (probe && !probe.leased) return true;
    if (probe?.leased && channel.leasesPath !== undefined) {
      const holder = (await readLeaseSnapshot(channel.leasesPath)).find((lease) => lease.address === target.address);
      if (holder && holder.cniClientId !== target.clientId) return true;
    }
  }
  return false;
}

/** The channel for one network: its bridge and gateway, its lease file only when the plugin manages dnsmasq. */
export function releaseChannel(host: HostDhcpClient, ipam: IpamSettings, paths: NetworkPaths): ReleaseChannel {
  const channel: ReleaseChannel = { host, serverId: ipam.gateway, timeoutMs: Math.min(ipam.timeoutMs, 1000) };
  if (ipam.manageDnsmasq) channel.leasesPath = paths.leases;
  return channel;
}

/** Drops client-ids from the lease file of a stopped dnsmasq (it reads the file only at start). */
export async function removeLeasesOffline(leasesPath: string, clientIds: Iterable<string>): Promise<void> {
  let text: string;
  try {
    text = readFileSync(leasesPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  let edited = text;
  for (const clientId of clientIds) edited = withoutClientId(edited, clientId);
  if (edited !== text) await writeFileAtomic(leasesPath, edited, 0o644);
}
