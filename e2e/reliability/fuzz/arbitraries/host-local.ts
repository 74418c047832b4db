// host-local configs: well-formed ones (ranges from a small pool, so that addresses run out and collide; requested
// addresses from every source; routes, resolvConf, lock timeouts), then targeted mutations. The data directory is
// always the world's: `confineDataDir` puts it back whatever a mutation did (a missing or null dataDir would
// mean the machine's default /var/lib/cni/networks).
import * as fc from 'fast-check';
import { CNI_VERSIONS, caseVariant, foreignRuntimeConfig, hostileNetworkName, looseRecord, prevResult, rarely, secrets, unknownKeys, wellFormedOrMutated } from './common.ts';

export interface PoolRange {
  subnet: string;
  /** usable host addresses, ascending */
  hosts: readonly string[];
}

/** Small subnets on purpose: exhaustion, the gateway and collisions are reached often. */
export const pool4: readonly PoolRange[] = [
  { subnet: '10.99.0.0/24', hosts: ['10.99.0.1', '10.99.0.2', '10.99.0.10', '10.99.0.200', '10.99.0.254'] },
  { subnet: '10.98.0.0/29', hosts: ['10.98.0.1', '10.98.0.2', '10.98.0.5', '10.98.0.6'] },
  { subnet: '10.97.0.8/30', hosts: ['10.97.0.9', '10.97.0.10'] },
];
export const pool6: readonly PoolRange[] = [
  { subnet: 'fd99::/120', hosts: ['fd99::1', 'fd99::2', 'fd99::fe'] },
  { subnet: 'fd98:0:0:1::/126', hosts: ['fd98:0:0:1::1', 'fd98:0:0:1::2'] },
];
export const allHosts = [...pool4, ...pool6].flatMap((r) => r.hosts);

/** One well-formed range of `r`: the subnet, maybe a start/end pair in order, maybe a gateway. */
function range(r: PoolRange): fc.Arbitrary<Record<string, unknown>> {
  const i = fc.nat(r.hosts.length - 1);
  return fc.record({ a: i, b: i, gw: fc.option(i, { nil: undefined }), bounds: fc.boolean() }).map(({ a, b, gw, bounds }) => ({
    subnet: r.subnet,
    ...(bounds ? { rangeStart: r.hosts[Math.min(a, b)], rangeEnd: r.hosts[Math.max(a, b)] } : {}),
    ...(gw === undefined ? {} : { gateway: r.hosts[gw] }),
  }));
}

/** One to three range sets over distinct pool subnets (no overlaps), at most one IPv4 and one IPv6 set mostly. */
const rangeSets = fc.shuffledSubarray([...pool4, ...pool6], { minLength: 1, maxLength: 3 }).chain((subnets) => fc.tuple(...subnets.map((r) => range(r).map((x) => [x]))));

export const requestedIp = fc.constantFrom(...allHosts);

export interface HostLocalWorld {
  network: string;
  dataDir: string;
  plainFile: string;
  resolvConf: string;
}

/** The well-formed `ipam` block. */
export function cleanIpam(w: HostLocalWorld): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record({
      dataDirKey: caseVariant('dataDir'),
      ranges: rangeSets,
      legacy: fc.option(fc.constantFrom(...pool4).chain(range), { nil: undefined, freq: 6 }),
      rest: looseRecord({
        type: fc.constant('host-local'),
        routes: fc.array(fc.record({ dst: fc.constantFrom('0.0.0.0/0', '10.10.0.0/16', '::/0', 'fd10::/64'), gw: fc.constantFrom('10.99.0.1', 'fd99::1') }, { requiredKeys: ['dst'] }), { maxLength: 2 }),
        resolvConf: fc.constant(w.resolvConf),
        lockTimeoutMs: fc.integer({ min: 1, max: 30_000 }),
      }),
    })
    .map(({ dataDirKey, ranges, legacy, rest }) => ({ ...rest, [dataDirKey]: w.dataDir, ...(legacy ?? { ranges }) }));
}

/** The well-formed config (standalone: the runtime calls host-local directly). */
export function cleanHostLocalConfig(w: HostLocalWorld): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record({
      base: looseRecord({
        type: fc.constant('host-local'),
        prevResult,
        runtimeConfig: looseRecord(foreignRuntimeConfig, { caseVariants: true }),
      }),
      // requested addresses (they often lie outside the generated ranges: a clean failure to check)
      runtimeIps: rarely(fc.array(requestedIp, { minLength: 1, maxLength: 2 }), 8),
      argsIps: rarely(fc.array(requestedIp, { minLength: 1, maxLength: 2 }), 10),
      cniVersion: fc.constantFrom(...CNI_VERSIONS),
      name: fc.constantFrom(w.network, `${w.network}-b`),
      ipam: cleanIpam(w),
      unknown: unknownKeys,
    })
    .map(({ base, runtimeIps, argsIps, cniVersion, name, ipam, unknown }) => ({
      ...unknown,
      ...base,
      ...(runtimeIps ? { runtimeConfig: { ...(base.runtimeConfig as object | undefined), ips: runtimeIps } } : {}),
      ...(argsIps ? { args: { cni: { ips: argsIps } } } : {}),
      cniVersion,
      name,
      ipam,
    }));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Keeps host-local's state inside the world whatever a mutation did: an `ipam` object always carries a dataDir,
 * and its value is the world's directory, a path that cannot be a directory, or not a string at all.
 */
export function confineDataDir(config: unknown, w: HostLocalWorld): unknown {
  if (!isObject(config) || !isObject(config.ipam)) return config;
  const ipam = { ...config.ipam };
  const keys = Object.keys(ipam).filter((k) => k.toLowerCase() === 'datadir');
  const safe = (v: unknown) => v === w.dataDir || v === w.plainFile || (v !== null && v !== undefined && typeof v !== 'string') || v === '';
  if (keys.length === 0 || keys.some((k) => !safe(ipam[k]))) {
    for (const k of keys) delete ipam[k];
    ipam.dataDir = w.dataDir;
  }
  return { ...config, ipam };
}

/** A case's config: well-formed or mutated, sometimes with planted secrets; always confined to the world. */
export function hostLocalConfig(w: HostLocalWorld): fc.Arbitrary<{ config: unknown; secrets: string[] }> {
  return fc
    .record({ config: wellFormedOrMutated(cleanHostLocalConfig(w)), secrets: rarely(secrets, 3), name: rarely(hostileNetworkName, 12) })
    .map(({ config, secrets: s, name }) => {
      let c = config;
      if (isObject(c) && name !== undefined) c = { ...c, name };
      if (isObject(c) && s) c = { ...c, ...s.top, ...(isObject(c.ipam) ? { ipam: { ...c.ipam, ...s.nested } } : {}) };
      return { config: confineDataDir(c, w), secrets: s?.values ?? [] };
    });
}
