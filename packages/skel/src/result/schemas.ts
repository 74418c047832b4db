// zod/mini schemas for the result JSON of every spec version (three shapes cover the seven versions).
// Built on first use: most invocations (DEL, VERSION, a plain ADD) never parse a result.
import * as z from 'zod/mini';
import type { CniVersion } from '../versions.ts';
import { isCidr, isIp } from './ip-text.ts';

const cidr = () => z.string().check(z.refine(isCidr, 'expected an address in CIDR form, e.g. "10.1.0.5/16"'));
// Go decodes "" as "no IP" for gateways and route gateways.
const optIp = () => z.optional(z.string().check(z.refine((s) => s === '' || isIp(s), 'expected an IP address')));
const optInt = () => z.optional(z.int());
const optStrings = () => z.optional(z.array(z.string()));

const dns = () => z.object({ nameservers: optStrings(), domain: z.optional(z.string()), search: optStrings(), options: optStrings() });

const route = () =>
  z.object({ dst: cidr(), gw: optIp(), mtu: optInt(), advmss: optInt(), priority: optInt(), table: optInt(), scope: optInt() });

const interfaceIndex = () => z.optional(z.int().check(z.nonnegative()));

/** 0.1.0 and 0.2.0 (`pkg/types/020`): one IPv4 and one IPv6 block, routes inside each. */
function buildResult020() {
  const ipConfig = z.object({ ip: cidr(), gateway: optIp(), routes: z.optional(z.array(route())) });
  return z.object({ cniVersion: z.optional(z.string()), ip4: z.optional(ipConfig), ip6: z.optional(ipConfig), dns: z.optional(dns()) });
}

/** 0.3.0, 0.3.1 and 0.4.0 (`pkg/types/040`): interfaces, ips with `version`, top-level routes. */
function buildResult040() {
  return z.object({
    cniVersion: z.optional(z.string()),
    interfaces: z.optional(z.array(z.object({ name: z.string(), mac: z.optional(z.string()), sandbox: z.optional(z.string()) }))),
    ips: z.optional(
      z.array(z.object({ version: z.optional(z.string()), interface: interfaceIndex(), address: cidr(), gateway: optIp() })),
    ),
    routes: z.optional(z.array(route())),
    dns: z.optional(dns()),
  });
}

/** 1.0.0 and 1.1.0 (`pkg/types/100`): no `version` in ips; the 1.1.0 interface and route fields. */
function buildResult100() {
  return z.object({
    cniVersion: z.optional(z.string()),
    interfaces: z.optional(
      z.array(
        z.object({
          name: z.string(),
          mac: z.optional(z.string()),
          mtu: optInt(),
          sandbox: z.optional(z.string()),
          socketPath: z.optional(z.string()),
          pciID: z.optional(z.string()),
        }),
      ),
    ),
    ips: z.optional(z.array(z.object({ interface: interfaceIndex(), address: cidr(), gateway: optIp() }))),
    routes: z.optional(z.array(route())),
    dns: z.optional(dns()),
  });
}

export type Result020Json = z.output<ReturnType<typeof buildResult020>>;
export type Result040Json = z.output<ReturnType<typeof buildResult040>>;
export type Result100Json = z.output<ReturnType<typeof buildResult100>>;

export type ResultShape = '020' | '040' | '100';

export function shapeOf(version: CniVersion): ResultShape {
  if (version === '0.1.0' || version === '0.2.0') return '020';
  if (version === '1.0.0' || version === '1.1.0') return '100';
  return '040';
}

let result020: ReturnType<typeof buildResult020> | undefined;
let result040: ReturnType<typeof buildResult040> | undefined;
let result100: ReturnType<typeof buildResult100> | undefined;

export const result020Schema = () => (result020 ??= buildResult020());
export const result040Schema = () => (result040 ??= buildResult040());
export const result100Schema = () => (result100 ??= buildResult100());

/** The schema for a version's result JSON (unknown keys are ignored, as Go's decoder does). */
export function resultSchema(version: CniVersion) {
  const shape = shapeOf(version);
  return shape === '020' ? result020Schema() : shape === '040' ? result040Schema() : result100Schema();
}
