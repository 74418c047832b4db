// Which requested addresses an ADD honours. CONVENTIONS.md: `args.cni.ips` supersedes the deprecated CNI_ARGS, and
// when the same thing arrives several ways the CNI_ARGS one must be ignored. Our order is args.cni.ips, then the
// `ips` capability (runtimeConfig.ips), then CNI_ARGS IP: the first source that names any address wins and the others
// are ignored. The reference host-local merges all three instead, and static lets runtimeConfig win over args.

export type RequestedIpSource = 'args.cni.ips' | 'runtimeConfig.ips' | 'CNI_ARGS IP';

export interface RequestedIpSources<T> {
  readonly argsIps?: readonly T[] | undefined;
  readonly runtimeIps?: readonly T[] | undefined;
  readonly cniArgsIps?: readonly T[] | undefined;
}

export interface RequestedIps<T> {
  readonly source: RequestedIpSource;
  readonly ips: readonly T[];
}

/** The highest-precedence non-empty source, or undefined when nothing is requested. */
export function pickRequestedIps<T>(sources: RequestedIpSources<T>): RequestedIps<T> | undefined {
  const ordered: [RequestedIpSource, readonly T[] | undefined][] = [
    ['args.cni.ips', sources.argsIps],
    ['runtimeConfig.ips', sources.runtimeIps],
    ['CNI_ARGS IP', sources.cniArgsIps],
  ];
  for (const [source, ips] of ordered) {
    if (ips && ips.length > 0) return { source, ips };
  }
  return undefined;
}

/** CNI_ARGS `IP=a,b` as a list of trimmed, non-empty items (the reference's static splits on ','). */
export function splitCniArgsList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}
