// Asks the lab's dnsmasq about an address from the lab's host namespace (the plugin's own INFORM primitive).
import { warmThreadpool } from '@cni-ts/netlink/sys';
import { HostDhcpClient } from '../dhcp/host-client.ts';
import type { LeaseProbe } from '../dhcp/host-client.ts';
import { parseIpv4 } from '../ipv4.ts';
import type { Lab } from './lab.ts';

export async function probeLease(lab: Lab, address: string, gateway: string, timeoutMs = 1000): Promise<LeaseProbe | undefined> {
  await warmThreadpool();
  using host = HostDhcpClient.open(lab.bridge, parseIpv4(gateway) ?? 0, lab.host.path);
  return await host.inform(parseIpv4(address) ?? 0, timeoutMs); // await: `using` closes the socket on return
}
