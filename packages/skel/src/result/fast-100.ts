// A hand-written check of the 1.0.0/1.1.0 result shape, for the common case: a valid result. Building and running
// the zod schema costs a plugin run ~2 ms the first time (bridge parses one on every ADD, CHECK and DEL: the IPAM
// answer or prevResult), checking by hand a few µs. It accepts exactly what result100Schema accepts and returns the
// same data (known keys only, in the schema's order); for anything else it returns undefined and parse.ts runs the
// zod schema, which then reports the error as before. fast-100.test.ts holds the two to each other.
import type { Result100Json } from './schemas.ts';
import { isCidr, isIp } from './ip-text.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => Number.isSafeInteger(v);

/** Marks a failed check; parse.ts falls back to zod for the message. */
class Reject extends Error {}
const reject = (): never => {
  throw new Reject();
};

function str(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : reject();
}
function int(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  return isInt(v) ? v : reject();
}
function strings(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) return reject();
  return [...v] as string[];
}
function list<T>(v: unknown, item: (x: unknown) => T): T[] | undefined {
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.map(item) : reject();
}
const cidr = (v: unknown): string => (typeof v === 'string' && isCidr(v) ? v : reject());
const optIp = (v: unknown): string | undefined => {
  const s = str(v);
  return s === undefined || s === '' || isIp(s) ? s : reject();
};

/** An object with the given keys in this order, the undefined ones left out (as zod's output has them). */
function pick(entries: Array<[string, unknown]>): Obj {
  const out: Obj = {};
  for (const [k, v] of entries) if (v !== undefined) out[k] = v;
  return out;
}

const obj = (v: unknown): Obj => (isObj(v) ? v : reject());

const route = (v: unknown) => {
  const r = obj(v);
  return pick([['dst', cidr(r.dst)], ['gw', optIp(r.gw)], ['mtu', int(r.mtu)], ['advmss', int(r.advmss)], ['priority', int(r.priority)], ['table', int(r.table)], ['scope', int(r.scope)]]);
};

const iface = (v: unknown) => {
  const i = obj(v);
  const name = typeof i.name === 'string' ? i.name : reject();
  return pick([['name', name], ['mac', str(i.mac)], ['mtu', int(i.mtu)], ['sandbox', str(i.sandbox)], ['socketPath', str(i.socketPath)], ['pciID', str(i.pciID)]]);
};

const ipConfig = (v: unknown) => {
  const c = obj(v);
  const index = int(c.interface);
  if (index !== undefined && index < 0) reject();
  return pick([['interface', index], ['address', cidr(c.address)], ['gateway', optIp(c.gateway)]]);
};

const dns = (v: unknown) => {
  if (v === undefined) return undefined;
  const d = obj(v);
  return pick([['nameservers', strings(d.nameservers)], ['domain', str(d.domain)], ['search', strings(d.search)], ['options', strings(d.options)]]);
};

/** The result100Schema output for `raw` (nulls already dropped), or undefined when zod has to decide. */
export function fastParse100(raw: Obj): Result100Json | undefined {
  try {
    return pick([
      ['cniVersion', str(raw.cniVersion)],
      ['interfaces', list(raw.interfaces, iface)],
      ['ips', list(raw.ips, ipConfig)],
      ['routes', list(raw.routes, route)],
      ['dns', dns(raw.dns)],
    ]) as Result100Json;
  } catch (e) {
    if (e instanceof Reject) return undefined;
    throw e;
  }
}
