// The network configuration file itself (a conflist, or a single plugin .conf as libcni still loads them), and
// how libcni turns each plugins[] entry into the request a plugin reads on stdin: `name` and the chosen
// `cniVersion` are injected from the list.
import { compareVersions, versions } from '@cni-ts/skel';
import * as z from 'zod/mini';

// The network name becomes part of file paths (libcni's result cache), hence the container-id alphabet.
const NETWORK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const BoolOrString = z.union([z.boolean(), z.enum(['true', 'false'])]);
const KnownVersion = z.string().check(
  z.refine((v) => (versions.all as readonly string[]).includes(v), {
    error: (i) => `unsupported CNI version ${JSON.stringify(i.input)} (supported: ${versions.all.join(', ')})`,
  }),
);

const PluginEntry = z.looseObject({
  type: z.string().check(
    z.minLength(1, 'type must name a plugin binary'),
    z.regex(/^[^/\\]*$/, 'type must be a binary name, without "/" or "\\"'),
  ),
});

export const ConfList = z.looseObject({
  cniVersion: z.optional(KnownVersion),
  cniVersions: z.optional(z.array(z.string())),
  name: z.string().check(z.regex(NETWORK_NAME, `name must match ${NETWORK_NAME.source}`)),
  disableCheck: z.optional(BoolOrString),
  disableGC: z.optional(BoolOrString),
  loadOnlyInlinedPlugins: z.optional(BoolOrString),
  plugins: z.array(PluginEntry).check(z.minLength(1, 'a conflist needs at least one plugin')),
});

/** One request config as a plugin would receive it, and where its keys sit in the file. */
export interface PluginRequest {
  type: string;
  /** Path of the entry in the file: ['plugins', i] for a conflist, [] for a single .conf. */
  at: Array<string | number>;
  config: Record<string, unknown>;
}

/** The version libcni runs the list at: the highest of cniVersion ∪ cniVersions that it knows. */
export function chosenVersion(list: { cniVersion?: string | undefined; cniVersions?: string[] | undefined }): string | undefined {
  const known = [list.cniVersion, ...(list.cniVersions ?? [])].filter(
    (v): v is string => v !== undefined && (versions.all as readonly string[]).includes(v),
  );
  return known.sort(compareVersions).at(-1) ?? list.cniVersion;
}

export function isConfList(json: Record<string, unknown>): boolean {
  return 'plugins' in json;
}

/** The requests libcni would build from a (structurally valid) conflist. */
export function requestsOf(list: z.output<typeof ConfList>): PluginRequest[] {
  const cniVersion = chosenVersion(list);
  return list.plugins.map((entry, i) => ({
    type: entry.type,
    at: ['plugins', i],
    config: { ...entry, name: list.name, ...(cniVersion === undefined ? {} : { cniVersion }) },
  }));
}
