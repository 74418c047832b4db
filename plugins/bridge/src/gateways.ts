// calcGateways (checklist 4.2 step 9.3), pure: from the IPAM result, the container's addresses (all on
// interface index 2, the container veth), the gateway of each (IPAM's, or the subnet's first host when we are the
// gateway), a default route per family when isDefaultGateway, and the gateway addresses the bridge must carry.
import type { Result, Route } from '@cni-ts/skel';
import { firstHost, type IpFamily, type IpNet, parseIp, parseIpNet } from './ipnet.ts';

export interface L3Plan {
  /** The IPAM result with interface indexes, computed gateways and added default routes. */
  result: Result;
  /** The container's addresses, parsed, in result order. */
  addresses: IpNet[];
  /** Per family, the addresses (gateway/container prefix) the bridge (or vlan interface) gets. */
  gateways: Record<IpFamily, IpNet[]>;
}

const DEFAULT_DST: Record<IpFamily, string> = { 4: '0.0.0.0/0', 6: '::/0' };

/** Whether `route` is a default route of `family` through some gateway (a gateway-less one does not count). */
function isDefaultVia(route: Route, family: IpFamily): boolean {
  if (route.gw === undefined) return false;
  try {
    const dst = parseIpNet(route.dst);
    return dst.family === family && dst.prefixLength === 0;
  } catch {
    return false; // not a CIDR: certainly not a default route
  }
}

export function planGateways(ipam: Result, conf: { isGateway: boolean; isDefaultGateway: boolean }): L3Plan {
  const routes = [...(ipam.routes ?? [])];
  const gateways: Record<IpFamily, IpNet[]> = { 4: [], 6: [] };
  const defaultRouteFound: Record<IpFamily, boolean> = { 4: false, 6: false };
  const addresses: IpNet[] = [];
  const ips = (ipam.ips ?? []).map((ipc) => {
    const address = parseIpNet(ipc.address);
    addresses.push(address);
    const family = address.family;
    let gateway = ipc.gateway;
    if (gateway === undefined && conf.isGateway) gateway = firstHost(address);
    if (conf.isDefaultGateway && !defaultRouteFound[family]) {
      if (!routes.some((r) => isDefaultVia(r, family))) routes.push({ dst: DEFAULT_DST[family], ...(gateway ? { gw: gateway } : {}) });
      defaultRouteFound[family] = true;
    }
    if (conf.isGateway && gateway !== undefined) {
      const gw = parseIp(gateway);
      if (gw) gateways[family].push(parseIpNet(`${gw.ip}/${address.prefixLength}`));
    }
    return { ...ipc, interface: 2, ...(gateway === undefined ? {} : { gateway }) };
  });
  const result: Result = { ...ipam, ips };
  if (routes.length > 0 || ipam.routes !== undefined) result.routes = routes;
  return { result, addresses, gateways };
}
