import { describe, expect, it } from 'vitest';
import { IpSet } from './ip-set.ts';
import { formatIp, parseIp } from './ip.ts';
import { firstFree, roundRobin } from './round-robin.ts';
import { rangeSets } from './testing/sets.ts';

const order = (json: unknown, last?: string) => {
  const [set] = rangeSets(json);
  return [...roundRobin(set!, last ? parseIp(last) : undefined)].map((c) => formatIp(c.ip));
};

describe('roundRobin', () => {
  const two = [[{ subnet: '10.1.0.0/29' }, { subnet: '10.2.0.0/30' }]]; // .2-.6 (gw .1), then 10.2.0.2 (gw .1)

  it('starts at the first range start without a cursor, skipping the gateway', () => {
    expect(order(two)).toEqual(['10.1.0.2', '10.1.0.3', '10.1.0.4', '10.1.0.5', '10.1.0.6', '10.2.0.2']);
  });

  it('starts right after the last reserved address and wraps around across ranges', () => {
    expect(order(two, '10.1.0.4')).toEqual(['10.1.0.5', '10.1.0.6', '10.2.0.2', '10.1.0.2', '10.1.0.3', '10.1.0.4']);
  });

  it('moves to the next range when the cursor is a range end', () => {
    expect(order(two, '10.1.0.6')).toEqual(['10.2.0.2', '10.1.0.2', '10.1.0.3', '10.1.0.4', '10.1.0.5', '10.1.0.6']);
    expect(order(two, '10.2.0.2')).toEqual(['10.1.0.2', '10.1.0.3', '10.1.0.4', '10.1.0.5', '10.1.0.6', '10.2.0.2']);
  });

  it('ignores a cursor outside the set (e.g. the ranges changed)', () => {
    expect(order(two, '10.9.0.1')).toEqual(order(two));
    expect(order(two, '10.1.0.1')).toEqual(['10.1.0.2', '10.1.0.3', '10.1.0.4', '10.1.0.5', '10.1.0.6', '10.2.0.2']);
  });

  it('skips the network and broadcast addresses even when the window includes them', () => {
    expect(order([[{ subnet: '10.1.0.0/29', rangeStart: '10.1.0.0', rangeEnd: '10.1.0.7' }]])).toEqual(['10.1.0.2', '10.1.0.3', '10.1.0.4', '10.1.0.5', '10.1.0.6']);
  });

  it('walks IPv6 up to the last address of the subnet', () => {
    expect(order([[{ subnet: 'fd00::/125' }]], 'fd00::5')).toEqual(['fd00::6', 'fd00::7', 'fd00::2', 'fd00::3', 'fd00::4', 'fd00::5']);
  });

  it('is lazy: the first free address of a /64 comes at once', () => {
    const [set] = rangeSets([[{ subnet: 'fd00::/64' }]]);
    const taken = new IpSet(['fd00::2', 'fd00::3'].map((s) => parseIp(s)!));
    expect(formatIp(firstFree(set!, taken)!.ip)).toBe('fd00::4');
  });

  it('reports a full set', () => {
    const [set] = rangeSets([[{ subnet: '10.1.0.0/30' }]]);
    expect(firstFree(set!, new IpSet([parseIp('10.1.0.2')!]))).toBeUndefined();
  });
});
