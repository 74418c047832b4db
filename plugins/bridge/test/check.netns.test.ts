// Acceptance item 6, CHECK: passes right after ADD (L3 and L2-only), and notices when anything ADD created is
// gone or changed: links, MACs, addresses, routes, hairpin, masquerade and spoof-check rules. STATUS: delegated.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { iptablesChainName } from '../src/firewall/names.ts';
import { add, cni } from './fixtures/cni.ts';
import { IP, tempNetns, type TestNetns } from './fixtures/netns.ts';

async function setup(extra: object, body: (x: { host: TestNetns; container: TestNetns; check: (conf?: object) => Promise<{ code: number; json: any }>; result: any }) => Promise<void>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'cbt-ipam-'));
  try {
    await using host = await tempNetns('cbh');
    await using container = await tempNetns('cbc');
    const conf = {
      cniVersion: '1.0.0', name: 'checknet', type: 'bridge', bridge: 'cbt0', isGateway: true, isDefaultGateway: true,
      ipam: { type: 'host-local', ranges: [[{ subnet: '10.213.0.0/24' }], [{ subnet: 'fd10:213::/64' }]], dataDir }, ...extra,
    };
    const result = await add(host, { containerId: 'c1', netns: container.path, conf });
    const check = (c: object = { ...conf, prevResult: result }) => cni(host, { command: 'CHECK', containerId: 'c1', netns: container.path, conf: c });
    await body({ host, container, check, result });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe.concurrent('CHECK', () => {
  test('passes after ADD', async () => {
    await setup({ ipMasq: true, macspoofchk: true, hairpinMode: true }, async ({ check }) => {
      expect(await check()).toMatchObject({ code: 0 });
    });
  });

  test('without prevResult: "Required prevResult missing"', async () => {
    await setup({}, async ({ check }) => {
      const r = await check({ cniVersion: '1.0.0', name: 'checknet', type: 'bridge', bridge: 'cbt0' });
      expect(r.json).toEqual({ code: 999, msg: 'Required prevResult missing' });
    });
  });

  test.each([
    ['the container address is gone', (c: TestNetns) => c.sh(IP, 'addr', 'del', '10.213.0.2/24', 'dev', 'eth0'), /Failed to match addr 10\.213\.0\.2\/24 on interface eth0/],
    ['the default route is gone', (c: TestNetns) => c.sh(IP, '-4', 'route', 'del', 'default'), /Expected Route \{Dst: 0\.0\.0\.0\/0 Gw: 10\.213\.0\.1\}/],
    ['the container MAC changed', (c: TestNetns) => c.sh(IP, 'link', 'set', 'eth0', 'address', '0a:58:00:00:00:99'), /Interface eth0 Mac .* doesn't match container Mac: 0a:58:00:00:00:99/],
    ['the container interface is gone', (c: TestNetns) => c.sh(IP, 'link', 'del', 'eth0'), /Interface name eth0 not found/],
  ])('fails when %s', async (_what, breakIt, message) => {
    await setup({}, async ({ container, check }) => {
      await breakIt(container);
      const r = await check();
      expect(r.code).toBe(1);
      expect(r.json.msg).toMatch(message);
    });
  });

  test('fails when the host veth left the bridge, or its hairpin setting changed', async () => {
    await setup({}, async ({ host, check, result }) => {
      const veth = result.interfaces[1].name;
      await host.sh(IP, 'link', 'set', veth, 'type', 'bridge_slave', 'hairpin', 'on');
      expect((await check()).json.msg).toMatch(`bridge port ${veth} hairpin mode is true, configured false`);
      await host.sh(IP, 'link', 'set', veth, 'nomaster');
      expect((await check()).json.msg).toBe('CNI veth created for bridge cbt0 was not found');
    });
  });

  test('fails when a masquerade or spoof-check rule is gone', async () => {
    await setup({ ipMasq: true, macspoofchk: true }, async ({ host, check }) => {
      await host.sh('iptables', '-t', 'nat', '-F', iptablesChainName('checknet', 'c1'));
      expect((await check()).json.msg).toMatch(/missing iptables nat rule: -A CNI-[0-9a-f]{24} -d 10\.213\.0\.0\/24/);
      await host.sh('nft', 'flush', 'chain', 'bridge', 'nat', 'cni-br-iface-c1-eth0-mac');
      expect((await check()).json.msg).toMatch(/macspoofchk: .* is not the allowed source MAC/);
    });
  });

  test('fails when the gateway address left the bridge', async () => {
    await setup({}, async ({ host, check }) => {
      await host.sh(IP, 'addr', 'del', '10.213.0.1/24', 'dev', 'cbt0');
      expect((await check()).json.msg).toBe('gateway address 10.213.0.1/24 is missing on "cbt0"');
    });
  });

  test('fails when the bridge was replaced (MAC changed)', async () => {
    await setup({}, async ({ host, check }) => {
      await host.sh(IP, 'link', 'set', 'cbt0', 'address', '0a:58:00:00:00:aa');
      expect((await check()).json.msg).toMatch(/^Bridge interface cbt0 Mac doesn't match: /);
    });
  });
});

test('CHECK of an L2-only attachment (no IPAM) passes, and notices a missing interface', async () => {
  await using host = await tempNetns('cbh');
  await using container = await tempNetns('cbc');
  const conf = { cniVersion: '1.0.0', name: 'l2', type: 'bridge', bridge: 'cbt0', ipam: {} };
  const result = await add(host, { containerId: 'c1', netns: container.path, conf });
  expect(result.ips).toBeUndefined();
  const call = { command: 'CHECK' as const, containerId: 'c1', netns: container.path, conf: { ...conf, prevResult: result } };
  expect(await cni(host, call)).toMatchObject({ code: 0, stdout: '' });
  await container.sh(IP, 'link', 'del', 'eth0');
  expect((await cni(host, call)).json.msg).toBe('Interface name eth0 not found');
});

describe.concurrent('STATUS', () => {
  test('delegates to IPAM', async () => {
    await using host = await tempNetns('cbh');
    const dataDir = mkdtempSync(join(tmpdir(), 'cbt-ipam-'));
    try {
      const conf = { cniVersion: '1.1.0', name: 'st', type: 'bridge', ipam: { type: 'host-local', subnet: '10.214.0.0/30', dataDir } };
      expect(await cni(host, { command: 'STATUS', conf })).toMatchObject({ code: 0, stdout: '' });
      const missing = await cni(host, { command: 'STATUS', conf: { ...conf, ipam: { type: 'no-such-ipam' } } });
      expect(missing.json.msg).toMatch(/failed to find plugin "no-such-ipam"/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('an L2-only bridge is always ready', async () => {
    await using host = await tempNetns('cbh');
    expect(await cni(host, { command: 'STATUS', conf: { cniVersion: '1.1.0', name: 'st', type: 'bridge' } })).toMatchObject({ code: 0 });
  });
});
