// Acceptance item 7: ADD, pings, CHECK and DEL over cniVersion x (IPv4, IPv6, dual) x (no masquerade, iptables,
// nftables) x (no vlan, vlan). Every cell has its own throwaway host namespace (bridge, host veths, rules,
// sysctls) and two container namespaces; cells run concurrently.
//
// VLAN cells: this kernel has no CONFIG_BRIDGE_VLAN_FILTERING, so the kernel refuses a bridge with
// vlan_filtering (EOPNOTSUPP) and any port VLAN. Those cells assert the refusal, at both places it can happen
// (creating the bridge; programming the port of an existing bridge), and that nothing is left behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { add, cni } from './fixtures/cni.ts';
import { natRules, nftRuleset, tempNetns } from './fixtures/netns.ts';
import { addresses, containerLinks, ping, ports, reservations } from './fixtures/state.ts';

const VERSIONS = ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'] as const;
const FAMILIES = ['ipv4', 'ipv6', 'dual'] as const;
const MASQ = ['none', 'iptables', 'nftables'] as const;
const VLAN = [false, true] as const;
const V4 = '10.210.0.0/24';
const V6 = 'fd10:210::/64';

const cells = VERSIONS.flatMap((version) =>
  FAMILIES.flatMap((family) => MASQ.flatMap((masq) => VLAN.map((vlan) => ({ version, family, masq, vlan })))),
);
type Cell = (typeof cells)[number];

const atLeast = (v: string, min: string) => v.localeCompare(min, undefined, { numeric: true }) >= 0;

function config(cell: Cell, dataDir: string, vlan = cell.vlan) {
  const ranges = [
    ...(cell.family !== 'ipv6' ? [[{ subnet: V4 }]] : []),
    ...(cell.family !== 'ipv4' ? [[{ subnet: V6 }]] : []),
  ];
  return {
    cniVersion: cell.version,
    name: 'matrix',
    type: 'bridge',
    bridge: 'cbt0',
    isGateway: true,
    ipMasq: cell.masq !== 'none',
    ...(cell.masq !== 'none' ? { ipMasqBackend: cell.masq } : {}),
    ...(vlan ? { vlan: 100 } : {}),
    ipam: { type: 'host-local', ranges, dataDir },
  };
}

/** The container's addresses and gateways, from a result of any version. */
function ipsOf(result: any): { address: string; gateway: string }[] {
  if (result.ips) return result.ips.map((i: any) => ({ address: i.address.split('/')[0], gateway: i.gateway }));
  return ['ip4', 'ip6'].filter((k) => result[k]).map((k) => ({ address: result[k].ip.split('/')[0], gateway: result[k].gateway }));
}

async function masqueradeState(host: Awaited<ReturnType<typeof tempNetns>>): Promise<string> {
  const ipt = [...(await natRules(host, 4)), ...(await natRules(host, 6))].filter((r) => r.includes('CNI-'));
  // nftables masquerade rules carry "<hash>, net: <name>, ..." comments (the shared table itself stays).
  const nft = (await nftRuleset(host)).split('\n').filter((l) => l.includes(', net: '));
  return [...ipt, ...nft].join('\n');
}

test.concurrent.each(cells)('$version $family masq=$masq vlan=$vlan', async (cell) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cbt-ipam-'));
  try {
    await using host = await tempNetns('cbh');
    await using a = await tempNetns('cba');
    await using b = await tempNetns('cbb');
    const conf = config(cell, dataDir);
    const expectedFamilies = cell.family === 'dual' ? 2 : 1;

    if (cell.vlan) {
      // 1. A new bridge with vlan_filtering: refused when the bridge is created.
      const first = await cni(host, { command: 'ADD', containerId: 'a', netns: a.path, conf });
      expect(first.code).toBe(1);
      expect(first.json).toMatchObject({ code: 999 });
      expect(first.json.msg).toMatch(/^failed to create bridge "cbt0": could not add "cbt0": .*EOPNOTSUPP/);
      // 2. An existing bridge (made by an ADD without vlan): refused when the port's VLANs are programmed,
      //    after the veth was created and attached; the rollback must remove it again.
      await add(host, { containerId: 'a', netns: a.path, conf: config(cell, dataDir, false) });
      const second = await cni(host, { command: 'ADD', containerId: 'b', netns: b.path, conf });
      expect(second.code).toBe(1);
      expect(second.json.msg).toMatch(/^failed to (remove default vlan|setup vlan tag) on interface "veth[0-9a-f]{8}": .*EOPNOTSUPP/);
      expect(await containerLinks(b)).toEqual([]);
      expect(await ports(host, 'cbt0')).toHaveLength(1);
      expect(reservations(dataDir, 'matrix')).toHaveLength(expectedFamilies); // a's only
      expect(await cni(host, { command: 'DEL', containerId: 'a', netns: a.path, conf: config(cell, dataDir, false) })).toMatchObject({ code: 0 });
      expect(reservations(dataDir, 'matrix')).toEqual([]);
      expect(await masqueradeState(host)).toBe('');
      return;
    }

    const results = { a: await add(host, { containerId: 'a', netns: a.path, conf }), b: await add(host, { containerId: 'b', netns: b.path, conf }) };
    expect(results.a.cniVersion).toBe(cell.version);
    if (atLeast(cell.version, '0.3.0')) {
      expect(results.a.interfaces.map((i: any) => i.name)).toEqual(['cbt0', expect.stringMatching(/^veth[0-9a-f]{8}$/), 'eth0']);
      expect(results.a.interfaces[2].sandbox).toBe(a.path);
    }
    const ipsA = ipsOf(results.a);
    const ipsB = ipsOf(results.b);
    expect(ipsA).toHaveLength(expectedFamilies);
    expect(await addresses(a, 'eth0')).toHaveLength(expectedFamilies);

    for (const [i, ip] of ipsB.entries()) {
      expect(await ping(a, ip.address), `a → b ${ip.address}`).toBe(true);
      expect(await ping(a, ipsA[i]?.gateway ?? ''), `a → gateway ${ipsA[i]?.gateway}`).toBe(true);
    }
    const rules = await masqueradeState(host);
    if (cell.masq === 'none') expect(rules).toBe('');
    else for (const ip of [...ipsA, ...ipsB]) expect(rules).toContain(ip.address);

    const withPrev = (c: 'a' | 'b') => (atLeast(cell.version, '0.4.0') ? { ...conf, prevResult: results[c] } : conf);
    if (atLeast(cell.version, '0.4.0')) {
      for (const [c, ns] of [['a', a], ['b', b]] as const) {
        expect(await cni(host, { command: 'CHECK', containerId: c, netns: ns.path, conf: withPrev(c) })).toMatchObject({ code: 0, stdout: '' });
      }
    }
    for (const [c, ns] of [['a', a], ['b', b]] as const) {
      expect(await cni(host, { command: 'DEL', containerId: c, netns: ns.path, conf: withPrev(c) })).toMatchObject({ code: 0, stdout: '' });
      expect(await cni(host, { command: 'DEL', containerId: c, netns: ns.path, conf })).toMatchObject({ code: 0, stdout: '' });
    }
    expect(await containerLinks(a)).toEqual([]);
    expect(await containerLinks(b)).toEqual([]);
    expect(await ports(host, 'cbt0')).toEqual([]);
    expect(reservations(dataDir, 'matrix')).toEqual([]);
    expect(await masqueradeState(host)).toBe('');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 60_000);
