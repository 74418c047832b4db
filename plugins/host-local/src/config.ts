// host-local's configuration: the zod/mini schema is the single source of its keys and types (checklist 5.1).
//
// skel checks only the network name and cniVersion (a failure there is code 7 or 6, as in the reference). The
// `ipam` block, `runtimeConfig` and `args` are parsed here, and a failure is code 999 naming the field, because
// that is what the reference returns for every bad host-local config (see ipam-core errors.ts).
import { join } from 'node:path';
import { ciObject, type CommandContext, PluginConf, type Route } from '@cni-ts/skel';
import {
  canonicalizeRangeSets,
  CidrAddress,
  invalidIpamConfig,
  type Ip,
  IpAddress,
  IpWithOptionalPrefix,
  legacyRangeSet,
  nullable,
  parseAt,
  parseIpRanges,
  pickRequestedIps,
  RangeSetsConf,
  type RangeSet,
  type RangeSetInput,
  type RequestedIpSource,
  RouteConf,
  splitCniArgsList,
  toRangeSetInputs,
  toResultRoutes,
} from '@cni-ts/ipam-core';
import * as z from 'zod/mini';

export const DEFAULT_DATA_DIR = '/var/lib/cni/networks';
/** Long enough for hundreds of queued ADDs (each holds the lock for a few ms), short enough to beat runtime timeouts. */
export const DEFAULT_LOCK_TIMEOUT_MS = 30_000;

const LockTimeoutMs = z.int().check(z.minimum(0), z.maximum(600_000));

/** Where the state lives: all that DEL and GC need, so they work even when the rest of the config is broken. */
const StateKeys = {
  dataDir: nullable(z.string().check(z.minLength(1))),
  lockTimeoutMs: nullable(LockTimeoutMs),
};

/** The `ipam` block. Keys match case-insensitively, as Go's encoding/json matches them. */
const HostLocalIpam = ciObject({
  type: nullable(z.string()),
  // the deprecated single range, kept for old configs
  subnet: nullable(CidrAddress),
  rangeStart: nullable(IpAddress),
  rangeEnd: nullable(IpAddress),
  gateway: nullable(IpAddress),
  ranges: nullable(RangeSetsConf),
  routes: nullable(z.array(RouteConf)),
  resolvConf: nullable(z.string()),
  ...StateKeys,
});

/** The whole stdin config as host-local reads it (the generic keys are skel's PluginConf). */
export const HostLocalConf = z.extend(PluginConf, {
  ipam: HostLocalIpam,
  runtimeConfig: nullable(
    ciObject({
      // parsed by parseIpRanges: nested (a list of range sets) or containerd's flat list
      ipRanges: nullable(z.unknown()),
      ips: nullable(z.array(IpWithOptionalPrefix)),
    }),
  ),
  args: nullable(ciObject({ cni: nullable(ciObject({ ips: nullable(z.array(IpWithOptionalPrefix)) })) })),
});

const HostLocalStateConf = z.looseObject({ ipam: nullable(ciObject(StateKeys)) });

export interface StateLocation {
  /** `<dataDir>/<network name>` */
  readonly dir: string;
  readonly lockTimeoutMs: number;
}

export interface HostLocalConfig extends StateLocation {
  readonly cniVersion: string;
  /** In allocation order: runtimeConfig.ipRanges, then the legacy single range, then ipam.ranges. */
  readonly sets: readonly RangeSet[];
  readonly requested?: { readonly source: RequestedIpSource; readonly ips: readonly Ip[] };
  readonly routes: readonly Route[];
  readonly resolvConf?: string;
}

/**
 * What skel itself validates for host-local: nothing beyond the network name it already checked. Every other key is
 * host-local's to parse (above), so a bad `ipam`, `runtimeConfig` or `args` is 999 as in the reference, not 7.
 */
export interface SkelConf {
  name: string;
}

type Ctx = Pick<CommandContext<SkelConf>, 'raw' | 'conf' | 'args' | 'cniVersion'>;

function stateLocation(ctx: Ctx, ipam: { dataDir?: string | undefined; lockTimeoutMs?: number | undefined } | undefined): StateLocation {
  return {
    dir: join(ipam?.dataDir ?? DEFAULT_DATA_DIR, ctx.conf.name),
    lockTimeoutMs: ipam?.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
  };
}

/** DEL and GC: only the state location is read, so a config whose ranges went bad can still release. */
export function loadStateLocation(ctx: Ctx): StateLocation {
  if (ctx.raw.ipam === undefined || ctx.raw.ipam === null) throw missingIpam();
  return stateLocation(ctx, parseAt(HostLocalStateConf, ctx.raw, '').ipam);
}

/**
 * The whole config, validated in the reference's order: requested addresses, range sets (runtime ipRanges first,
 * then the legacy range, then `ranges`), each set canonicalised, one address per family below 0.3.0, no overlaps.
 * `requireRanges: false` (STATUS) accepts a config whose ranges all come from the runtime at ADD time.
 */
export function loadHostLocalConfig(ctx: Ctx, opts: { requireRanges: boolean } = { requireRanges: true }): HostLocalConfig {
  if (ctx.raw.ipam === undefined || ctx.raw.ipam === null) throw missingIpam();
  const conf = parseAt(HostLocalConf, ctx.raw, '');
  const { ipam } = conf;
  const inputs: RangeSetInput[] = [...parseIpRanges(conf.runtimeConfig?.ipRanges)];
  if (ipam.subnet) {
    inputs.push(legacyRangeSet({ subnet: ipam.subnet, rangeStart: ipam.rangeStart, rangeEnd: ipam.rangeEnd, gateway: ipam.gateway }, 'ipam'));
  }
  inputs.push(...toRangeSetInputs(ipam.ranges ?? [], 'ipam.ranges'));
  const sets = inputs.length === 0 && !opts.requireRanges ? [] : canonicalizeRangeSets(inputs, { cniVersion: ctx.cniVersion, field: 'ipam.ranges' });
  const requested = requestedIps(ctx, conf);
  return {
    ...stateLocation(ctx, ipam),
    cniVersion: ctx.cniVersion,
    sets,
    ...(requested ? { requested } : {}),
    routes: toResultRoutes(ipam.routes ?? []),
    ...(ipam.resolvConf ? { resolvConf: ipam.resolvConf } : {}),
  };
}

function requestedIps(ctx: Ctx, conf: z.output<typeof HostLocalConf>): HostLocalConfig['requested'] {
  const picked = pickRequestedIps<Ip | string>({
    argsIps: conf.args?.cni?.ips,
    runtimeIps: conf.runtimeConfig?.ips,
    cniArgsIps: splitCniArgsList(ctx.args.get('IP')),
  });
  if (!picked) return undefined;
  const ips = picked.ips.map((ip) => (typeof ip === 'string' ? parseCniArgsIp(ip) : ip));
  return { source: picked.source, ips };
}

/** CNI_ARGS `IP=<ip>[/<prefix>]` (several, comma-separated); the range decides the prefix. */
function parseCniArgsIp(text: string): Ip {
  const result = z.safeParse(IpWithOptionalPrefix, text);
  if (!result.success) throw invalidIpamConfig(`CNI_ARGS IP: invalid IP address: ${JSON.stringify(text)}`);
  return result.data;
}

function missingIpam() {
  return invalidIpamConfig("ipam: IPAM config missing 'ipam' key");
}
