// Any version's result JSON → the 1.x model (Go: version.NewResult + GetAsVersion(current)).
import { CniError, ErrorCode } from '../errors.ts';
import { goQuote } from '../go-json.ts';
import { zodToCniError } from '../to-cni-error.ts';
import { isCniVersion, versions } from '../versions.ts';
import type { Dns, Interface, IpConfig, Result, Route } from './model.ts';
import { fastParse100 } from './fast-100.ts';
import { result020Schema, result040Schema, result100Schema, shapeOf } from './schemas.ts';
import type { Result020Json, Result040Json, Result100Json } from './schemas.ts';

type Loose<T> = { [K in keyof T]?: T[K] | undefined };

/** Copies the keys whose value is defined, so optional fields stay absent (exactOptionalPropertyTypes). */
function defined<T extends object>(o: Loose<T>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go decodes `null` as the zero value, i.e. "not set"; drop such keys before validating. */
function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (!isRecord(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = dropNulls(x);
  return out;
}

const route = (r: Loose<Route> & { dst: string }): Route => defined<Route>({ ...r, gw: r.gw === '' ? undefined : r.gw });
const ip = (address: string, gateway: string | undefined, iface?: number): IpConfig =>
  defined<IpConfig>({ address, gateway: gateway === '' ? undefined : gateway, interface: iface });
const dns = (d: Loose<Dns> | undefined): Dns | undefined => (d === undefined ? undefined : defined<Dns>(d));

function from020(r: Result020Json, version: string): Result {
  const ips: IpConfig[] = [];
  const routes: Route[] = [];
  for (const block of [r.ip4, r.ip6]) {
    if (!block) continue;
    ips.push(ip(block.ip, block.gateway));
    routes.push(...(block.routes ?? []).map(route));
  }
  return defined<Result>({
    cniVersion: version,
    ips: ips.length > 0 ? ips : undefined,
    routes: routes.length > 0 ? routes : undefined,
    dns: dns(r.dns),
  });
}

function from040or100(r: Result040Json | Result100Json, version: string): Result {
  return defined<Result>({
    cniVersion: version,
    interfaces: r.interfaces?.map((i) => defined<Interface>(i)),
    ips: r.ips?.map((x) => ip(x.address, x.gateway, x.interface)),
    routes: r.routes?.map(route),
    dns: dns(r.dns),
  });
}

/**
 * Parses a result of any spec version into the 1.x model. The version is the result's own `cniVersion`, else
 * `assumedVersion` (Go: a version-less prevResult takes the config's version), else guessed from the shape.
 * Throws CniError 6 for an unknown version or a value that does not fit the version's shape (naming the field).
 */
export function parseResult(json: unknown, assumedVersion?: string): Result {
  if (!isRecord(json)) throw new CniError(ErrorCode.DecodingFailure, 'invalid result: expected a JSON object');
  const raw = dropNulls(json) as Record<string, unknown>;
  const own = raw.cniVersion;
  if (own !== undefined && typeof own !== 'string') {
    throw new CniError(ErrorCode.DecodingFailure, 'invalid result: cniVersion: expected string');
  }
  const version = own || assumedVersion || ('ip4' in raw || 'ip6' in raw ? '0.2.0' : versions.current);
  if (!isCniVersion(version)) throw new CniError(ErrorCode.DecodingFailure, `unsupported CNI result version ${goQuote(version)}`);

  const shape = shapeOf(version);
  // The 1.x shape, valid (the common case): checked by hand, without building the zod schema (fast-100.ts).
  const fast = shape === '100' ? fastParse100(raw) : undefined;
  if (fast) return from040or100(fast, version);
  const schema = shape === '020' ? result020Schema() : shape === '040' ? result040Schema() : result100Schema();
  const parsed = schema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw zodToCniError(parsed.error, 'result', ErrorCode.DecodingFailure);
  return shape === '020' ? from020(parsed.data as Result020Json, version) : from040or100(parsed.data, version);
}
