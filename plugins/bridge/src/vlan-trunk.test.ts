import { describe, expect, test } from 'vitest';
import { collectVlanTrunk } from './vlan-trunk.ts';

describe('collectVlanTrunk (the reference table, collectVlanTrunk DescribeTable)', () => {
  test.each([
    [[{ id: 101 }, { minID: 200, maxID: 202 }, { id: 200 }, { id: 5 }], { vlans: [5, 101, 200, 201, 202] }],
    [[{ minID: 3, maxID: 3, id: 3 }], { vlans: [3] }],
    [[], { vlans: [] }],
    [[{}], { vlans: [] }],
    [[{ id: 0 }], { error: 'incorrect trunk id parameter' }],
    [[{ id: 4095 }], { error: 'incorrect trunk id parameter' }],
    [[{ minID: 0, maxID: 5 }], { error: 'incorrect trunk minID parameter' }],
    [[{ minID: 1, maxID: 5000 }], { error: 'incorrect trunk maxID parameter' }],
    [[{ minID: 10, maxID: 5 }], { error: 'minID is greater than maxID in trunk parameter' }],
    [[{ maxID: 5 }], { error: 'minID and maxID should be configured simultaneously, minID is missing' }],
    [[{ minID: 5 }], { error: 'minID and maxID should be configured simultaneously, maxID is missing' }],
    [[{ id: 7 }, { minID: 5 }], { error: 'minID and maxID should be configured simultaneously, maxID is missing' }],
  ])('%j → %j', (entries, expected) => {
    expect(collectVlanTrunk(entries)).toEqual(expected);
  });
});
