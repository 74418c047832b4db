import { describe, expect, it } from 'vitest';
import { isCniError } from '@cni-ts/skel';
import { formatRangeSet } from './range-set.ts';
import { rangeSets } from './testing/sets.ts';

function failure(fn: () => unknown): { code: number; msg: string } | undefined {
  try {
    fn();
  } catch (err) {
    if (isCniError(err)) return { code: err.code, msg: err.msg };
    throw err;
  }
  return undefined;
}

describe('range sets', () => {
  it('canonicalises every set and keeps config paths', () => {
    const sets = rangeSets([[{ subnet: '10.1.0.0/24' }, { Subnet: '10.2.0.0/24', RangeStart: '10.2.0.100' }], [{ subnet: 'fd00::/120' }]]);
    expect(sets.map(formatRangeSet)).toEqual(['10.1.0.1-10.1.0.254,10.2.0.100-10.2.0.254', 'fd00::1-fd00::ff']);
    expect(sets.map((s) => [s.path, s.family, s.ranges.map((r) => r.path)])).toEqual([
      ['ipam.ranges[0]', 4, ['ipam.ranges[0][0]', 'ipam.ranges[0][1]']],
      ['ipam.ranges[1]', 6, ['ipam.ranges[1][0]']],
    ]);
  });

  it('allows two sets of one family from 0.3.0 on', () => {
    expect(rangeSets([[{ subnet: '10.1.0.0/24' }], [{ subnet: '10.2.0.0/24' }]], '0.3.0')).toHaveLength(2);
  });

  it.each([
    ['no sets', [], '1.0.0', 'ipam.ranges: no IP ranges specified'],
    ['empty set', [[]], '1.0.0', 'ipam.ranges[0]: empty range set'],
    ['mixed families', [[{ subnet: '10.1.0.0/24' }, { subnet: 'fd00::/64' }]], '1.0.0',
      'ipam.ranges[0]: mixed address families (ipam.ranges[0][1] is IPv6, ipam.ranges[0][0] is IPv4)'],
    ['overlapping ranges', [[{ subnet: '10.1.0.0/24' }, { subnet: '10.1.0.0/25' }]], '1.0.0',
      'ipam.ranges[0]: ranges ipam.ranges[0][0] (10.1.0.1-10.1.0.254) and ipam.ranges[0][1] (10.1.0.1-10.1.0.126) overlap'],
    ['overlapping sets', [[{ subnet: '10.1.0.0/24' }], [{ subnet: '10.1.0.0/16' }]], '1.0.0', 'range set ipam.ranges[0] overlaps with ipam.ranges[1]'],
    ['two IPv4 sets below 0.3.0', [[{ subnet: '10.1.0.0/24' }], [{ subnet: '10.2.0.0/24' }]], '0.2.0',
      'CNI version 0.2.0 does not support more than 1 address per family'],
    ['bad subnet', [[{ subnet: '10.1.0.0/33' }]], '1.0.0', 'ipam.ranges[0][0].subnet: invalid CIDR address: "10.1.0.0/33"'],
    ['subnet missing', [[{ rangeStart: '10.1.0.5' }]], '1.0.0', 'ipam.ranges[0][0].subnet: expected string, got undefined'],
    ['subnet a number', [[{ subnet: 5 }]], '1.0.0', 'ipam.ranges[0][0].subnet: expected string, got number'],
    ['bad rangeEnd', [[{ subnet: '10.1.0.0/24', rangeEnd: '10.1.0' }]], '1.0.0', 'ipam.ranges[0][0].rangeEnd: invalid IP address: "10.1.0"'],
    ['flat list', [{ subnet: '10.1.0.0/24' }], '1.0.0', 'ipam.ranges[0]: expected array, got object'],
  ])('%s', (_name, json, version, msg) => {
    expect(failure(() => rangeSets(json, version))).toEqual({ code: 999, msg });
  });
});
