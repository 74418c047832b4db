// zod/mini schemas for the IPAM config pieces shared by the IPAM plugins: addresses, prefixes, ranges, routes, DNS.
// Strings are parsed once, here, into Ip/Cidr values. Object keys match case-insensitively (Go's encoding/json does,
// and containerd sends `Subnet`, `RangeStart`... in runtimeConfig.ipRanges); `null` counts as absent, as in Go.
import { ciObject, formatIssue } from '@cni-ts/skel';
import type { Dns, Route } from '@cni-ts/skel';
import * as z from 'zod/mini';
import { formatCidr, parseCidr } from './cidr.ts';
import { invalidIpamConfig } from './errors.ts';
import { formatIp, parseIp } from './ip.ts';
import type { RangeInput } from './range.ts';
import type { RangeSetInput } from './range-set.ts';

/** An optional key: absent, null or a value (Go leaves a field at its zero value for null). */
export function nullable<T extends z.core.SomeType>(schema: T) {
  return z.optional(z.pipe(z.nullable(schema), z.transform((v) => v ?? undefined)));
}

function parsed<T>(what: string, parse: (s: string) => T | undefined) {
  return z.pipe(
    z.string(),
    z.transform((s: string, ctx): T => {
      const value = parse(s);
      if (value !== undefined) return value;
      ctx.issues.push({ code: 'custom', message: `invalid ${what}: ${JSON.stringify(s)}`, input: s });
      return z.NEVER;
    }),
  );
}

/** `10.1.0.5` or `fd00::5`. */
export const IpAddress = parsed('IP address', parseIp);

/** `10.1.0.0/24`; host bits are kept (ranges check them, static allows them). */
export const CidrAddress = parsed('CIDR address', parseCidr);

/** `ip` or `ip/prefix` with the prefix ignored (host-local's requested addresses: the range decides the mask). */
export const IpWithOptionalPrefix = parsed('IP address', (s) => (s.includes('/') ? parseCidr(s)?.ip : parseIp(s)));

/** A host-local range: `subnet` is required, the rest default during canonicalisation. */
export const RangeConf = ciObject({
  subnet: CidrAddress,
  rangeStart: nullable(IpAddress),
  rangeEnd: nullable(IpAddress),
  gateway: nullable(IpAddress),
});

/** `ranges`: a list of range sets, each a list of ranges. */
export const RangeSetsConf = z.array(z.array(RangeConf));

/** A route as the IPAM configs give it; everything but `dst` is optional (1.1.0 route attributes included). */
export const RouteConf = ciObject({
  dst: CidrAddress,
  gw: nullable(IpAddress),
  mtu: nullable(z.int()),
  advmss: nullable(z.int()),
  priority: nullable(z.int()),
  table: nullable(z.int()),
  scope: nullable(z.int()),
});
export type RouteConf = z.output<typeof RouteConf>;

/** The `dns` block of static's config, copied into the result (the reference does not check the values). */
export const DnsConf = ciObject({
  nameservers: nullable(z.array(z.string())),
  domain: nullable(z.string()),
  search: nullable(z.array(z.string())),
  options: nullable(z.array(z.string())),
});
export type DnsConf = z.output<typeof DnsConf>;

/** Result routes in canonical text (`dst` keeps host bits as Go prints it); unset attributes left out. */
export function toResultRoutes(routes: readonly RouteConf[]): Route[] {
  return routes.map((r) => {
    const route: Route = { dst: formatCidr(r.dst) };
    if (r.gw) route.gw = formatIp(r.gw);
    if (r.mtu !== undefined) route.mtu = r.mtu;
    if (r.advmss !== undefined) route.advmss = r.advmss;
    if (r.priority !== undefined) route.priority = r.priority;
    if (r.table !== undefined) route.table = r.table;
    if (r.scope !== undefined) route.scope = r.scope;
    return route;
  });
}

export function toResultDns(dns: DnsConf | undefined): Dns | undefined {
  if (!dns) return undefined;
  const out: Dns = {};
  if (dns.nameservers) out.nameservers = dns.nameservers;
  if (dns.domain) out.domain = dns.domain;
  if (dns.search) out.search = dns.search;
  if (dns.options) out.options = dns.options;
  return out;
}

type RangeConfOut = z.output<typeof RangeConf>;

function toRangeInput(r: RangeConfOut): RangeInput {
  return { subnet: r.subnet, rangeStart: r.rangeStart, rangeEnd: r.rangeEnd, gateway: r.gateway };
}

/** Range sets with the config path of every set and range, for messages. */
export function toRangeSetInputs(sets: readonly (readonly RangeConfOut[])[], path: string): RangeSetInput[] {
  return sets.map((set, i) => ({
    path: `${path}[${i}]`,
    ranges: set.map((r, j) => ({ path: `${path}[${i}][${j}]`, range: toRangeInput(r) })),
  }));
}

/** The deprecated single range at the top of `ipam` (`subnet`, `rangeStart`, `rangeEnd`, `gateway`) as one set. */
export function legacyRangeSet(r: RangeConfOut, path: string): RangeSetInput {
  return { path, ranges: [{ path, range: toRangeInput(r) }] };
}

/**
 * The `ipRanges` capability. The convention is a list of range sets, but containerd's go-cni sends a flat list of
 * ranges; a flat list is taken as ONE range set (the ranges of one pod network), which is what it means there.
 */
export function parseIpRanges(value: unknown, path = 'runtimeConfig.ipRanges'): RangeSetInput[] {
  if (value === undefined || value === null) return [];
  const flat = Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v));
  if (flat) {
    const ranges = parseAt(z.array(RangeConf), value, path);
    return [{ path, ranges: ranges.map((r, j) => ({ path: `${path}[${j}]`, range: toRangeInput(r) })) }];
  }
  return toRangeSetInputs(parseAt(RangeSetsConf, value, path), path);
}

/**
 * Parses `value` (found at config path `path`) and turns a failure into the IPAM config error (code 999, see
 * errors.ts) whose message names the field.
 */
export function parseAt<T extends z.ZodMiniType>(schema: T, value: unknown, path: string): z.output<T> {
  const result = z.safeParse(schema, value, { reportInput: true });
  if (result.success) return result.data;
  const base = pathKeys(path);
  const lines = result.error.issues.map((issue) => formatIssue(issue, base));
  throw invalidIpamConfig(lines[0] ?? `${path}: invalid value`, lines.length > 1 ? lines.join('; ') : undefined);
}

function pathKeys(path: string): PropertyKey[] {
  if (path === '') return [];
  const keys: PropertyKey[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) keys.push(m[2] !== undefined ? Number(m[2]) : (m[1] as string));
  return keys;
}
