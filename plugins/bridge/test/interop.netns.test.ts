// Interop with the Go reference bridge (/usr/lib/cni/bridge, Debian 1.1.1), plugin against plugin: what one
// ADDs, the other CHECKs and DELs, with masquerading (iptables: 1.1.1 has no nftables backend) and spoof checks.
// Both use our host-local from CNI_PATH, so the IPAM side is the same on both paths.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { cni } from './fixtures/cni.ts';
import { natRules, nftRuleset, tempNetns, type TestNetns } from './fixtures/netns.ts';
import { containerLinks, ports, reservations } from './fixtures/state.ts';

const REFERENCE = '/usr/lib/cni/bridge';
const OURS = undefined;

async function leftovers(host: TestNetns, container: TestNetns, dataDir: string) {
  const nft = await nftRuleset(host);
  return {
    containerLinks: await containerLinks(container),
    ports: await ports(host, 'cbt0'),
    reservations: reservations(dataDir, 'interop'),
    iptables: (await natRules(host, 4)).filter((r) => r.includes('CNI-')),
    spoofcheck: nft.split('\n').filter((l) => l.includes('cni-br-iface')),
  };
}

test.concurrent.each([
  ['ours', 'the reference', OURS, REFERENCE],
  ['the reference', 'ours', REFERENCE, OURS],
])('ADD by %s, CHECK and DEL by %s', async (_a, _d, addBin, delBin) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cbt-ipam-'));
  try {
    await using host = await tempNetns('cbh');
    await using container = await tempNetns('cbc');
    const conf = {
      cniVersion: '1.0.0', name: 'interop', type: 'bridge', bridge: 'cbt0', isGateway: true, ipMasq: true, macspoofchk: true,
      ipam: { type: 'host-local', subnet: '10.218.0.0/24', dataDir },
    };
    const call = { containerId: 'c1', netns: container.path, conf };
    const added = await cni(host, { ...call, command: 'ADD', ...(addBin ? { bin: addBin } : {}) });
    expect(added.code, added.stdout).toBe(0);
    expect((await natRules(host, 4)).filter((r) => r.includes('CNI-'))).toHaveLength(4);
    expect(await nftRuleset(host)).toContain('cni-br-iface-c1-eth0');

    const withPrev = { ...conf, prevResult: added.json };
    const checked = await cni(host, { ...call, conf: withPrev, command: 'CHECK', ...(delBin ? { bin: delBin } : {}) });
    expect(checked).toMatchObject({ code: 0, stdout: '' });
    const deleted = await cni(host, { ...call, conf: withPrev, command: 'DEL', ...(delBin ? { bin: delBin } : {}) });
    expect(deleted).toMatchObject({ code: 0, stdout: '' });
    expect(await leftovers(host, container, dataDir)).toEqual({ containerLinks: [], ports: [], reservations: [], iptables: [], spoofcheck: [] });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 60_000);
