import { describe, expect, it } from 'vitest';
import { cidrContains, formatCidr, hasHostBits, lastAddress, networkAddress, parseCidr } from './cidr.ts';
import { formatIp, parseIp } from './ip.ts';

describe('parseCidr', () => {
  it.each([
    ['10.1.0.5/24', '10.1.0.5/24', '10.1.0.0', '10.1.0.255', true],
    ['10.1.0.0/24', '10.1.0.0/24', '10.1.0.0', '10.1.0.255', false],
    ['0.0.0.0/0', '0.0.0.0/0', '0.0.0.0', '255.255.255.255', false],
    ['fd00::/64', 'fd00::/64', 'fd00::', 'fd00::ffff:ffff:ffff:ffff', false],
    ['fd00::1/128', 'fd00::1/128', 'fd00::1', 'fd00::1', false],
    ['::ffff:10.1.0.0/120', '10.1.0.0/24', '10.1.0.0', '10.1.0.255', false],
  ])('%s', (input, text, network, last, hostBits) => {
    const c = parseCidr(input)!;
    expect(formatCidr(c)).toBe(text);
    expect(formatIp(networkAddress(c))).toBe(network);
    expect(formatIp(lastAddress(c))).toBe(last);
    expect(hasHostBits(c)).toBe(hostBits);
  });

  it.each(['10.1.0.0', '10.1.0.0/33', 'fd00::/129', '10.1.0.0/', '10.1.0.0/-1', '10.1.0.0/2 4', 'x/24', '::ffff:10.1.0.0/80'])('rejects %j', (input) => {
    expect(parseCidr(input)).toBeUndefined();
  });

  it('contains only addresses of its own family and prefix', () => {
    const c = parseCidr('10.1.0.0/24')!;
    expect(cidrContains(c, parseIp('10.1.0.77')!)).toBe(true);
    expect(cidrContains(c, parseIp('10.1.1.0')!)).toBe(false);
    expect(cidrContains(c, parseIp('::a01:5')!)).toBe(false);
  });
});
