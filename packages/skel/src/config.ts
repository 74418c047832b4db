// The plugin configuration every plugin receives on stdin (SPEC "Plugin configuration"), as a zod/mini schema
// that plugins extend: `z.extend(PluginConf, { bridge: z.string(), ... })`.
import * as z from 'zod/mini';

const strings = () => z.optional(z.array(z.string()));

/** The well-known `dns` key of a plugin configuration. */
export const DnsConf = z.object({ nameservers: strings(), domain: z.optional(z.string()), search: strings(), options: strings() });

/**
 * Keys the spec defines for every plugin. Unknown keys pass through (the runtime passes plugin-specific keys and
 * libcni does not strip `capabilities`); `runtimeConfig`, `args`, `ipam` and `prevResult` stay loose objects
 * (the IPAM plugin validates its own block; skel parses `prevResult` into `ctx.prevResult`).
 */
export const PluginConf = z.looseObject({
  /** "" or missing means 0.1.0, as Go's version decoder says */
  cniVersion: z.pipe(
    z.optional(z.string()),
    z.transform((v) => v || '0.1.0'),
  ),
  name: z.string(),
  type: z.optional(z.string()),
  capabilities: z.optional(z.looseObject({})),
  ipam: z.optional(z.looseObject({ type: z.optional(z.string()) })),
  dns: z.optional(DnsConf),
  prevResult: z.optional(z.looseObject({})),
  runtimeConfig: z.optional(z.looseObject({})),
  args: z.optional(z.looseObject({ cni: z.optional(z.looseObject({})) })),
  ipMasq: z.optional(z.boolean()),
});
export type PluginConf = z.output<typeof PluginConf>;

function matchKeys(input: unknown, canonical: ReadonlyMap<string, string>, exact: ReadonlySet<string>): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const target = exact.has(key) ? key : canonical.get(key.toLowerCase());
    // An exact spelling wins over a case-insensitive one, whichever comes first in the input.
    if (target === undefined) out[key] = value;
    else if (target === key || !Object.hasOwn(input, target)) out[target] = value;
  }
  return out;
}

/**
 * An object schema whose input keys match `shape` case-insensitively (an exact match wins), for `runtimeConfig`
 * payloads: containerd's go-cni sends `HostPort`, `Subnet`, ... because its structs have no JSON tags, and the
 * Go plugins accept them because encoding/json matches keys case-insensitively. Unknown keys are dropped.
 */
export function ciObject<Shape extends z.core.$ZodLooseShape>(shape: Shape): z.ZodMiniType<z.output<z.ZodMiniObject<Shape>>, unknown> {
  const canonical = new Map(Object.keys(shape).map((k) => [k.toLowerCase(), k]));
  const exact = new Set(Object.keys(shape));
  // The generic object's input type does not line up with the transform's output; the runtime does.
  const object = z.object(shape) as unknown as z.ZodMiniType<z.output<z.ZodMiniObject<Shape>>, unknown>;
  return z.pipe(
    z.transform((input: unknown) => matchKeys(input, canonical, exact)),
    object,
  );
}
