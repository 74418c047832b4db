// CNI_ARGS ("K1=V1;K2=V2"), parsed leniently (checklist 3.1 [GOAL]): Go's LoadArgs rejects a value containing
// '=' and any unknown key unless IgnoreUnknown is set, which breaks plugins under real runtimes (cni#126).

export interface CniArgs {
  /** The value of `key`; an exact match wins, else the key is matched case-insensitively. */
  get(key: string): string | undefined;
  has(key: string): boolean;
  /** Every pair in input order (a repeated key appears once, with its last value). */
  entries(): [string, string][];
}

/** Splits on ';', then each pair on its FIRST '='. Empty pairs and pairs without '=' or key are ignored. */
export function parseCniArgs(s: string | undefined): CniArgs {
  const pairs = new Map<string, string>();
  for (const pair of (s ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const key = pair.slice(0, eq);
    pairs.delete(key); // keep input order of the last occurrence
    pairs.set(key, pair.slice(eq + 1));
  }
  const find = (key: string): string | undefined => {
    if (pairs.has(key)) return key;
    const lower = key.toLowerCase();
    let found: string | undefined;
    for (const k of pairs.keys()) if (k.toLowerCase() === lower) found = k;
    return found;
  };
  return {
    get: (key) => {
      const k = find(key);
      return k === undefined ? undefined : pairs.get(k);
    },
    has: (key) => find(key) !== undefined,
    entries: () => [...pairs.entries()],
  };
}
