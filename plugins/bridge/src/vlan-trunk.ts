// vlanTrunk: a list of `{id}` or `{minID, maxID}` entries, flattened into a sorted, duplicate-free list of VLAN
// ids. The checks and their messages are the reference's (collectVlanTrunk), so a config it rejects, we reject
// with the same words.
/** One entry; null is "not set", as in Go. */
export interface VlanTrunkEntry {
  minID?: number | null | undefined;
  maxID?: number | null | undefined;
  id?: number | null | undefined;
}

const inRange = (v: number) => v >= 1 && v <= 4094;

/** Sorted unique VLAN ids, or the reference's error text for the first bad entry. */
export function collectVlanTrunk(entries: readonly VlanTrunkEntry[]): { vlans: number[] } | { error: string } {
  const vlans = new Set<number>();
  for (const entry of entries) {
    const e = { minID: entry.minID ?? undefined, maxID: entry.maxID ?? undefined, id: entry.id ?? undefined };
    if (e.minID !== undefined && e.maxID !== undefined) {
      if (!inRange(e.minID)) return { error: 'incorrect trunk minID parameter' };
      if (!inRange(e.maxID)) return { error: 'incorrect trunk maxID parameter' };
      if (e.maxID < e.minID) return { error: 'minID is greater than maxID in trunk parameter' };
      for (let v = e.minID; v <= e.maxID; v++) vlans.add(v);
    } else if (e.maxID !== undefined) {
      return { error: 'minID and maxID should be configured simultaneously, minID is missing' };
    } else if (e.minID !== undefined) {
      return { error: 'minID and maxID should be configured simultaneously, maxID is missing' };
    }
    if (e.id !== undefined) {
      if (!inRange(e.id)) return { error: 'incorrect trunk id parameter' };
      vlans.add(e.id);
    }
  }
  return { vlans: [...vlans].sort((a, b) => a - b) };
}
