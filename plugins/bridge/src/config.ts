// The bridge configuration (checklist 4.1): every key the reference reads, its defaults, and its checks, in one
// zod/mini schema. Everything cmdAdd needs is normalized here (house style B5): isDefaultGateway implies
// isGateway, the trunk becomes a sorted list of VLAN ids, the MAC from runtimeConfig/args is picked.
// Like Go's encoding/json, keys match case-insensitively (containerd sends `Mac`), and `null` means "not set".
import { CniError, ErrorCode, PluginConf, ciObject, type CniArgs } from '@cni-ts/skel';
import * as z from 'zod/mini';
import { invalidMacMessage, parseMac } from './mac.ts';
import { collectVlanTrunk } from './vlan-trunk.ts';

/** An optional field where JSON null counts as absent (Go leaves the default in place). */
const opt = <T extends z.core.SomeType>(schema: T) => z.optional(z.nullable(schema));
const flag = () => z.pipe(opt(z.boolean()), z.transform((v) => v ?? false));
/** A MAC, or "" for "not set" (Go skips an empty one). */
const macText = () =>
  z.string().check(z.refine((s) => s === '' || parseMac(s) !== undefined, { error: (iss) => invalidMacMessage(String(iss.input)) }));

// IFNAMSIZ - 1; the kernel's dev_valid_name also refuses "/", ":" and whitespace, and "." / "..".
const linkName = z.string().check(
  z.refine((s) => s.length >= 1 && s.length <= 15 && !/[/:\s]/.test(s) && s !== '.' && s !== '..', {
    error: (iss) => `invalid interface name ${JSON.stringify(iss.input)} (1-15 characters, no "/", ":" or spaces)`,
  }),
);

const vlanId = z.int().check(
  z.refine((v) => v >= 0 && v <= 4094, { error: (iss) => `invalid VLAN ID ${String(iss.input)} (must be between 0 and 4094)` }),
);

const trunkEntry = ciObject({ minID: opt(z.int()), maxID: opt(z.int()), id: opt(z.int()) });

const BridgeFields = {
  bridge: z.pipe(opt(linkName), z.transform((v) => v ?? 'cni0')),
  isGateway: flag(),
  isDefaultGateway: flag(),
  forceAddress: flag(),
  ipMasq: flag(),
  ipMasqBackend: opt(
    z.enum(['iptables', 'nftables'], { error: (iss) => `unknown ipmasq backend ${JSON.stringify(iss.input)}` }),
  ),
  /** 0 (or less) means the kernel default, as in the reference. */
  mtu: z.pipe(opt(z.int()), z.transform((v) => (v !== null && v !== undefined && v > 0 ? v : 0))),
  hairpinMode: flag(),
  promiscMode: flag(),
  vlan: z.pipe(opt(vlanId), z.transform((v) => v ?? 0)),
  vlanTrunk: opt(z.array(z.pipe(z.nullable(trunkEntry), z.transform((e) => e ?? {})))),
  preserveDefaultVlan: flag(),
  macspoofchk: flag(),
  enabledad: flag(),
  disableContainerInterface: flag(),
  portIsolation: flag(),
  runtimeConfig: opt(ciObject({ mac: opt(macText()) })),
  args: opt(ciObject({ cni: opt(ciObject({ mac: opt(macText()) })) })),
};
const canonicalKeys = new Map(Object.keys(BridgeFields).map((k) => [k.toLowerCase(), k]));

/** Renames case-variant top-level keys to the canonical spelling (an exact spelling wins), as Go matches them. */
function canonicalize(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const out: Record<string, unknown> = { ...input };
  for (const [key, value] of Object.entries(input)) {
    const canonical = canonicalKeys.get(key.toLowerCase());
    if (canonical === undefined || canonical === key || Object.hasOwn(input, canonical)) continue;
    out[canonical] = value;
    delete out[key];
  }
  return out;
}

const Parsed = z.extend(PluginConf, BridgeFields).check(
  z.refine((c) => !(c.hairpinMode && c.promiscMode), {
    error: 'cannot set hairpin mode and promiscuous mode at the same time.',
    path: ['hairpinMode'],
  }),
  z.refine((c) => !(c.disableContainerInterface && c.ipam?.type), {
    error: 'cannot use IPAM when DisableContainerInterface flag is set',
    path: ['disableContainerInterface'],
  }),
);

export const BridgeConf = z.pipe(
  z.pipe(z.transform(canonicalize), Parsed),
  z.transform((c, ctx) => {
    const trunk = collectVlanTrunk(c.vlanTrunk ?? []);
    if ('error' in trunk) {
      ctx.issues.push({ code: 'custom', message: trunk.error, path: ['vlanTrunk'], input: c.vlanTrunk });
      return z.NEVER;
    }
    const mac = c.runtimeConfig?.mac || c.args?.cni?.mac || undefined;
    return {
      ...c,
      isGateway: c.isGateway || c.isDefaultGateway,
      /** The trunk's VLAN ids, sorted and unique ([] without a trunk). */
      vlans: trunk.vlans,
      /** A trunk was configured (even an empty one turns vlan_filtering on, as in the reference). */
      hasTrunk: c.vlanTrunk !== null && c.vlanTrunk !== undefined,
      /** The IPAM plugin to delegate to; undefined means L2 only. */
      ipamType: c.ipam?.type || undefined,
      /** runtimeConfig.mac, else args.cni.mac (normalized); CNI_ARGS MAC is the last resort, see containerMac. */
      mac: mac === undefined ? undefined : parseMac(mac),
    };
  }),
);
export type BridgeConf = z.output<typeof BridgeConf>;

/** The container MAC: runtimeConfig.mac > args.cni.mac > CNI_ARGS MAC; undefined lets the kernel pick. */
export function containerMac(conf: BridgeConf, args: CniArgs): string | undefined {
  if (conf.mac !== undefined) return conf.mac;
  const fromEnv = args.get('MAC');
  if (fromEnv === undefined || fromEnv === '') return undefined;
  const mac = parseMac(fromEnv);
  if (mac === undefined) throw new CniError(ErrorCode.InvalidEnvironmentVariables, `CNI_ARGS MAC: ${invalidMacMessage(fromEnv)}`);
  return mac;
}
