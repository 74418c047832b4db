// Range sets: the unit of allocation. An ADD returns one address from each set; a set is a list of ranges of one
// family that do not overlap, tried in order with wraparound.
import { versionAtLeast } from '@cni-ts/skel';
import { invalidIpamConfig } from './errors.ts';
import type { Ip, IpFamily } from './ip.ts';
import { canonicalizeRange, formatRange, type Range, rangeContains, type RangeInput, rangesOverlap } from './range.ts';

export interface RangeSet {
  readonly ranges: readonly Range[];
  readonly family: IpFamily;
  /** Where the set came from in the config, e.g. `runtimeConfig.ipRanges[0]`. */
  readonly path: string;
}

/** A configured set before canonicalisation, with the config path of the set and of each range. */
export interface RangeSetInput {
  readonly path: string;
  readonly ranges: ReadonlyArray<{ readonly path: string; readonly range: RangeInput }>;
}

/** Canonicalises every range, then checks the set: not empty, one family, no overlapping ranges. */
export function canonicalizeRangeSet(input: RangeSetInput): RangeSet {
  if (input.ranges.length === 0) throw invalidIpamConfig(`${input.path}: empty range set`);
  const ranges = input.ranges.map((r) => canonicalizeRange(r.range, r.path));
  const first = ranges[0] as Range;
  const family = first.subnet.ip.family;
  for (const r of ranges) {
    if (r.subnet.ip.family !== family) {
      throw invalidIpamConfig(`${input.path}: mixed address families (${r.path} is IPv${r.subnet.ip.family}, ${first.path} is IPv${family})`);
    }
  }
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const a = ranges[i] as Range;
      const b = ranges[j] as Range;
      if (rangesOverlap(a, b)) {
        throw invalidIpamConfig(`${input.path}: ranges ${a.path} (${formatRange(a)}) and ${b.path} (${formatRange(b)}) overlap`);
      }
    }
  }
  return { ranges, family, path: input.path };
}

/** The range of the set whose start..end window holds `ip`, if any. */
export function rangeOf(set: RangeSet, ip: Ip): Range | undefined {
  return set.ranges.find((r) => rangeContains(r, ip));
}

export function rangeSetContains(set: RangeSet, ip: Ip): boolean {
  return rangeOf(set, ip) !== undefined;
}

export function rangeSetsOverlap(a: RangeSet, b: RangeSet): boolean {
  return a.ranges.some((x) => b.ranges.some((y) => rangesOverlap(x, y)));
}

/** `start-end,start-end`, as the reference prints a range set. */
export function formatRangeSet(set: RangeSet): string {
  return set.ranges.map(formatRange).join(',');
}

/**
 * Canonicalises all sets (in order) and applies the cross-set rules of the reference:
 * at least one set, several sets of one family only from cniVersion 0.3.0 on, and no two sets overlapping.
 */
export function canonicalizeRangeSets(inputs: readonly RangeSetInput[], opts: { cniVersion: string; field: string }): RangeSet[] {
  if (inputs.length === 0) throw invalidIpamConfig(`${opts.field}: no IP ranges specified`);
  const sets = inputs.map(canonicalizeRangeSet);
  if (!multipleAddressesAllowed(opts.cniVersion)) {
    for (const family of [4, 6] as const) {
      if (sets.filter((s) => s.family === family).length > 1) throw tooManyAddressesError(opts.cniVersion);
    }
  }
  for (let i = 0; i < sets.length; i++) {
    for (let j = i + 1; j < sets.length; j++) {
      const a = sets[i] as RangeSet;
      const b = sets[j] as RangeSet;
      if (rangeSetsOverlap(a, b)) throw invalidIpamConfig(`range set ${a.path} overlaps with ${b.path}`);
    }
  }
  return sets;
}

/** Results before 0.3.0 carry one address per family (ip4, ip6). */
export function multipleAddressesAllowed(cniVersion: string): boolean {
  return versionAtLeast(cniVersion, '0.3.0');
}

/** The reference's wording, kept exactly: users search for it. */
export function tooManyAddressesError(cniVersion: string) {
  return invalidIpamConfig(`CNI version ${cniVersion} does not support more than 1 address per family`);
}
