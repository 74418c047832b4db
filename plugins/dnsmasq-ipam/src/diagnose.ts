// Why no DHCP answer came (F4-F6): decided after the timeout, from things that are cheap to look at, so the error
// says what to fix instead of only "timed out".
import { HostDhcpClient } from './dhcp/host-client.ts';
import { readLeaseSnapshot } from './dnsmasq/lease-file.ts';
import { runningDnsmasqPid } from './dnsmasq/daemon.ts';
import { formatIpv4 } from './ipv4.ts';
import type { IpamSettings } from './config.ts';
import type { NetworkPaths } from './state/paths.ts';

/** Addresses dnsmasq can hand out: the range, minus its own address (it never leases that). */
export function poolSize(ipam: IpamSettings): number {
  const size = ipam.rangeEnd - ipam.rangeStart + 1;
  return ipam.gateway >= ipam.rangeStart && ipam.gateway <= ipam.rangeEnd ? size - 1 : size;
}

export interface PoolUsage {
  leased: number;
  size: number;
  exhausted: boolean;
  text: string;
}

/** Leases inside the range, from a best-effort lease-file snapshot. */
export async function poolUsage(ipam: IpamSettings, paths: NetworkPaths): Promise<PoolUsage> {
  const leases = await readLeaseSnapshot(paths.leases);
  const leased = leases.filter((l) => l.address >= ipam.rangeStart && l.address <= ipam.rangeEnd).length;
  const size = poolSize(ipam);
  const range = `${formatIpv4(ipam.rangeStart)}-${formatIpv4(ipam.rangeEnd)}`;
  return { leased, size, exhausted: leased >= size, text: `address pool ${range} exhausted (${leased}/${size} leased)` };
}

// Only spent when an exchange already failed, and not tied to ipam.timeoutMs: a short timeout chosen for the exchange
// must not turn a busy but healthy dnsmasq into "did not answer".
const LOCAL_PROBE_MS = 1000;

export async function diagnoseNoReply(ipam: IpamSettings, paths: NetworkPaths): Promise<string> {
  if (ipam.manageDnsmasq) {
    if (runningDnsmasqPid(paths) === undefined) return `dnsmasq is not running; see ${paths.log}`;
    const usage = await poolUsage(ipam, paths);
    if (usage.exhausted) return usage.text; // dnsmasq logs "no address available" and sends nothing (F4)
  }
  let answered = false;
  try {
    using host = HostDhcpClient.open(ipam.interface, ipam.gateway);
    answered = (await host.inform(ipam.gateway, LOCAL_PROBE_MS)) !== undefined;
  } catch {
    answered = false; // the bridge itself is unusable: reported as "did not answer" below
  }
  const iface = ipam.interface;
  if (answered) return `dnsmasq answers locally but not from ${iface}: check INPUT rules for udp/67 (and 53) on ${iface}`;
  return ipam.manageDnsmasq ? `dnsmasq did not answer; see ${paths.log}` : `the DHCP server at ${formatIpv4(ipam.gateway)} did not answer`;
}
