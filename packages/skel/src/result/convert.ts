// The 1.x model → the JSON object of any spec version, with the reference's conversion rules
// (`pkg/types/internal/convert.go`, checklist 2.2) and Go's field order and omitempty behaviour.
import { CniError, ErrorCode } from '../errors.ts';
import { goJsonIndent } from '../go-json.ts';
import type { CniVersion } from '../versions.ts';
import { cidrFamily } from './ip-text.ts';
import type { Dns, Interface, IpConfig, Result, Route } from './model.ts';
import { shapeOf } from './schemas.ts';

// omitempty: Go leaves out "", 0, false, empty slices and nil pointers. Pointer fields (interface index,
// route table and scope) are written whenever they are set, even when 0.
const str = (s: string | undefined): string | undefined => (s === '' ? undefined : s);
const num = (n: number | undefined): number | undefined => (n === 0 ? undefined : n);
const list = <T>(l: T[] | undefined): T[] | undefined => (l === undefined || l.length === 0 ? undefined : l);

/** Builds an object in the given key order, leaving out undefined values. */
function ordered(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) if (v !== undefined) out[k] = v;
  return out;
}

const dnsJson = (d: Dns | undefined) =>
  ordered([
    ['nameservers', list(d?.nameservers)],
    ['domain', str(d?.domain)],
    ['search', list(d?.search)],
    ['options', list(d?.options)],
  ]);

const routeJson = (r: Route) =>
  ordered([
    ['dst', r.dst],
    ['gw', str(r.gw)],
    ['mtu', num(r.mtu)],
    ['advmss', num(r.advmss)],
    ['priority', num(r.priority)],
    ['table', r.table],
    ['scope', r.scope],
  ]);

const interfaceJson100 = (i: Interface) =>
  ordered([
    ['name', i.name],
    ['mac', str(i.mac)],
    ['mtu', num(i.mtu)],
    ['sandbox', str(i.sandbox)],
    ['socketPath', str(i.socketPath)],
    ['pciID', str(i.pciID)],
  ]);

// 1.x → 0.3.x/0.4.0 drops the 1.1.0 interface fields (mtu, socketPath, pciID).
const interfaceJson040 = (i: Interface) =>
  ordered([
    ['name', i.name],
    ['mac', str(i.mac)],
    ['sandbox', str(i.sandbox)],
  ]);

const family = (ip: IpConfig): 4 | 6 => (cidrFamily(ip.address) === 4 ? 4 : 6);

function to100(r: Result, version: CniVersion): Record<string, unknown> {
  return ordered([
    ['cniVersion', version],
    ['interfaces', list(r.interfaces?.map(interfaceJson100))],
    ['ips', list(r.ips?.map((ip) => ordered([['interface', ip.interface], ['address', ip.address], ['gateway', str(ip.gateway)]])))],
    ['routes', list(r.routes?.map(routeJson))],
    ['dns', dnsJson(r.dns)], // a struct in Go, so never omitted (the recorded reference output has "dns": {})
  ]);
}

function to040(r: Result, version: CniVersion): Record<string, unknown> {
  const ips = r.ips?.map((ip) =>
    ordered([
      ['version', String(family(ip))], // derived from the address family
      ['interface', ip.interface],
      ['address', ip.address],
      ['gateway', str(ip.gateway)],
    ]),
  );
  return ordered([
    ['cniVersion', version],
    ['interfaces', list(r.interfaces?.map(interfaceJson040))],
    ['ips', list(ips)],
    ['routes', list(r.routes?.map(routeJson))], // copied whole: the 1.1.0 route fields survive
    ['dns', dnsJson(r.dns)],
  ]);
}

function to020(r: Result, version: CniVersion): Record<string, unknown> {
  // Only the first address of each family fits; interfaces, indexes and route extras are lost.
  const ip4 = r.ips?.find((ip) => family(ip) === 4);
  const ip6 = r.ips?.find((ip) => family(ip) === 6);
  if (!ip4 && !ip6) {
    throw new CniError(
      ErrorCode.Internal,
      'cannot convert: no valid IP addresses',
      `a cniVersion ${version} result needs an IP address; this result has none (e.g. an L2-only interface)`,
    );
  }
  const block = (ip: IpConfig | undefined, fam: 4 | 6) => {
    if (!ip) return undefined;
    // Routes go to the block of their destination's family; a family without an address loses its routes.
    const routes = (r.routes ?? []).filter((rt) => (cidrFamily(rt.dst) === 4 ? 4 : 6) === fam);
    return ordered([
      ['ip', ip.address],
      ['gateway', str(ip.gateway)],
      ['routes', list(routes.map((rt) => ordered([['dst', rt.dst], ['gw', str(rt.gw)]])))],
    ]);
  };
  return ordered([
    ['cniVersion', version],
    ['ip4', block(ip4, 4)],
    ['ip6', block(ip6, 6)],
    ['dns', dnsJson(r.dns)], // Go always writes "dns": {} here
  ]);
}

/**
 * The result as the JSON object of `toVersion`, keys in Go's struct order. Throws CniError("cannot convert: no
 * valid IP addresses") for a result without addresses when `toVersion` is 0.1.0 or 0.2.0.
 */
export function convertResult(result: Result, toVersion: CniVersion): Record<string, unknown> {
  const shape = shapeOf(toVersion);
  return shape === '100' ? to100(result, toVersion) : shape === '040' ? to040(result, toVersion) : to020(result, toVersion);
}

/** The result printed as the reference plugins print it: `toVersion`'s shape, 4-space indent, no trailing newline. */
export function formatResult(result: Result, toVersion: CniVersion): string {
  return goJsonIndent(convertResult(result, toVersion));
}
