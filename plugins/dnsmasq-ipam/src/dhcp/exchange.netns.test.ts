// The DHCP client halves against a real dnsmasq 2.90 in throwaway namespaces (the fixture starts dnsmasq itself,
// with the generated config; the plugin's own lifecycle is tested in plugin.netns.test.ts).
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { warmThreadpool } from '@cni-ts/netlink/sys';
import { acquireLease } from './container-client.ts';
import { HostDhcpClient } from './host-client.ts';
import { clientIdBytes, clientIdText } from '../client-identity.ts';
import { renderDnsmasqConf } from '../dnsmasq/conf-file.ts';
import { readLeaseSnapshot } from '../dnsmasq/lease-file.ts';
import { networkPaths } from '../state/paths.ts';
import { formatIpv4, parseIpv4 } from '../ipv4.ts';
import { createLab, macBytes } from '../testing/lab.ts';
import type { Container, Lab } from '../testing/lab.ts';

const ip = (s: string): number => parseIpv4(s) ?? 0;
const GATEWAY = ip('10.203.0.1');

function startDnsmasq(lab: Lab, range: [string, string], opts: { rapidCommit?: boolean } = {}): ReturnType<typeof networkPaths> {
  const paths = networkPaths(lab.dir, 'net');
  lab.hostExec(['mkdir', '-p', paths.dir]);
  const conf = renderDnsmasqConf({
    interface: lab.bridge, gateway: GATEWAY, prefix: 24, rangeStart: ip(range[0]), rangeEnd: ip(range[1]),
    dns: { enable: true, domain: 'dq.test', forward: false },
  }, paths);
  writeFileSync(paths.conf, opts.rapidCommit === false ? conf.replace('dhcp-rapid-commit\n', '') : conf);
  lab.hostExec(['/usr/sbin/dnsmasq', `--conf-file=${paths.conf}`]);
  return paths;
}

function identity(c: Container, hostname = 'web1') {
  return { mac: macBytes(c.mac), clientId: clientIdBytes(clientIdText(c.id, c.ifName)), hostname };
}

describe('DHCP exchange against dnsmasq', () => {
  let lab: Lab;
  beforeEach(async () => {
    await warmThreadpool();
    lab = await createLab({ bridgeAddress: '10.203.0.1/24' });
  });
  afterEach(async () => {
    await lab.close();
  });

  it('leases with rapid commit from inside the container, stably per client-id, and releases from the host', async () => {
    const paths = startDnsmasq(lab, ['10.203.0.10', '10.203.0.20']);
    const c1 = await lab.addContainer();
    const lease = await acquireLease({ netns: c1.ns.path, ifName: 'eth0', client: identity(c1), timeoutMs: 1000, attempts: 3 });
    expect(lease.kind).toBe('ack');
    if (lease.kind !== 'ack') return;
    expect(lease.exchanges).toBe('rapid-commit');
    const { reply } = lease;
    expect(reply.leaseTime).toBe(0xffffffff);
    expect(reply.serverId).toBe(GATEWAY);
    expect(reply.routers).toEqual([GATEWAY]);
    expect(reply.subnetMask).toBe(0xffffff00);
    expect(reply.dnsServers).toEqual([GATEWAY]);
    expect(reply.domainName).toBe('dq.test');
    expect(reply.yiaddr).toBeGreaterThanOrEqual(ip('10.203.0.10'));
    expect(reply.yiaddr).toBeLessThanOrEqual(ip('10.203.0.20'));

    const again = await acquireLease({ netns: c1.ns.path, ifName: 'eth0', client: identity(c1), timeoutMs: 1000, attempts: 1 });
    expect(again.kind === 'ack' && again.reply.yiaddr).toBe(reply.yiaddr);

    const leases = await readLeaseSnapshot(paths.leases);
    expect(leases).toEqual([expect.objectContaining({ expiry: 0, address: reply.yiaddr, hostname: 'web1', cniClientId: clientIdText(c1.id, 'eth0'), mac: c1.mac })]);

    using host = HostDhcpClient.open(lab.bridge, GATEWAY, lab.host.path);
    expect(await host.inform(reply.yiaddr, 1000)).toEqual({ leased: true, hostname: 'web1' });
    // Another address of the range (dnsmasq may have picked .19 itself: it hashes the client id into the range).
    const unleased = reply.yiaddr === ip('10.203.0.19') ? ip('10.203.0.18') : ip('10.203.0.19');
    expect(await host.inform(unleased, 1000)).toEqual({ leased: false });

    c1.ns.remove(); // the release does not need the container
    host.release({ address: reply.yiaddr, serverId: GATEWAY, clientId: identity(c1).clientId });
    expect(await host.inform(reply.yiaddr, 1000)).toEqual({ leased: false });
  });

  it('honours a free requested address and silently ignores a taken one', async () => {
    startDnsmasq(lab, ['10.203.0.10', '10.203.0.20']);
    const [a, b] = [await lab.addContainer(), await lab.addContainer()];
    const first = await acquireLease({ netns: a.ns.path, ifName: 'eth0', client: identity(a, 'a'), requestedIp: ip('10.203.0.15'), timeoutMs: 1000, attempts: 1 });
    expect(first.kind === 'ack' && formatIpv4(first.reply.yiaddr)).toBe('10.203.0.15');
    const second = await acquireLease({ netns: b.ns.path, ifName: 'eth0', client: identity(b, 'b'), requestedIp: ip('10.203.0.15'), timeoutMs: 1000, attempts: 1 });
    expect(second.kind).toBe('ack');
    expect(second.kind === 'ack' && formatIpv4(second.reply.yiaddr)).not.toBe('10.203.0.15');
  });

  it('never leases the gateway even when the range contains it', async () => {
    startDnsmasq(lab, ['10.203.0.1', '10.203.0.2']);
    const [a, b] = [await lab.addContainer(), await lab.addContainer()];
    const first = await acquireLease({ netns: a.ns.path, ifName: 'eth0', client: identity(a, 'a'), timeoutMs: 2000, attempts: 1 });
    expect(first.kind === 'ack' && formatIpv4(first.reply.yiaddr)).toBe('10.203.0.2');
    expect(await acquireLease({ netns: b.ns.path, ifName: 'eth0', client: identity(b, 'b'), timeoutMs: 300, attempts: 1 })).toEqual({ kind: 'timeout' });
  });

  it('falls back to DISCOVER/OFFER/REQUEST/ACK against a server without rapid commit', async () => {
    startDnsmasq(lab, ['10.203.0.10', '10.203.0.20'], { rapidCommit: false });
    const c = await lab.addContainer();
    const lease = await acquireLease({ netns: c.ns.path, ifName: 'eth0', client: identity(c), timeoutMs: 1000, attempts: 1 });
    expect(lease).toMatchObject({ kind: 'ack', exchanges: 'four-way', reply: { leaseTime: 0xffffffff, rapidCommit: false } });
  });

  it('times out when nothing answers', async () => {
    const c = await lab.addContainer();
    expect(await acquireLease({ netns: c.ns.path, ifName: 'eth0', client: identity(c), timeoutMs: 100, attempts: 2 })).toEqual({ kind: 'timeout' });
    using host = HostDhcpClient.open(lab.bridge, GATEWAY, lab.host.path);
    expect(await host.inform(ip('10.203.0.10'), 100)).toBeUndefined();
  });
});
