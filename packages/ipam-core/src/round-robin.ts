// The reference's allocation order: round-robin through a range set, starting just after the set's last reserved
// address (or at the first range's start when there is none or it no longer lies in the set), moving from one range
// to the next at each rangeEnd and wrapping around, until every address has been offered once.
// Lazy, so a /64 costs nothing until it is walked.
import type { IpSet } from './ip-set.ts';
import type { Ip } from './ip.ts';
import { isReservedAddress, type Range, rangeContains } from './range.ts';
import type { RangeSet } from './range-set.ts';

export interface Candidate {
  readonly ip: Ip;
  readonly range: Range;
}

/** Every allocatable address of the set (gateway, network and broadcast skipped), once, in round-robin order. */
export function* roundRobin(set: RangeSet, lastReserved?: Ip): Generator<Candidate> {
  const { ranges } = set;
  const n = ranges.length;
  let first = 0;
  let startValue = ranges[0]?.rangeStart.value ?? 0n;
  const lastIndex = lastReserved ? ranges.findIndex((r) => rangeContains(r, lastReserved)) : -1;
  if (lastReserved && lastIndex >= 0) {
    const range = ranges[lastIndex] as Range;
    if (lastReserved.value === range.rangeEnd.value) {
      first = (lastIndex + 1) % n;
      startValue = (ranges[first] as Range).rangeStart.value;
    } else {
      first = lastIndex;
      startValue = lastReserved.value + 1n;
    }
  }
  // The starting range is walked from startValue to its end, the others in full, then the starting range's head.
  for (let step = 0; step <= n; step++) {
    const range = ranges[(first + step) % n] as Range;
    const from = step === 0 ? startValue : range.rangeStart.value;
    const to = step === n ? startValue - 1n : range.rangeEnd.value;
    if (step === n && startValue === range.rangeStart.value) break;
    for (let v = from; v <= to; v++) {
      const ip: Ip = { family: set.family, value: v };
      if (!isReservedAddress(range, ip)) yield { ip, range };
    }
  }
}

/** The first address of the set that `taken` does not hold, in round-robin order; undefined when the set is full. */
export function firstFree(set: RangeSet, taken: IpSet, lastReserved?: Ip): Candidate | undefined {
  for (const candidate of roundRobin(set, lastReserved)) {
    if (!taken.has(candidate.ip)) return candidate;
  }
  return undefined;
}
