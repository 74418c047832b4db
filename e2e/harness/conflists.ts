// The network configuration list of a cell: bridge (gateway + default route, masquerading per the cell) with the
// cell's IPAM for its address family. Subnets can be the same in every cell: each cell has its own host namespace.
import { join } from 'node:path';
import type { Cell, Family } from '../matrix.ts';
import type { Sandbox } from './sandbox.ts';

export const subnets = {
  v4: { subnet: '10.77.0.0/24', gateway: '10.77.0.1', static: '10.77.0.10/24' },
  v6: { subnet: 'fd77::/64', gateway: 'fd77::1', static: 'fd77::10/64' },
  // a second IPv6 network: a bridge can carry several IPv6 gateways, but only one IPv4 address (ensureAddr)
  v6b: { subnet: 'fd79::/64', gateway: 'fd79::1', static: 'fd79::10/64' },
} as const;

type Net = (typeof subnets)[keyof typeof subnets];

const netsOf = (family: Family): Net[] => ({
  ipv4: [subnets.v4], ipv6: [subnets.v6], dual: [subnets.v4, subnets.v6], multi: [subnets.v6, subnets.v6b], l2: [],
})[family];

export function ipamConfig(cell: Cell, sb: Sandbox): Record<string, unknown> {
  const nets = netsOf(cell.family);
  switch (cell.ipam) {
    case 'host-local':
      return { type: 'host-local', dataDir: join(sb.stateDir, 'host-local'), ranges: nets.map((n) => [{ subnet: n.subnet, gateway: n.gateway }]) };
    case 'static':
      return { type: 'static', addresses: nets.map((n) => ({ address: n.static, gateway: n.gateway })) };
    case 'dnsmasq-ipam':
      // dns.forward off: dnsmasq must never talk to a resolver outside the cell
      return { type: 'dnsmasq-ipam', subnet: subnets.v4.subnet, gateway: subnets.v4.gateway, runDir: join(sb.stateDir, 'dnsmasq-ipam'), dns: { forward: false } };
    case 'none':
      return {};
  }
}

export function bridgeConfig(cell: Cell, sb: Sandbox): Record<string, unknown> {
  const l3 = cell.family !== 'l2';
  return {
    type: 'bridge',
    bridge: sb.bridge,
    ...(l3 ? { isGateway: true, isDefaultGateway: true } : {}),
    ...(cell.masq !== 'none' ? { ipMasq: true, ipMasqBackend: cell.masq } : {}),
    ipam: ipamConfig(cell, sb),
  };
}

/** The conflist object (the runner takes its bytes). */
export function cellConflist(cell: Cell, sb: Sandbox): Record<string, unknown> {
  return { cniVersion: cell.version, name: sb.network, plugins: [bridgeConfig(cell, sb)] };
}
