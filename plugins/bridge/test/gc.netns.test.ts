// Acceptance item 6, GC: forwarded to IPAM, and the masquerade and spoof-check rules of attachments that are not
// in cni.dev/valid-attachments are removed (the reference's bridge implements no GC at all).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { iptablesChainName, nftInstanceHash } from '../src/firewall/names.ts';
import { add, cni } from './fixtures/cni.ts';
import { natRules, nftRuleset, tempNetns } from './fixtures/netns.ts';
import { reservations } from './fixtures/state.ts';

test.concurrent.each(['iptables', 'nftables'] as const)('GC with %s: stale attachments lose rules and reservations, valid ones keep them', async (backend) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cbt-ipam-'));
  try {
    await using host = await tempNetns('cbh');
    await using keep = await tempNetns('cbc');
    await using stale = await tempNetns('cbc');
    const conf = {
      cniVersion: '1.1.0', name: 'gcnet', type: 'bridge', bridge: 'cbt0', isGateway: true, ipMasq: true, ipMasqBackend: backend,
      macspoofchk: true, ipam: { type: 'host-local', subnet: '10.215.0.0/24', dataDir },
    };
    await add(host, { containerId: 'keep', netns: keep.path, conf });
    await add(host, { containerId: 'stale', netns: stale.path, conf });
    await stale[Symbol.asyncDispose](); // the container died without a DEL
    expect(reservations(dataDir, 'gcnet')).toHaveLength(2);

    const gc = await cni(host, { command: 'GC', conf: { ...conf, 'cni.dev/valid-attachments': [{ containerID: 'keep', ifname: 'eth0' }] } });
    expect(gc).toMatchObject({ code: 0, stdout: '' });

    const nft = await nftRuleset(host);
    const ipt = (await natRules(host, 4)).join('\n');
    expect(nft).toContain('cni-br-iface-keep-eth0');
    expect(nft).not.toContain('cni-br-iface-stale-eth0');
    if (backend === 'iptables') {
      expect(ipt).toContain(iptablesChainName('gcnet', 'keep'));
      expect(ipt).not.toContain(iptablesChainName('gcnet', 'stale'));
    } else {
      expect(nft).toContain(nftInstanceHash('gcnet', 'eth0', 'keep'));
      expect(nft).not.toContain(nftInstanceHash('gcnet', 'eth0', 'stale'));
    }
    expect(reservations(dataDir, 'gcnet')).toHaveLength(1); // host-local's GC released the stale one

    // No valid attachments at all (cnitool gc): everything of this network goes.
    expect(await cni(host, { command: 'GC', conf })).toMatchObject({ code: 0 });
    const after = `${await nftRuleset(host)}\n${(await natRules(host, 4)).join('\n')}`;
    expect(after).not.toContain('cni-br-iface-keep');
    expect(after).not.toContain(', net: gcnet');
    expect(after).not.toContain(iptablesChainName('gcnet', 'keep'));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 60_000);
