// Acceptance item 5: DEL never fails because something is already gone, always releases the IPAM reservation,
// and removes the masquerade rules from prevResult's addresses or by their names/comments when the namespace
// is gone (the reference leaks them: plugins#810).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { add, cni } from './fixtures/cni.ts';
import { IP, natRules, nftRuleset, tempNetns, type TestNetns } from './fixtures/netns.ts';
import { links, ports, reservations } from './fixtures/state.ts';

type Backend = 'iptables' | 'nftables';

async function withAttachment(
  backend: Backend,
  body: (x: { host: TestNetns; container: TestNetns; conf: any; result: any; dataDir: string }) => Promise<void>,
) {
  const dataDir = mkdtempSync(join(tmpdir(), 'cbt-ipam-'));
  try {
    await using host = await tempNetns('cbh');
    await using container = await tempNetns('cbc');
    const conf = {
      cniVersion: '1.1.0', name: 'delnet', type: 'bridge', bridge: 'cbt0', isGateway: true, ipMasq: true, ipMasqBackend: backend,
      macspoofchk: true, ipam: { type: 'host-local', ranges: [[{ subnet: '10.212.0.0/24' }], [{ subnet: 'fd10:212::/64' }]], dataDir },
    };
    const result = await add(host, { containerId: 'c1', netns: container.path, conf });
    await body({ host, container, conf, result, dataDir });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function rulesLeft(host: TestNetns): Promise<string[]> {
  const nft = await nftRuleset(host);
  return [
    ...[...(await natRules(host, 4)), ...(await natRules(host, 6))].filter((r) => r.includes('CNI-')),
    ...nft.split('\n').filter((l) => l.includes(', net: ') || l.includes('cni-br-iface')),
  ];
}

const BACKENDS: Backend[] = ['iptables', 'nftables'];

describe.concurrent.each(BACKENDS)('DEL with %s masquerading', (backend) => {
  test('netns path gone, with prevResult: rules from prevResult, reservation released', async () => {
    await withAttachment(backend, async ({ host, container, conf, result, dataDir }) => {
      expect(reservations(dataDir, 'delnet')).toHaveLength(2);
      await container[Symbol.asyncDispose]();
      const r = await cni(host, { command: 'DEL', containerId: 'c1', netns: container.path, conf: { ...conf, prevResult: result } });
      expect(r).toMatchObject({ code: 0, stdout: '' });
      expect(reservations(dataDir, 'delnet')).toEqual([]);
      expect(await rulesLeft(host)).toEqual([]);
      expect(await ports(host, 'cbt0')).toEqual([]);
    });
  });

  test('netns path gone, no prevResult: rules found by chain name / comment', async () => {
    await withAttachment(backend, async ({ host, container, conf, dataDir }) => {
      await container[Symbol.asyncDispose]();
      expect(await cni(host, { command: 'DEL', containerId: 'c1', netns: container.path, conf })).toMatchObject({ code: 0, stdout: '' });
      expect(reservations(dataDir, 'delnet')).toEqual([]);
      expect(await rulesLeft(host)).toEqual([]);
    });
  });

  test('empty CNI_NETNS: IPAM released and rules removed (the reference only releases IPAM)', async () => {
    await withAttachment(backend, async ({ host, conf, result, dataDir }) => {
      expect(await cni(host, { command: 'DEL', containerId: 'c1', netns: undefined, conf: { ...conf, prevResult: result } })).toMatchObject({ code: 0 });
      expect(reservations(dataDir, 'delnet')).toEqual([]);
      expect(await rulesLeft(host)).toEqual([]);
    });
  });

  test('CNI_NETNS is a file that is not a netns (a leftover): treated as gone', async () => {
    await withAttachment(backend, async ({ host, container, conf, dataDir }) => {
      const bogus = join(dataDir, 'not-a-netns');
      writeFileSync(bogus, '');
      expect(await cni(host, { command: 'DEL', containerId: 'c1', netns: bogus, conf })).toMatchObject({ code: 0, stdout: '' });
      expect(reservations(dataDir, 'delnet')).toEqual([]);
      expect(await rulesLeft(host)).toEqual([]);
      // The container itself still exists: its veth is not ours to touch through that path.
      expect((await links(container)).map((l) => l.ifname)).toContain('eth0');
    });
  });

  test('link already deleted, then reservation already released, then everything gone: all succeed', async () => {
    await withAttachment(backend, async ({ host, container, conf, result, dataDir }) => {
      await container.sh(IP, 'link', 'del', 'eth0');
      const call = { command: 'DEL' as const, containerId: 'c1', netns: container.path, conf: { ...conf, prevResult: result } };
      expect(await cni(host, call)).toMatchObject({ code: 0, stdout: '' });
      expect(reservations(dataDir, 'delnet')).toEqual([]);
      expect(await rulesLeft(host)).toEqual([]);
      expect(await cni(host, call)).toMatchObject({ code: 0, stdout: '' });
      expect(await cni(host, { ...call, conf })).toMatchObject({ code: 0, stdout: '' });
    });
  });
});

test('the netns path is gone but the host veth still hangs on the bridge: prevResult names it, DEL removes it', async () => {
  await withAttachment('iptables', async ({ host, container, conf, result }) => {
    // As if the runtime had already unmounted the namespace file while a process still holds the namespace:
    // DEL is given a path that no longer exists, and the veth pair lives on.
    const hostVeth = result.interfaces[1].name;
    expect(await ports(host, 'cbt0')).toEqual([hostVeth]);
    const gone = join('/var/run/netns', `${container.name}-moved`);
    const r = await cni(host, { command: 'DEL', containerId: 'c1', netns: gone, conf: { ...conf, prevResult: result } });
    expect(r).toMatchObject({ code: 0 });
    expect(await ports(host, 'cbt0')).toEqual([]);
  });
});

test('DEL of an L2-only attachment whose netns is gone', async () => {
  await using host = await tempNetns('cbh');
  const conf = { cniVersion: '1.0.0', name: 'l2', type: 'bridge', bridge: 'cbt0' };
  expect(await cni(host, { command: 'DEL', containerId: 'x', netns: '/var/run/netns/cbt-never-existed', conf })).toMatchObject({ code: 0, stdout: '' });
});
