// CHECK, inside the container (checklist 4.4 step 7): every address of prevResult is on the interface with a
// route to its prefix, and every route of prevResult is in the table (a default route matched by gateway).
import type { Handle, Link } from '@cni-ts/netlink';
import { parsePrefix } from '@cni-ts/netlink';
import type { Result } from '@cni-ts/skel';
import { parseIp, parseIpNet } from '../ipnet.ts';

export async function checkContainerL3(container: Handle, link: Link, prev: Result): Promise<void> {
  const addresses = await container.address.list({ index: link.index });
  const routes = await container.route.list({ table: 'all' });
  for (const ip of prev.ips ?? []) {
    const want = parseIpNet(ip.address);
    if (!addresses.some((a) => a.address.toString() === want.ip && a.prefixLen === want.prefixLength)) {
      throw new Error(`Failed to match addr ${want.cidr} on interface ${link.name}`);
    }
    const hasPrefixRoute = routes.some(
      (r) => r.dst !== undefined && r.dst.prefixLen === want.prefixLength && `${r.dst.address.toString()}/${r.dst.prefixLen}` === want.network,
    );
    if (!hasPrefixRoute) throw new Error(`Failed to locate route for ${want.network}`);
  }
  for (const route of prev.routes ?? []) {
    const dst = parsePrefix(route.dst);
    const family = dst.address.kind() === 'ipv4' ? 4 : 6;
    const found = routes.some((r) => {
      if (r.family !== family) return false;
      if (route.gw !== undefined && r.gateway?.toString() !== parseIp(route.gw)?.ip) return false;
      if (dst.prefixLen === 0) return r.dst === undefined || r.dst.prefixLen === 0;
      return r.dst !== undefined && r.dst.prefixLen === dst.prefixLen && r.dst.address.toString() === dst.address.toString();
    });
    if (!found) throw new Error(`Expected Route {Dst: ${route.dst} Gw: ${route.gw ?? '<nil>'}} not found in the route table`);
  }
}

/** With isGateway, the bridge (or the vlan gateway interface) still carries each gateway address of prevResult. */
export async function checkGatewayAddresses(host: Handle, gatewayLink: Link, prev: Result): Promise<void> {
  const present = new Set((await host.address.list({ index: gatewayLink.index })).map((a) => `${a.address.toString()}/${a.prefixLen}`));
  for (const ip of prev.ips ?? []) {
    const gw = ip.gateway === undefined ? undefined : parseIp(ip.gateway);
    if (!gw) continue;
    const want = `${gw.ip}/${parseIpNet(ip.address).prefixLength}`;
    if (!present.has(want)) throw new Error(`gateway address ${want} is missing on "${gatewayLink.name}"`);
  }
}
