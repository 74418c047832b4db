// Kernel tests for the masquerade and spoof-check rules, each in its own throwaway "host" namespace, and
// interop with the Go reference plugin (/usr/lib/cni/bridge, Debian 1.1.1): rules we add, its DEL removes;
// rules it adds, our teardown removes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { iptablesMasq } from '../src/firewall/iptables-masq.ts';
import { gcIpMasq, teardownIpMasq } from '../src/firewall/ipmasq.ts';
import { iptablesChainName, nftInstanceHash } from '../src/firewall/names.ts';
import { nftablesMasq } from '../src/firewall/nftables-masq.ts';
import { checkSpoofcheck, gcSpoofcheck, setupSpoofcheck, teardownSpoofcheck } from '../src/firewall/spoofcheck.ts';
import { parseIpNet } from '../src/ipnet.ts';
import { IP, natRules, netnsRunner, nftRuleset, tempNetns, type TestNetns } from './fixtures/netns.ts';

const owner = (containerId: string, network = 'fwnet', ifName = 'eth0') => ({ network, containerId, ifName });
const v4 = parseIpNet('10.77.0.5/24');
const v6 = parseIpNet('fd77::5/64');
const REFERENCE = '/usr/lib/cni/bridge';

describe('iptables backend', () => {
  test('setup creates the reference rules once; check passes; teardown by address leaves nothing', async () => {
    await using host = await tempNetns();
    const ipt = iptablesMasq(netnsRunner(host));
    await ipt.setup(owner('c1'), [v4, v6]);
    await ipt.setup(owner('c1'), [v4, v6]); // idempotent
    const chain = iptablesChainName('fwnet', 'c1');
    const c = '-m comment --comment "name: \\"fwnet\\" id: \\"c1\\""';
    expect(await natRules(host, 4)).toEqual([
      `-N ${chain}`,
      `-A POSTROUTING -s 10.77.0.5/32 ${c} -j ${chain}`,
      `-A ${chain} -d 10.77.0.0/24 ${c} -j ACCEPT`,
      `-A ${chain} ! -d 224.0.0.0/4 ${c} -j MASQUERADE`,
    ]);
    expect(await natRules(host, 6)).toEqual([
      `-N ${chain}`,
      `-A POSTROUTING -s fd77::5/128 ${c} -j ${chain}`,
      `-A ${chain} -d fd77::/64 ${c} -j ACCEPT`,
      `-A ${chain} ! -d ff00::/8 ${c} -j MASQUERADE`,
    ]);
    expect(await ipt.check(owner('c1'), [v4, v6])).toEqual([]);
    expect(await ipt.check(owner('c2'), [v4])).toHaveLength(3);
    await ipt.teardown(owner('c1'), [v4, v6]);
    await ipt.teardown(owner('c1'), [v4, v6]); // repeatable
    expect(await natRules(host, 4)).toEqual([]);
    expect(await natRules(host, 6)).toEqual([]);
  });

  test('teardown without addresses finds the chain by name (netns gone, no prevResult)', async () => {
    await using host = await tempNetns();
    const ipt = iptablesMasq(netnsRunner(host));
    await ipt.setup(owner('c1'), [v4, v6]);
    await ipt.setup(owner('c2'), [parseIpNet('10.77.0.6/24')]);
    await ipt.teardown(owner('c1'), undefined);
    expect((await natRules(host, 4)).join('\n')).not.toContain(iptablesChainName('fwnet', 'c1'));
    expect(await natRules(host, 6)).toEqual([]);
    expect(await natRules(host, 4)).toHaveLength(4); // c2 untouched
  });

  test('gc removes only stale attachments of the network it is run for', async () => {
    await using host = await tempNetns();
    const runner = netnsRunner(host);
    const ipt = iptablesMasq(runner);
    await ipt.setup(owner('keep'), [parseIpNet('10.77.0.2/24')]);
    await ipt.setup(owner('stale'), [parseIpNet('10.77.0.3/24'), parseIpNet('fd77::3/64')]);
    await ipt.setup(owner('other', 'othernet'), [parseIpNet('10.78.0.3/24')]);
    await gcIpMasq(runner, 'fwnet', [{ containerId: 'keep', ifName: 'eth0' }]);
    const rules = (await natRules(host, 4)).join('\n');
    expect(rules).toContain(iptablesChainName('fwnet', 'keep'));
    expect(rules).toContain(iptablesChainName('othernet', 'other'));
    expect(rules).not.toContain(iptablesChainName('fwnet', 'stale'));
    expect(await natRules(host, 6)).toEqual([]);
  });
});

describe('nftables backend', () => {
  test('setup, check, teardown by comment', async () => {
    await using host = await tempNetns();
    const nft = nftablesMasq(netnsRunner(host));
    await nft.setup(owner('c1'), [v4, v6]);
    await nft.setup(owner('c1'), [v4, v6]); // stale rules of the same attachment are replaced, not doubled
    await nft.setup(owner('c2'), [parseIpNet('10.77.0.6/24')]);
    const ruleset = await nftRuleset(host);
    const hash = nftInstanceHash('fwnet', 'eth0', 'c1');
    expect(ruleset).toContain('table inet cni_plugins_masquerade {');
    expect(ruleset).toContain('comment "Masquerading for plugins from github.com/containernetworking/plugins"');
    expect(ruleset).toContain('type nat hook postrouting priority srcnat; policy accept;');
    expect(ruleset).toContain('ip daddr 224.0.0.0/4 return');
    expect(ruleset).toContain('ip6 daddr ff00::/8 return');
    expect(ruleset).toContain('goto masq_checks');
    expect(ruleset).toContain(`ip saddr 10.77.0.5 ip daddr != 10.77.0.0/24 masquerade comment "${hash}, net: fwnet, if: eth0, id: c1"`);
    expect(ruleset).toContain(`ip6 saddr fd77::5 ip6 daddr != fd77::/64 masquerade comment "${hash}, net: fwnet, if: eth0, id: c1"`);
    expect(ruleset.split(hash).length - 1).toBe(2);
    expect(ruleset.match(/goto masq_checks/g)).toHaveLength(1);
    expect(await nft.check(owner('c1'), [v4, v6])).toEqual([]);
    await nft.teardown(owner('c1'), undefined);
    await nft.teardown(owner('c1'), undefined);
    const after = await nftRuleset(host);
    expect(after).not.toContain(hash);
    expect(after).toContain(nftInstanceHash('fwnet', 'eth0', 'c2'));
    expect(await nft.check(owner('c1'), [v4])).toHaveLength(1);
  });

  test('gc keeps valid attachments and other networks', async () => {
    await using host = await tempNetns();
    const runner = netnsRunner(host);
    const nft = nftablesMasq(runner);
    await nft.setup(owner('keep'), [parseIpNet('10.77.0.2/24')]);
    await nft.setup(owner('stale'), [parseIpNet('10.77.0.3/24')]);
    await nft.setup(owner('keep', 'fwnet', 'eth1'), [parseIpNet('10.77.0.4/24')]);
    await nft.setup(owner('other', 'othernet'), [parseIpNet('10.78.0.3/24')]);
    await gcIpMasq(runner, 'fwnet', [{ containerId: 'keep', ifName: 'eth0' }]);
    const ruleset = await nftRuleset(host);
    expect(ruleset).toContain(nftInstanceHash('fwnet', 'eth0', 'keep'));
    expect(ruleset).not.toContain(nftInstanceHash('fwnet', 'eth0', 'stale'));
    expect(ruleset).not.toContain(nftInstanceHash('fwnet', 'eth1', 'keep'));
    expect(ruleset).toContain(nftInstanceHash('othernet', 'eth0', 'other'));
  });

  test('teardownIpMasq clears both backends', async () => {
    await using host = await tempNetns();
    const runner = netnsRunner(host);
    await iptablesMasq(runner).setup(owner('c1'), [v4]);
    await nftablesMasq(runner).setup(owner('c1'), [v4]);
    await teardownIpMasq(runner, owner('c1'), undefined);
    expect(await natRules(host, 4)).toEqual([]);
    expect(await nftRuleset(host)).not.toContain(nftInstanceHash('fwnet', 'eth0', 'c1'));
  });
});

describe('macspoofchk', () => {
  const target = { containerId: 'c1', ifName: 'eth0', hostVeth: 'veth0badc0de', mac: '0a:58:0a:4d:00:05' };

  test('setup writes the reference chains and rules; check; teardown; repeat', async () => {
    await using host = await tempNetns();
    const runner = netnsRunner(host);
    await setupSpoofcheck(runner, target);
    const ruleset = await nftRuleset(host);
    expect(ruleset).toContain('type filter hook prerouting priority dstnat; policy accept;');
    expect(ruleset).toContain('iifname "veth0badc0de" jump cni-br-iface-c1-eth0 comment "macspoofchk-c1-eth0"');
    expect(ruleset).toContain('jump cni-br-iface-c1-eth0-mac comment "macspoofchk-c1-eth0"');
    expect(ruleset).toContain('ether saddr 0a:58:0a:4d:00:05 return comment "macspoofchk-c1-eth0"');
    expect(ruleset).toContain('drop comment "macspoofchk-c1-eth0"');
    expect(await checkSpoofcheck(runner, target)).toEqual([]);
    expect(await checkSpoofcheck(runner, { ...target, mac: '0a:58:0a:4d:00:06' })).toHaveLength(1);
    await teardownSpoofcheck(runner, target);
    await teardownSpoofcheck(runner, target);
    expect(await nftRuleset(host)).not.toContain('cni-br-iface');
  });

  test('gc removes stale checks whose port is gone, keeps valid ones and ports of other bridges', async () => {
    await using host = await tempNetns();
    const runner = netnsRunner(host);
    await setupSpoofcheck(runner, target);
    await setupSpoofcheck(runner, { ...target, containerId: 'gone', hostVeth: 'vethgone' });
    await setupSpoofcheck(runner, { ...target, containerId: 'elsewhere', hostVeth: 'vethother' });
    const ours = new Set(['veth0badc0de']);
    const exists = new Set(['veth0badc0de', 'vethother']);
    await gcSpoofcheck(runner, [{ containerId: 'c1', ifName: 'eth0' }], async (v) => ours.has(v) || !exists.has(v));
    const ruleset = await nftRuleset(host);
    expect(ruleset).toContain('cni-br-iface-c1-eth0');
    expect(ruleset).toContain('cni-br-iface-elsewhere-eth0');
    expect(ruleset).not.toContain('cni-br-iface-gone-eth0');
  });
});

// ---- interop with the reference plugin ------------------------------------------------------------------

/** A container namespace holding eth0 with the given addresses (what the reference's DEL reads them from). */
async function containerWith(addresses: string[]): Promise<TestNetns> {
  const c = await tempNetns('cbtc');
  await c.sh(IP, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'peer0');
  for (const a of addresses) await c.sh(IP, 'addr', 'add', a, 'dev', 'eth0', 'nodad');
  return c;
}

async function reference(host: TestNetns, command: string, containerId: string, netns: string, conf: object) {
  const env = [`CNI_COMMAND=${command}`, `CNI_CONTAINERID=${containerId}`, `CNI_NETNS=${netns}`, 'CNI_IFNAME=eth0', 'CNI_PATH=/usr/lib/cni'];
  const { spawnCollect } = await import('../src/firewall/command.ts');
  return spawnCollect(IP, ['netns', 'exec', host.name, 'env', ...env, REFERENCE], JSON.stringify(conf));
}

describe('interop with the reference bridge (Go, 1.1.1)', () => {
  test('the reference DEL removes the iptables and spoof-check rules we added', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cbt-ipam-'));
    try {
      await using host = await tempNetns();
      await using container = await containerWith(['10.77.0.5/24']);
      const runner = netnsRunner(host);
      await iptablesMasq(runner).setup(owner('c1'), [v4]);
      await setupSpoofcheck(runner, { ...target(), hostVeth: 'vethx' });
      const conf = { cniVersion: '1.0.0', name: 'fwnet', type: 'bridge', ipMasq: true, macspoofchk: true,
        ipam: { type: 'host-local', subnet: '10.77.0.0/24', dataDir } };
      const del = await reference(host, 'DEL', 'c1', container.path, conf);
      expect(del).toMatchObject({ code: 0, stdout: '' });
      expect(await natRules(host, 4)).toEqual([]);
      expect(await nftRuleset(host)).not.toContain('cni-br-iface');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('our teardown removes the rules the reference ADD created, without knowing the addresses', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cbt-ipam-'));
    try {
      await using host = await tempNetns();
      await using container = await tempNetns('cbtc');
      const conf = { cniVersion: '1.0.0', name: 'fwnet', type: 'bridge', bridge: 'cbt0', isGateway: true, ipMasq: true,
        macspoofchk: true, ipam: { type: 'host-local', subnet: '10.77.0.0/24', dataDir } };
      const add = await reference(host, 'ADD', 'c1', container.path, conf);
      expect(add.code).toBe(0);
      expect((await natRules(host, 4)).length).toBeGreaterThan(0);
      const runner = netnsRunner(host);
      await teardownIpMasq(runner, owner('c1'), undefined);
      await teardownSpoofcheck(runner, { containerId: 'c1', ifName: 'eth0' });
      expect(await natRules(host, 4)).toEqual([]);
      expect(await nftRuleset(host)).not.toContain('cni-br-iface');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

function target() {
  return { containerId: 'c1', ifName: 'eth0', hostVeth: 'veth0badc0de', mac: '0a:58:0a:4d:00:05' };
}
