// Sysctls inside a namespace: written through a short setns window, never touching the host.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, test } from 'vitest';
import { tempNetns, type TempNetns } from '../testing/index.ts';
import { openHandle } from './handle.ts';
import { sysctlPath } from './sysctl-ops.ts';

const namespaces: TempNetns[] = [];
afterEach(() => {
  for (const ns of namespaces.splice(0)) ns.remove();
});
const inNs = (ns: TempNetns, key: string): string =>
  execFileSync('ip', ['netns', 'exec', ns.name, 'cat', `/proc/sys/${key}`], { encoding: 'utf8' }).trim();

describe('sysctl', () => {
  test('names: dotted and slash forms, the reference normalisation, only net/ keys', () => {
    expect(sysctlPath('net.ipv4.ip_forward')).toBe('/proc/sys/net/ipv4/ip_forward');
    expect(sysctlPath('net/ipv6/conf/all/forwarding')).toBe('/proc/sys/net/ipv6/conf/all/forwarding');
    expect(sysctlPath('/proc/sys/net/ipv4/ip_forward')).toBe('/proc/sys/net/ipv4/ip_forward');
    expect(sysctlPath('net.ipv4.conf.eth0/100.arp_notify')).toBe('/proc/sys/net/ipv4/conf/eth0.100/arp_notify');
    expect(sysctlPath('net/ipv4/conf/eth0.100/arp_notify')).toBe('/proc/sys/net/ipv4/conf/eth0.100/arp_notify');
    expect(() => sysctlPath('kernel.hostname')).toThrow('sysctl: "kernel.hostname" is not a per-namespace key under net/');
    expect(() => sysctlPath('net/../kernel/hostname')).toThrow(/not a per-namespace key/);
    expect(() => sysctlPath('net')).toThrow(/not a per-namespace key/);
  });

  test('get and set inside the namespace; the host keeps its values', async () => {
    const ns = await tempNetns('nls');
    namespaces.push(ns);
    await using h = await openHandle({ netns: ns.path });
    const hostForward = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8');
    const hostTtl = readFileSync('/proc/sys/net/ipv4/ip_default_ttl', 'utf8');
    expect(await h.sysctl.get('net.ipv4.ip_forward')).toBe('0');
    await h.sysctl.set('net.ipv4.ip_forward', 1);
    await h.sysctl.set('net/ipv4/ip_default_ttl', '33');
    const v = await h.link.add({ kind: 'veth', name: 'eth0', peer: { name: 'p0' } });
    await h.sysctl.set('net.ipv6.conf.eth0.accept_dad', 0);
    await h.sysctl.set(`net.ipv4.conf.${v.name}.arp_notify`, 1);
    expect(await h.sysctl.get('net.ipv4.ip_forward')).toBe('1');
    expect(inNs(ns, 'net/ipv4/ip_forward')).toBe('1');
    expect(inNs(ns, 'net/ipv4/ip_default_ttl')).toBe('33');
    expect(inNs(ns, 'net/ipv6/conf/eth0/accept_dad')).toBe('0');
    expect(inNs(ns, 'net/ipv4/conf/eth0/arp_notify')).toBe('1');
    expect(readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8')).toBe(hostForward);
    expect(readFileSync('/proc/sys/net/ipv4/ip_default_ttl', 'utf8')).toBe(hostTtl);
    await expect(h.sysctl.get('net.ipv4.conf.nope0.arp_notify')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
