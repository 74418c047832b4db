// Acceptance item 4: an ADD that fails after any of its steps leaves nothing behind: no veth, no IPAM
// reservation, no masquerade or spoof-check rule. The failure is injected with the CNI_TS_FAULT test hatch
// (src/fault.ts); afterwards the same ADD must succeed (the reference's retry fails with "already exists").
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { ADD_STEPS } from '../src/fault.ts';
import { add, cni } from './fixtures/cni.ts';
import { natRules, nftRuleset, tempNetns, type TestNetns } from './fixtures/netns.ts';
import { containerLinks, ports, reservations } from './fixtures/state.ts';

const cells = ADD_STEPS.flatMap((step) => (['iptables', 'nftables'] as const).map((backend) => ({ step, backend })));

async function leftovers(host: TestNetns, container: TestNetns, dataDir: string) {
  const nft = await nftRuleset(host);
  return {
    containerLinks: await containerLinks(container),
    bridgePorts: await ports(host, 'cbt0'),
    reservations: reservations(dataDir, 'rollback'),
    iptables: [...(await natRules(host, 4)), ...(await natRules(host, 6))].filter((r) => r.includes('CNI-')),
    nftMasquerade: nft.split('\n').filter((l) => l.includes(', net: ')),
    spoofcheck: nft.split('\n').filter((l) => l.includes('cni-br-iface')),
  };
}
const nothing = { containerLinks: [], bridgePorts: [], reservations: [], iptables: [], nftMasquerade: [], spoofcheck: [] };

test.concurrent.each(cells)('a fault after $step ($backend) is rolled back completely', async ({ step, backend }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cbt-ipam-'));
  try {
    await using host = await tempNetns('cbh');
    await using container = await tempNetns('cbc');
    const conf = {
      cniVersion: '1.1.0', name: 'rollback', type: 'bridge', bridge: 'cbt0', isGateway: true, isDefaultGateway: true,
      ipMasq: true, ipMasqBackend: backend, macspoofchk: true,
      ipam: { type: 'host-local', ranges: [[{ subnet: '10.211.0.0/24' }], [{ subnet: 'fd10:211::/64' }]], dataDir },
    };
    const call = { containerId: 'c1', netns: container.path, conf };
    const failed = await cni(host, { ...call, command: 'ADD', env: { CNI_TS_FAULT: `after:${step}` } });
    expect(failed.code).toBe(1);
    expect(failed.json).toEqual({ code: 999, msg: `injected fault after step "${step}" (CNI_TS_FAULT)` });
    expect(await leftovers(host, container, dataDir)).toEqual(nothing);

    // The retry works, and a DEL then cleans up as usual.
    const result = await add(host, call);
    expect(result.ips).toHaveLength(2);
    expect(await cni(host, { ...call, command: 'DEL', conf: { ...conf, prevResult: result } })).toMatchObject({ code: 0 });
    expect(await leftovers(host, container, dataDir)).toEqual(nothing);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 60_000);

test('a fault named after no step does nothing', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cbt-ipam-'));
  try {
    await using host = await tempNetns('cbh');
    await using container = await tempNetns('cbc');
    const conf = { cniVersion: '1.0.0', name: 'rollback', type: 'bridge', bridge: 'cbt0', ipam: { type: 'host-local', subnet: '10.211.0.0/24', dataDir } };
    const r = await cni(host, { command: 'ADD', containerId: 'c1', netns: container.path, conf, env: { CNI_TS_FAULT: 'after:nothing' } });
    expect(r.code).toBe(0);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
