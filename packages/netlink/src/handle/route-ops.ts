// Route operations (`ip route ...`).
import type { IpAddress } from '../codec/codec.ts';
import { Reader } from '../codec/reader.ts';
import { RTM } from '../message/constants.ts';
import { RT_SCOPE } from '../route/address.ts';
import {
  RT_TABLE,
  RTN,
  RTPROT,
  routeAttrs,
  routeMessageBody,
  type RouteAttrs,
  type RouteMessage,
  type RouteMetrics,
} from '../route/route.ts';
import { AF } from '../sys/constants.ts';
import type { OpContext } from './context.ts';
import { familyOf, fromAf, toAf, type IpFamily, type Prefix } from './family.ts';
import { VERB_FLAGS } from './verbs.ts';

/** rtm_flags: RTNH_F_ONLINK, "the gateway is on this link even if no prefix says so". */
const RTNH_F_ONLINK = 0x4;

/** One path of a multipath (ECMP) route: struct rtnexthop and its RTA_GATEWAY. */
export interface NextHop {
  gateway?: IpAddress;
  oif: number;
  /** rtnh_hops + 1, as `ip route` prints it. */
  weight: number;
  flags: number;
}

export interface Route {
  family: IpFamily;
  /** Undefined for a default route. */
  dst?: Prefix;
  src?: Prefix;
  gateway?: IpAddress;
  /** RTA_OIF: the output interface's ifindex. */
  oif?: number;
  /** The metric (`ip route ... metric N`). */
  priority?: number;
  table: number;
  protocol: number;
  scope: number;
  type: number;
  prefSrc?: IpAddress;
  /** RTAX_MTU */
  mtu?: number;
  /** RTAX_ADVMSS */
  advmss?: number;
  metrics?: RouteMetrics;
  /** The paths of a multipath route (RTA_MULTIPATH), e.g. IPv6 routes merged by `append`. */
  nextHops?: NextHop[];
  flags: number;
  message: RouteMessage;
}

export interface RouteSpec {
  /** Omit for a default route (then `family` or `gateway` gives the family). */
  dst?: Prefix;
  family?: IpFamily;
  src?: Prefix;
  gateway?: IpAddress;
  /** `dev DEV` as an ifindex. */
  oif?: number;
  /** `metric N` */
  priority?: number;
  /** Default: main (254). */
  table?: number;
  /** RT_SCOPE_*. Default as in iproute2: link without a gateway, universe with one. */
  scope?: number;
  /** RTPROT_*; default boot (3), as iproute2. */
  protocol?: number;
  /** RTN_*; default unicast. */
  type?: number;
  /** `src ADDR` (preferred source). */
  prefSrc?: IpAddress;
  /** `mtu N` (RTAX_MTU). */
  mtu?: number;
  /** `advmss N` (RTAX_ADVMSS). */
  advmss?: number;
  /** `onlink`: the gateway is reachable on `oif` even without a matching prefix. */
  onlink?: boolean;
}

export interface RouteFilter {
  family?: IpFamily;
  /** A table id, or 'all'. Default: main, as `ip route show`. */
  table?: number | 'all';
  /** Exact destination; 'default' selects default routes. */
  dst?: Prefix | 'default';
  gateway?: IpAddress;
  oif?: number;
  protocol?: number;
  scope?: number;
  type?: number;
}

function resolveFamily(spec: RouteSpec): IpFamily {
  const family = spec.dst ? familyOf(spec.dst.address) : spec.gateway ? familyOf(spec.gateway) : spec.family;
  if (!family) throw new TypeError('route: a default route needs `family` or `gateway`');
  return family;
}

function specMessage(spec: RouteSpec, forDelete: boolean): RouteMessage {
  const family = resolveFamily(spec);
  const table = spec.table ?? RT_TABLE.MAIN;
  const attrs: RouteAttrs = {};
  if (spec.dst) attrs.dst = spec.dst.address;
  if (spec.src) attrs.src = spec.src.address;
  if (spec.gateway) attrs.gateway = spec.gateway;
  if (spec.oif !== undefined) attrs.oif = spec.oif;
  if (spec.priority !== undefined) attrs.priority = spec.priority;
  if (spec.prefSrc) attrs.prefSrc = spec.prefSrc;
  if (table > 255) attrs.table = table;
  if (spec.mtu !== undefined || spec.advmss !== undefined) {
    const metrics: RouteMetrics = {};
    if (spec.mtu !== undefined) metrics.mtu = spec.mtu;
    if (spec.advmss !== undefined) metrics.advmss = spec.advmss;
    attrs.metrics = metrics;
  }
  // iproute2: a delete matches any scope/protocol/type unless given; an add defaults them.
  const defaultScope = forDelete ? RT_SCOPE.NOWHERE : spec.gateway ? RT_SCOPE.UNIVERSE : RT_SCOPE.LINK;
  return {
    family: toAf(family),
    dstLen: spec.dst?.prefixLen ?? 0,
    srcLen: spec.src?.prefixLen ?? 0,
    tos: 0,
    table: table > 255 ? RT_TABLE.UNSPEC : table,
    protocol: spec.protocol ?? (forDelete ? RTPROT.UNSPEC : RTPROT.BOOT),
    scope: spec.scope ?? defaultScope,
    type: spec.type ?? (forDelete ? RTN.UNSPEC : RTN.UNICAST),
    flags: spec.onlink ? RTNH_F_ONLINK : 0,
    attrs,
  };
}

export function toRoute(m: RouteMessage): Route {
  const a = m.attrs;
  const r: Route = {
    family: fromAf(m.family),
    table: a.table ?? m.table,
    protocol: m.protocol,
    scope: m.scope,
    type: m.type,
    flags: m.flags,
    message: m,
  };
  if (a.dst) r.dst = { address: a.dst, prefixLen: m.dstLen };
  if (a.src) r.src = { address: a.src, prefixLen: m.srcLen };
  if (a.gateway) r.gateway = a.gateway;
  if (a.oif !== undefined) r.oif = a.oif;
  if (a.priority !== undefined) r.priority = a.priority;
  if (a.prefSrc) r.prefSrc = a.prefSrc;
  if (a.multipath) r.nextHops = decodeNextHops(a.multipath);
  if (a.metrics) {
    r.metrics = a.metrics;
    if (a.metrics.mtu !== undefined) r.mtu = a.metrics.mtu;
    if (a.metrics.advmss !== undefined) r.advmss = a.metrics.advmss;
  }
  return r;
}

/** RTA_MULTIPATH: a sequence of struct rtnexthop { u16 len; u8 flags; u8 hops; i32 ifindex; } each followed by attributes. */
function decodeNextHops(bytes: Uint8Array): NextHop[] {
  const hops: NextHop[] = [];
  const r = new Reader(bytes);
  while (r.remaining >= 8) {
    const start = r.pos;
    const len = r.u16('rtnh_len');
    const flags = r.u8('rtnh_flags');
    const weight = r.u8('rtnh_hops') + 1;
    const oif = r.i32('rtnh_ifindex');
    const attrs = routeAttrs.decode(r.sub(Math.max(0, len - 8), 'rtnexthop attributes'));
    const hop: NextHop = { oif, weight, flags };
    if (attrs.gateway) hop.gateway = attrs.gateway;
    hops.push(hop);
    r.pos = Math.min(start + ((len + 3) & ~3), r.end);
  }
  return hops;
}

function describe(spec: RouteSpec): string {
  const dst = spec.dst ? `${spec.dst.address.toString()}/${spec.dst.prefixLen}` : 'default';
  const via = spec.gateway ? ` via ${spec.gateway.toString()}` : '';
  const dev = spec.oif !== undefined ? ` dev ifindex ${spec.oif}` : '';
  return `route ${dst}${via}${dev}`;
}

function matches(r: Route, f: RouteFilter): boolean {
  const table = f.table ?? RT_TABLE.MAIN;
  if (table !== 'all' && r.table !== table) return false;
  if (f.dst === 'default' && r.dst) return false;
  if (f.dst && f.dst !== 'default') {
    if (!r.dst || r.dst.prefixLen !== f.dst.prefixLen || r.dst.address.toString() !== f.dst.address.toString()) return false;
  }
  const gateways = [r.gateway, ...(r.nextHops ?? []).map((h) => h.gateway)].map((g) => g?.toString());
  if (f.gateway && !gateways.includes(f.gateway.toString())) return false;
  const oifs = [r.oif, ...(r.nextHops ?? []).map((h) => h.oif)];
  if (f.oif !== undefined && !oifs.includes(f.oif)) return false;
  if (f.protocol !== undefined && r.protocol !== f.protocol) return false;
  if (f.scope !== undefined && r.scope !== f.scope) return false;
  if (f.type !== undefined && r.type !== f.type) return false;
  return true;
}

export class RouteOps {
  readonly #ctx: OpContext;

  constructor(ctx: OpContext) {
    this.#ctx = ctx;
  }

  /**
   * Equivalent to: `ip route add DST [via GW] [dev DEV] [metric N] [table T] [scope S] [mtu N] [advmss N]`.
   * NLM_F_CREATE|NLM_F_EXCL: fails with EEXIST if the same route exists (the reference's `RouteAdd`).
   */
  async add(spec: RouteSpec): Promise<void> {
    this.#send(RTM.NEWROUTE, VERB_FLAGS.add, spec);
  }

  /**
   * Equivalent to: `ip route append ...`. NLM_F_CREATE|NLM_F_APPEND: adds the route next to existing routes to
   * the same destination (IPv6 makes them one multipath route). This is what the reference's
   * ipam.ConfigureIface uses (`RouteAddEcmp`); an identical route still fails with EEXIST.
   */
  async append(spec: RouteSpec): Promise<void> {
    this.#send(RTM.NEWROUTE, VERB_FLAGS.append, spec);
  }

  /** Equivalent to: `ip route replace ...`. NLM_F_CREATE|NLM_F_REPLACE: adds, or replaces the existing route. */
  async replace(spec: RouteSpec): Promise<void> {
    this.#send(RTM.NEWROUTE, VERB_FLAGS.replace, spec);
  }

  /** Equivalent to: `ip route del DST [via GW] [dev DEV] [metric N] [table T]`. Throws ESRCH if no route matches. */
  async delete(spec: RouteSpec): Promise<void> {
    this.#ctx.conn.request(RTM.DELROUTE, VERB_FLAGS.modify, routeMessageBody, specMessage(spec, true), { subject: describe(spec) });
  }

  /**
   * Equivalent to: `ip [-4|-6] route show [table T|all] [exact DST] [via GW] [dev DEV] [proto P] [scope S] [type T]`.
   * Default: the main table, both families.
   */
  async list(filter: RouteFilter = {}): Promise<Route[]> {
    const req: RouteMessage = {
      family: filter.family ? toAf(filter.family) : AF.UNSPEC,
      dstLen: 0, srcLen: 0, tos: 0, table: 0, protocol: 0, scope: 0, type: 0, flags: 0, attrs: {},
    };
    return this.#ctx.conn
      .dump(RTM.GETROUTE, routeMessageBody, req, routeMessageBody)
      .filter((m) => m.family === AF.INET || m.family === AF.INET6)
      .map(toRoute)
      .filter((r) => matches(r, filter));
  }

  #send(type: number, flags: number, spec: RouteSpec): void {
    this.#ctx.conn.request(type, flags, routeMessageBody, specMessage(spec, false), { subject: describe(spec) });
  }
}
