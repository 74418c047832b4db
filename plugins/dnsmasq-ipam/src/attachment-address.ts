// Which address(es) an attachment holds, from every source DEL and CHECK can trust, best first.
import type { Result } from '@cni-ts/skel';
import { readLeaseSnapshot } from './dnsmasq/lease-file.ts';
import { parseIpv4, subnetContains } from './ipv4.ts';
import type { IpamSettings } from './config.ts';
import { readRecord } from './state/attachment-records.ts';
import type { NetworkPaths } from './state/paths.ts';

/** The IPv4 address in `prevResult` that belongs to this network's subnet. */
export function addressFromResult(result: Result | undefined, ipam: IpamSettings): number | undefined {
  for (const ip of result?.ips ?? []) {
    const value = parseIpv4(ip.address.split('/')[0] ?? '');
    if (value !== undefined && subnetContains(ipam.subnet, value)) return value;
  }
  return undefined;
}

/**
 * Every distinct address the attachment may hold: prevResult, the plugin's record, then dnsmasq's lease file
 * (by client-id). Releasing all of them is safe: dnsmasq releases only leases held by our client-id.
 */
export async function attachmentAddresses(o: {
  prevResult: Result | undefined;
  ipam: IpamSettings;
  paths: NetworkPaths;
  containerId: string;
  ifName: string;
  clientId: string;
}): Promise<number[]> {
  const found = new Set<number>();
  const fromResult = addressFromResult(o.prevResult, o.ipam);
  if (fromResult !== undefined) found.add(fromResult);
  const record = await readRecord(o.paths.attachments, o.containerId, o.ifName);
  const fromRecord = record ? parseIpv4(record.address) : undefined;
  if (fromRecord !== undefined) found.add(fromRecord);
  if (o.ipam.manageDnsmasq) {
    for (const lease of await readLeaseSnapshot(o.paths.leases)) if (lease.cniClientId === o.clientId) found.add(lease.address);
  }
  return [...found];
}
