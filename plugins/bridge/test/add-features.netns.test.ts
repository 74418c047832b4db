// ADD, key by key (checklist 4.1/4.2), checked against the kernel with iproute2 as the independent witness.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { add, cni } from './fixtures/cni.ts';
import { IP, tempNetns, type TestNetns } from './fixtures/netns.ts';
import { addresses, containerLinks, links, reservations, routes } from './fixtures/state.ts';

interface Env {
  host: TestNetns;
  container: TestNetns;
  dataDir: string;
  conf: (extra?: object, ipam?: object) => any;
}

async function withEnv(body: (e: Env) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cbt-ipam-'));
  try {
    await using host = await tempNetns('cbh');
    await using container = await tempNetns('cbc');
    const conf = (extra: object = {}, ipam: object = { subnet: '10.217.0.0/24' }) => ({
      cniVersion: '1.1.0', name: 'feat', type: 'bridge', bridge: 'cbt0', isGateway: true, ...extra, ipam: { type: 'host-local', dataDir, ...ipam },
    });
    await body({ host, container, dataDir, conf });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const link = async (ns: TestNetns, name: string) => (await links(ns)).find((l) => l.ifname === name);
const sysctl = (ns: TestNetns, key: string) => ns.sh('cat', `/proc/sys/${key}`).then((s) => s.trim());

describe.concurrent('ADD features', () => {
  test('a link named like the bridge that is not a bridge is refused, and nothing is left', async () => {
    await withEnv(async ({ host, container, dataDir, conf }) => {
      await host.sh(IP, 'link', 'add', 'cbt0', 'type', 'veth', 'peer', 'name', 'cbt0p');
      const r = await cni(host, { command: 'ADD', containerId: 'c1', netns: container.path, conf: conf() });
      expect(r.json).toEqual({ code: 999, msg: 'failed to create bridge "cbt0": "cbt0" already exists but is not a bridge' });
      expect(await containerLinks(container)).toEqual([]);
      expect(reservations(dataDir, 'feat')).toEqual([]);
    });
  });

  test('an existing bridge is adopted without being reconfigured; mtu applies to a new bridge and both veth ends', async () => {
    await withEnv(async ({ host, container, conf }) => {
      await host.sh(IP, 'link', 'add', 'cbt0', 'mtu', '1300', 'type', 'bridge');
      await add(host, { containerId: 'c1', netns: container.path, conf: { ...conf({ mtu: 1280 }), bridge: 'cbt0' } });
      expect((await link(host, 'cbt0'))?.linkinfo?.info_kind).toBe('bridge');
      expect(JSON.parse(await host.sh(IP, '-j', 'link', 'show', 'cbt0'))[0].mtu).toBe(1280); // the kernel lowers a bridge to its smallest port
      expect(JSON.parse(await container.sh(IP, '-j', 'link', 'show', 'eth0'))[0].mtu).toBe(1280);
      await using other = await tempNetns('cbh');
      await using c2 = await tempNetns('cbc');
      await add(other, { containerId: 'c2', netns: c2.path, conf: conf({ mtu: 1400 }) });
      expect(JSON.parse(await other.sh(IP, '-j', 'link', 'show', 'cbt0'))[0].mtu).toBe(1400);
    });
  });

  test('hairpinMode and portIsolation are set on the host port; accept_ra is off on bridge and port', async () => {
    await withEnv(async ({ host, container, conf }) => {
      const result = await add(host, { containerId: 'c1', netns: container.path, conf: conf({ hairpinMode: true, portIsolation: true }) });
      const port = await link(host, result.interfaces[1].name);
      expect(port?.master).toBe('cbt0');
      expect(port?.linkinfo?.info_slave_data).toMatchObject({ hairpin: true, isolated: true });
      expect(await sysctl(host, 'net/ipv6/conf/cbt0/accept_ra')).toBe('0');
      expect(await sysctl(host, `net/ipv6/conf/${result.interfaces[1].name}/accept_ra`)).toBe('0');
    });
  });

  test('promiscMode puts the bridge in promiscuous mode', async () => {
    await withEnv(async ({ host, container, conf }) => {
      await add(host, { containerId: 'c1', netns: container.path, conf: conf({ promiscMode: true }) });
      expect((await link(host, 'cbt0'))?.flags).toContain('PROMISC');
    });
  });

  test.each([
    ['runtimeConfig.mac', { runtimeConfig: { mac: '0a:58:00:00:00:01' }, args: { cni: { mac: '0a:58:00:00:00:02' } } }, 'MAC=0a:58:00:00:00:03', '0a:58:00:00:00:01'],
    ['args.cni.mac', { args: { cni: { mac: '0A-58-00-00-00-02' } } }, 'MAC=0a:58:00:00:00:03', '0a:58:00:00:00:02'],
    ['CNI_ARGS MAC', {}, 'IgnoreUnknown=1;K8S_POD_NAME=x;MAC=0a:58:00:00:00:03', '0a:58:00:00:00:03'],
  ])('the container MAC comes from %s', async (_from, extra, cniArgs, mac) => {
    await withEnv(async ({ host, container, conf }) => {
      const r = await cni(host, { command: 'ADD', containerId: 'c1', netns: container.path, conf: conf(extra), env: { CNI_ARGS: cniArgs } });
      expect(r.code).toBe(0);
      expect(r.json.interfaces[2].mac).toBe(mac);
      expect((await link(container, 'eth0'))?.address).toBe(mac);
    });
  });

  test('forceAddress: a different IPv4 gateway address is an error, or is replaced', async () => {
    await withEnv(async ({ host, container, conf }) => {
      await host.sh(IP, 'link', 'add', 'cbt0', 'type', 'bridge');
      await host.sh(IP, 'addr', 'add', '10.99.0.1/24', 'dev', 'cbt0');
      const refused = await cni(host, { command: 'ADD', containerId: 'c1', netns: container.path, conf: conf() });
      expect(refused.json).toEqual({ code: 999, msg: 'failed to set bridge addr: "cbt0" already has an IP address different from 10.217.0.1/24' });
      expect(await containerLinks(container)).toEqual([]); // rolled back
      await add(host, { containerId: 'c1', netns: container.path, conf: conf({ forceAddress: true }) });
      expect(await addresses(host, 'cbt0')).toEqual(['10.217.0.1/24']);
    });
  });

  test('IPv6 gateway addresses of non-overlapping prefixes coexist on the bridge', async () => {
    await withEnv(async ({ host, container, conf }) => {
      await add(host, { containerId: 'c1', netns: container.path, conf: conf({}, { subnet: 'fd10:217:1::/64' }) });
      await using c2 = await tempNetns('cbc');
      await add(host, { containerId: 'c2', netns: c2.path, conf: { ...conf({}, { subnet: 'fd10:217:2::/64' }), name: 'feat2' } });
      expect((await addresses(host, 'cbt0')).sort()).toEqual(['fd10:217:1::1/64', 'fd10:217:2::1/64']);
    });
  });

  test('isDefaultGateway: a default route per family through the gateway; forwarding on in the host netns only', async () => {
    await withEnv(async ({ host, container, conf }) => {
      const rootForward = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8');
      const result = await add(host, { containerId: 'c1', netns: container.path, conf: conf({ isDefaultGateway: true }, { ranges: [[{ subnet: '10.217.0.0/24' }], [{ subnet: 'fd10:217::/64' }]] }) });
      expect(result.routes).toEqual([{ dst: '0.0.0.0/0', gw: '10.217.0.1' }, { dst: '::/0', gw: 'fd10:217::1' }]);
      expect((await routes(container, 4)).find((r) => r.dst === 'default')).toMatchObject({ gateway: '10.217.0.1', dev: 'eth0' });
      expect((await routes(container, 6)).find((r) => r.dst === 'default')).toMatchObject({ gateway: 'fd10:217::1', dev: 'eth0' });
      expect(await sysctl(host, 'net/ipv4/ip_forward')).toBe('1');
      expect(await sysctl(host, 'net/ipv6/conf/all/forwarding')).toBe('1');
      expect(readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8')).toBe(rootForward);
    });
  });

  test('accept_dad off by default, enhanced DAD with enabledad; arp_notify on', async () => {
    await withEnv(async ({ host, container, conf }) => {
      await add(host, { containerId: 'c1', netns: container.path, conf: conf({}, { subnet: 'fd10:217::/64' }) });
      expect(await sysctl(container, 'net/ipv6/conf/eth0/accept_dad')).toBe('0');
      expect(await sysctl(container, 'net/ipv4/conf/eth0/arp_notify')).toBe('1');
      await using c2 = await tempNetns('cbc');
      await add(host, { containerId: 'c2', netns: c2.path, conf: conf({ enabledad: true }, { subnet: 'fd10:217::/64' }) });
      expect(await sysctl(c2, 'net/ipv6/conf/eth0/accept_dad')).toBe('1');
      expect(await sysctl(c2, 'net/ipv6/conf/eth0/enhanced_dad')).toBe('1');
      // ADD returned only after DAD finished: nothing is tentative any more.
      expect(await c2.sh(IP, '-6', 'addr', 'show', 'dev', 'eth0')).not.toContain('tentative');
    });
  });

  test('L2 only: no addresses, the container interface up; disableContainerInterface leaves it down', async () => {
    await withEnv(async ({ host, container }) => {
      const l2 = { cniVersion: '1.0.0', name: 'l2', type: 'bridge', bridge: 'cbt0' };
      const result = await add(host, { containerId: 'c1', netns: container.path, conf: l2 });
      expect(result).toEqual({
        cniVersion: '1.0.0',
        interfaces: [
          { name: 'cbt0', mac: expect.any(String) },
          { name: expect.stringMatching(/^veth/), mac: expect.any(String) },
          { name: 'eth0', mac: expect.any(String), sandbox: container.path },
        ],
        dns: {},
      });
      expect((await link(container, 'eth0'))?.flags).toContain('UP');
      await using c2 = await tempNetns('cbc');
      await add(host, { containerId: 'c2', netns: c2.path, conf: { ...l2, disableContainerInterface: true } });
      expect((await link(c2, 'eth0'))?.flags).not.toContain('UP');
      const old = await cni(host, { command: 'ADD', containerId: 'c3', netns: c2.path, ifName: 'eth1', conf: { ...l2, cniVersion: '0.2.0' } });
      expect(old.code).toBe(1);
      expect(await containerLinks(c2)).toEqual(['eth0']); // the failed 0.2.0 ADD was rolled back
    });
  });

  test('the config dns replaces the IPAM dns in the result', async () => {
    await withEnv(async ({ host, container, conf }) => {
      const dns = { nameservers: ['10.217.0.53'], search: ['example.test'] };
      const result = await add(host, { containerId: 'c1', netns: container.path, conf: { ...conf(), dns } });
      expect(result.dns).toEqual(dns);
    });
  });

  test('the bridge MAC is pinned: later ports do not change it', async () => {
    await withEnv(async ({ host, container, conf }) => {
      const first = await add(host, { containerId: 'c1', netns: container.path, conf: conf() });
      await using c2 = await tempNetns('cbc');
      const second = await add(host, { containerId: 'c2', netns: c2.path, conf: conf() });
      expect(second.interfaces[0].mac).toBe(first.interfaces[0].mac);
      expect((await link(host, 'cbt0'))?.address).toBe(first.interfaces[0].mac);
    });
  });

  test('a bad config is code 7 naming the field, and changes nothing', async () => {
    await withEnv(async ({ host, container, conf }) => {
      const r = await cni(host, { command: 'ADD', containerId: 'c1', netns: container.path, conf: conf({ vlan: 5000 }) });
      expect(r.json).toEqual({ code: 7, msg: 'invalid config: vlan: invalid VLAN ID 5000 (must be between 0 and 4094)' });
      expect(await link(host, 'cbt0')).toBeUndefined();
    });
  });
});
