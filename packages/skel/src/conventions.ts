// CONVENTIONS.md: `args.cni.<key>` in the config supersedes CNI_ARGS; when both carry the same thing the plugin
// must ignore the CNI_ARGS one (the reference host-local merges them instead: checklist 3.1 [DIVERGENCE]).
import type { CniArgs } from './cni-args.ts';

export type ConventionValue = { source: 'args'; value: unknown } | { source: 'CNI_ARGS'; value: string };

/** `raw.args.cni[argsKey]` (any JSON), or the CNI_ARGS value of `cniArgsKey` when args.cni lacks the key. */
export function conventionArg(
  from: { raw: Record<string, unknown>; args: CniArgs },
  keys: { args: string; cniArgs: string },
): ConventionValue | undefined {
  const args = from.raw.args;
  const cni = typeof args === 'object' && args !== null ? (args as Record<string, unknown>).cni : undefined;
  if (typeof cni === 'object' && cni !== null && Object.hasOwn(cni, keys.args)) {
    const value = (cni as Record<string, unknown>)[keys.args];
    if (value !== undefined && value !== null) return { source: 'args', value };
  }
  const fromEnv = from.args.get(keys.cniArgs);
  return fromEnv === undefined ? undefined : { source: 'CNI_ARGS', value: fromEnv };
}
